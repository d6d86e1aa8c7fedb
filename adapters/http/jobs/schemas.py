"""Wire shapes of the job board (spec: Job Create … Retrieve Recent Applicants, plus job details and search).

Dates are ISO ``YYYY-MM-DD``; ``time_stamp`` is the posting day. Choice fields are validated by the service (DRF's
``"x" is not a valid choice.``), so the schema only bounds their length."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from adapters.http.wire import NO_NUL

__all__ = (
    "ApplicantCardRead",
    "ApplicantPageRead",
    "ApplicantRead",
    "ApplicationStatusRead",
    "AppliedItemRead",
    "AppliedJobRead",
    "ApplyBody",
    "JobBody",
    "JobCreatedRead",
    "JobEditBody",
    "JobPageRead",
    "JobRead",
    "PreferenceBody",
    "PreferenceRead",
    "PreferenceStateRead",
    "RecentApplicantRead",
    "SaveBody",
    "SavedJobRead",
    "SavedRead",
    "StatusBody",
)

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Short = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=1000)]
Long = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=50_000)]
Choice = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)]


class _In(msgspec.Struct, kw_only=True):
    """Request bodies: unknown keys are ignored."""


class _Out(msgspec.Struct, kw_only=True):
    pass


# ------------------------------------------------------------------------------------------- requests


class JobBody(_In):
    title: Short
    organization: Short
    employment_type: Choice
    work_type: Choice
    country: Short
    salary: Short
    overview: Long
    description: Long
    experience_level: Choice
    application_deadline: date
    status: Choice | None = None


class JobEditBody(_In):
    title: Short | None = None
    organization: Short | None = None
    employment_type: Choice | None = None
    work_type: Choice | None = None
    country: Short | None = None
    salary: Short | None = None
    overview: Long | None = None
    description: Long | None = None
    experience_level: Choice | None = None
    application_deadline: date | None = None
    status: Choice | None = None


class StatusBody(_In):
    job: Id
    status: Choice


class ApplyBody(_In):
    job: Id


class SaveBody(_In):
    job: Id


class PreferenceBody(_In):
    title: Short
    employment_type: Choice
    work_type: Choice
    industry: Choice
    experience_level: Choice


# ------------------------------------------------------------------------------------------- responses


class JobCreatedRead(_Out):
    id: int
    title: str
    organization: str
    employment_type: str
    work_type: str
    country: str
    salary: str
    overview: str
    description: str
    industry: str
    experience_level: str
    application_deadline: date
    status: str


class JobRead(_Out):
    """One job as lists and details show it; ``status`` matters to its poster (everyone else sees active jobs)."""

    id: int
    title: str
    organization: str
    employment_type: str
    work_type: str
    country: str
    salary: str
    overview: str
    description: str
    industry: str
    experience_level: str
    time_stamp: date
    application_deadline: date
    status: str
    is_saved: bool


class JobPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[JobRead]


class SavedJobRead(_Out):
    id: int
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
    status: str


class SavedRead(_Out):
    job: SavedJobRead


class ApplicationStatusRead(_Out):
    application_status: str


class AppliedJobRead(_Out):
    id: int
    title: str
    employment_type: str
    salary: str
    country: str
    organization: str
    posted_on: date


class AppliedItemRead(_Out):
    id: int
    job: AppliedJobRead


class ApplicantCardRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str
    resume: str


class ApplicantRead(_Out):
    id: int
    applicant: ApplicantCardRead


class ApplicantPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[ApplicantRead]


class RecentApplicantRead(_Out):
    id: int
    applicant: str
    job_name: str


class PreferenceRead(_Out):
    title: str
    employment_type: str
    work_type: str
    industry: str
    experience_level: str


class PreferenceStateRead(_Out):
    title: str
    employment_type: str
    work_type: str
    industry: str
    experience_level: str
    preference_set: bool
