"""The task runner: claim → look the handler up by name → run it with a timeout → ``done``, or ``failed`` with
exponential backoff, or ``dead`` after the last attempt.

Engines drive it two ways: the inline worker claims due tasks (``claim_due`` then ``run_claimed`` for each, as
many at once as its concurrency allows); a distributed engine that delivers "run task N" calls ``run_one(N)``,
which claims that task by id first — a second delivery of the same task claims nothing and runs nothing.
``TaskOutcome.retry_at`` tells such an engine when to deliver a failed task again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from core.tasks.registry import PermanentTaskError, TaskHandler
from ports.system import Clock
from ports.tasks import ClaimedTask, PayloadCodec, PayloadError, TaskStore

__all__ = ("RunnerConfig", "TaskOutcome", "TaskRunner", "backoff_seconds")

logger = logging.getLogger("careernexus.tasks")

Outcome = Literal["done", "failed", "dead", "lost"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunnerConfig:
    """The runner's defaults (settings ``TASK_*``); a handler may set its own timeout, attempts and backoff."""

    lease_seconds: float = 300.0
    max_attempts: int = 5
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 3600.0
    # A handler runs at most this long (and always less than the lease, so no one claims it while it runs).
    timeout_seconds: float = 240.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskOutcome:
    """How one run ended: ``lost`` means the claim ran out and another worker took the task over."""

    task_id: int
    name: str
    status: Outcome
    attempts: int
    seconds: float
    retry_at: datetime | None = None
    error: str | None = None


def backoff_seconds(attempts: int, *, base: float, cap: float, jitter: float = 0.0) -> float:
    """``base * 2**(attempts-1)`` capped at ``cap``, stretched by ``jitter`` (a fraction, 0 to 0.1)."""
    delay: float = min(cap, base * 2.0 ** max(0, attempts - 1))
    return delay * (1.0 + jitter)


class TaskRunner:
    """Runs claimed tasks with their handlers; every state change goes through the ``TaskStore``."""

    __slots__ = ("_clock", "_codec", "_config", "_handlers", "_jitter", "_observe", "_store", "worker_id")

    def __init__(
        self,
        *,
        store: TaskStore,
        handlers: Mapping[str, TaskHandler[Any]],
        codec: PayloadCodec,
        clock: Clock,
        worker_id: str,
        config: RunnerConfig | None = None,
        jitter: Callable[[], float] | None = None,
        observe: Callable[[TaskOutcome], None] | None = None,
    ) -> None:
        self._store = store
        self._handlers = dict(handlers)
        self._codec = codec
        self._clock = clock
        self.worker_id = worker_id
        self._config = config or RunnerConfig()
        self._jitter = jitter if jitter is not None else (lambda: random.uniform(0.0, 0.1))
        self._observe = observe

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self._config.lease_seconds)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._handlers)

    async def claim_due(self, limit: int) -> list[ClaimedTask]:
        return await self._store.claim_due(self._clock.now(), limit, self.worker_id, self.lease)

    async def run_due(self, limit: int) -> list[TaskOutcome]:
        """Claim up to ``limit`` due tasks and run them one after the other."""
        return [await self.run_claimed(task) for task in await self.claim_due(limit)]

    async def run_one(self, task_id: int) -> TaskOutcome | None:
        """Claim task ``task_id`` and run it; ``None`` when it is not claimable (done, dead, not due, held)."""
        task = await self._store.claim(task_id, self._clock.now(), self.worker_id, self.lease)
        return None if task is None else await self.run_claimed(task)

    async def run_claimed(self, task: ClaimedTask) -> TaskOutcome:
        started = time.monotonic()
        handler = self._handlers.get(task.name)
        if handler is None:
            return await self._bury(task, started, f"unknown task {task.name!r}")
        try:
            payload = self._codec.decode(task.payload, handler.payload)
        except PayloadError as exc:
            return await self._bury(task, started, f"bad payload: {exc}")
        timeout = min(handler.timeout_seconds or self._config.timeout_seconds, self._config.lease_seconds * 0.9)
        try:
            async with asyncio.timeout(timeout):
                await handler.run(payload)
        except PermanentTaskError as exc:
            return await self._bury(task, started, _describe(exc))
        except TimeoutError:
            return await self._failed(task, handler, started, f"timed out after {timeout:g}s")
        except asyncio.CancelledError:
            # Shutting down: make the task claimable again now rather than after its lease (best effort).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    asyncio.shield(self._store.mark_failed(task, self._clock.now(), self._clock.now(), "interrupted")),
                    2.0,
                )
            raise
        except Exception as exc:
            logger.warning("task %s (%s) attempt %d failed: %s", task.id, task.name, task.attempts, _describe(exc))
            return await self._failed(task, handler, started, _describe(exc))
        kept = await self._store.mark_done(task, self._clock.now())
        return self._report(task, "done" if kept else "lost", started)

    async def _failed(self, task: ClaimedTask, handler: TaskHandler[Any], started: float, error: str) -> TaskOutcome:
        limit = task.max_attempts or handler.max_attempts or self._config.max_attempts
        if task.attempts >= limit:
            return await self._bury(task, started, f"{error} (after {task.attempts} attempts)")
        now = self._clock.now()
        delay = backoff_seconds(
            task.attempts,
            base=handler.backoff_base_seconds or self._config.backoff_base_seconds,
            cap=self._config.backoff_cap_seconds,
            jitter=self._jitter(),
        )
        retry_at = now + timedelta(seconds=delay)
        kept = await self._store.mark_failed(task, now, retry_at, error)
        return self._report(task, "failed" if kept else "lost", started, retry_at=retry_at, error=error)

    async def _bury(self, task: ClaimedTask, started: float, error: str) -> TaskOutcome:
        logger.error("task %s (%s) is dead: %s", task.id, task.name, error)
        kept = await self._store.mark_failed(task, self._clock.now(), None, error)
        return self._report(task, "dead" if kept else "lost", started, error=error)

    def _report(
        self,
        task: ClaimedTask,
        status: Outcome,
        started: float,
        *,
        retry_at: datetime | None = None,
        error: str | None = None,
    ) -> TaskOutcome:
        outcome = TaskOutcome(
            task_id=task.id,
            name=task.name,
            status=status,
            attempts=task.attempts,
            seconds=time.monotonic() - started,
            retry_at=retry_at,
            error=error,
        )
        if self._observe is not None:
            try:
                self._observe(outcome)
            except Exception:  # metrics never break a task
                logger.debug("task observer failed", exc_info=True)
        return outcome


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
