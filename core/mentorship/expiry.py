"""Expiring unanswered requests: a PENDING session whose start has passed becomes EXPIRED and its mentee is told.
A batch job (``careernexus expire-sessions``, ``careernexus jobs expire-sessions``, scheduled); idempotent."""

from __future__ import annotations

from collections.abc import Callable

from ports.events import EventPublisher
from ports.mentorship import MentorshipUnitOfWork
from ports.system import Clock

__all__ = ("ExpireSessions",)


class ExpireSessions:
    __slots__ = ("_batch", "_clock", "_events", "_uow")

    def __init__(self, *, uow: Callable[[], MentorshipUnitOfWork], events: EventPublisher, clock: Clock,
                 batch: int = 200) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._batch = batch

    async def remaining(self) -> int:
        async with self._uow() as uow:
            return await uow.sessions.count_unanswered_before(self._clock.now())

    async def step(self) -> int:
        now = self._clock.now()
        async with self._uow() as uow:
            sessions = await uow.sessions.unanswered_before(now, self._batch)
            for session in sessions:
                session.expire(now)
                await uow.sessions.update(session)
                uow.track(session)
                uow.views_changed(session.mentee_id, session.mentor_id)
            if not sessions:
                return 0
            await uow.commit()
            events = uow.collect_events()
        await self._events.publish(*events)
        return len(sessions)

    def summary(self, handled: int) -> str:
        return f"expired {handled} unanswered session request(s)"
