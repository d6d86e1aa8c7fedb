"""How the pipeline moves (shared by the ATS services): one append-only event per move, the application's current
status kept as the "latest" of the log (greatest time, then greatest id), recruiter overrides protected from
automation, and candidate-visible moves of platform applicants handed to the tracker as a task in the same
transaction (``contracts.md``)."""

from __future__ import annotations

from datetime import datetime

from core.jobs.ats.tasks import TRACKER_MOVE_TASK, TrackerMove
from core.jobs.model.ats import CANDIDATE_VISIBLE, AtsApplication, Origin, Stage, StatusEvent
from ports.ats import AtsUnitOfWork

__all__ = ("record_move",)


async def record_move(
    uow: AtsUnitOfWork,
    application: AtsApplication,
    *,
    stage: Stage,
    status: str,
    origin: Origin,
    at: datetime,
    actor_id: int | None = None,
    reason: str = "",
    visible_move: str | None = None,
    applicant_user_id: int | None = None,
) -> StatusEvent | None:
    """Write one move; ``None`` when automation meets a recruiter's override (nothing written).

    ``visible_move``: the tracker move of a candidate-visible step (``assessment``, ``video_interview``); Rejected
    and Hired are visible by themselves. Only platform applicants (a board application and its user) reach the
    tracker; On Hold, labels, scores and reasons never leave the ATS."""
    if origin.automated and application.overridden:
        return None
    event = await uow.events.add(StatusEvent(
        application_id=application.id, candidate_id=application.candidate_id, job_id=application.job_id,
        stage_name=stage.value, status=status, reason=reason, origin=origin.value, actor_id=actor_id, updated_at=at,
    ))
    if (event.updated_at, event.id) >= (application.status_at, application.status_event_id):
        application.stage_name = event.stage_name
        application.status = event.status
        application.status_at = event.updated_at
        application.status_event_id = event.id
    if origin is Origin.RECRUITER:
        application.overridden = True
    elif origin is Origin.ASSIGNMENT:
        application.overridden = False
    await uow.applications.update(application)
    move = visible_move or CANDIDATE_VISIBLE.get(status)
    if move is not None and application.board_application_id is not None and applicant_user_id is not None:
        uow.tasks.enqueue(
            TRACKER_MOVE_TASK,
            TrackerMove(user_id=applicant_user_id, job_id=application.job_id,
                        application_id=application.board_application_id, move=move, at=at.isoformat()),
            dedupe_key=f"tracker-move:{application.board_application_id}:{move}:{event.id}",
        )
    return event
