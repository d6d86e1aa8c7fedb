"""Hiring use cases: a board job seen with its hiring settings (create, read, edit, soft delete, share), its stage
counts, the organisation's counts, and the members' roles (admins only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from core.jobs.ats.access import require_admin, require_writer, seat_for, visible_job
from core.jobs.board.tasks import ALERT_TASK, MatchAlerts
from core.jobs.model.ats import STAGES, TERMINAL, HiringSettings, MemberRole, Role, Seat, Weights
from core.jobs.model.board import BODY_MAX, TEXT_MAX, TITLE_MAX, Job, JobPublished, JobStatus
from core.jobs.model.kernel import EmploymentType, ExperienceLevel, WorkType, choice
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from core.shared.pagination import Page, PageRequest
from ports.ats import AtsReads, AtsUnitOfWork, Counts, JobCard, JobFilters, MemberCard, StageCount
from ports.classifier import IndustryClassifier
from ports.events import EventPublisher
from ports.system import Clock

__all__ = ("JOBS_PAGE_SIZE", "STAGE_COLORS", "HiringService", "JobInput")

JOBS_PAGE_SIZE = 10
SKILLS_MAX = 50
SKILL_MAX = 100
ONLY_DRAFTS = "Only Draft jobs can be edited"
JOB_ORDERS = ("created_at", "-created_at", "title", "-title", "close_date", "-close_date")

# (background, text) colours of the stage filters, as the seed's frontend shows them.
STAGE_COLORS: dict[str, tuple[str, str]] = {
    "Applied": ("#E8F1FF", "#1D4ED8"),
    "Resume Screening": ("#FFF7E6", "#B45309"),
    "Assessments": ("#F3E8FF", "#7E22CE"),
    "Automated Video Interview": ("#E6FFFA", "#0F766E"),
    "On Hold": ("#F1F5F9", "#475569"),
    "Rejected": ("#FEE2E2", "#B91C1C"),
    "Hired": ("#DCFCE7", "#15803D"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class JobInput:
    """Board fields and hiring settings; ``None`` = unchanged (edit) or default (create)."""

    title: str | None = None
    description: str | None = None
    organization: str | None = None
    employment_type: str | None = None
    work_type: str | None = None
    country: str | None = None
    salary: str | None = None
    overview: str | None = None
    experience_level: str | None = None
    application_deadline: date | None = None
    published: bool | None = None
    min_experience: int | None = None
    max_experience: int | None = None
    location: str | None = None
    must_have_skills: list[str] | None = None
    score_weight: Weights | None = None
    threshold: int | None = None
    notify_new_applicant: bool | None = None
    users_shared_with: list[int] | None = None


def _text(value: str, name: str, limit: int, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput.field(name, "This field may not be blank.")
    if len(text) > limit:
        raise InvalidInput.field(name, f"Ensure this field has no more than {limit} characters.")
    return text


def _skills(values: list[str]) -> list[str]:
    if len(values) > SKILLS_MAX:
        raise InvalidInput.field("must_have_skills", f"At most {SKILLS_MAX} skills.")
    return list(dict.fromkeys(_text(v, "must_have_skills", SKILL_MAX) for v in values))


def _apply_settings(settings: HiringSettings, cmd: JobInput) -> None:
    if cmd.min_experience is not None:
        settings.min_experience = cmd.min_experience
    if cmd.max_experience is not None:
        settings.max_experience = cmd.max_experience
    if settings.min_experience is not None and settings.max_experience is not None \
            and settings.min_experience > settings.max_experience:
        raise InvalidInput.field("max_experience", "max_experience cannot be less than min_experience.")
    if cmd.location is not None:
        settings.location = _text(cmd.location, "location", TEXT_MAX, required=False)
    if cmd.must_have_skills is not None:
        settings.must_have_skills = _skills(cmd.must_have_skills)
    if cmd.score_weight is not None:
        settings.set_weights(cmd.score_weight)
    if cmd.threshold is not None:
        settings.threshold = cmd.threshold
    if cmd.notify_new_applicant is not None:
        settings.notify_new_applicant = cmd.notify_new_applicant


class HiringService:
    __slots__ = ("_classifier", "_clock", "_events", "_reads", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], AtsUnitOfWork],
        reads: AtsReads,
        events: EventPublisher,
        clock: Clock,
        classifier: IndustryClassifier,
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._events = events
        self._clock = clock
        self._classifier = classifier

    def today(self) -> date:
        return self._clock.now().date()

    async def seat(self, actor_id: int, org: int | None) -> Seat:
        async with self._uow() as uow:
            return await seat_for(uow, actor_id, org)

    async def _check_shared(self, uow: AtsUnitOfWork, seat: Seat, user_ids: list[int]) -> list[int]:
        """Sharing is with members of the organisation only (400 otherwise)."""
        wanted = list(dict.fromkeys(user_ids))
        for user_id in wanted:
            if user_id == seat.organization_id:
                continue
            seats = await uow.people.seats(user_id)
            if not any(s.organization_id == seat.organization_id for s in seats):
                raise InvalidInput.field("users_shared_with", f"User {user_id} is not a member of this organization.")
        return wanted

    # ------------------------------------------------------------------ jobs

    async def jobs(self, actor_id: int, org: int | None, filters: JobFilters, page: int) -> Page[JobCard]:
        if filters.order not in JOB_ORDERS:
            raise InvalidInput.field("o", f'"{filters.order}" is not a valid ordering: {", ".join(JOB_ORDERS)}.')
        seat = await self.seat(actor_id, org)
        return await self._reads.jobs(seat, filters, PageRequest(page, JOBS_PAGE_SIZE), self._clock.now().date())

    async def job(self, actor_id: int, org: int | None, job_id: int) -> JobCard:
        seat = await self.seat(actor_id, org)
        card = await self._reads.job(seat, job_id, self._clock.now().date())
        if card is None:
            raise NotFound("Job not found.")
        return card

    async def create(self, actor_id: int, org: int | None, cmd: JobInput) -> JobCard:
        now = self._clock.now()
        if cmd.title is None or cmd.description is None or cmd.employment_type is None \
                or cmd.application_deadline is None:
            missing = [n for n in ("title", "description", "employment_type", "application_deadline")
                       if getattr(cmd, n) is None]
            raise InvalidInput({n: ["This field is required."] for n in missing})
        title = _text(cmd.title, "title", TITLE_MAX)
        description = _text(cmd.description, "description", BODY_MAX)
        overview = _text(cmd.overview if cmd.overview is not None else description[:BODY_MAX], "overview", BODY_MAX)
        employment = choice(EmploymentType, cmd.employment_type, "employment_type")
        work = choice(WorkType, cmd.work_type or "onsite", "work_type")
        level = choice(ExperienceLevel, cmd.experience_level or "mid", "experience_level")
        if cmd.application_deadline < now.date():
            raise InvalidInput.field("application_deadline", "The application deadline cannot be in the past.")
        status = JobStatus.ACTIVE if cmd.published else JobStatus.DRAFT
        industries = tuple(self._classifier.classify(f"{overview}. {description}")) or ("others",)
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            require_writer(seat)
            organization = await uow.people.user(seat.organization_id)
            job = Job(
                poster_id=seat.organization_id, title=title,
                organization=_text(cmd.organization if cmd.organization is not None
                                   else (organization.name if organization else "") or title, "organization", TEXT_MAX),
                employment_type=employment, work_type=work,
                country=_text(cmd.country or "", "country", TEXT_MAX, required=False),
                salary=_text(cmd.salary or "", "salary", TEXT_MAX, required=False),
                overview=overview, description=description, experience_level=level,
                application_deadline=cmd.application_deadline, created_at=now, updated_at=now, status=status,
                industries=industries,
            )
            await uow.jobs.add(job)
            settings = HiringSettings(job_id=job.id, organization_id=seat.organization_id, owner_id=actor_id)
            _apply_settings(settings, cmd)
            await uow.settings.put(settings)
            if cmd.users_shared_with:
                await uow.settings.share(job.id, await self._check_shared(uow, seat, cmd.users_shared_with))
            if status is JobStatus.ACTIVE:
                job.record(JobPublished(job_id=job.id, poster_id=seat.organization_id, occurred_at=now))
                uow.tasks.enqueue(ALERT_TASK, MatchAlerts(job_id=job.id),
                                  dedupe_key=f"{ALERT_TASK}:{job.id}:{now.isoformat()}")
            uow.track(job)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        await self._events.publish(*uow.collect_events())
        return await self.job(actor_id, seat.organization_id, job.id)

    async def edit(self, actor_id: int, org: int | None, job_id: int, cmd: JobInput) -> JobCard:
        now = self._clock.now()
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            job, settings = await visible_job(uow, seat, job_id, change=True, for_update=True)
            board = {n: getattr(cmd, n) for n in ("title", "description", "organization", "employment_type",
                                                  "work_type", "country", "salary", "overview", "experience_level",
                                                  "application_deadline") if getattr(cmd, n) is not None}
            if board:
                if job.status is not JobStatus.DRAFT:
                    raise PermissionDenied(ONLY_DRAFTS, body={"error": ONLY_DRAFTS})
                limits = {"title": TITLE_MAX, "description": BODY_MAX, "organization": TEXT_MAX,
                          "overview": BODY_MAX}
                for name, limit in limits.items():
                    if name in board:
                        setattr(job, name, _text(board[name], name, limit))
                for name in ("country", "salary"):
                    if name in board:
                        setattr(job, name, _text(board[name], name, TEXT_MAX, required=False))
                if "employment_type" in board:
                    job.employment_type = choice(EmploymentType, board["employment_type"], "employment_type")
                if "work_type" in board:
                    job.work_type = choice(WorkType, board["work_type"], "work_type")
                if "experience_level" in board:
                    job.experience_level = choice(ExperienceLevel, board["experience_level"], "experience_level")
                if "application_deadline" in board:
                    if board["application_deadline"] < now.date():
                        raise InvalidInput.field("application_deadline",
                                                 "The application deadline cannot be in the past.")
                    job.application_deadline = board["application_deadline"]
            published = False
            if cmd.published is not None:
                wanted = JobStatus.ACTIVE if cmd.published else (
                    JobStatus.DRAFT if job.status is JobStatus.DRAFT else JobStatus.CLOSED)
                if wanted is not job.status:
                    published = job.move_to(wanted, today=now.date(), now=now,
                                            has_applications=await uow.board_applications.exists_for(job.id))
            job.updated_at = now
            _apply_settings(settings, cmd)
            await uow.jobs.update(job)
            await uow.settings.put(settings)
            if cmd.users_shared_with is not None:
                wanted_ids = await self._check_shared(uow, seat, cmd.users_shared_with)
                current = await uow.settings.shared_with(job.id)
                await uow.settings.unshare(job.id, [u for u in current if u not in wanted_ids])
                await uow.settings.share(job.id, [u for u in wanted_ids if u not in current])
            if published:
                uow.tasks.enqueue(ALERT_TASK, MatchAlerts(job_id=job.id),
                                  dedupe_key=f"{ALERT_TASK}:{job.id}:{now.isoformat()}")
            uow.track(job)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        await self._events.publish(*uow.collect_events())
        return await self.job(actor_id, seat.organization_id, job.id)

    async def delete(self, actor_id: int, org: int | None, job_id: int) -> None:
        """A soft delete: the job leaves the ATS lists and closes on the board; its rows stay."""
        now = self._clock.now()
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            job, settings = await visible_job(uow, seat, job_id, change=True, for_update=True)
            settings.deleted_at = now
            settings.deleted_by = actor_id
            await uow.settings.put(settings)
            if job.status is JobStatus.ACTIVE:
                job.move_to(JobStatus.CLOSED, today=now.date(), now=now, has_applications=True)
                await uow.jobs.update(job)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()

    async def share(self, actor_id: int, org: int | None, job_id: int, user_ids: list[int], *, add: bool) -> list[int]:
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            job, _ = await visible_job(uow, seat, job_id, change=True)
            wanted = await self._check_shared(uow, seat, user_ids)
            current = await uow.settings.shared_with(job.id)
            if add:
                await uow.settings.share(job.id, [u for u in wanted if u not in current])
            else:
                await uow.settings.unshare(job.id, [u for u in wanted if u in current])
            uow.views_changed(actor_id, *wanted)
            await uow.commit()
            return sorted((set(current) | set(wanted)) if add else (set(current) - set(wanted)))

    async def stage_filters(self, actor_id: int, org: int | None, job_id: int) -> list[StageCount]:
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            await visible_job(uow, seat, job_id)
        counts = {c.label: c.count for c in await self._reads.stage_counts(job_id)}
        return [StageCount(label=label, count=counts.get(label, 0)) for label in (*STAGES, *TERMINAL)]

    async def counts(self, actor_id: int, org: int | None) -> Counts:
        seat = await self.seat(actor_id, org)
        return await self._reads.counts(seat)

    # ------------------------------------------------------------------ members

    async def members(self, actor_id: int, org: int | None) -> list[MemberCard]:
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            require_admin(seat)
            return await uow.people.members(seat.organization_id)

    async def set_member(self, actor_id: int, org: int | None, user_id: int, role: str, *, create: bool
                         ) -> MemberCard:
        wanted = choice(Role, role, "role")
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            require_admin(seat)
            user = await uow.people.user(user_id)
            if create:
                if user is None:
                    raise InvalidInput.field("user_id", f'Invalid pk "{user_id}" - object does not exist.')
                if user.is_employer:
                    raise InvalidInput.field("user_id", "Another employer cannot be a member of an organization.")
                membership = await uow.people.add_membership(seat.organization_id, user_id)
            else:
                found = await uow.people.membership(seat.organization_id, user_id)
                if user is None or found is None:
                    raise NotFound("Member not found.")
                membership = found
            await uow.people.put_role(MemberRole(membership_id=membership, organization_id=seat.organization_id,
                                                 user_id=user_id, role=wanted.value))
            uow.views_changed(actor_id, seat.organization_id, user_id)
            await uow.commit()
        assert user is not None
        return MemberCard(user_id=user_id, name=user.name, email=user.email, role=wanted.value)

    async def remove_member(self, actor_id: int, org: int | None, user_id: int) -> None:
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            require_admin(seat)
            if not await uow.people.remove_membership(seat.organization_id, user_id):
                raise NotFound("Member not found.")
            uow.views_changed(actor_id, seat.organization_id, user_id)
            await uow.commit()
