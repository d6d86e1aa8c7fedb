"""Ports of the jobs domain (the board module): write repositories and unit of work, and the read models of the
lists. The tracker and ATS modules add their repositories beside these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, Self

from core.jobs.model.board import Application, Job, JobStatus, Preference
from core.jobs.model.views import ApplicantView, AppliedView, JobView, RecentApplicant, SearchFilters
from core.shared.events import DomainEvent
from core.shared.pagination import Page, PageRequest
from ports.tasks import TaskQueue

__all__ = (
    "AlertLedger",
    "ApplicationRepository",
    "BoardMember",
    "BoardPeople",
    "JobRepository",
    "JobSaveRepository",
    "JobsReads",
    "JobsUnitOfWork",
    "PreferenceRepository",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardMember:
    """What the board knows of a user: whether they are an employer (corporate account) and their industry."""

    id: int
    is_employer: bool
    industry: str


class JobRepository(Protocol):
    async def get(self, job_id: int, *, for_update: bool = False) -> Job | None:
        """``for_update``: lock the row until the unit of work ends (status changes, applying)."""
        ...

    async def add(self, job: Job) -> Job:
        """Insert the job with its industry tags and searchable words; returns it with its new id."""
        ...

    async def update(self, job: Job) -> None:
        """Write every field (tags and words follow the title, industries and status)."""
        ...

    async def set_status(self, jobs: list[Job]) -> None:
        """Write the status and ``updated_at`` of each job (one job may differ from another: grouped by status)."""
        ...

    async def expired_active(self, today: date, limit: int) -> list[Job]:
        """Active jobs whose deadline is before ``today``, oldest deadline first."""
        ...

    async def count_expired_active(self, today: date) -> int: ...


class ApplicationRepository(Protocol):
    async def add(self, application: Application) -> bool:
        """Insert; ``False`` when the applicant already applied for the job (also under concurrent requests)."""
        ...

    async def exists_for(self, job_id: int) -> bool:
        """Whether anyone applied for the job."""
        ...


class JobSaveRepository(Protocol):
    async def add(self, user_id: int, job_id: int, at: datetime) -> bool:
        """``False`` when already saved."""
        ...

    async def remove(self, user_id: int, job_id: int) -> bool: ...


class PreferenceRepository(Protocol):
    async def get(self, user_id: int) -> Preference | None: ...

    async def put(self, preference: Preference) -> None:
        """Insert or replace the user's preference (and its title words)."""
        ...


class BoardPeople(Protocol):
    async def member(self, user_id: int) -> BoardMember | None: ...

    async def in_organization(self, user_id: int, organization_id: int) -> bool:
        """Whether ``user_id`` is a member of the organization (corporate account) ``organization_id``."""
        ...


class AlertLedger(Protocol):
    async def candidates(self, job: Job, min_score: int, limit: int, after_user_id: int = 0) -> list[int]:
        """Ids (ascending, above ``after_user_id``, at most ``limit``) of the users other than the poster whose
        preference matches ``job`` with at least ``min_score`` (see ``core.jobs.model.board.match_score``; the
        preference's industry must be one of the job's) and whose ``job_alerts`` setting is on."""
        ...

    async def record(self, job_id: int, user_ids: list[int], at: datetime) -> list[int]:
        """Remember that these users were alerted about the job; returns those not alerted before."""
        ...


class JobsUnitOfWork(Protocol):
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def applications(self) -> ApplicationRepository: ...
    @property
    def saves(self) -> JobSaveRepository: ...
    @property
    def preferences(self) -> PreferenceRepository: ...
    @property
    def people(self) -> BoardPeople: ...
    @property
    def alerts(self) -> AlertLedger: ...
    @property
    def tasks(self) -> TaskQueue:
        """Background tasks staged with this unit of work, written by its commit (``ports/tasks.py``)."""
        ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None: ...


class JobsReads(Protocol):
    """Read models: every method costs a fixed number of SQL statements whatever the size of its answer; lists
    are bounded (``LISTED_MAX`` newest candidates) so a page costs the same on 100 or 100 000 jobs."""

    async def job(self, viewer_id: int | None, job_id: int) -> JobView | None: ...

    async def posted(self, viewer_id: int, status: JobStatus | None, page: PageRequest) -> Page[JobView]:
        """The viewer's own postings, newest first."""
        ...

    async def recommended(self, viewer_id: int, today: date, page: PageRequest) -> Page[JobView] | None:
        """Active, unexpired jobs tagged with the viewer's industry or their preference's (the newest
        ``RECOMMENDED_MAX`` of each), the best match of the viewer's preference first
        (``core.jobs.model.board.match_score``), then newest, then the nearest deadline; ``None`` for an unknown
        viewer. One connection, three statements (the viewer with the preference, the candidates, the page)."""
        ...

    async def search(
        self, viewer_id: int | None, filters: SearchFilters, today: date, page: PageRequest
    ) -> Page[JobView]:
        """Active, unexpired jobs matching every filter, newest first."""
        ...

    async def saved(self, viewer_id: int, limit: int) -> list[JobView]:
        """The viewer's saved jobs, most recently saved first."""
        ...

    async def applied(self, viewer_id: int, limit: int) -> list[AppliedView]:
        """The viewer's applications, newest first."""
        ...

    async def applicants(self, job_id: int, page: PageRequest) -> Page[ApplicantView]:
        """Applications for the job, newest first."""
        ...

    async def recent_applicants(self, poster_id: int, limit: int) -> list[RecentApplicant]:
        """The newest applications across the poster's jobs."""
        ...
