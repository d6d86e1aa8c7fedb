"""Content pages, the library, newsletters, their subscribers and delivery record, and the member cards a
signed-in subscriber is shown with: SQL repositories and their in-memory twins (used by the content units of
work in ``adapters/db/content.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import PROFILES, USERS
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.seed import load_seed
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.content import (
    content_pages,
    library_items,
    library_tags,
    newsletter_deliveries,
    newsletter_subscribers,
    newsletters,
)
from adapters.db.uow import SqlUnitOfWork
from core.content.model.library import LibraryItem, LibraryQuery
from core.content.model.newsletters import Newsletter, NewsletterDelivery, Subscriber, SubscriberCard
from core.content.model.pages import ContentPage
from core.shared.errors import Conflict

__all__ = (
    "InMemoryDeliveryRepository",
    "InMemoryLibraryRepository",
    "InMemoryMemberCards",
    "InMemoryNewsletterRepository",
    "InMemoryPageRepository",
    "InMemorySubscriberRepository",
    "SqlDeliveryRepository",
    "SqlLibraryRepository",
    "SqlMemberCards",
    "SqlNewsletterRepository",
    "SqlPageRepository",
    "SqlSubscriberRepository",
    "seed_memory_pages",
)

PAGE_TAKEN = "A content page with this title already exists."
TITLE_TAKEN = "A Library content with this title already exists."
SUBSCRIBED = "Already subscribed to Newsletter"
DELIVERED = "The newsletter was already delivered to this subscriber."


def _search_text(item: LibraryItem) -> str:
    return " ".join([item.title, item.description, *item.tags]).lower()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --------------------------------------------------------------------------------------------- SQL


def _page(r: Any) -> ContentPage:
    items = r["items"]
    return ContentPage(id=r["id"], title=r["title"], content=r["content"],
                       items=list(items) if isinstance(items, list) else None, updated=r["updated"])


class SqlPageRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def titles(self) -> list[str]:
        rows = await self._uow.execute(select(content_pages.c.title).order_by(content_pages.c.title))
        return [r[0] for r in rows]

    async def get(self, title: str) -> ContentPage | None:
        row = (await self._uow.execute(select(content_pages).where(content_pages.c.title == title))).mappings().first()
        return _page(row) if row else None

    async def add(self, page: ContentPage) -> ContentPage:
        try:
            async with self._uow.connection.begin_nested():
                result = await self._uow.execute(
                    insert(content_pages).values(title=page.title, content=page.content, items=page.items,
                                                 updated=page.updated).returning(content_pages.c.id)
                )
        except IntegrityError as exc:
            raise Conflict(PAGE_TAKEN) from exc
        page.id = int(result.scalar_one())
        return page

    async def update(self, page: ContentPage) -> None:
        try:
            async with self._uow.connection.begin_nested():
                await self._uow.execute(
                    update(content_pages).where(content_pages.c.id == page.id).values(
                        title=page.title, content=page.content, items=page.items, updated=page.updated)
                )
        except IntegrityError as exc:
            raise Conflict(PAGE_TAKEN) from exc

    async def delete(self, page_id: int) -> None:
        await self._uow.execute(delete(content_pages).where(content_pages.c.id == page_id))


def _item(r: Any) -> LibraryItem:
    return LibraryItem(id=r["id"], title=r["title"], description=r["description"], tags=list(r["tags"] or []),
                       file=r["file"], created_at=r["created_at"])


class SqlLibraryRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, item: LibraryItem) -> LibraryItem:
        try:
            async with self._uow.connection.begin_nested():
                result = await self._uow.execute(
                    insert(library_items).values(
                        title=item.title, title_key=item.title.lower(), description=item.description,
                        tags=item.tags, file=item.file, search_text=_search_text(item), created_at=item.created_at,
                    ).returning(library_items.c.id)
                )
        except IntegrityError as exc:
            raise Conflict(TITLE_TAKEN) from exc
        item.id = int(result.scalar_one())
        if item.tags:
            await self._uow.execute_many(
                insert(library_tags), [{"item_id": item.id, "tag": tag} for tag in item.tags]
            )
        return item

    async def title_taken(self, title: str) -> bool:
        stmt = select(library_items.c.id).where(library_items.c.title_key == title.lower())
        return (await self._uow.execute(stmt)).first() is not None

    async def get(self, item_id: int) -> LibraryItem | None:
        row = (await self._uow.execute(select(library_items).where(library_items.c.id == item_id))).mappings().first()
        return _item(row) if row else None

    async def search(self, query: LibraryQuery, limit: int) -> list[LibraryItem]:
        # One statement: tags are kept on the item (JSON) for reading and in library_tags (indexed) for filtering.
        stmt = select(library_items).order_by(library_items.c.id.desc()).limit(limit)
        if query.tag is not None:
            tagged = select(library_tags.c.item_id).where(library_tags.c.tag == query.tag)
            stmt = stmt.where(library_items.c.id.in_(tagged))
        if query.q is not None:
            stmt = stmt.where(library_items.c.search_text.like(_like(query.q), escape="\\"))
        return [_item(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def delete(self, item_id: int) -> None:
        await self._uow.execute(delete(library_items).where(library_items.c.id == item_id))


def _newsletter(r: Any) -> Newsletter:
    return Newsletter(id=r["id"], title=r["title"], content=r["content"], image=r["image"],
                      created_at=r["created_at"], author_id=r["author_id"])


class SqlNewsletterRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, newsletter: Newsletter) -> Newsletter:
        result = await self._uow.execute(
            insert(newsletters).values(title=newsletter.title, content=newsletter.content, image=newsletter.image,
                                       author_id=newsletter.author_id, created_at=newsletter.created_at)
            .returning(newsletters.c.id)
        )
        newsletter.id = int(result.scalar_one())
        return newsletter

    async def get(self, newsletter_id: int) -> Newsletter | None:
        row = (await self._uow.execute(select(newsletters).where(newsletters.c.id == newsletter_id))).mappings().first()
        return _newsletter(row) if row else None

    async def ids(self) -> list[int]:
        return [r[0] for r in await self._uow.execute(select(newsletters.c.id).order_by(newsletters.c.id))]

    async def page(self, offset: int, limit: int) -> tuple[list[Newsletter], int]:
        total = (await self._uow.execute(select(func.count()).select_from(newsletters))).scalar_one()
        stmt = select(newsletters).order_by(newsletters.c.id.desc()).offset(offset).limit(limit)
        return [_newsletter(r) for r in (await self._uow.execute(stmt)).mappings().all()], int(total)


def _subscriber(r: Any) -> Subscriber:
    return Subscriber(id=r["id"], email=r["email"], user_id=r["user_id"], subscribed_at=r["subscribed_at"])


class SqlSubscriberRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def _one(self, *where: Any) -> Subscriber | None:
        row = (await self._uow.execute(select(newsletter_subscribers).where(*where))).mappings().first()
        return _subscriber(row) if row else None

    async def by_email(self, email: str) -> Subscriber | None:
        return await self._one(func.lower(newsletter_subscribers.c.email) == email.lower())

    async def by_user(self, user_id: int) -> Subscriber | None:
        return await self._one(newsletter_subscribers.c.user_id == user_id)

    async def get(self, subscriber_id: int) -> Subscriber | None:
        return await self._one(newsletter_subscribers.c.id == subscriber_id)

    async def add(self, subscriber: Subscriber) -> Subscriber:
        try:
            async with self._uow.connection.begin_nested():
                result = await self._uow.execute(
                    insert(newsletter_subscribers).values(email=subscriber.email, user_id=subscriber.user_id,
                                                          subscribed_at=subscriber.subscribed_at).returning(newsletter_subscribers.c.id)
                )
        except IntegrityError as exc:
            raise Conflict(SUBSCRIBED) from exc
        subscriber.id = int(result.scalar_one())
        return subscriber

    async def claim(self, subscriber_id: int, user_id: int) -> None:
        await self._uow.execute(
            update(newsletter_subscribers).where(newsletter_subscribers.c.id == subscriber_id).values(user_id=user_id)
        )

    async def delete(self, subscriber_id: int) -> None:
        await self._uow.execute(delete(newsletter_subscribers).where(newsletter_subscribers.c.id == subscriber_id))

    async def count_after(self, subscriber_id: int, subscribed_by: datetime) -> int:
        stmt = select(func.count()).select_from(newsletter_subscribers).where(
            newsletter_subscribers.c.id > subscriber_id, newsletter_subscribers.c.subscribed_at <= subscribed_by
        )
        return int((await self._uow.execute(stmt)).scalar_one())

    async def after(self, subscriber_id: int, subscribed_by: datetime, limit: int) -> list[Subscriber]:
        stmt = (
            select(newsletter_subscribers)
            .where(newsletter_subscribers.c.id > subscriber_id, newsletter_subscribers.c.subscribed_at <= subscribed_by)
            .order_by(newsletter_subscribers.c.id)
            .limit(limit)
        )
        return [_subscriber(r) for r in (await self._uow.execute(stmt)).mappings().all()]


class SqlDeliveryRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def sent_to(self, newsletter_id: int, subscriber_ids: Sequence[int]) -> set[int]:
        if not subscriber_ids:
            return set()
        stmt = select(newsletter_deliveries.c.subscriber_id).where(
            newsletter_deliveries.c.newsletter_id == newsletter_id,
            newsletter_deliveries.c.subscriber_id.in_(list(subscriber_ids)),
        )
        return {r[0] for r in await self._uow.execute(stmt)}

    async def record(self, deliveries: Sequence[NewsletterDelivery]) -> None:
        if not deliveries:
            return
        try:
            await self._uow.execute_many(
                insert(newsletter_deliveries),
                [{"newsletter_id": d.newsletter_id, "subscriber_id": d.subscriber_id, "email": d.email,
                  "queued_at": d.queued_at} for d in deliveries],
            )
        except IntegrityError as exc:
            raise Conflict(DELIVERED) from exc

    async def last_subscriber(self, newsletter_id: int) -> int:
        stmt = select(func.max(newsletter_deliveries.c.subscriber_id)).where(
            newsletter_deliveries.c.newsletter_id == newsletter_id
        )
        return int((await self._uow.execute(stmt)).scalar() or 0)

    async def count(self, newsletter_id: int) -> int:
        stmt = select(func.count()).select_from(newsletter_deliveries).where(
            newsletter_deliveries.c.newsletter_id == newsletter_id
        )
        return int((await self._uow.execute(stmt)).scalar_one())


class SqlMemberCards:
    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def card(self, user_id: int) -> SubscriberCard | None:
        stmt = (
            select(users.c.id, users.c.email, profiles.c.first_name, profiles.c.last_name, profiles.c.middle_name,
                   profiles.c.profile_photo, profiles.c.qualification)
            .select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
            .where(users.c.id == user_id, users.c.is_active.is_(True))
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).mappings().first()
        if row is None:
            return None
        return SubscriberCard(id=row["id"], email=row["email"], first_name=row["first_name"] or "",
                              last_name=row["last_name"] or "", middle_name=row["middle_name"] or "",
                              profile_photo=row["profile_photo"], qualification=row["qualification"] or "")


# ------------------------------------------------------------------------------------------ memory


@dataclass(kw_only=True)
class _Item:
    id: int = 0
    title_key: str
    item: LibraryItem


@dataclass(kw_only=True)
class _Tag:
    item_id: int
    tag: str


@dataclass(kw_only=True)
class _Delivery:
    newsletter_id: int
    subscriber_id: int
    delivery: NewsletterDelivery = field(repr=False)


PAGES = MemoryTable(content_pages, ContentPage, conflict=PAGE_TAKEN)
ITEMS = MemoryTable(library_items, _Item, conflict=TITLE_TAKEN)
TAGS = MemoryTable(library_tags, _Tag)
NEWSLETTERS = MemoryTable(newsletters, Newsletter)
SUBSCRIBERS = MemoryTable(newsletter_subscribers, Subscriber, conflict=SUBSCRIBED)
DELIVERIES = MemoryTable(newsletter_deliveries, _Delivery, conflict=DELIVERED)


def seed_memory_pages(store: InMemoryStore) -> None:
    store.seed(
        PAGES,
        (ContentPage(title=p["title"], content=p["content"], items=p["items"],
                     updated=date.fromisoformat(p["updated"])) for p in load_seed("pages")),
    )


class _MemRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow


class InMemoryPageRepository(_MemRepo):
    async def titles(self) -> list[str]:
        return sorted(p.title for p in self._uow.view(PAGES).values())

    async def get(self, title: str) -> ContentPage | None:
        return self._uow.find(PAGES, lambda p: p.title == title)

    async def add(self, page: ContentPage) -> ContentPage:
        self._uow.insert(PAGES, page)
        return page

    async def update(self, page: ContentPage) -> None:
        self._uow.update(PAGES, page)

    async def delete(self, page_id: int) -> None:
        self._uow.delete(PAGES, page_id)


class InMemoryLibraryRepository(_MemRepo):
    async def add(self, item: LibraryItem) -> LibraryItem:
        row = _Item(title_key=item.title.lower(), item=item)
        item.id = self._uow.insert(ITEMS, row)
        self._uow.patch(ITEMS, item.id, item=item)
        for tag in item.tags:
            self._uow.insert(TAGS, _Tag(item_id=item.id, tag=tag))
        return item

    async def title_taken(self, title: str) -> bool:
        return self._uow.exists(ITEMS, lambda r: r.title_key == title.lower())

    async def get(self, item_id: int) -> LibraryItem | None:
        row = self._uow.get(ITEMS, item_id)
        return row.item if row else None

    async def search(self, query: LibraryQuery, limit: int) -> list[LibraryItem]:
        tagged = {t.item_id for t in self._uow.view(TAGS).values() if t.tag == query.tag}

        def match(r: _Item) -> bool:
            if query.tag is not None and r.id not in tagged:
                return False
            return query.q is None or query.q in _search_text(r.item)

        return [r.item for r in self._uow.select(ITEMS, match, order=lambda r: -r.id)][:limit]

    async def delete(self, item_id: int) -> None:
        self._uow.delete(ITEMS, item_id)


class InMemoryNewsletterRepository(_MemRepo):
    async def add(self, newsletter: Newsletter) -> Newsletter:
        newsletter.id = self._uow.insert(NEWSLETTERS, newsletter)
        return newsletter

    async def get(self, newsletter_id: int) -> Newsletter | None:
        return self._uow.get(NEWSLETTERS, newsletter_id)

    async def ids(self) -> list[int]:
        return sorted(self._uow.view(NEWSLETTERS))

    async def page(self, offset: int, limit: int) -> tuple[list[Newsletter], int]:
        rows = self._uow.select(NEWSLETTERS, order=lambda n: -n.id)
        return rows[offset : offset + limit], len(rows)


class InMemorySubscriberRepository(_MemRepo):
    async def by_email(self, email: str) -> Subscriber | None:
        return self._uow.find(SUBSCRIBERS, lambda s: s.email.lower() == email.lower())

    async def by_user(self, user_id: int) -> Subscriber | None:
        return self._uow.find(SUBSCRIBERS, lambda s: s.user_id == user_id)

    async def get(self, subscriber_id: int) -> Subscriber | None:
        return self._uow.get(SUBSCRIBERS, subscriber_id)

    async def add(self, subscriber: Subscriber) -> Subscriber:
        subscriber.id = self._uow.insert(SUBSCRIBERS, subscriber)
        return subscriber

    async def claim(self, subscriber_id: int, user_id: int) -> None:
        self._uow.patch(SUBSCRIBERS, subscriber_id, user_id=user_id)

    async def delete(self, subscriber_id: int) -> None:
        self._uow.delete(SUBSCRIBERS, subscriber_id)

    async def count_after(self, subscriber_id: int, subscribed_by: datetime) -> int:
        return self._uow.count(SUBSCRIBERS, lambda s: s.id > subscriber_id and s.subscribed_at <= subscribed_by)

    async def after(self, subscriber_id: int, subscribed_by: datetime, limit: int) -> list[Subscriber]:
        rows = self._uow.select(
            SUBSCRIBERS, lambda s: s.id > subscriber_id and s.subscribed_at <= subscribed_by, order=lambda s: s.id
        )
        return rows[:limit]


class InMemoryDeliveryRepository(_MemRepo):
    async def sent_to(self, newsletter_id: int, subscriber_ids: Sequence[int]) -> set[int]:
        wanted = set(subscriber_ids)
        return {d.subscriber_id for d in self._uow.view(DELIVERIES).values()
                if d.newsletter_id == newsletter_id and d.subscriber_id in wanted}

    async def record(self, deliveries: Sequence[NewsletterDelivery]) -> None:
        for d in deliveries:
            self._uow.insert(DELIVERIES, _Delivery(newsletter_id=d.newsletter_id, subscriber_id=d.subscriber_id,
                                                   delivery=d))

    async def last_subscriber(self, newsletter_id: int) -> int:
        return max((d.subscriber_id for d in self._uow.view(DELIVERIES).values()
                    if d.newsletter_id == newsletter_id), default=0)

    async def count(self, newsletter_id: int) -> int:
        return self._uow.count(DELIVERIES, lambda d: d.newsletter_id == newsletter_id)


class InMemoryMemberCards:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def card(self, user_id: int) -> SubscriberCard | None:
        user = self._store.committed(USERS).get(user_id)
        if user is None or not user.is_active:
            return None
        profile = self._store.committed(PROFILES).get(user_id)
        return SubscriberCard(
            id=user.id, email=user.email,
            first_name=getattr(profile, "first_name", "") or "", last_name=getattr(profile, "last_name", "") or "",
            middle_name=getattr(profile, "middle_name", "") or "",
            profile_photo=getattr(profile, "profile_photo", None),
            qualification=getattr(profile, "qualification", "") or "",
        )

