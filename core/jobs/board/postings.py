"""Posting use cases: an employer creates, edits and opens or closes jobs; the poster and the members of the poster's
organization read the applications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from core.jobs.board.policies import managed_job, require_employer
from core.jobs.board.tasks import ALERT_TASK, MatchAlerts
from core.jobs.model.board import BODY_MAX, TEXT_MAX, TITLE_MAX, Job, JobPublished, JobStatus
from core.jobs.model.kernel import EmploymentType, ExperienceLevel, WorkType, choice
from core.jobs.model.views import ApplicantView, JobView, RecentApplicant
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from core.shared.pagination import Page, PageRequest
from ports.classifier import IndustryClassifier
from ports.events import EventPublisher
from ports.jobs import JobsReads, JobsUnitOfWork
from ports.system import Clock

__all__ = ("APPLICANTS_PAGE_SIZE", "POSTED_PAGE_SIZE", "EditJob", "NewJob", "PostingService")

POSTED_PAGE_SIZE = 5
APPLICANTS_PAGE_SIZE = 10
RECENT_APPLICANTS = 5
ONLY_DRAFTS = "Only Draft jobs can be edited"


@dataclass(frozen=True, slots=True, kw_only=True)
class NewJob:
    title: str
    organization: str
    employment_type: str
    work_type: str
    country: str
    salary: str
    overview: str
    description: str
    experience_level: str
    application_deadline: date
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EditJob:
    """Only the fields present change."""

    title: str | None = None
    organization: str | None = None
    employment_type: str | None = None
    work_type: str | None = None
    country: str | None = None
    salary: str | None = None
    overview: str | None = None
    description: str | None = None
    experience_level: str | None = None
    application_deadline: date | None = None
    status: str | None = None


def _text(value: str, name: str, limit: int, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput.field(name, "This field may not be blank.")
    if len(text) > limit:
        raise InvalidInput.field(name, f"Ensure this field has no more than {limit} characters.")
    return text


_LIMITS = {"title": TITLE_MAX, "organization": TEXT_MAX, "country": TEXT_MAX, "salary": TEXT_MAX,
           "overview": BODY_MAX, "description": BODY_MAX}


class PostingService:
    __slots__ = ("_classifier", "_clock", "_events", "_reads", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], JobsUnitOfWork],
        reads: JobsReads,
        events: EventPublisher,
        clock: Clock,
        classifier: IndustryClassifier,
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._events = events
        self._clock = clock
        self._classifier = classifier

    def _today(self) -> date:
        return self._clock.now().date()

    def _industries(self, overview: str, description: str) -> tuple[str, ...]:
        return tuple(self._classifier.classify(f"{overview}. {description}")) or ("others",)

    def _check_deadline(self, deadline: date) -> date:
        if deadline < self._today():
            raise InvalidInput.field("application_deadline", "The application deadline cannot be in the past.")
        return deadline

    async def _finish(self, uow: JobsUnitOfWork, *viewers: int, published: Job | None = None) -> None:
        """Commit and publish the events. A ``published`` job (it just became active) has its alert matching
        enqueued in this same transaction: a rollback enqueues nothing, a commit never loses it."""
        if published is not None:
            uow.tasks.enqueue(
                ALERT_TASK,
                MatchAlerts(job_id=published.id),
                dedupe_key=f"{ALERT_TASK}:{published.id}:{published.updated_at.isoformat()}",
            )
        # Job lists are read by everyone (recommendations, search): nobody may keep the old answer.
        uow.views_changed(*viewers, everyone=True)
        await uow.commit()
        await self._events.publish(*uow.collect_events())

    async def create(self, actor_id: int, cmd: NewJob) -> Job:
        values = {name: _text(getattr(cmd, name), name, limit) for name, limit in _LIMITS.items()}
        status = choice(JobStatus, cmd.status, "status") if cmd.status is not None else JobStatus.ACTIVE
        employment = choice(EmploymentType, cmd.employment_type, "employment_type")
        work = choice(WorkType, cmd.work_type, "work_type")
        level = choice(ExperienceLevel, cmd.experience_level, "experience_level")
        deadline = self._check_deadline(cmd.application_deadline)
        industries = self._industries(values["overview"], values["description"])
        now = self._clock.now()
        async with self._uow() as uow:
            require_employer(await uow.people.member(actor_id))
            job = Job(
                poster_id=actor_id, title=values["title"], organization=values["organization"],
                employment_type=employment, work_type=work, country=values["country"], salary=values["salary"],
                overview=values["overview"], description=values["description"], experience_level=level,
                application_deadline=deadline, created_at=now, updated_at=now, status=status, industries=industries,
            )
            await uow.jobs.add(job)
            published = status is JobStatus.ACTIVE
            if published:
                job.record(JobPublished(job_id=job.id, poster_id=actor_id, occurred_at=now))
            uow.track(job)
            await self._finish(uow, actor_id, published=job if published else None)
        return job

    async def edit(self, actor_id: int, job_id: int, cmd: EditJob) -> JobView:
        changes = {f.name: getattr(cmd, f.name) for f in fields(cmd) if getattr(cmd, f.name) is not None}
        now = self._clock.now()
        async with self._uow() as uow:
            job = await managed_job(uow, actor_id, job_id, for_update=True)
            if job.status is not JobStatus.DRAFT:
                raise PermissionDenied(ONLY_DRAFTS, body={"error": ONLY_DRAFTS})
            for name, limit in _LIMITS.items():
                if name in changes:
                    setattr(job, name, _text(changes[name], name, limit))
            if "employment_type" in changes:
                job.employment_type = choice(EmploymentType, changes["employment_type"], "employment_type")
            if "work_type" in changes:
                job.work_type = choice(WorkType, changes["work_type"], "work_type")
            if "experience_level" in changes:
                job.experience_level = choice(ExperienceLevel, changes["experience_level"], "experience_level")
            if "application_deadline" in changes:
                job.application_deadline = self._check_deadline(changes["application_deadline"])
            if "overview" in changes or "description" in changes:
                job.industries = self._industries(job.overview, job.description)
            job.updated_at = now
            published = False
            if "status" in changes:
                wanted = choice(JobStatus, changes["status"], "status")
                published = job.move_to(wanted, today=now.date(), now=now,
                                        has_applications=await uow.applications.exists_for(job.id))
            await uow.jobs.update(job)
            uow.track(job)
            await self._finish(uow, actor_id, published=job if published else None)
        return JobView(job=job)

    async def set_status(self, actor_id: int, job_id: int, status: str) -> JobView:
        wanted = choice(JobStatus, status, "status")
        now = self._clock.now()
        async with self._uow() as uow:
            job = await managed_job(uow, actor_id, job_id, for_update=True)
            if wanted is not job.status:
                published = job.move_to(wanted, today=now.date(), now=now,
                                        has_applications=await uow.applications.exists_for(job.id))
                await uow.jobs.update(job)
                uow.track(job)
                await self._finish(uow, actor_id, published=job if published else None)
        return JobView(job=job)

    async def posted(self, actor_id: int, status: str | None, page: int) -> Page[JobView]:
        wanted: JobStatus | None = None
        if status is not None:
            try:
                wanted = JobStatus(status)
            except ValueError:
                raise InvalidInput.error("Invalid status parameter") from None
        return await self._reads.posted(actor_id, wanted, PageRequest(page, POSTED_PAGE_SIZE))

    async def applicants(self, actor_id: int, job_id: int, page: int) -> Page[ApplicantView]:
        async with self._uow() as uow:
            await managed_job(uow, actor_id, job_id)
        return await self._reads.applicants(job_id, PageRequest(page, APPLICANTS_PAGE_SIZE))

    async def recent_applicants(self, actor_id: int) -> list[RecentApplicant]:
        async with self._uow() as uow:
            if await uow.people.member(actor_id) is None:
                raise NotFound("User not found.")
        return await self._reads.recent_applicants(actor_id, RECENT_APPLICANTS)
