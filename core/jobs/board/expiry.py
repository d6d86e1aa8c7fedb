"""Closing jobs past their deadline: a batch job (``core.tasks.jobs.BatchJob``), run daily by the scheduler and once by
``careernexus close-expired-jobs`` / ``careernexus jobs close-expired-jobs``. Idempotent: a closed job stays closed
and is not counted again."""

from __future__ import annotations

from collections.abc import Callable

from core.jobs.model.board import JobStatus
from ports.jobs import JobsUnitOfWork
from ports.system import Clock

__all__ = ("ExpiryService",)


class ExpiryService:
    __slots__ = ("_batch", "_clock", "_uow")

    def __init__(self, *, uow: Callable[[], JobsUnitOfWork], clock: Clock, batch: int = 500) -> None:
        self._uow = uow
        self._clock = clock
        self._batch = batch

    async def remaining(self) -> int:
        """How many active jobs are past their deadline now."""
        async with self._uow() as uow:
            return await uow.jobs.count_expired_active(self._clock.now().date())

    async def step(self) -> int:
        """Close one batch of active jobs past their deadline; how many were closed (0: nothing left)."""
        now = self._clock.now()
        async with self._uow() as uow:
            jobs = await uow.jobs.expired_active(now.date(), self._batch)
            for job in jobs:
                job.move_to(JobStatus.CLOSED, today=now.date(), now=now, has_applications=False)
            if jobs:
                await uow.jobs.set_status(jobs)
                uow.views_changed(everyone=True)
                await uow.commit()
        return len(jobs)

    def summary(self, handled: int) -> str:
        return f"closed {handled} expired job(s)"
