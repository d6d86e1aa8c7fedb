"""SAQ as the task engine (``QUEUE=saq``): Redis carries "run task N" pointers, the ``tasks`` table stays the record.

- Web processes only enqueue: after a commit, :class:`SaqDispatcher` pushes one SAQ job ``run_task(task_id=N)``
  per new task, keyed ``task:<id>:<attempts>`` (SAQ ignores an enqueue whose key is still queued or running, so
  a re-dispatch after another attempt uses a new key).
- ``careernexus worker`` runs :class:`SaqEngine`: a SAQ ``Worker`` whose ``run_task`` runs the task through the
  runner's claim-by-id (a second delivery claims nothing, so duplicates are harmless), re-enqueues a failed
  attempt at its ``retry_at`` (``scheduled``), and two SAQ cron jobs — the *sweeper* (every ``sweep_seconds``:
  dispatches tasks that are due but not in flight, and running tasks whose lease expired, i.e. their worker died)
  and the *scheduler tick* (every second: each period's scheduled job, once per period by the table's dedupe
  key whatever the number of workers).

Nothing is lost when Redis loses a pointer or is down: the task waits in PostgreSQL and the sweeper dispatches it
again once Redis is back. A dispatch that fails is logged and left to the sweeper.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, cast

from redis.asyncio import Redis
from saq import CronJob, Queue, Worker
from saq.queue.redis import RedisQueue

from core.tasks.runner import TaskOutcome
from ports.system import Clock
from ports.tasks import TaskStore

__all__ = ("RUN_TASK", "SaqDispatcher", "SaqEngine", "job_key")

logger = logging.getLogger("careernexus.tasks.saq")

RUN_TASK = "run_task"
# How long SAQ keeps a finished job's record (its own bookkeeping and UI; our table is the record).
_JOB_TTL = 60


def job_key(task_id: int, attempts: int) -> str:
    return f"task:{task_id}:{attempts}"


def _epoch(at: datetime | None) -> int:
    return 0 if at is None else max(0, int(at.timestamp()))


class SaqDispatcher:
    """The web processes' side: ``TaskKick`` that pushes ``run_task`` pointers to SAQ (fire and forget — the
    sweeper dispatches whatever does not arrive)."""

    __slots__ = ("_job_timeout", "_pending", "_queue")

    def __init__(self, queue: Queue, *, job_timeout: int) -> None:
        self._queue = queue
        self._job_timeout = job_timeout
        self._pending: set[asyncio.Task[int]] = set()

    @classmethod
    def from_url(
        cls, url: str, *, queue_name: str, job_timeout: int, timeout: float | None = 1.0
    ) -> SaqDispatcher:
        """On a client with short timeouts (an enqueue must not stall a request)."""
        client: Redis = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        return cls(RedisQueue(client, name=queue_name), job_timeout=job_timeout)

    @property
    def queue(self) -> Queue:
        return self._queue

    def __call__(self, task_ids: Sequence[int] = ()) -> None:
        if not task_ids:
            return
        task = asyncio.get_running_loop().create_task(self.dispatch(list(task_ids)))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def dispatch(self, task_ids: Sequence[int], *, attempts: int = 0, at: datetime | None = None) -> int:
        """Push ``run_task`` for each id (due at ``at``); how many were new to SAQ. Never raises."""
        pushed = 0
        for task_id in task_ids:
            pushed += await self.dispatch_one(task_id, attempts=attempts, at=at)
        return pushed

    async def dispatch_one(self, task_id: int, *, attempts: int, at: datetime | None = None) -> bool:
        try:
            job = await self._queue.enqueue(
                RUN_TASK,
                key=job_key(task_id, attempts),
                scheduled=_epoch(at),
                timeout=self._job_timeout,
                retries=1,
                ttl=_JOB_TTL,
                task_id=task_id,
            )
        except Exception as error:  # Redis down: the task waits in the table for the sweeper
            logger.warning("could not dispatch task %s to SAQ (%s); the sweeper will", task_id, error)
            return False
        return job is not None

    async def ping(self, limit: float = 1.0) -> bool:
        """The engine's Redis answers (``/ready``)."""
        redis: Redis = getattr(self._queue, "redis")  # noqa: B009 - RedisQueue's client, typed loosely by SAQ
        try:
            async with asyncio.timeout(limit):
                return bool(await cast("Awaitable[bool]", redis.ping()))  # redis-py types it sync or async
        except Exception:
            return False

    async def aclose(self) -> None:
        if self._pending:
            await asyncio.wait(self._pending, timeout=2)
        await self._queue.disconnect()


class SaqEngine:
    """``careernexus worker``: a SAQ worker running the tasks table's tasks (see the module docstring)."""

    __slots__ = (
        "_batch",
        "_clock",
        "_concurrency",
        "_dispatcher",
        "_run_one",
        "_store",
        "_sweep_seconds",
        "_tick",
        "_worker",
        "worker_id",
    )

    def __init__(
        self,
        dispatcher: SaqDispatcher,
        *,
        run_one: Callable[[int], Awaitable[TaskOutcome | None]],
        store: TaskStore,
        clock: Clock,
        tick: Callable[[], Awaitable[list[int]]] | None,
        worker_id: str,
        concurrency: int = 10,
        sweep_seconds: int = 5,
        batch: int = 500,
    ) -> None:
        if not 1 <= sweep_seconds <= 59:
            raise ValueError("sweep_seconds must be 1 to 59")
        self._dispatcher = dispatcher
        self._run_one = run_one
        self._store = store
        self._clock = clock
        self._tick = tick
        self.worker_id = worker_id
        self._concurrency = concurrency
        self._sweep_seconds = sweep_seconds
        self._batch = batch
        self._worker: Worker[Any] | None = None

    async def run_task(self, ctx: Any, *, task_id: int) -> str:
        """SAQ's job: run task ``task_id`` once (claim by id); re-dispatch a failed attempt at its retry time, and
        a task delivered before it is due at its due time."""
        outcome = await self._run_one(task_id)
        if outcome is None:
            info = await self._store.get(task_id)
            if info is not None and info.status in ("queued", "failed") and info.run_at > self._clock.now():
                await self._dispatcher.dispatch_one(task_id, attempts=info.attempts, at=info.run_at)
                return "not due"
            return "not claimable"
        if outcome.status == "failed" and outcome.retry_at is not None:
            await self._dispatcher.dispatch_one(task_id, attempts=outcome.attempts, at=outcome.retry_at)
        return outcome.status

    async def sweep(self, ctx: Any = None) -> int:
        """Dispatch what is due but not in flight (a key SAQ still holds is ignored) and what a dead worker held
        (lease expired: its next attempt gets a new key); how many pointers were new."""
        now = self._clock.now()
        ids = [*await self._store.due_ids(now, self._batch), *await self._store.expired_ids(now, self._batch)]
        pushed = 0
        for task_id in ids:
            info = await self._store.get(task_id)
            if info is not None:
                pushed += await self._dispatcher.dispatch_one(task_id, attempts=info.attempts)
        if pushed:
            logger.info("sweeper dispatched %d task(s)", pushed)
        return pushed

    async def tick(self, ctx: Any = None) -> int:
        """Enqueue each scheduled job's task for the current period (once, whichever worker gets there first)."""
        if self._tick is None:
            return 0
        ids = await self._tick()
        await self._dispatcher.dispatch(ids)
        return len(ids)

    def worker(self) -> Worker[Any]:
        """The SAQ worker (built once)."""
        if self._worker is None:

            async def sweep(ctx: Any) -> int:
                return await self.sweep(ctx)

            async def tick(ctx: Any) -> int:
                return await self.tick(ctx)

            self._worker = Worker(
                self._dispatcher.queue,
                functions=[(RUN_TASK, self.run_task)],
                cron_jobs=[
                    CronJob(sweep, cron=f"* * * * * */{self._sweep_seconds}", timeout=60, ttl=_JOB_TTL),
                    CronJob(tick, cron="* * * * * *", timeout=60, ttl=_JOB_TTL),
                ],
                concurrency=self._concurrency,
                id=self.worker_id,
            )
        return self._worker

    async def run(self) -> None:
        """Work until SIGTERM/SIGINT (SAQ's handlers) or cancellation; a sweep first catches up on what waited."""
        await self.sweep()
        await self.worker().start()

    async def stop(self) -> None:
        if self._worker is not None:
            await self._worker.stop()
