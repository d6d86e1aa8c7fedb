"""Notifications: the repository and unit of work (SQL and in-memory twins), the hot reads (one statement per
page), the recipients' settings and the names the presenters use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import and_, case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import PROFILES, USERS
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.outbox import InMemoryMailOutbox, SqlMailOutbox
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.notifications import notifications
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.notifications.model import Notice, PersonName, Recipient, StoredNotice
from core.shared.pagination import Page, PageRequest

__all__ = (
    "NOTIFICATIONS",
    "InMemoryNotificationReads",
    "InMemoryNotificationsUnitOfWork",
    "InMemoryPersonNames",
    "SqlNotificationReads",
    "SqlNotificationsUnitOfWork",
    "SqlPersonNames",
)


def _obj(value: int | None) -> str | None:
    return None if value is None else str(value)


def _stored(row: Any) -> StoredNotice:
    return StoredNotice(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        kind=row["kind"],
        text=row["text"],
        page=row["page"],
        route=row["route"],
        obj_id=row["obj_id"],
        timestamp=row["created_at"],
        read=bool(row["is_read"]),
    )


def _recipient(row: Any) -> Recipient:
    return Recipient(
        user_id=int(row["id"]),
        email=row["email"],
        push_notify=bool(row["push_notify"]),
        email_notify=bool(row["email_notify"]),
        message_notify=bool(row["message_notify"]),
    )


# --------------------------------------------------------------------------------------------- SQL


class SqlNotificationRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, notice: Notice) -> StoredNotice:
        values = {
            "user_id": notice.user_id,
            "kind": notice.kind,
            "text": notice.text[:1500],
            "page": notice.page,
            "route": notice.route,
            "obj_id": _obj(notice.obj_id),
            "created_at": notice.timestamp,
            "is_read": False,
        }
        result = await self._uow.execute(insert(notifications).values(**values).returning(notifications.c.id))
        return _stored({"id": result.scalar_one(), **values})

    async def seen_before(self, user_id: int, text: str, obj_id: int | None) -> bool:
        obj = notifications.c.obj_id.is_(None) if obj_id is None else notifications.c.obj_id == str(obj_id)
        stmt = select(notifications.c.id).where(notifications.c.user_id == user_id, notifications.c.text == text, obj)
        return (await self._uow.execute(stmt.limit(1))).first() is not None

    async def mark_read(self, user_id: int, notification_id: int) -> StoredNotice | None:
        stmt = (
            update(notifications)
            .where(notifications.c.id == notification_id, notifications.c.user_id == user_id)
            .values(is_read=True)
            .returning(*notifications.c)
        )
        row = (await self._uow.execute(stmt)).mappings().first()
        return _stored(row) if row else None

    async def mark_all_read(self, user_id: int) -> int:
        stmt = (
            update(notifications)
            .where(notifications.c.user_id == user_id, notifications.c.is_read.is_(False))
            .values(is_read=True)
        )
        return int(getattr(await self._uow.execute(stmt), "rowcount", 0) or 0)

    async def clear(self, user_id: int) -> int:
        result = await self._uow.execute(delete(notifications).where(notifications.c.user_id == user_id))
        return int(getattr(result, "rowcount", 0) or 0)


class SqlRecipientDirectory:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def get(self, user_id: int) -> Recipient | None:
        stmt = select(
            users.c.id, users.c.email, users.c.push_notify, users.c.email_notify, users.c.message_notify
        ).where(users.c.id == user_id, users.c.is_active.is_(True))
        row = (await self._uow.execute(stmt)).mappings().first()
        return _recipient(row) if row else None


class SqlNotificationsUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_notifications", "_outbox", "_recipients")

    def __init__(
        self,
        engine: AsyncEngine,
        after_commit: Callable[[], None] | None = None,
        *,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(engine, after_commit, task_kick=task_kick)
        self._notifications = SqlNotificationRepository(self)
        self._recipients = SqlRecipientDirectory(self)
        self._outbox = SqlMailOutbox(self)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._outbox = SqlMailOutbox(self)
        return self

    @property
    def notifications(self) -> SqlNotificationRepository:
        return self._notifications

    @property
    def recipients(self) -> SqlRecipientDirectory:
        return self._recipients

    @property
    def outbox(self) -> SqlMailOutbox:
        return self._outbox

    async def commit(self) -> None:
        await self._outbox.flush(datetime.now(UTC))
        await super().commit()


class SqlNotificationReads:
    """One statement per page: the rows of the page with the user's total and unread counts as window
    aggregates over the index range ``(user_id, id)``."""

    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def page(self, user_id: int, page: PageRequest) -> tuple[Page[StoredNotice], int]:
        unread = func.sum(case((notifications.c.is_read.is_(False), 1), else_=0))
        stmt = (
            select(
                *notifications.c,
                func.count().over().label("total"),
                unread.over().label("unread"),
            )
            .where(notifications.c.user_id == user_id)
            .order_by(notifications.c.id.desc())
            .limit(page.size)
            .offset(page.offset)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
            if not rows and page.number > 1:
                # Past the end: the window saw no row; the count decides between "empty" and "Invalid page."
                total = (
                    await conn.execute(select(func.count()).where(notifications.c.user_id == user_id))
                ).scalar_one()
                return Page([], int(total), page), 0
        total = int(rows[0]["total"]) if rows else 0
        unread_count = int(rows[0]["unread"] or 0) if rows else 0
        return Page([_stored(r) for r in rows], total, page), unread_count

    async def unread(self, user_id: int) -> int:
        stmt = select(func.count()).where(and_(notifications.c.user_id == user_id, notifications.c.is_read.is_(False)))
        async with self._engine.connect() as conn:
            return int((await conn.execute(stmt)).scalar_one())


class SqlPersonNames:
    """``ports.notifications.PersonNames``: the first and last name on a profile (employers: ``N/A``)."""

    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def name(self, user_id: int) -> PersonName | None:
        stmt = (
            select(users.c.id, profiles.c.first_name, profiles.c.last_name)
            .select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
            .where(users.c.id == user_id)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).mappings().first()
        if row is None:
            return None
        return PersonName(row["first_name"] or "", row["last_name"] or "")


# ------------------------------------------------------------------------------------------ memory


@dataclass(kw_only=True)
class _NotificationRow:
    id: int = 0
    user_id: int
    kind: str
    text: str
    page: str | None
    route: str | None
    obj_id: str | None
    created_at: datetime
    is_read: bool = False

    def view(self) -> StoredNotice:
        return StoredNotice(
            id=self.id,
            user_id=self.user_id,
            kind=self.kind,
            text=self.text,
            page=self.page,
            route=self.route,
            obj_id=self.obj_id,
            timestamp=self.created_at,
            read=self.is_read,
        )


NOTIFICATIONS = MemoryTable(notifications, _NotificationRow)


class InMemoryNotificationRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, notice: Notice) -> StoredNotice:
        row = _NotificationRow(
            user_id=notice.user_id,
            kind=notice.kind,
            text=notice.text[:1500],
            page=notice.page,
            route=notice.route,
            obj_id=_obj(notice.obj_id),
            created_at=notice.timestamp,
        )
        self._uow.insert(NOTIFICATIONS, row)
        return row.view()

    async def seen_before(self, user_id: int, text: str, obj_id: int | None) -> bool:
        obj = _obj(obj_id)
        return self._uow.exists(NOTIFICATIONS, lambda r: r.user_id == user_id and r.text == text and r.obj_id == obj)

    async def mark_read(self, user_id: int, notification_id: int) -> StoredNotice | None:
        row = self._uow.get(NOTIFICATIONS, notification_id)
        if row is None or row.user_id != user_id:
            return None
        row.is_read = True
        self._uow.update(NOTIFICATIONS, row)
        return row.view()

    async def mark_all_read(self, user_id: int) -> int:
        rows = self._uow.rows(NOTIFICATIONS)
        changed = [r for r in rows.values() if r.user_id == user_id and not r.is_read]
        for row in changed:
            row.is_read = True
        return len(changed)

    async def clear(self, user_id: int) -> int:
        return self._uow.delete_where(NOTIFICATIONS, lambda r: r.user_id == user_id)


class InMemoryRecipientDirectory:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, user_id: int) -> Recipient | None:
        user = self._uow.view(USERS).get(user_id)
        if user is None or not user.is_active:
            return None
        return Recipient(
            user_id=user.id,
            email=user.email,
            push_notify=user.push_notify,
            email_notify=user.email_notify,
            message_notify=user.message_notify,
        )


class InMemoryNotificationsUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self,
        store: InMemoryStore,
        after_commit: Callable[[], None] | None = None,
        *,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(store, after_commit, task_kick=task_kick)
        self._notifications = InMemoryNotificationRepository(self)
        self._recipients = InMemoryRecipientDirectory(self)
        self._outbox = InMemoryMailOutbox(self)

    @property
    def notifications(self) -> InMemoryNotificationRepository:
        return self._notifications

    @property
    def recipients(self) -> InMemoryRecipientDirectory:
        return self._recipients

    @property
    def outbox(self) -> InMemoryMailOutbox:
        return self._outbox


class InMemoryNotificationReads:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _mine(self, user_id: int) -> list[_NotificationRow]:
        return [r for r in self._store.committed(NOTIFICATIONS).values() if r.user_id == user_id]

    async def page(self, user_id: int, page: PageRequest) -> tuple[Page[StoredNotice], int]:
        mine = sorted(self._mine(user_id), key=lambda r: r.id, reverse=True)
        items = [r.view() for r in mine[page.offset : page.offset + page.size]]
        return Page(items, len(mine), page), sum(1 for r in mine if not r.is_read)

    async def unread(self, user_id: int) -> int:
        return sum(1 for r in self._mine(user_id) if not r.is_read)


class InMemoryPersonNames:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def name(self, user_id: int) -> PersonName | None:
        if user_id not in self._store.committed(USERS):
            return None
        profile = self._store.committed(PROFILES).get(user_id)
        return PersonName(profile.first_name or "", profile.last_name or "") if profile else PersonName("", "")
