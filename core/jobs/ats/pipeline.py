"""Pipeline use cases: the latest status per (candidate, job) and the stage-event log, a recruiter's move (an
override automation never overwrites), and the candidate steps — test logs (assessments) and personality screenings
(video interviews) — with their public links: random key, expiry, attempt limit, revocation, approval; completing
one moves the pipeline."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.jobs.ats.access import seat_for, visible_job
from core.jobs.ats.moves import record_move
from core.jobs.model.ats import (
    AtsApplication,
    Origin,
    Seat,
    StatusEvent,
    Step,
    StepKind,
    StepStatus,
    check_status,
)
from core.shared.errors import Conflict, Gone, InvalidInput, NotFound, RateLimited
from core.shared.pagination import Page, PageRequest
from ports.ats import AtsReads, AtsUnitOfWork, StatusFilters, StepCard
from ports.email import EmailMessage
from ports.system import Clock

__all__ = ("PIPELINE_PAGE_SIZE", "PipelineService", "StepLinks")

PIPELINE_PAGE_SIZE = 20
STATUS_ORDERS = ("updated_at", "-updated_at", "status", "-status", "stage_name", "-stage_name")
REASON_MAX = 2_000
NOT_IN_JOB = "This candidate is not in this job."
STEP_NOT_FOUND = "Not found."
LINK_GONE = "This link has expired or was revoked."
MAX_SCREENINGS = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class StepLinks:
    """Where candidates open their links, and the defaults of a link."""

    public_url: str = "http://localhost:8000"
    valid_days: int = 7
    max_opens: int = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class StepChange:
    is_approved: bool | None = None
    revoked: bool | None = None
    valid_to: datetime | None = None


def _link_path(kind: StepKind, key: str) -> str:
    return f"/ats/public/{'tests' if kind is StepKind.ASSESSMENT else 'screenings'}/{key}/"


class PipelineService:
    __slots__ = ("_clock", "_links", "_reads", "_uow")

    def __init__(
        self, *, uow: Callable[[], AtsUnitOfWork], reads: AtsReads, clock: Clock, links: StepLinks | None = None
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock
        self._links = links or StepLinks()

    def now(self) -> datetime:
        return self._clock.now()

    async def _seat(self, actor_id: int, org: int | None) -> Seat:
        async with self._uow() as uow:
            return await seat_for(uow, actor_id, org)

    async def _application(self, uow: AtsUnitOfWork, seat: Seat, candidate_id: int, job_id: int, *,
                           change: bool) -> tuple[AtsApplication, int | None]:
        """The (candidate, job) application the seat may act on, and the applicant's user id."""
        await visible_job(uow, seat, job_id, change=change, for_update=change)
        application = await uow.applications.find(candidate_id, job_id, for_update=change)
        candidate = await uow.candidates.get(candidate_id)
        if application is None or candidate is None:
            raise InvalidInput.field("candidate", NOT_IN_JOB)
        return application, candidate.user_id

    # ------------------------------------------------------------------ statuses

    async def statuses(self, actor_id: int, org: int | None, filters: StatusFilters, page: int
                       ) -> Page[StatusEvent]:
        if filters.order not in STATUS_ORDERS:
            raise InvalidInput.field("o", f'"{filters.order}" is not a valid ordering: {", ".join(STATUS_ORDERS)}.')
        seat = await self._seat(actor_id, org)
        return await self._reads.statuses(seat, filters, PageRequest(page, PIPELINE_PAGE_SIZE))

    async def history(self, actor_id: int, org: int | None, job_id: int | None, candidate_id: int | None, page: int
                      ) -> Page[StatusEvent]:
        seat = await self._seat(actor_id, org)
        return await self._reads.history(seat, job_id, candidate_id, PageRequest(page, PIPELINE_PAGE_SIZE))

    async def move(self, actor_id: int, org: int | None, *, candidate_id: int, job_id: int, status: str,
                   stage_name: str, reason: str = "") -> StatusEvent:
        """A recruiter's move: always written, and an override from then on."""
        stage, label = check_status(stage_name, status)
        if len(reason) > REASON_MAX or "\x00" in reason:
            raise InvalidInput.field("reason", f"Ensure this field has no more than {REASON_MAX} characters.")
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            application, user_id = await self._application(uow, seat, candidate_id, job_id, change=True)
            event = await record_move(uow, application, stage=stage, status=label, origin=Origin.RECRUITER,
                                      at=self._clock.now(), actor_id=actor_id, reason=reason.strip(),
                                      applicant_user_id=user_id)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        assert event is not None
        return event

    # ------------------------------------------------------------------ steps (recruiters)

    def _valid_to(self, valid_to: datetime | None, now: datetime) -> datetime:
        if valid_to is None:
            return now + timedelta(days=self._links.valid_days)
        if valid_to.tzinfo is None:
            raise InvalidInput.field("valid_to", "Give a time zone (e.g. 2030-01-01T00:00:00Z).")
        if valid_to <= now:
            raise InvalidInput.field("valid_to", "The link must be valid in the future.")
        return valid_to

    async def _assign(self, uow: AtsUnitOfWork, seat: Seat, kind: StepKind, job_id: int, candidate_id: int,
                      valid_to: datetime, now: datetime) -> Step:
        application, user_id = await self._application(uow, seat, candidate_id, job_id, change=True)
        step = await uow.steps.add(Step(
            kind=kind.value, application_id=application.id, candidate_id=candidate_id, job_id=job_id,
            key=secrets.token_urlsafe(24), assigned_by=seat.user_id, assigned_at=now, valid_to=valid_to,
            max_opens=self._links.max_opens, updated_at=now,
        ))
        await record_move(uow, application, stage=kind.stage, status=kind.stage.value, origin=Origin.ASSIGNMENT,
                          at=now, actor_id=seat.user_id, reason=f"{kind.stage.value} assigned",
                          visible_move=kind.value, applicant_user_id=user_id)
        return step

    async def assign_test(self, actor_id: int, org: int | None, *, job_id: int, candidate_id: int,
                          valid_to: datetime | None) -> Step:
        now = self._clock.now()
        until = self._valid_to(valid_to, now)
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            step = await self._assign(uow, seat, StepKind.ASSESSMENT, job_id, candidate_id, until, now)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        return step

    async def assign_screenings(self, actor_id: int, org: int | None, *, job_id: int, candidate_ids: list[int],
                                valid_to: datetime | None) -> list[Step]:
        """One screening per candidate, each e-mailed its link through the outbox (in the same transaction)."""
        wanted = list(dict.fromkeys(candidate_ids))
        if not wanted:
            raise InvalidInput.field("candidates", "This list may not be empty.")
        if len(wanted) > MAX_SCREENINGS:
            raise InvalidInput.field("candidates", f"At most {MAX_SCREENINGS} candidates at once.")
        now = self._clock.now()
        until = self._valid_to(valid_to, now)
        steps: list[Step] = []
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            job, _ = await visible_job(uow, seat, job_id, change=True)
            for candidate_id in wanted:
                step = await self._assign(uow, seat, StepKind.VIDEO_INTERVIEW, job_id, candidate_id, until, now)
                candidate = await uow.candidates.get(candidate_id)
                assert candidate is not None
                link = self._links.public_url.rstrip("/") + _link_path(StepKind.VIDEO_INTERVIEW, step.key)
                uow.outbox.add(EmailMessage(
                    to=candidate.email,
                    subject=f"Your video interview for {job.title}",
                    text=(f"Hello {candidate.name},\n\nYou are invited to an automated video interview for "
                          f"{job.title}. Open your personal link before {until:%Y-%m-%d %H:%M} UTC:\n{link}\n"),
                    html=(f"<p>Hello {candidate.name},</p><p>You are invited to an automated video interview for "
                          f"{job.title}. Open your personal link before {until:%Y-%m-%d %H:%M} UTC:</p>"
                          f'<p><a href="{link}">{link}</a></p>'),
                ))
                steps.append(step)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        return steps

    async def steps(self, actor_id: int, org: int | None, kind: StepKind, job_id: int | None, page: int
                    ) -> Page[StepCard]:
        seat = await self._seat(actor_id, org)
        if job_id is not None:
            async with self._uow() as uow:
                await visible_job(uow, seat, job_id)
        return await self._reads.steps(seat, kind.value, job_id, PageRequest(page, PIPELINE_PAGE_SIZE))

    async def step(self, actor_id: int, org: int | None, kind: StepKind, step_id: int) -> StepCard:
        seat = await self._seat(actor_id, org)
        card = await self._reads.step(seat, kind.value, step_id)
        if card is None:
            raise NotFound(STEP_NOT_FOUND)
        return card

    async def _own_step(self, uow: AtsUnitOfWork, seat: Seat, kind: StepKind, step_id: int) -> Step:
        step = await uow.steps.get(step_id)
        if step is None or step.kind != kind.value:
            raise NotFound(STEP_NOT_FOUND)
        try:
            await visible_job(uow, seat, step.job_id, change=True)
        except NotFound:
            raise NotFound(STEP_NOT_FOUND) from None
        return step

    async def change_step(self, actor_id: int, org: int | None, kind: StepKind, step_id: int, change: StepChange
                          ) -> StepCard:
        now = self._clock.now()
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            step = await self._own_step(uow, seat, kind, step_id)
            if change.is_approved is not None:
                step.is_approved = change.is_approved
                step.approved_by = actor_id if change.is_approved else None
                step.approved_at = now if change.is_approved else None
            if change.revoked is not None:
                step.revoked = change.revoked
                step.revoked_by = actor_id if change.revoked else None
            if change.valid_to is not None:
                step.valid_to = self._valid_to(change.valid_to, now)
            step.updated_at = now
            await uow.steps.update(step)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        return await self.step(actor_id, seat.organization_id, kind, step_id)

    async def delete_step(self, actor_id: int, org: int | None, kind: StepKind, step_id: int) -> None:
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            step = await self._own_step(uow, seat, kind, step_id)
            await uow.steps.delete(step.id)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()

    # ------------------------------------------------------------------ public links (candidates, no sign-in)

    async def _live_step(self, uow: AtsUnitOfWork, kind: StepKind, key: str, now: datetime) -> Step:
        step = await uow.steps.by_key(key, for_update=True) if 0 < len(key) <= 64 else None
        if step is None or step.kind != kind.value:
            raise NotFound(STEP_NOT_FOUND)
        if step.revoked or (step.status_text != StepStatus.COMPLETED and now > step.valid_to):
            raise Gone(LINK_GONE)
        return step

    async def open_link(self, kind: StepKind, key: str) -> tuple[Step, str]:
        """Marks the link opened (one attempt); the step and its job's title."""
        now = self._clock.now()
        async with self._uow() as uow:
            step = await self._live_step(uow, kind, key, now)
            if step.status_text == StepStatus.COMPLETED:
                raise Conflict("This step was already completed.")
            if step.opens >= step.max_opens:
                raise RateLimited("This link was opened too many times.", retry_after=int(
                    max(1, (step.valid_to - now).total_seconds())))
            step.opens += 1
            step.link_opened_at = step.link_opened_at or now
            step.status_text = StepStatus.IN_PROGRESS.value
            step.updated_at = now
            await uow.steps.update(step)
            job = await uow.jobs.get(step.job_id)
            await uow.commit()
        return step, job.title if job is not None else ""

    async def complete(self, kind: StepKind, key: str) -> Step:
        """The candidate completes the step: once (409 after); the pipeline moves to the step's stage unless a
        recruiter overrode the status."""
        now = self._clock.now()
        async with self._uow() as uow:
            step = await self._live_step(uow, kind, key, now)
            if step.status_text == StepStatus.COMPLETED:
                raise Conflict("This step was already completed.")
            step.status_text = StepStatus.COMPLETED.value
            step.completed_at = now
            step.link_opened_at = step.link_opened_at or now
            step.updated_at = now
            await uow.steps.update(step)
            # Locked: a recruiter's move committed meanwhile must be seen (its override), never overwritten.
            application = await uow.applications.get(step.application_id, for_update=True)
            if application is not None:
                await record_move(uow, application, stage=kind.stage, status=kind.stage.value,
                                  origin=Origin.COMPLETION, at=now, reason=f"{kind.stage.value} completed")
            uow.views_changed(everyone=True)
            await uow.commit()
        return step
