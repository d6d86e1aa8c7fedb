"""What the board's lists show: read models, computed for one viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.jobs.model.board import Job

__all__ = ("ApplicantCard", "ApplicantView", "AppliedView", "JobView", "RecentApplicant", "SearchFilters")


@dataclass(frozen=True, slots=True, kw_only=True)
class JobView:
    job: Job
    is_saved: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AppliedView:
    """One of the viewer's applications."""

    id: int
    applied_at: datetime
    job: Job


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicantCard:
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str | None
    qualification: str
    resume: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicantView:
    id: int
    applied_at: datetime
    applicant: ApplicantCard


@dataclass(frozen=True, slots=True, kw_only=True)
class RecentApplicant:
    id: int
    first_name: str
    last_name: str
    job_title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchFilters:
    """``terms``: every one must be a word of the title or organization; the others are equalities."""

    terms: tuple[str, ...] = ()
    employment_type: str | None = None
    work_type: str | None = None
    experience_level: str | None = None
    country: str | None = None
