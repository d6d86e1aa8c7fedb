"""Ports of the recruiter ATS (``core/jobs/ats``): the unit of work with its repositories, and the read models of
its lists (each a fixed number of SQL statements whatever its size; every list applies the visibility rule of
``core.jobs.ats.access`` in the query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, Self

from core.jobs.model.ats import (
    AtsApplication,
    Candidate,
    HiringSettings,
    MemberRole,
    OrgSeat,
    Resume,
    Seat,
    StatusEvent,
    Step,
)
from core.jobs.model.board import Job
from core.shared.events import DomainEvent
from core.shared.pagination import Page, PageRequest
from ports.email import MailOutbox
from ports.jobs import ApplicationRepository, JobRepository
from ports.tasks import TaskQueue

__all__ = (
    "AtsPeople",
    "AtsReads",
    "AtsUnitOfWork",
    "AtsUser",
    "CandidateCard",
    "CandidateFilters",
    "JobCard",
    "JobFilters",
    "MemberCard",
    "ResumeCard",
    "StatusFilters",
    "StepCard",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AtsUser:
    id: int
    email: str
    name: str
    is_employer: bool
    profile_photo: str = ""
    resume: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberCard:
    user_id: int
    name: str
    email: str
    role: str


class AtsPeople(Protocol):
    async def user(self, user_id: int) -> AtsUser | None: ...

    async def users(self, user_ids: list[int]) -> list[AtsUser]: ...

    async def seats(self, user_id: int) -> list[OrgSeat]:
        """Every organisation ``user_id`` acts in: itself when it is a corporate account (admin), those it created
        (admin), those it is a member of (its stored role, else viewer); one per organisation, by id."""
        ...

    async def membership(self, organization_id: int, user_id: int) -> int | None:
        """The id of the platform membership (``organization_members``), if any."""
        ...

    async def add_membership(self, organization_id: int, user_id: int) -> int:
        """Make ``user_id`` a platform member (idempotent); returns the membership id."""
        ...

    async def remove_membership(self, organization_id: int, user_id: int) -> bool: ...

    async def put_role(self, role: MemberRole) -> None: ...

    async def members(self, organization_id: int) -> list[MemberCard]:
        """The organisation's members with their ATS role (viewer when none is stored), by user id."""
        ...

    async def board_application(self, application_id: int) -> tuple[int, int, datetime] | None:
        """``(job_id, applicant_id, applied_at)`` of a board application."""
        ...


class HiringSettingsRepository(Protocol):
    async def get(self, job_id: int) -> HiringSettings | None: ...

    async def put(self, settings: HiringSettings) -> None: ...

    async def shared_with(self, job_id: int) -> list[int]: ...

    async def share(self, job_id: int, user_ids: list[int]) -> None: ...

    async def unshare(self, job_id: int, user_ids: list[int]) -> None: ...

    async def is_shared(self, job_id: int, user_id: int) -> bool: ...


class CandidateRepository(Protocol):
    async def get(self, candidate_id: int) -> Candidate | None: ...

    async def find(self, organization_id: int, *, email: str | None = None, user_id: int | None = None
                   ) -> Candidate | None: ...

    async def add(self, candidate: Candidate) -> Candidate: ...

    async def update(self, candidate: Candidate) -> None: ...

    async def delete(self, candidate_id: int) -> None: ...

    async def job_ids(self, candidate_id: int) -> list[int]:
        """The jobs the candidate is in."""
        ...


class AtsApplicationRepository(Protocol):
    async def get(self, application_id: int, *, for_update: bool = False) -> AtsApplication | None: ...

    async def find(self, candidate_id: int, job_id: int, *, for_update: bool = False) -> AtsApplication | None: ...

    async def by_board(self, board_application_id: int) -> AtsApplication | None: ...

    async def add(self, application: AtsApplication) -> bool:
        """``False`` when the candidate is already in the job."""
        ...

    async def update(self, application: AtsApplication) -> None: ...


class StatusEventRepository(Protocol):
    async def add(self, event: StatusEvent) -> StatusEvent: ...

    async def of(self, application_id: int) -> list[StatusEvent]: ...


class ResumeRepository(Protocol):
    async def get(self, resume_id: int) -> Resume | None: ...

    async def of(self, application_id: int) -> Resume | None: ...

    async def add(self, resume: Resume) -> Resume: ...

    async def update(self, resume: Resume) -> None: ...

    async def of_candidate(self, candidate_id: int) -> list[Resume]: ...


class StepRepository(Protocol):
    async def get(self, step_id: int) -> Step | None: ...

    async def by_key(self, key: str, *, for_update: bool = False) -> Step | None: ...

    async def add(self, step: Step) -> Step: ...

    async def update(self, step: Step) -> None: ...

    async def delete(self, step_id: int) -> None: ...


class AtsUnitOfWork(Protocol):
    @property
    def jobs(self) -> JobRepository:
        """The board's jobs (an ATS job is a board job)."""
        ...

    @property
    def board_applications(self) -> ApplicationRepository: ...
    @property
    def people(self) -> AtsPeople: ...
    @property
    def settings(self) -> HiringSettingsRepository: ...
    @property
    def candidates(self) -> CandidateRepository: ...
    @property
    def applications(self) -> AtsApplicationRepository: ...
    @property
    def events(self) -> StatusEventRepository: ...
    @property
    def resumes(self) -> ResumeRepository: ...
    @property
    def steps(self) -> StepRepository: ...
    @property
    def tasks(self) -> TaskQueue: ...
    @property
    def outbox(self) -> MailOutbox: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None: ...


# ---------------------------------------------------------------------------------------------- read models


@dataclass(frozen=True, slots=True, kw_only=True)
class JobFilters:
    published: bool | None = None
    skills: tuple[str, ...] = ()
    must_skills: tuple[str, ...] = ()
    order: str = "-created_at"


@dataclass(frozen=True, slots=True, kw_only=True)
class JobCard:
    job: Job
    settings: HiringSettings
    owner: AtsUser | None
    shared_with: list[AtsUser]
    applicants_count: int
    applicants_today_count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateFilters:
    job: int | None = None
    stage: str | None = None
    name: str | None = None
    email: str | None = None
    skills: tuple[str, ...] = ()
    city: str | None = None
    state: str | None = None
    score_gte: int | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    order: str = "-created_at"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeCard:
    resume: Resume
    candidate_name: str
    candidate_email: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateCard:
    candidate: Candidate
    resume: Resume | None
    applied_jobs: list[tuple[int, str]]
    current_stage: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusFilters:
    job: int | None = None
    candidate: int | None = None
    status: str | None = None
    order: str = "-updated_at"


@dataclass(frozen=True, slots=True, kw_only=True)
class StepCard:
    step: Step
    candidate_name: str
    candidate_email: str
    job_title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailCheck:
    exists: bool
    candidate_id: int | None = None
    applied_job: bool = False
    resume: str | None = None
    retries: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class StageCount:
    label: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Counts:
    jobs: int
    applicants: int
    extra: dict[str, int] = field(default_factory=dict)


class AtsReads(Protocol):
    async def jobs(self, seat: Seat, filters: JobFilters, page: PageRequest, today: date) -> Page[JobCard]: ...

    async def job(self, seat: Seat, job_id: int, today: date) -> JobCard | None:
        """One job if the seat sees it (not deleted)."""
        ...

    async def candidates(self, seat: Seat, filters: CandidateFilters, page: PageRequest) -> Page[CandidateCard]: ...

    async def candidate(self, seat: Seat, candidate_id: int, job_id: int | None) -> CandidateCard | None: ...

    async def resumes(self, seat: Seat, job_id: int | None, order: str, page: PageRequest) -> Page[ResumeCard]: ...

    async def resume(self, seat: Seat, resume_id: int) -> ResumeCard | None: ...

    async def statuses(self, seat: Seat, filters: StatusFilters, page: PageRequest) -> Page[StatusEvent]:
        """The latest status of each visible (candidate, job): greatest ``updated_at``, ties the greatest id."""
        ...

    async def history(self, seat: Seat, job_id: int | None, candidate_id: int | None, page: PageRequest
                      ) -> Page[StatusEvent]: ...

    async def steps(self, seat: Seat, kind: str, job_id: int | None, page: PageRequest) -> Page[StepCard]: ...

    async def step(self, seat: Seat, kind: str, step_id: int) -> StepCard | None: ...

    async def stage_counts(self, job_id: int) -> list[StageCount]:
        """How many applications of the job stand at each stage and holding status."""
        ...

    async def counts(self, seat: Seat) -> Counts: ...

    async def check_email(self, job_id: int, email: str) -> EmailCheck: ...
