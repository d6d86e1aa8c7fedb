"""The catalogue of valid options: from the seed file (memory profile) or the ``choice_options`` table."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.content import read_choices
from adapters.db.seed import load_seed
from adapters.db.uow import SqlUnitOfWork

__all__ = ("SqlChoiceCatalogue", "StaticChoiceCatalogue")


class StaticChoiceCatalogue:
    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, list[str]] | None = None) -> None:
        self._data: dict[str, list[str]] = dict(data if data is not None else load_seed("valid_options"))

    async def values(self, category: str) -> list[str]:
        return list(self._data.get(category, []))

    def invalidate(self) -> None:
        """Nothing is cached."""


class SqlChoiceCatalogue:
    """Reads ``choice_options`` and keeps it for ``ttl`` seconds; ``invalidate()`` (called after admin writes in
    this process) forgets it at once. Other processes see a change within ``ttl``."""

    __slots__ = ("_clock", "_data", "_engine", "_loaded_at", "_lock", "_ttl")

    def __init__(self, engine: AsyncEngine, ttl: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._ttl = ttl
        self._clock = clock
        self._data: dict[str, list[str]] | None = None
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        self._data = None

    async def _load(self) -> dict[str, list[str]]:
        async with SqlUnitOfWork(self._engine) as uow:
            return await read_choices(uow)

    async def values(self, category: str) -> list[str]:
        data = self._data
        if data is None or self._clock() - self._loaded_at > self._ttl:
            async with self._lock:
                data = self._data
                if data is None or self._clock() - self._loaded_at > self._ttl:
                    data = await self._load()
                    self._data, self._loaded_at = data, self._clock()
        return list(data.get(category, []))
