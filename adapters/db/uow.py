"""The SQL unit of work base: one connection, one transaction, explicit commit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Executable
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, TimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.shared.errors import NotFound, StorageUnavailable
from core.shared.events import DomainEvent
from ports.readcache import ViewInvalidation

if TYPE_CHECKING:
    from adapters.db.tasks import SqlTaskQueue

TaskKick = Callable[[Sequence[int]], None]

__all__ = (
    "EventTracking",
    "SqlUnitOfWork",
    "TaskKick",
    "is_connection_error",
    "is_foreign_key_violation",
    "storage_errors",
)

logger = logging.getLogger("careernexus.db")

storage_errors: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    TimeoutError,
    OSError,
    asyncio.TimeoutError,
    ConnectionError,
)


def is_foreign_key_violation(exc: BaseException) -> bool:
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == "23503" or "FOREIGN KEY constraint failed" in str(orig)


def is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, IntegrityError):
        return False
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, storage_errors)


class EventTracking:
    """Remembers the entities a unit of work touched and hands out their recorded events after commit; and whose
    cached reads its writes change (bumped in the read cache after a successful commit only)."""

    __slots__ = ("_read_cache", "_stale_everyone", "_stale_viewers")
    _seen: list[Any]
    _read_cache: ViewInvalidation | None
    _stale_viewers: set[int]
    _stale_everyone: bool

    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None:
        """What ``viewer_ids`` read changes with this unit of work (what every viewer reads, with ``everyone``)."""
        self._stale_viewers.update(viewer_ids)
        self._stale_everyone = self._stale_everyone or everyone

    def _forget_views(self) -> None:
        self._stale_viewers = set()
        self._stale_everyone = False

    async def _bump_views(self) -> None:
        viewers, everyone = self._stale_viewers, self._stale_everyone
        self._forget_views()
        if self._read_cache is not None and (viewers or everyone):
            await self._read_cache.bump(viewers, everyone=everyone)

    def track(self, *entities: object) -> None:
        for entity in entities:
            if not any(entity is seen for seen in self._seen):
                self._seen.append(entity)

    def collect_events(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for entity in self._seen:
            pending = getattr(entity, "pending_events", None)
            if pending:
                events.extend(pending)
                pending.clear()
        return events


class SqlUnitOfWork(EventTracking):
    """Opens a connection and a transaction on enter; rolls back on exit unless committed.

    Domain units of work subclass it and expose their repositories as properties. Every unit of work has
    ``tasks`` (``ports.tasks.TaskQueue``): tasks staged there are INSERTed by ``commit`` in the same transaction,
    and ``task_kick`` is told their ids after the commit (the inline worker wakes up; an engine dispatches them).
    """

    __slots__ = ("_after_commit", "_committed", "_conn", "_engine", "_seen", "_task_kick", "_tasks")

    def __init__(
        self,
        engine: AsyncEngine,
        after_commit: Callable[[], None] | None = None,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self._seen: list[Any] = []
        self._committed = False
        self._after_commit = after_commit
        self._read_cache = views
        self._forget_views()
        self._task_kick = task_kick
        self._tasks: SqlTaskQueue | None = None

    async def __aenter__(self) -> Self:
        try:
            self._conn = await self._engine.connect()
            _ = await self._conn.begin()
        except Exception as exc:
            if self._conn is not None:
                await self._safe_close()
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            raise
        self._seen = []
        self._committed = False
        self._forget_views()
        self._tasks = None
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._safe_close()

    async def _safe_close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                await conn.rollback()
        except Exception:  # the connection may be dead; closing below discards it
            logger.debug("rollback failed", exc_info=True)
        try:
            await conn.close()
        except Exception:
            logger.debug("close failed", exc_info=True)

    @property
    def connection(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._conn

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        try:
            if params is None:
                return await self.connection.execute(statement)
            return await self.connection.execute(statement, params)
        except Exception as exc:
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            if is_foreign_key_violation(exc):
                # A referenced row (typically a user deleted meanwhile) is gone: not the client's malformed
                # input and never a 500.
                raise NotFound("The referenced object does not exist.") from exc
            raise

    async def execute_many(self, statement: Executable, rows: Sequence[dict[str, Any]]) -> CursorResult[Any]:
        result = await self.execute(statement, list(rows))
        assert isinstance(result, CursorResult)
        return result

    @property
    def tasks(self) -> SqlTaskQueue:
        """Background tasks staged in this unit of work (written by ``commit``)."""
        if self._tasks is None:
            from adapters.db.tasks import SqlTaskQueue  # the tasks module imports this one

            self._tasks = SqlTaskQueue(self)
        return self._tasks

    def task_time(self) -> datetime:
        """``created_at`` (and the default ``run_at``) of the tasks this unit of work writes."""
        return datetime.now(UTC)

    async def commit(self) -> None:
        task_ids: list[int] = []
        if self._tasks is not None and self._tasks.pending:
            task_ids = await self._tasks.flush(self.task_time())
        try:
            await self.connection.commit()
        except Exception as exc:
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            raise
        self._committed = True
        if self._after_commit is not None:
            self._after_commit()
        await self._bump_views()
        if task_ids and self._task_kick is not None:
            self._task_kick(task_ids)
