"""The admin role (``ports.staff.StaffDirectory``): an active account with ``is_staff`` set; SQL and memory."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import USERS
from adapters.db.memory import InMemoryStore
from adapters.db.tables.accounts import users

__all__ = ("InMemoryStaffDirectory", "SqlStaffDirectory")


class SqlStaffDirectory:
    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def is_staff(self, user_id: int) -> bool:
        stmt = select(users.c.is_staff).where(users.c.id == user_id, users.c.is_active.is_(True))
        async with self._engine.connect() as conn:
            return bool((await conn.execute(stmt)).scalar())


class InMemoryStaffDirectory:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def is_staff(self, user_id: int) -> bool:
        user = self._store.committed(USERS).get(user_id)
        return bool(user is not None and user.is_staff and user.is_active)
