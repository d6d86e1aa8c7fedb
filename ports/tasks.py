"""Background tasks: the queue a unit of work stages tasks in, and the store a worker claims them from.

The ``tasks`` table is the record of every task (a transactional outbox): a task is enqueued inside the unit of
work of the domain change that causes it and INSERTed in that change's transaction, so a rollback enqueues nothing
and a commit never loses a task. Any engine (the inline worker of ``careernexus serve``, or a distributed engine
that carries "run task N" pointers) runs a task by *claiming* it here first; the claim is what makes a task run
once even when it is delivered twice.

Statuses (``TaskStatus``):

- ``queued``: waiting for ``run_at``;
- ``running``: claimed by ``locked_by`` until ``locked_until`` (the lease); a task whose lease expired (its worker
  died) may be claimed again, which counts as another attempt;
- ``done``: the handler returned;
- ``failed``: an attempt failed and a retry is scheduled at ``run_at`` (exponential backoff);
- ``dead``: given up (``max_attempts`` attempts failed, an unknown task name, or a payload that does not decode);
  ``retry`` puts it back in the queue.

Dedupe keys: at most one *retained* task per key. Enqueueing with a key that a retained task (any status,
``done`` included) already holds writes nothing. ``done`` tasks are pruned after a retention period (the
``prune-tasks`` job); the key is free again after that.

Payloads are frozen stdlib dataclasses (or other msgspec-encodable values); the adapters store them as JSON text
and the runner decodes them into the type the task's handler declares (``PayloadCodec``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal, Protocol, TypeVar

__all__ = (
    "ACTIVE",
    "ALL_STATUSES",
    "DEAD",
    "DONE",
    "FAILED",
    "QUEUED",
    "RUNNING",
    "ClaimedTask",
    "PayloadCodec",
    "PayloadError",
    "TaskInfo",
    "TaskKick",
    "TaskQueue",
    "TaskStatus",
    "TaskStore",
)

TaskStatus = Literal["queued", "running", "done", "failed", "dead"]
QUEUED: Final = "queued"
RUNNING: Final = "running"
DONE: Final = "done"
FAILED: Final = "failed"
DEAD: Final = "dead"
ALL_STATUSES: Final[tuple[TaskStatus, ...]] = ("queued", "running", "failed", "dead", "done")
# A task in one of these states is still to run (or running): a scheduled job is not started again meanwhile.
ACTIVE: Final[tuple[TaskStatus, ...]] = ("queued", "running", "failed")

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimedTask:
    """A task a worker holds until ``locked_until``. ``attempts`` counts this attempt. ``worker_id`` and
    ``attempts`` fence the claim: marking it done or failed changes nothing once another claim took over."""

    id: int
    name: str
    payload: str
    dedupe_key: str | None
    attempts: int
    max_attempts: int | None
    worker_id: str
    locked_until: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskInfo:
    """One task as the ``tasks`` CLI and the tests see it."""

    id: int
    name: str
    payload: str
    dedupe_key: str | None
    status: TaskStatus
    attempts: int
    max_attempts: int | None
    run_at: datetime
    locked_until: datetime | None
    locked_by: str | None
    last_error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class PayloadError(ValueError):
    """A payload that does not decode into the task's payload type."""


class PayloadCodec(Protocol):
    def encode(self, payload: object) -> str:
        """JSON text of a payload (a dataclass, a mapping, a scalar…)."""
        ...

    def decode(self, data: str, kind: type[T]) -> T:
        """The payload as ``kind``; raises :class:`PayloadError` when it does not fit."""
        ...


class TaskQueue(Protocol):
    """Enqueueing, staged in a unit of work (``uow.tasks``) and written by its ``commit``."""

    def enqueue(
        self,
        task: str,
        payload: object,
        *,
        dedupe_key: str | None = None,
        run_at: datetime | None = None,
        max_attempts: int | None = None,
    ) -> None:
        """Stage task ``task`` with ``payload``; due at ``run_at`` (default: at once). A ``dedupe_key`` a
        retained task holds makes the commit skip this one. ``max_attempts=None``: the task's or worker's
        default."""
        ...


class TaskKick(Protocol):
    """Told after a commit which tasks it wrote (the inline worker wakes up; an engine dispatches them)."""

    def __call__(self, task_ids: Sequence[int] = ()) -> None: ...


class TaskStore(Protocol):
    """The worker's, the scheduler's and the CLI's view of the ``tasks`` table; each call is its own
    transaction (never inside a domain unit of work)."""

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
        """Insert one task at once (scheduler, CLI); its id, or ``None`` when the dedupe key is taken."""
        ...

    async def claim_due(self, now: datetime, limit: int, worker_id: str, lease: timedelta) -> list[ClaimedTask]:
        """Claim up to ``limit`` claimable tasks, oldest due first: ``queued``/``failed`` with ``run_at <= now``,
        or ``running`` with an expired lease. Two workers never both get a task."""
        ...

    async def claim(self, task_id: int, now: datetime, worker_id: str, lease: timedelta) -> ClaimedTask | None:
        """Claim one task by id if it is claimable (see ``claim_due``); ``None`` otherwise (unknown, not due,
        done, dead, or held by a live lease) — an engine that delivers ``run task N`` twice runs it once."""
        ...

    async def mark_done(self, task: ClaimedTask, now: datetime) -> bool:
        """``running`` → ``done``; ``False`` when the claim was lost (lease expired and re-claimed)."""
        ...

    async def mark_failed(self, task: ClaimedTask, now: datetime, retry_at: datetime | None, error: str) -> bool:
        """``running`` → ``failed`` due at ``retry_at``, or ``dead`` when ``retry_at`` is ``None``; keeps
        ``error`` (cut to 1000 characters) as ``last_error``. ``False`` when the claim was lost."""
        ...

    async def retry(self, task_id: int, now: datetime) -> bool:
        """``dead`` (or ``failed``) → ``queued`` due now, attempts reset; ``False`` for any other task."""
        ...

    async def get(self, task_id: int) -> TaskInfo | None: ...


    async def counts(self) -> Mapping[TaskStatus, int]:
        """How many tasks per status (every status present, zero included)."""
        ...

    async def has_active(self, task: str) -> bool:
        """Whether a task named ``task`` is queued, running or waiting for a retry."""
        ...

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        """Ids of ``queued``/``failed`` tasks due at ``now`` (an engine's sweeper re-dispatches them)."""
        ...

    async def expired_ids(self, now: datetime, limit: int) -> list[int]:
        """Ids of ``running`` tasks whose lease expired (their worker died): claimable again."""
        ...

    async def prune(self, finished_before: datetime, limit: int) -> int:
        """Delete up to ``limit`` ``done`` tasks finished before ``finished_before``; how many went."""
        ...

    async def list(
        self, status: TaskStatus | None = None, *, name: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[TaskInfo]:
        """Tasks, newest first, optionally of one status and/or one task name."""
        ...
