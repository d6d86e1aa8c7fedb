"""Profile repositories (experience, education, certification, portfolio, profile views), the profiles unit of
work and user search: SQL and in-memory twins."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, RowMapping, Table, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import PROFILES, USERS, InMemoryAccountsUnitOfWork, SqlAccountsUnitOfWork
from adapters.db.engine import is_sqlite
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.accounts import users
from adapters.db.tables.profiles import (
    SEARCH_COLUMNS,
    SEARCH_DOCUMENT_SQL,
    certifications,
    educations,
    experiences,
    profile_views,
    projects,
)
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.accounts.model.portfolio import Certification, Education, Experience, Project, SearchHit
from core.shared.pagination import Page, PageRequest
from ports.readcache import ViewInvalidation

__all__ = (
    "InMemoryProfilesUnitOfWork",
    "InMemoryUserSearch",
    "SqlProfilesUnitOfWork",
    "SqlUserSearch",
)

E = TypeVar("E", Experience, Education, Certification, Project)


def _fields(kind: type[Any]) -> list[str]:
    return [f.name for f in fields(kind) if f.name != "pending_events"]


# --------------------------------------------------------------------------------------------- SQL


class _SqlItems(Generic[E]):
    """Rows of one user-owned table mapped to one entity type."""

    __slots__ = ("_columns", "_kind", "_order", "_table", "_uow")

    def __init__(self, uow: SqlUnitOfWork, table: Table, kind: type[E], order: list[ColumnElement[Any]]) -> None:
        self._uow = uow
        self._table = table
        self._kind: type[E] = kind
        self._columns = _fields(kind)
        self._order = order

    def _entity(self, row: RowMapping) -> E:
        entity: E = self._kind(**{k: row[k] for k in self._columns})
        return entity

    async def list_for(self, user_id: int) -> list[E]:
        stmt = select(self._table).where(self._table.c.user_id == user_id).order_by(*self._order)
        return [self._entity(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def lock_and_count(self, user_id: int) -> int:
        # PostgreSQL: row lock on the owner; SQLite: the writer already holds the database lock (BEGIN IMMEDIATE).
        if self._uow.connection.dialect.name == "postgresql":
            await self._uow.execute(select(users.c.id).where(users.c.id == user_id).with_for_update())
        stmt = select(func.count()).select_from(self._table).where(self._table.c.user_id == user_id)
        return int((await self._uow.execute(stmt)).scalar_one())

    async def get(self, item_id: int) -> E | None:
        row = (await self._uow.execute(select(self._table).where(self._table.c.id == item_id))).mappings().first()
        return self._entity(row) if row else None

    async def add(self, item: E) -> E:
        values = {k: getattr(item, k) for k in self._columns if k != "id"}
        result = await self._uow.execute(insert(self._table).values(**values).returning(self._table.c.id))
        item.id = int(result.scalar_one())
        return item

    async def update(self, item: E) -> None:
        values = {k: getattr(item, k) for k in self._columns if k not in ("id", "user_id")}
        await self._uow.execute(update(self._table).where(self._table.c.id == item.id).values(**values))

    async def delete(self, item_id: int) -> None:
        await self._uow.execute(delete(self._table).where(self._table.c.id == item_id))


class SqlProfileViewRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def record(self, viewer_id: int, viewed_id: int, day: date) -> None:
        values = {"viewer_id": viewer_id, "viewed_id": viewed_id, "day": day}
        if self._uow.connection.dialect.name == "postgresql":
            await self._uow.execute(pg_insert(profile_views).values(**values).on_conflict_do_nothing())
        else:
            await self._uow.execute(sqlite_insert(profile_views).values(**values).on_conflict_do_nothing())

    async def count_for(self, viewed_id: int) -> int:
        stmt = select(func.count()).select_from(profile_views).where(profile_views.c.viewed_id == viewed_id)
        return int((await self._uow.execute(stmt)).scalar_one())


class SqlProfilesUnitOfWork(SqlAccountsUnitOfWork):
    __slots__ = ("_certifications", "_educations", "_experiences", "_projects", "_views")

    def __init__(
        self,
        engine: AsyncEngine,
        after_commit: Callable[[], None] | None = None,
        clock: Callable[[], Any] | None = None,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(engine, after_commit, clock, views=views, task_kick=task_kick)
        self._experiences = _SqlItems(
            self, experiences, Experience, [experiences.c.start_date.desc(), experiences.c.id.desc()]
        )
        self._educations = _SqlItems(
            self, educations, Education, [educations.c.start_date.desc(), educations.c.id.desc()]
        )
        self._certifications = _SqlItems(
            self, certifications, Certification, [certifications.c.issue_date.desc(), certifications.c.id.desc()]
        )
        self._projects = _SqlItems(self, projects, Project, [projects.c.id])
        self._views = SqlProfileViewRepository(self)

    @property
    def experiences(self) -> _SqlItems[Experience]:
        return self._experiences

    @property
    def educations(self) -> _SqlItems[Education]:
        return self._educations

    @property
    def certifications(self) -> _SqlItems[Certification]:
        return self._certifications

    @property
    def projects(self) -> _SqlItems[Project]:
        return self._projects

    @property
    def views(self) -> SqlProfileViewRepository:
        return self._views


_HIT_COLUMNS = (
    "u.id AS id, u.user_type AS user_type, p.first_name AS first_name, p.last_name AS last_name, "
    "p.qualification AS qualification, p.profile_photo AS profile_photo, p.company_name AS company_name, "
    "p.tagline AS tagline, p.logo AS logo"
)
_SAFE_WORD = re.compile(r"^\w+$")


def _hit(row: RowMapping | Mapping[str, Any]) -> SearchHit:
    return SearchHit(
        id=int(row["id"]),
        user_type=str(row["user_type"]),
        first_name=row["first_name"] or "",
        last_name=row["last_name"] or "",
        qualification=row["qualification"] or "",
        profile_photo=row["profile_photo"],
        company_name=row["company_name"],
        tagline=row["tagline"],
        logo=row["logo"],
    )


class SqlUserSearch:
    """Token-prefix search over the FTS5 table (SQLite) or the GIN tsvector index (PostgreSQL), by user id.

    Two statements per page: the count and the page.
    """

    __slots__ = ("_engine", "_sqlite")

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._sqlite = is_sqlite(str(engine.url))

    def _statements(self, words: list[str]) -> tuple[str, str, str]:
        if any(not _SAFE_WORD.match(w) for w in words):
            raise ValueError("search words must be \\w+ tokens")
        if self._sqlite:
            query = " AND ".join(f'"{w}"*' for w in words)
            source = (
                "FROM profiles_search s JOIN profiles p ON p.user_id = s.rowid JOIN users u ON u.id = p.user_id "
                "WHERE profiles_search MATCH :q AND u.is_active"
            )
        else:
            query = " & ".join(f"'{w}':*" for w in words)
            source = (
                f"FROM profiles p JOIN users u ON u.id = p.user_id "
                f"WHERE {SEARCH_DOCUMENT_SQL} @@ to_tsquery('simple'::regconfig, :q) AND u.is_active"
            )
        count = f"SELECT count(*) {source}"
        page = f"SELECT {_HIT_COLUMNS} {source} ORDER BY u.id LIMIT :limit OFFSET :offset"
        return query, count, page

    async def search(self, words: list[str], page: PageRequest) -> Page[SearchHit]:
        query, count_sql, page_sql = self._statements(words)
        async with self._engine.connect() as conn:
            total = int((await conn.execute(text(count_sql), {"q": query})).scalar_one())
            items: list[SearchHit] = []
            if total > page.offset:
                rows = await conn.execute(
                    text(page_sql), {"q": query, "limit": page.size, "offset": page.offset}
                )
                items = [_hit(r) for r in rows.mappings().all()]
        return Page(items=items, total=total, request=page)


# ------------------------------------------------------------------------------------------ memory


@dataclass(kw_only=True)
class _View:
    id: int = 0
    viewer_id: int
    viewed_id: int
    day: date


EXPERIENCES = MemoryTable(experiences, Experience)
EDUCATIONS = MemoryTable(educations, Education)
CERTIFICATIONS = MemoryTable(certifications, Certification)
PROJECTS = MemoryTable(projects, Project)
VIEWS = MemoryTable(profile_views, _View)


class _MemItems(Generic[E]):
    __slots__ = ("_order", "_table", "_uow")

    def __init__(self, uow: InMemoryUnitOfWork, table: MemoryTable[E], order: Callable[[E], Any]) -> None:
        self._uow = uow
        self._table: MemoryTable[E] = table
        self._order: Callable[[E], Any] = order

    async def list_for(self, user_id: int) -> list[E]:
        return self._uow.select(self._table, lambda r: r.user_id == user_id, order=self._order)

    async def lock_and_count(self, user_id: int) -> int:
        return self._uow.count(self._table, lambda r: r.user_id == user_id)

    async def get(self, item_id: int) -> E | None:
        return self._uow.get(self._table, item_id)

    async def add(self, item: E) -> E:
        item.id = 0
        self._uow.insert(self._table, item)
        return item

    async def update(self, item: E) -> None:
        self._uow.update(self._table, item, keep=("user_id",))

    async def delete(self, item_id: int) -> None:
        self._uow.delete(self._table, item_id)


def _desc(value: str) -> tuple[int, ...]:
    # Sort key for "descending by string": invert every code point.
    return (*(-ord(c) for c in value), 1)


class InMemoryProfileViewRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def record(self, viewer_id: int, viewed_id: int, day: date) -> None:
        self._uow.insert_or_ignore(VIEWS, _View(viewer_id=viewer_id, viewed_id=viewed_id, day=day))

    async def count_for(self, viewed_id: int) -> int:
        return self._uow.count(VIEWS, lambda v: v.viewed_id == viewed_id)


class InMemoryProfilesUnitOfWork(InMemoryAccountsUnitOfWork):
    def __init__(
        self,
        store: InMemoryStore,
        after_commit: Callable[[], None] | None = None,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(store, after_commit, views=views, task_kick=task_kick)
        self._experiences = _MemItems(self, EXPERIENCES, lambda e: (_desc(e.start_date), -e.id))
        self._educations = _MemItems(self, EDUCATIONS, lambda e: (_desc(e.start_date), -e.id))
        self._certifications = _MemItems(self, CERTIFICATIONS, lambda e: (_desc(e.issue_date), -e.id))
        self._projects = _MemItems(self, PROJECTS, lambda e: e.id)
        self._views = InMemoryProfileViewRepository(self)

    @property
    def experiences(self) -> _MemItems[Experience]:
        return self._experiences

    @property
    def educations(self) -> _MemItems[Education]:
        return self._educations

    @property
    def certifications(self) -> _MemItems[Certification]:
        return self._certifications

    @property
    def projects(self) -> _MemItems[Project]:
        return self._projects

    @property
    def views(self) -> InMemoryProfileViewRepository:
        return self._views


_TOKEN = re.compile(r"\w+")


class InMemoryUserSearch:
    """The same matching rule as the SQL search (every word prefixes a token of the searchable fields)."""

    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def search(self, words: list[str], page: PageRequest) -> Page[SearchHit]:
        user_rows = self._store.committed(USERS)
        profile_rows = self._store.committed(PROFILES)
        hits: list[SearchHit] = []
        for uid in sorted(user_rows):
            user, profile = user_rows[uid], profile_rows.get(uid)
            if profile is None or not user.is_active:
                continue
            document = " ".join(str(getattr(profile, c) or "") for c in SEARCH_COLUMNS).lower()
            tokens = _TOKEN.findall(document.replace("_", " "))
            if all(any(t.startswith(w) for t in tokens) for w in words):
                hits.append(_hit({**{k: getattr(profile, k, None) for k in _HIT_KEYS}, "id": uid,
                                  "user_type": str(user.user_type)}))
        return Page(items=hits[page.offset:page.offset + page.size], total=len(hits), request=page)


_HIT_KEYS = ("first_name", "last_name", "qualification", "profile_photo", "company_name", "tagline", "logo")
