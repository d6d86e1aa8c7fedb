"""Background tasks over the ``tasks`` table (``ports/tasks.py``): the queue a unit of work stages tasks in, the
store workers claim them from, their in-memory twins, and the JSON codec of payloads.

Claims: PostgreSQL picks rows with ``SELECT … FOR UPDATE SKIP LOCKED`` and marks them in the same transaction, so
two workers never get the same task and neither waits for the other; SQLite takes its writer lock up front
(``BEGIN IMMEDIATE`` of the write engine), which serialises claims. A claim by id is one guarded ``UPDATE``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

import msgspec
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.engine import write_engine
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.system import tasks
from adapters.db.uow import is_connection_error
from core.shared.errors import StorageUnavailable
from ports.tasks import (
    DEAD,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    ClaimedTask,
    PayloadError,
    TaskInfo,
    TaskStatus,
)

if TYPE_CHECKING:
    from adapters.db.uow import SqlUnitOfWork

__all__ = (
    "TASKS",
    "InMemoryTaskQueue",
    "InMemoryTaskStore",
    "JsonPayloadCodec",
    "SqlTaskQueue",
    "SqlTaskStore",
    "TaskRow",
)

T = TypeVar("T")
ERROR_LENGTH = 1000
_CLAIMABLE_AGAIN = (QUEUED, FAILED)
_STATUSES: tuple[TaskStatus, ...] = (QUEUED, RUNNING, FAILED, DEAD, DONE)


class JsonPayloadCodec:
    """Payloads as JSON text (msgspec): dataclasses, mappings and scalars in, the handler's type out."""

    __slots__ = ()

    def encode(self, payload: object) -> str:
        return msgspec.json.encode(payload).decode()

    def decode(self, data: str, kind: type[T]) -> T:
        try:
            return msgspec.json.decode(data, type=kind)
        except (msgspec.DecodeError, msgspec.ValidationError, TypeError, ValueError) as exc:
            raise PayloadError(f"payload does not decode as {getattr(kind, '__name__', kind)}: {exc}") from exc


_CODEC = JsonPayloadCodec()


@dataclass(frozen=True, slots=True)
class _Staged:
    name: str
    payload: str
    dedupe_key: str | None
    run_at: datetime | None
    max_attempts: int | None


def _check(task: str, dedupe_key: str | None) -> None:
    if not task or len(task) > 100:
        raise ValueError("a task name has 1 to 100 characters")
    if dedupe_key is not None and (not dedupe_key or len(dedupe_key) > 200):
        raise ValueError("a dedupe key has 1 to 200 characters")


def _row_values(staged: _Staged, now: datetime) -> dict[str, Any]:
    return {
        "name": staged.name,
        "payload": staged.payload,
        "dedupe_key": staged.dedupe_key,
        "status": QUEUED,
        "attempts": 0,
        "max_attempts": staged.max_attempts,
        "run_at": staged.run_at or now,
        "created_at": now,
    }


def _insert_ignoring_duplicates(dialect: str, values: dict[str, Any]) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id``: no row (and no id) when the dedupe key is taken."""
    if dialect == "postgresql":
        return postgresql.insert(tasks).values(**values).on_conflict_do_nothing().returning(tasks.c.id)
    return sqlite.insert(tasks).values(**values).on_conflict_do_nothing().returning(tasks.c.id)


# --------------------------------------------------------------------------------------------- SQL


class SqlTaskQueue:
    """``uow.tasks`` of a SQL unit of work: staged by ``enqueue``, INSERTed by the unit of work's commit in its
    transaction (``flush``); the ids written are handed to the task kick after the commit."""

    __slots__ = ("_pending", "_uow")

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._pending: list[_Staged] = []

    def enqueue(
        self,
        task: str,
        payload: object,
        *,
        dedupe_key: str | None = None,
        run_at: datetime | None = None,
        max_attempts: int | None = None,
    ) -> None:
        _check(task, dedupe_key)
        self._pending.append(_Staged(task, _CODEC.encode(payload), dedupe_key, run_at, max_attempts))

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    async def flush(self, now: datetime) -> list[int]:
        """Write the staged tasks (one statement each; a taken dedupe key writes nothing); their ids."""
        staged, self._pending = self._pending, []
        dialect = self._uow.connection.dialect.name
        ids: list[int] = []
        for item in staged:
            found = (await self._uow.execute(_insert_ignoring_duplicates(dialect, _row_values(item, now)))).scalar()
            if found is not None:
                ids.append(int(found))
        return ids


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(tasks.c.status.in_(_CLAIMABLE_AGAIN), tasks.c.run_at <= now),
        and_(tasks.c.status == RUNNING, tasks.c.locked_until < now),
    )


def _claim_values(now: datetime, worker_id: str, lease: timedelta) -> dict[str, Any]:
    return {
        "status": RUNNING,
        "attempts": tasks.c.attempts + 1,
        "locked_until": now + lease,
        "locked_by": worker_id,
        "started_at": now,
        "finished_at": None,
    }


def _claimed(row: RowMapping) -> ClaimedTask:
    return ClaimedTask(
        id=int(row["id"]),
        name=row["name"],
        payload=row["payload"],
        dedupe_key=row["dedupe_key"],
        attempts=int(row["attempts"]),
        max_attempts=row["max_attempts"],
        worker_id=row["locked_by"],
        locked_until=row["locked_until"],
    )


def _info(row: RowMapping) -> TaskInfo:
    return TaskInfo(
        id=int(row["id"]),
        name=row["name"],
        payload=row["payload"],
        dedupe_key=row["dedupe_key"],
        status=cast(TaskStatus, row["status"]),
        attempts=int(row["attempts"]),
        max_attempts=row["max_attempts"],
        run_at=row["run_at"],
        locked_until=row["locked_until"],
        locked_by=row["locked_by"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


def _held(task: ClaimedTask) -> ColumnElement[bool]:
    """The claim is still this one: nobody re-claimed the task after its lease ran out."""
    return and_(
        tasks.c.id == task.id,
        tasks.c.status == RUNNING,
        tasks.c.locked_by == task.worker_id,
        tasks.c.attempts == task.attempts,
    )


class SqlTaskStore:
    """The ``tasks`` table outside domain units of work: each call is one short transaction."""

    __slots__ = ("_codec", "_engine")

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._codec = _CODEC

    async def _write(self, work: Callable[[AsyncConnection], Any]) -> Any:
        try:
            async with write_engine(self._engine).begin() as conn:
                return await work(conn)
        except Exception as exc:
            _reraise(exc)
            raise

    async def _read(self, work: Callable[[AsyncConnection], Any]) -> Any:
        try:
            async with self._engine.connect() as conn:
                return await work(conn)
        except Exception as exc:
            _reraise(exc)
            raise

    async def enqueue(
        self,
        task: str,
        payload: object,
        *,
        now: datetime,
        dedupe_key: str | None = None,
        run_at: datetime | None = None,
        max_attempts: int | None = None,
    ) -> int | None:
        _check(task, dedupe_key)
        staged = _Staged(task, self._codec.encode(payload), dedupe_key, run_at, max_attempts)

        async def work(conn: AsyncConnection) -> int | None:
            stmt = _insert_ignoring_duplicates(conn.dialect.name, _row_values(staged, now))
            found = (await conn.execute(stmt)).scalar()
            return None if found is None else int(found)

        return cast(int | None, await self._write(work))

    async def claim_due(self, now: datetime, limit: int, worker_id: str, lease: timedelta) -> list[ClaimedTask]:
        if limit <= 0:
            return []
        pick = (
            select(tasks.c.id)
            .where(_claimable(now))
            .order_by(tasks.c.run_at, tasks.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )

        # An idle worker polls: look first without a write transaction (SQLite's writer lock stays free).
        if not await self._ids(select(tasks.c.id).where(_claimable(now)).limit(1)):
            return []

        async def work(conn: AsyncConnection) -> list[ClaimedTask]:
            ids = [int(i) for i in (await conn.execute(pick)).scalars().all()]
            if not ids:
                return []
            stmt = (
                update(tasks)
                .where(tasks.c.id.in_(ids))
                .values(**_claim_values(now, worker_id, lease))
                .returning(*tasks.c)
            )
            rows = (await conn.execute(stmt)).mappings().all()
            return sorted((_claimed(r) for r in rows), key=lambda t: ids.index(t.id))

        return cast(list[ClaimedTask], await self._write(work))

    async def claim(self, task_id: int, now: datetime, worker_id: str, lease: timedelta) -> ClaimedTask | None:
        stmt = (
            update(tasks)
            .where(and_(tasks.c.id == task_id, _claimable(now)))
            .values(**_claim_values(now, worker_id, lease))
            .returning(*tasks.c)
        )

        async def work(conn: AsyncConnection) -> ClaimedTask | None:
            row = (await conn.execute(stmt)).mappings().first()
            return None if row is None else _claimed(row)

        return cast(ClaimedTask | None, await self._write(work))

    async def _finish(self, task: ClaimedTask, values: dict[str, Any]) -> bool:
        async def work(conn: AsyncConnection) -> bool:
            result = await conn.execute(update(tasks).where(_held(task)).values(**values))
            return bool(getattr(result, "rowcount", 0))

        return bool(await self._write(work))

    async def mark_done(self, task: ClaimedTask, now: datetime) -> bool:
        return await self._finish(
            task, {"status": DONE, "finished_at": now, "locked_until": None, "last_error": None}
        )

    async def mark_failed(self, task: ClaimedTask, now: datetime, retry_at: datetime | None, error: str) -> bool:
        values: dict[str, Any] = {"locked_until": None, "last_error": error[:ERROR_LENGTH], "finished_at": now}
        if retry_at is None:
            values["status"] = DEAD
        else:
            values.update(status=FAILED, run_at=retry_at)
        return await self._finish(task, values)

    async def retry(self, task_id: int, now: datetime) -> bool:
        stmt = (
            update(tasks)
            .where(and_(tasks.c.id == task_id, tasks.c.status.in_((DEAD, FAILED))))
            .values(status=QUEUED, run_at=now, attempts=0, locked_until=None, locked_by=None, finished_at=None)
        )

        async def work(conn: AsyncConnection) -> bool:
            return bool(getattr(await conn.execute(stmt), "rowcount", 0))

        return bool(await self._write(work))

    async def get(self, task_id: int) -> TaskInfo | None:
        async def work(conn: AsyncConnection) -> TaskInfo | None:
            row = (await conn.execute(select(tasks).where(tasks.c.id == task_id))).mappings().first()
            return None if row is None else _info(row)

        return cast(TaskInfo | None, await self._read(work))


    async def counts(self) -> Mapping[TaskStatus, int]:
        stmt = select(tasks.c.status, func.count()).group_by(tasks.c.status)

        async def work(conn: AsyncConnection) -> dict[TaskStatus, int]:
            found = {cast(TaskStatus, s): int(n) for s, n in (await conn.execute(stmt)).all()}
            return {s: found.get(s, 0) for s in _STATUSES}

        return cast(dict[TaskStatus, int], await self._read(work))

    async def has_active(self, task: str) -> bool:
        stmt = (
            select(tasks.c.id)
            .where(and_(tasks.c.name == task, tasks.c.status.in_((QUEUED, RUNNING, FAILED))))
            .limit(1)
        )

        async def work(conn: AsyncConnection) -> bool:
            return (await conn.execute(stmt)).first() is not None

        return bool(await self._read(work))

    async def _ids(self, stmt: Any) -> list[int]:
        async def work(conn: AsyncConnection) -> list[int]:
            return [int(i) for i in (await conn.execute(stmt)).scalars().all()]

        return cast(list[int], await self._read(work))

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        return await self._ids(
            select(tasks.c.id)
            .where(and_(tasks.c.status.in_(_CLAIMABLE_AGAIN), tasks.c.run_at <= now))
            .order_by(tasks.c.run_at, tasks.c.id)
            .limit(limit)
        )

    async def expired_ids(self, now: datetime, limit: int) -> list[int]:
        return await self._ids(
            select(tasks.c.id)
            .where(and_(tasks.c.status == RUNNING, tasks.c.locked_until < now))
            .order_by(tasks.c.locked_until, tasks.c.id)
            .limit(limit)
        )

    async def prune(self, finished_before: datetime, limit: int) -> int:
        pick = (
            select(tasks.c.id)
            .where(and_(tasks.c.status == DONE, tasks.c.finished_at < finished_before))
            .order_by(tasks.c.finished_at)
            .limit(limit)
        )

        async def work(conn: AsyncConnection) -> int:
            ids = [int(i) for i in (await conn.execute(pick)).scalars().all()]
            if ids:
                await conn.execute(delete(tasks).where(tasks.c.id.in_(ids)))
            return len(ids)

        return int(await self._write(work))

    async def list(
        self, status: TaskStatus | None = None, *, name: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[TaskInfo]:
        stmt = select(tasks).order_by(tasks.c.id.desc()).limit(limit).offset(offset)
        if status is not None:
            stmt = stmt.where(tasks.c.status == status)
        if name is not None:
            stmt = stmt.where(tasks.c.name == name)

        async def work(conn: AsyncConnection) -> list[TaskInfo]:
            return [_info(r) for r in (await conn.execute(stmt)).mappings().all()]

        return cast(list[TaskInfo], await self._read(work))


def _reraise(exc: BaseException) -> None:
    if is_connection_error(exc):
        raise StorageUnavailable("The database is unavailable.") from exc


# ------------------------------------------------------------------------------------------ memory


@dataclass(kw_only=True)
class TaskRow:
    id: int = 0
    name: str
    payload: str
    dedupe_key: str | None = None
    status: str = QUEUED
    attempts: int = 0
    max_attempts: int | None = None
    run_at: datetime
    locked_until: datetime | None = None
    locked_by: str | None = None
    last_error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


TASKS = MemoryTable(tasks, TaskRow, conflict="This task already exists.")


def _now() -> datetime:
    return datetime.now(UTC)


class InMemoryTaskQueue:
    """``uow.tasks`` of an in-memory unit of work: rows staged with the unit of work, published by its commit."""

    __slots__ = ("_ids", "_uow")

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._ids: list[int] = []

    def enqueue(
        self,
        task: str,
        payload: object,
        *,
        dedupe_key: str | None = None,
        run_at: datetime | None = None,
        max_attempts: int | None = None,
    ) -> None:
        _check(task, dedupe_key)
        now = _now()
        row = TaskRow(
            name=task,
            payload=_CODEC.encode(payload),
            dedupe_key=dedupe_key,
            run_at=run_at or now,
            max_attempts=max_attempts,
            created_at=now,
        )
        if self._uow.insert_or_ignore(TASKS, row):
            self._ids.append(row.id)

    def written(self) -> list[int]:
        """The ids staged since the last call (the unit of work hands them to the kick after commit)."""
        ids, self._ids = self._ids, []
        return ids


def _claimable_row(row: TaskRow, now: datetime) -> bool:
    if row.status in _CLAIMABLE_AGAIN:
        return row.run_at <= now
    return row.status == RUNNING and row.locked_until is not None and row.locked_until < now


def _claimed_row(row: TaskRow) -> ClaimedTask:
    assert row.locked_by is not None
    assert row.locked_until is not None
    return ClaimedTask(
        id=row.id,
        name=row.name,
        payload=row.payload,
        dedupe_key=row.dedupe_key,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        worker_id=row.locked_by,
        locked_until=row.locked_until,
    )


def _info_row(row: TaskRow) -> TaskInfo:
    return TaskInfo(
        id=row.id,
        name=row.name,
        payload=row.payload,
        dedupe_key=row.dedupe_key,
        status=cast(TaskStatus, row.status),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        run_at=row.run_at,
        locked_until=row.locked_until,
        locked_by=row.locked_by,
        last_error=row.last_error,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class InMemoryTaskStore:
    """The twin of :class:`SqlTaskStore`: each call is one in-memory unit of work (serialised by the store
    lock, like the SQL claims)."""

    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self._store)

    def _committed(self) -> Sequence[TaskRow]:
        return list(self._store.committed(TASKS).values())

    async def enqueue(
        self,
        task: str,
        payload: object,
        *,
        now: datetime,
        dedupe_key: str | None = None,
        run_at: datetime | None = None,
        max_attempts: int | None = None,
    ) -> int | None:
        _check(task, dedupe_key)
        row = TaskRow(
            name=task,
            payload=_CODEC.encode(payload),
            dedupe_key=dedupe_key,
            run_at=run_at or now,
            max_attempts=max_attempts,
            created_at=now,
        )
        async with self._uow() as uow:
            if not uow.insert_or_ignore(TASKS, row):
                return None
            await uow.commit()
        return row.id

    def _claim_in(
        self, uow: InMemoryUnitOfWork, row: TaskRow, now: datetime, worker_id: str, lease: timedelta
    ) -> ClaimedTask:
        row.status, row.attempts = RUNNING, row.attempts + 1
        row.locked_until, row.locked_by, row.started_at, row.finished_at = now + lease, worker_id, now, None
        uow.update(TASKS, row)
        return _claimed_row(row)

    async def claim_due(self, now: datetime, limit: int, worker_id: str, lease: timedelta) -> list[ClaimedTask]:
        if limit <= 0:
            return []
        async with self._uow() as uow:
            rows = uow.select(TASKS, lambda r: _claimable_row(r, now), order=lambda r: (r.run_at, r.id), limit=limit)
            claimed = [self._claim_in(uow, row, now, worker_id, lease) for row in rows]
            await uow.commit()
        return claimed

    async def claim(self, task_id: int, now: datetime, worker_id: str, lease: timedelta) -> ClaimedTask | None:
        async with self._uow() as uow:
            row = uow.get(TASKS, task_id)
            if row is None or not _claimable_row(row, now):
                return None
            claimed = self._claim_in(uow, row, now, worker_id, lease)
            await uow.commit()
        return claimed

    async def _finish(self, task: ClaimedTask, **values: object) -> bool:
        async with self._uow() as uow:
            row = uow.get(TASKS, task.id)
            if (
                row is None
                or row.status != RUNNING
                or row.locked_by != task.worker_id
                or row.attempts != task.attempts
            ):
                return False
            uow.patch(TASKS, task.id, **values)
            await uow.commit()
        return True

    async def mark_done(self, task: ClaimedTask, now: datetime) -> bool:
        return await self._finish(task, status=DONE, finished_at=now, locked_until=None, last_error=None)

    async def mark_failed(self, task: ClaimedTask, now: datetime, retry_at: datetime | None, error: str) -> bool:
        if retry_at is None:
            return await self._finish(
                task, status=DEAD, locked_until=None, last_error=error[:ERROR_LENGTH], finished_at=now
            )
        return await self._finish(
            task, status=FAILED, run_at=retry_at, locked_until=None, last_error=error[:ERROR_LENGTH], finished_at=now
        )

    async def retry(self, task_id: int, now: datetime) -> bool:
        async with self._uow() as uow:
            row = uow.get(TASKS, task_id)
            if row is None or row.status not in (DEAD, FAILED):
                return False
            uow.patch(
                TASKS, task_id, status=QUEUED, run_at=now, attempts=0, locked_until=None, locked_by=None,
                finished_at=None,
            )
            await uow.commit()
        return True

    async def get(self, task_id: int) -> TaskInfo | None:
        row = self._store.committed(TASKS).get(task_id)
        return None if row is None else _info_row(copy.deepcopy(row))


    async def counts(self) -> Mapping[TaskStatus, int]:
        found = dict.fromkeys(_STATUSES, 0)
        for row in self._committed():
            found[cast(TaskStatus, row.status)] += 1
        return found

    async def has_active(self, task: str) -> bool:
        return any(r.name == task and r.status in (QUEUED, RUNNING, FAILED) for r in self._committed())

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        due = [r for r in self._committed() if r.status in _CLAIMABLE_AGAIN and r.run_at <= now]
        return [r.id for r in sorted(due, key=lambda r: (r.run_at, r.id))[:limit]]

    async def expired_ids(self, now: datetime, limit: int) -> list[int]:
        expired = [
            r
            for r in self._committed()
            if r.status == RUNNING and r.locked_until is not None and r.locked_until < now
        ]
        return [r.id for r in sorted(expired, key=lambda r: (r.locked_until or now, r.id))[:limit]]

    async def prune(self, finished_before: datetime, limit: int) -> int:
        async with self._uow() as uow:
            old = uow.select(
                TASKS,
                lambda r: r.status == DONE and r.finished_at is not None and r.finished_at < finished_before,
                order=lambda r: r.finished_at,
                limit=limit,
            )
            for row in old:
                uow.delete(TASKS, row.id)
            await uow.commit()
        return len(old)

    async def list(
        self, status: TaskStatus | None = None, *, name: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[TaskInfo]:
        rows = [
            r
            for r in sorted(self._committed(), key=lambda r: r.id, reverse=True)
            if (status is None or r.status == status) and (name is None or r.name == name)
        ]
        return [_info_row(copy.deepcopy(r)) for r in rows[offset : offset + limit]]
