"""The in-memory twin of the SQL unit of work: a shared store, staged copies, commit swaps them in."""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import Callable
from typing import Any, Self

from adapters.db.uow import EventTracking

__all__ = ("InMemoryStore", "InMemoryUnitOfWork")


class InMemoryStore:
    """Tables of rows (dataclass copies) keyed by primary key, plus id sequences.

    ``cascades`` maps a table to the row attributes that reference ``users.id``; deleting a user removes
    those rows, as the foreign keys' ``ON DELETE CASCADE`` does in SQL. ``foreign_keys`` maps a table to its
    other cascading references ``(attribute, referenced table)``: ``sweep_orphans`` removes rows whose parent
    row is gone. ``user_deletion_hooks`` run in the unit of work before a user's rows go (the feed keeps its
    counters right with one, see ``docs/conventions.md``).
    """

    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, Any]] = {}
        self.sequences: dict[str, itertools.count[int]] = {}
        self.cascades: dict[str, tuple[str, ...]] = {}
        self.foreign_keys: dict[str, tuple[tuple[str, str], ...]] = {}
        self.user_deletion_hooks: dict[str, Callable[[InMemoryUnitOfWork, int], None]] = {}
        self.lock = asyncio.Lock()
        self.commits = 0

    def next_id(self, table: str) -> int:
        return next(self.sequences.setdefault(table, itertools.count(1)))


class InMemoryUnitOfWork(EventTracking):
    """Stages a deep copy of the store's tables; ``commit`` publishes it, exit discards it.

    Units of work are serialised with a lock, so the fake behaves like a serialisable database.
    """

    def __init__(self, store: InMemoryStore, after_commit: Callable[[], None] | None = None) -> None:
        self.store = store
        self.tables: dict[str, dict[Any, Any]] = {}
        self._seen: list[Any] = []
        self._after_commit = after_commit
        self.committed = False

    async def __aenter__(self) -> Self:
        await self.store.lock.acquire()
        self.tables = copy.deepcopy(self.store.tables)
        self._seen = []
        self.committed = False
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.tables = {}
        self.store.lock.release()

    def table(self, name: str) -> dict[Any, Any]:
        return self.tables.setdefault(name, {})

    def delete_user_cascade(self, user_id: int) -> None:
        for hook in list(self.store.user_deletion_hooks.values()):
            hook(self, user_id)
        for name, fields in self.store.cascades.items():
            rows = self.table(name)
            for key in [k for k, row in rows.items() if any(getattr(row, f, None) == user_id for f in fields)]:
                del rows[key]
        self.sweep_orphans()

    def sweep_orphans(self) -> None:
        """Delete the rows whose referenced row is gone, until none is left (``ON DELETE CASCADE`` chains)."""
        changed = True
        while changed:
            changed = False
            for name, references in self.store.foreign_keys.items():
                rows = self.table(name)
                for key in [
                    k
                    for k, row in rows.items()
                    if any((v := getattr(row, f, None)) is not None and v not in self.table(t) for f, t in references)
                ]:
                    del rows[key]
                    changed = True

    async def commit(self) -> None:
        self.store.tables = copy.deepcopy(self.tables)
        self.store.commits += 1
        self.committed = True
        if self._after_commit is not None:
            self._after_commit()
