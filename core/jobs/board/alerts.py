"""Job alerts: when a job becomes active, the users whose job preference matches it are told once per (job, user).

Runs as a background task enqueued in the publishing transaction (never inside the request); a second run of the
same task, or of a re-publication, alerts nobody twice (the ledger of alerted pairs)."""

from __future__ import annotations

from collections.abc import Callable

from core.jobs.board.tasks import MatchAlerts
from core.jobs.model.board import ALERT_MIN_SCORE, JobAlerted, JobStatus
from core.shared.events import DomainEvent
from ports.events import EventPublisher
from ports.jobs import JobsUnitOfWork
from ports.system import Clock

__all__ = ("AlertMatching",)

BATCH = 2000


class AlertMatching:
    __slots__ = ("_batch", "_clock", "_events", "_uow")

    def __init__(
        self, *, uow: Callable[[], JobsUnitOfWork], events: EventPublisher, clock: Clock, batch: int = BATCH
    ) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._batch = batch

    async def run(self, payload: MatchAlerts) -> int:
        """Alert every matching user not alerted about this job yet; how many were alerted now. Nothing for a job
        that is gone, no longer active or expired (it may have been closed since it was published)."""
        alerted = 0
        after = 0
        while True:
            events: list[DomainEvent] = []
            async with self._uow() as uow:
                job = await uow.jobs.get(payload.job_id)
                now = self._clock.now()
                if job is None or job.status is not JobStatus.ACTIVE or job.expired(now.date()):
                    return alerted
                batch = await uow.alerts.candidates(job, ALERT_MIN_SCORE, self._batch, after)
                if not batch:
                    return alerted
                fresh = await uow.alerts.record(job.id, batch, now)
                events = [
                    JobAlerted(job_id=job.id, actor_id=job.poster_id, recipient_id=user_id, occurred_at=now)
                    for user_id in fresh
                ]
                await uow.commit()
            await self._events.publish(*events)
            alerted += len(events)
            after = batch[-1]
            if len(batch) < self._batch:
                return alerted
