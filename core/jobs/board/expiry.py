"""Closing jobs past their deadline (daily, and ``careernexus jobs close-expired-jobs``): idempotent, in batches."""

from __future__ import annotations

from collections.abc import Callable

from core.jobs.model.board import JobStatus
from ports.jobs import JobsUnitOfWork
from ports.system import Clock

__all__ = ("ExpiryService",)


class ExpiryService:
    __slots__ = ("_clock", "_uow")

    def __init__(self, *, uow: Callable[[], JobsUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def pending(self) -> int:
        """How many active jobs are past their deadline now."""
        async with self._uow() as uow:
            return await uow.jobs.count_expired_active(self._clock.now().date())

    async def close_batch(self, limit: int = 500) -> int:
        """Close up to ``limit`` active jobs past their deadline; how many were closed (0: nothing left)."""
        now = self._clock.now()
        async with self._uow() as uow:
            jobs = await uow.jobs.expired_active(now.date(), limit)
            for job in jobs:
                job.move_to(JobStatus.CLOSED, today=now.date(), now=now, has_applications=False)
                await uow.jobs.update(job)
            if jobs:
                uow.views_changed(everyone=True)
                await uow.commit()
        return len(jobs)
