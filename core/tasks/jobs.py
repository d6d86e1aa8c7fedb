"""Jobs that work through a backlog in batches (scheduled, and runnable once from ``careernexus jobs <name>``),
and the platform's own: pruning old ``done`` tasks."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from ports.system import Clock
from ports.tasks import TaskStore

__all__ = ("BatchJob", "PruneTasks", "run_batches")


class BatchJob(Protocol):
    async def remaining(self) -> int:
        """About how many items are left (the CLI's progress bar)."""
        ...

    async def step(self) -> int:
        """Work through one batch; how many items it handled (0: nothing left)."""
        ...

    def summary(self, handled: int) -> str:
        """One line for the CLI, e.g. ``sent 3 e-mail(s)``."""
        ...


async def run_batches(job: BatchJob, *, max_batches: int = 1000) -> int:
    """Run ``job`` until it has nothing left (the scheduled task's handler); how many items it handled."""
    total = 0
    for _ in range(max_batches):
        handled = await job.step()
        if not handled:
            break
        total += handled
    return total


class PruneTasks:
    """Deletes ``done`` tasks finished more than ``retention`` ago, so the table stays small and their dedupe
    keys are free again. Idempotent: what is gone stays gone."""

    __slots__ = ("_batch", "_clock", "_retention", "_store")

    def __init__(self, *, store: TaskStore, clock: Clock, retention: timedelta, batch: int = 500) -> None:
        self._store = store
        self._clock = clock
        self._retention = retention
        self._batch = batch

    async def remaining(self) -> int:
        return (await self._store.counts())["done"]

    async def step(self) -> int:
        return await self._store.prune(self._clock.now() - self._retention, self._batch)

    def summary(self, handled: int) -> str:
        return f"pruned {handled} done task(s)"
