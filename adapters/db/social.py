"""What profile pages need from the social graph (follows, connections, posts), read with plain SQL.

The feed's tables (``follows(follower_id, followed_id)``, ``connections(sender_id, receiver_id, status)``,
``posts(author_id)``) come from migration 0003; until a database has them this adapter answers zeros, so the
profiles feature does not depend on the feed being deployed. Which tables exist is probed once per adapter.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.accounts.model.portfolio import SocialStats

__all__ = ("NullSocialGraph", "SqlSocialGraph")


class NullSocialGraph:
    """No follows, connections or posts (the memory profile until the feed provides its own)."""

    async def stats(self, user_id: int, viewer_id: int) -> SocialStats:
        return SocialStats()

    async def confirmed_connections(self, user_id: int) -> int:
        return 0

    async def posts_count(self, user_id: int) -> int:
        return 0


class SqlSocialGraph:
    __slots__ = ("_engine", "_lock", "_tables")

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._tables: frozenset[str] | None = None
        self._lock = asyncio.Lock()

    async def _available(self) -> frozenset[str]:
        if self._tables is None:
            async with self._lock:
                if self._tables is None:
                    async with self._engine.connect() as conn:
                        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
                    self._tables = frozenset(names) & {"follows", "connections", "posts"}
        return self._tables

    async def available_tables(self) -> frozenset[str]:
        """Which of ``follows``, ``connections``, ``posts`` this database has (probed once)."""
        return await self._available()

    async def _scalar_row(self, sql: str, params: dict[str, Any]) -> Any:
        async with self._engine.connect() as conn:
            return (await conn.execute(text(sql), params)).mappings().one()

    async def stats(self, user_id: int, viewer_id: int) -> SocialStats:
        tables = await self._available()
        parts: list[str] = []
        if "follows" in tables:
            parts += [
                "(SELECT count(*) FROM follows WHERE followed_id = :u) AS followers",
                "(SELECT count(*) FROM follows WHERE follower_id = :u) AS followings",
                "(SELECT count(*) FROM follows WHERE follower_id = :v AND followed_id = :u) AS viewer_follows",
            ]
        if "connections" in tables:
            parts.append(
                "(SELECT count(*) FROM connections WHERE status = 'CONFIRMED' AND "
                "((sender_id = :u AND receiver_id = :v) OR (sender_id = :v AND receiver_id = :u))) AS connected"
            )
        if not parts:
            return SocialStats()
        row = await self._scalar_row("SELECT " + ", ".join(parts), {"u": user_id, "v": viewer_id})
        return SocialStats(
            followers=int(row.get("followers", 0)),
            followings=int(row.get("followings", 0)),
            viewer_follows=bool(row.get("viewer_follows", 0)),
            connected=bool(row.get("connected", 0)),
        )

    async def confirmed_connections(self, user_id: int) -> int:
        if "connections" not in await self._available():
            return 0
        row = await self._scalar_row(
            "SELECT count(*) AS n FROM connections WHERE status = 'CONFIRMED' AND "
            "(sender_id = :u OR receiver_id = :u)",
            {"u": user_id},
        )
        return int(row["n"])

    async def posts_count(self, user_id: int) -> int:
        if "posts" not in await self._available():
            return 0
        row = await self._scalar_row("SELECT count(*) AS n FROM posts WHERE author_id = :u", {"u": user_id})
        return int(row["n"])
