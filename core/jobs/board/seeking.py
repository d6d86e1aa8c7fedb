"""Seeking use cases (any signed-in user; search is public): one job's details, recommendations, search, the job
preference, saved jobs, applying and one's applications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from core.jobs.ats.tasks import APPLICATION_TASK, ReceiveApplication
from core.jobs.board.policies import INVALID_JOB, may_manage, visible_to
from core.jobs.model.board import TITLE_MAX, Application, JobApplied, JobStatus, Preference
from core.jobs.model.kernel import EmploymentType, ExperienceLevel, WorkType, choice, words
from core.jobs.model.views import AppliedView, JobView, SearchFilters
from core.jobs.tracker.tasks import MOVE_TASK, BoardApplicationMoved, move_dedupe_key
from core.shared.errors import InvalidInput, NotFound
from core.shared.pagination import Page, PageRequest
from ports.choices import ChoiceCatalogue
from ports.events import EventPublisher
from ports.jobs import JobsReads, JobsUnitOfWork
from ports.system import Clock

__all__ = ("RECOMMEND_PAGE_SIZE", "SEARCH_PAGE_SIZE", "SeekingService", "SetPreference")

RECOMMEND_PAGE_SIZE = 5
SEARCH_PAGE_SIZE = 10
LIST_MAX = 500
INDUSTRY_MAX = 100


def invalid_job(job_id: int) -> InvalidInput:
    return InvalidInput.field("job", f'Invalid pk "{job_id}" - object does not exist.')


@dataclass(frozen=True, slots=True, kw_only=True)
class SetPreference:
    title: str
    employment_type: str
    work_type: str
    industry: str
    experience_level: str


class SeekingService:
    __slots__ = ("_catalogue", "_clock", "_events", "_reads", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], JobsUnitOfWork],
        reads: JobsReads,
        events: EventPublisher,
        clock: Clock,
        catalogue: ChoiceCatalogue | None = None,
    ) -> None:
        """``catalogue``: where the valid industries come from; any value when omitted."""
        self._uow = uow
        self._reads = reads
        self._events = events
        self._clock = clock
        self._catalogue = catalogue

    def _today(self) -> date:
        return self._clock.now().date()

    async def job(self, viewer_id: int, job_id: int) -> JobView:
        view = await self._reads.job(viewer_id, job_id)
        if view is None:
            raise NotFound(INVALID_JOB)
        if view.job.status is not JobStatus.ACTIVE:
            async with self._uow() as uow:
                manages = await may_manage(uow, viewer_id, view.job)
            if not visible_to(view.job, manages=manages):
                raise NotFound(INVALID_JOB)
        return view

    async def recommended(self, viewer_id: int, page: int) -> Page[JobView]:
        found = await self._reads.recommended(viewer_id, self._today(), PageRequest(page, RECOMMEND_PAGE_SIZE))
        if found is None:
            raise NotFound("User not found.")
        return found

    async def search(
        self,
        viewer_id: int | None,
        *,
        q: str | None,
        employment_type: str | None,
        work_type: str | None,
        experience_level: str | None,
        country: str | None,
        page: int,
    ) -> Page[JobView]:
        filters = SearchFilters(
            terms=words(q or "")[:5],
            employment_type=choice(EmploymentType, employment_type, "employment_type") if employment_type else None,
            work_type=choice(WorkType, work_type, "work_type") if work_type else None,
            experience_level=choice(ExperienceLevel, experience_level, "experience_level") if experience_level
            else None,
            country=country.strip() or None if country is not None else None,
        )
        return await self._reads.search(viewer_id, filters, self._today(), PageRequest(page, SEARCH_PAGE_SIZE))

    # ------------------------------------------------------------------ preference

    async def preference(self, user_id: int) -> Preference | None:
        async with self._uow() as uow:
            return await uow.preferences.get(user_id)

    async def set_preference(self, user_id: int, cmd: SetPreference) -> Preference:
        title = cmd.title.strip()
        if not title:
            raise InvalidInput.field("title", "This field may not be blank.")
        if len(title) > TITLE_MAX:
            raise InvalidInput.field("title", f"Ensure this field has no more than {TITLE_MAX} characters.")
        industry = cmd.industry.strip().lower()
        valid = await self._catalogue.values("industry") if self._catalogue is not None else None
        if not industry or len(industry) > INDUSTRY_MAX or (valid is not None and industry not in valid):
            raise InvalidInput.field("industry", f'"{cmd.industry}" is not a valid choice.')
        preference = Preference(
            user_id=user_id,
            title=title,
            employment_type=choice(EmploymentType, cmd.employment_type, "employment_type"),
            work_type=choice(WorkType, cmd.work_type, "work_type"),
            industry=industry,
            experience_level=choice(ExperienceLevel, cmd.experience_level, "experience_level"),
            updated_at=self._clock.now(),
        )
        async with self._uow() as uow:
            if await uow.people.member(user_id) is None:
                raise NotFound("User not found.")
            await uow.preferences.put(preference)
            uow.views_changed(user_id)
            await uow.commit()
        return preference

    # ------------------------------------------------------------------ saved jobs

    async def save(self, user_id: int, job_id: int) -> JobView:
        async with self._uow() as uow:
            job = await uow.jobs.get(job_id)
            if job is None or not visible_to(job, manages=await may_manage(uow, user_id, job)):
                raise invalid_job(job_id)
            if not await uow.saves.add(user_id, job_id, self._clock.now()):
                raise InvalidInput.field("job", "This Job has already been saved.")
            uow.views_changed(user_id)
            await uow.commit()
        return JobView(job=job, is_saved=True)

    async def unsave(self, user_id: int, job_id: int) -> None:
        async with self._uow() as uow:
            if not await uow.saves.remove(user_id, job_id):
                raise InvalidInput.non_field("This job has not been previously saved.")
            uow.views_changed(user_id)
            await uow.commit()

    async def saved(self, user_id: int) -> list[JobView]:
        return await self._reads.saved(user_id, LIST_MAX)

    # ------------------------------------------------------------------ applications

    async def apply(self, user_id: int, job_id: int) -> Application:
        now = self._clock.now()
        async with self._uow() as uow:
            member = await uow.people.member(user_id)
            if member is None:
                raise NotFound("User not found.")
            if member.is_employer:
                raise InvalidInput.field("job", "Employers are not allowed to apply for a job.")
            # Locked: a status change cannot slip between the check and the insert.
            job = await uow.jobs.get(job_id, for_update=True)
            if job is None or not visible_to(job, manages=await may_manage(uow, user_id, job)):
                raise invalid_job(job_id)
            job.check_open(now.date())
            application = Application(job_id=job.id, applicant_id=user_id, poster_id=job.poster_id, applied_at=now)
            if not await uow.applications.add(application):
                raise InvalidInput.field("job", "You have already applied for this job.")
            application.record(JobApplied(application_id=application.id, job_id=job.id, actor_id=user_id,
                                          recipient_id=job.poster_id, occurred_at=now))
            # The applicant's tracker follows (creates or links their tracked application) in this transaction.
            uow.tasks.enqueue(
                MOVE_TASK,
                BoardApplicationMoved(user_id=user_id, job_id=job.id, application_id=application.id, move="applied",
                                      at=now.isoformat()),
                dedupe_key=move_dedupe_key(application.id, "applied", now.isoformat()),
            )
            # The application joins the organisation's ATS (a board application is an ATS application).
            uow.tasks.enqueue(APPLICATION_TASK, ReceiveApplication(application_id=application.id),
                              dedupe_key=f"{APPLICATION_TASK}:{application.id}")
            uow.track(application)
            uow.views_changed(user_id, job.poster_id)
            await uow.commit()
        await self._events.publish(*uow.collect_events())
        return application

    async def applied(self, user_id: int) -> list[AppliedView]:
        return await self._reads.applied(user_id, LIST_MAX)
