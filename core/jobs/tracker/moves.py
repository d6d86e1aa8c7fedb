"""Board and ATS moves reach the applicant's tracker (task ``tracker.board-application-moved``): applying creates or
links the tracked application (APPLIED, source "Career Nexus"); assessment and video interview → PHONE SCREEN;
hired → OFFER; rejected → the rejected flag on the current status. Idempotent: a move that changes nothing writes
nothing, and a board application is linked to at most one tracked application per owner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from core.jobs.model.tracker import (
    APPLIED,
    CAREER_NEXUS_SOURCE,
    OFFER,
    PHONE_SCREEN,
    TO_APPLY,
    ApplicationEvent,
    EventKind,
    Origin,
    TrackedApplication,
    status_by_id,
)
from core.jobs.tracker.common import local_day, zone
from core.jobs.tracker.tasks import MOVES, BoardApplicationMoved
from ports.jobs import JobsReads
from ports.system import Clock
from ports.tracker import TrackerUnitOfWork

__all__ = ("BoardMoves",)

_TARGET = {"applied": APPLIED, "assessment": PHONE_SCREEN, "video_interview": PHONE_SCREEN, "hired": OFFER}


def _at(text: str, fallback: datetime) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return fallback
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


class BoardMoves:
    __slots__ = ("_clock", "_jobs", "_uow")

    def __init__(self, *, uow: Callable[[], TrackerUnitOfWork], jobs: JobsReads, clock: Clock) -> None:
        """``jobs``: the board's read model, for the job's title and organization (read, never written)."""
        self._uow = uow
        self._jobs = jobs
        self._clock = clock

    async def run(self, payload: BoardApplicationMoved) -> bool:
        """Whether the tracker changed. An unknown move or a user gone since is nothing to do."""
        if payload.move not in MOVES:
            return False
        now = self._clock.now()
        at = _at(payload.at, now)
        origin = (Origin.BOARD if payload.move == "applied" else Origin.ATS).value
        view = await self._jobs.job(None, payload.job_id)
        async with self._uow() as uow:
            tz_name = await uow.people.timezone(payload.user_id)
            if tz_name is None:
                return False
            app = await uow.applications.by_board_application(payload.user_id, payload.application_id)
            events: list[ApplicationEvent] = []
            if app is None:
                app = await uow.applications.to_apply_for_job(payload.user_id, payload.job_id)
                if app is not None:
                    app.application_id = payload.application_id
                    app.source = app.source or CAREER_NEXUS_SOURCE
                    app.applied_at = at
                    app.applied_on = local_day(at, zone(tz_name))
                    if app.status_id == TO_APPLY:
                        events.append(self._event(app, EventKind.STATUS_CHANGED, TO_APPLY, APPLIED, origin, at))
                        app.status_id = APPLIED
                    app.updated_at = now
                    await uow.applications.update(app)
            if app is None:
                job = view.job if view is not None else None
                app = TrackedApplication(
                    owner_id=payload.user_id,
                    title=job.title[:200] if job is not None else "Job",
                    company=job.organization[:200] if job is not None else "",
                    source=CAREER_NEXUS_SOURCE,
                    status_id=APPLIED,
                    applied_at=at,
                    applied_on=local_day(at, zone(tz_name)),
                    job_id=payload.job_id if job is not None else None,
                    application_id=payload.application_id,
                    employment_type=str(job.employment_type) if job is not None else "",
                    work_type=str(job.work_type) if job is not None else "",
                    location=job.country[:200] if job is not None else "",
                    description=job.description if job is not None else "",
                    created_at=now,
                    updated_at=now,
                )
                if not await uow.applications.add(app):
                    return False  # linked meanwhile by a concurrent delivery
                events.append(self._event(app, EventKind.CREATED, None, APPLIED, origin, at))
            if app.is_deleted:
                await uow.commit()
                return bool(events)
            target = _TARGET.get(payload.move)
            if payload.move == "rejected":
                status = status_by_id(app.status_id)
                if not app.is_rejected and status is not None and status.rejectable:
                    app.is_rejected = True
                    app.rejected_at = at
                    events.append(self._event(app, EventKind.REJECTED, app.status_id, app.status_id, origin, at))
            elif target is not None and _pos(target) > _pos(app.status_id):
                # Moves only go forward: a late "applied" never pulls an interview back.
                events.append(self._event(app, EventKind.STATUS_CHANGED, app.status_id, target, origin, at))
                app.status_id = target
            if events:
                app.updated_at = now
                await uow.applications.update(app)
                await uow.events.add(events)
            await uow.commit()
        return bool(events)

    @staticmethod
    def _event(app: TrackedApplication, kind: EventKind, before: int | None, after: int | None, origin: str,
               at: datetime) -> ApplicationEvent:
        return ApplicationEvent(application_id=app.id, owner_id=app.owner_id, kind=kind.value,
                                from_status_id=before, to_status_id=after, origin=origin, at=at)


def _pos(status_id: int) -> int:
    status = status_by_id(status_id)
    return status.pos if status is not None else 0
