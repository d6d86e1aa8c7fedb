"""The job board: postings with one explicit status machine, applications (the ATS application of a later module:
one row per job × applicant), saved jobs, job preferences, and how a preference matches a job."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from core.jobs.model.kernel import EmploymentType, ExperienceLevel, WorkType, words
from core.shared.errors import InvalidInput, PermissionDenied
from core.shared.events import DomainEvent
from core.shared.model import Entity

__all__ = (
    "ALERT_MIN_SCORE",
    "TITLE_MAX",
    "Application",
    "ApplicationStage",
    "Job",
    "JobAlerted",
    "JobApplied",
    "JobPublished",
    "JobStatus",
    "Preference",
    "match_score",
    "transition_allowed",
)

TITLE_MAX = 250
TEXT_MAX = 250
BODY_MAX = 20_000


class JobStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class ApplicationStage(StrEnum):
    """Where an application stands; the board only ever creates ``applied`` (the ATS module moves it on)."""

    APPLIED = "applied"


# The one rule set of status changes: draft → active → closed, closed ↔ active; back to draft only while nobody
# has applied (a draft accepts no applications, so it must not hide existing ones). Staying put is allowed.
_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.DRAFT: frozenset({JobStatus.DRAFT, JobStatus.ACTIVE, JobStatus.CLOSED}),
    JobStatus.ACTIVE: frozenset({JobStatus.ACTIVE, JobStatus.CLOSED, JobStatus.DRAFT}),
    JobStatus.CLOSED: frozenset({JobStatus.CLOSED, JobStatus.ACTIVE, JobStatus.DRAFT}),
}


def transition_allowed(current: JobStatus, wanted: JobStatus, *, has_applications: bool) -> bool:
    if wanted not in _TRANSITIONS[current]:
        return False
    return not (wanted is JobStatus.DRAFT and current is not JobStatus.DRAFT and has_applications)


@dataclass(frozen=True, kw_only=True)
class JobPublished(DomainEvent):
    """A job became active (created active, or moved to active): alert matching runs for it."""

    job_id: int
    poster_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class JobApplied(DomainEvent):
    """``actor_id`` applied for ``job_id``; the poster (``recipient_id``) is told."""

    application_id: int
    job_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class JobAlerted(DomainEvent):
    """``job_id`` (posted by ``actor_id``) matches the job preference of ``recipient_id``: sent once per pair."""

    job_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(eq=False, kw_only=True)
class Job(Entity):
    poster_id: int
    title: str
    organization: str
    employment_type: EmploymentType
    work_type: WorkType
    country: str
    salary: str
    overview: str
    description: str
    experience_level: ExperienceLevel
    application_deadline: date
    created_at: datetime
    updated_at: datetime
    status: JobStatus = JobStatus.ACTIVE
    industries: tuple[str, ...] = ("others",)

    @property
    def industry(self) -> str:
        """The comma list the wire shows."""
        return ",".join(self.industries)

    def expired(self, today: date) -> bool:
        """Applying on the deadline day is allowed; the day after it is not."""
        return today > self.application_deadline

    def open_for_applications(self, today: date) -> bool:
        return self.status is JobStatus.ACTIVE and not self.expired(today)

    def check_open(self, today: date) -> None:
        if self.status is JobStatus.DRAFT:
            raise InvalidInput.field("job", "This job is not open for applications.")
        if self.status is JobStatus.CLOSED:
            raise InvalidInput.field("job", "This job has been closed")
        if self.expired(today):
            raise InvalidInput.field("job", "No more applications are allowed for this job.")

    def move_to(self, wanted: JobStatus, *, today: date, now: datetime, has_applications: bool) -> bool:
        """Apply a status change; ``True`` when the job was just published (became active)."""
        if not transition_allowed(self.status, wanted, has_applications=has_applications):
            raise PermissionDenied(
                f"A job cannot go from {self.status} to {wanted}: it has applications."
                if wanted is JobStatus.DRAFT
                else f"A job cannot go from {self.status} to {wanted}."
            )
        if wanted is JobStatus.ACTIVE and self.status is not JobStatus.ACTIVE and self.expired(today):
            raise InvalidInput.field("status", "The application deadline has passed: this job cannot be activated.")
        published = wanted is JobStatus.ACTIVE and self.status is not JobStatus.ACTIVE
        self.status = wanted
        self.updated_at = now
        if published:
            self.record(JobPublished(job_id=self.id, poster_id=self.poster_id, occurred_at=now))
        return published


@dataclass(eq=False, kw_only=True)
class Application(Entity):
    """One applicant's application for one job (unique per pair)."""

    job_id: int
    applicant_id: int
    poster_id: int
    applied_at: datetime
    stage: ApplicationStage = ApplicationStage.APPLIED


@dataclass(kw_only=True)
class Preference:
    """What job alerts and recommendations look for (one per user)."""

    user_id: int
    title: str
    employment_type: EmploymentType
    work_type: WorkType
    industry: str
    experience_level: ExperienceLevel
    updated_at: datetime
    terms: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.terms:
            self.terms = words(self.title)


# A preference matches a job (an alert is sent) when the job carries the preference's industry, at least one word of
# the preference's title is a word of the job's title, and at most one of employment type, work type and experience
# level differs: a score of 2 (title) + 1 per agreeing criterion, at least ALERT_MIN_SCORE.
ALERT_MIN_SCORE = 4


def match_score(
    *,
    job_terms: tuple[str, ...],
    employment_type: str,
    work_type: str,
    experience_level: str,
    preference_terms: tuple[str, ...],
    preferred_employment_type: str,
    preferred_work_type: str,
    preferred_experience_level: str,
) -> int:
    """How well a job fits a preference (industry agreement is checked by the caller): 2 when a title word is
    shared, plus one for each of employment type, work type and experience level that agrees (0..5)."""
    score = 2 if set(job_terms) & set(preference_terms) else 0
    score += employment_type == preferred_employment_type
    score += work_type == preferred_work_type
    score += experience_level == preferred_experience_level
    return score
