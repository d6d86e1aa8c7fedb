"""Wire shapes of the recruiter ATS (``/ats/``): the seed's job, candidate and resume shapes (``spec/ats-api.md``),
statuses, the step (test log / screening) shapes, members and counts. Scores are written as the seed writes them:
decimal strings (``"8.900"`` overall, ``"3.90"`` per component, ``"0.30"`` per weight)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from adapters.http.wire import NO_NUL, MaybeFlag, MaybeMoment

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Short = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=1000)]
Long = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=50_000)]
Choice = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)]
Years = Annotated[int, msgspec.Meta(ge=0, le=60)]
Fraction = float | Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=16)]


class _In(msgspec.Struct, kw_only=True):
    """Request bodies: unknown keys are ignored."""


class _Out(msgspec.Struct, kw_only=True):
    pass


# ------------------------------------------------------------------------------------------- requests


class WeightsBody(_In):
    skills: Fraction
    work_experience: Fraction
    projects: Fraction
    education: Fraction
    certifications: Fraction


class SkillBody(_In):
    value: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)]
    label: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)] | None = None


class AtsJobBody(_In):
    title: Short | None = None
    description: Long | None = None
    organization: Short | None = None
    employment_type: Choice | None = None
    work_type: Choice | None = None
    country: Short | None = None
    salary: Short | None = None
    overview: Long | None = None
    experience_level: Choice | None = None
    application_deadline: date | None = None
    close_date: date | None = None
    published: MaybeFlag = None
    min_experience: Years | None = None
    max_experience: Years | None = None
    location: Short | None = None
    must_have_skills: Annotated[list[SkillBody | Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)]],
                                msgspec.Meta(max_length=50)] | None = None
    score_weight: WeightsBody | None = None
    threshold: Annotated[float, msgspec.Meta(ge=0, le=10)] | None = None
    new_applicant_notify: MaybeFlag = None
    users_shared_with: Annotated[list[Id], msgspec.Meta(max_length=200)] | None = None


class ShareBody(_In):
    user_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=200)]


class MemberBody(_In):
    user_id: Id
    role: Choice


class RoleBody(_In):
    role: Choice


class CandidateForm(_In):
    job: Id
    name: Annotated[str, msgspec.Meta(pattern=NO_NUL, min_length=1, max_length=250)]
    email: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=254)]
    contact: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=50)] = ""
    city: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)] = ""
    state: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)] = ""


class CandidateEditBody(_In):
    name: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=250)] | None = None
    email: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=254)] | None = None
    contact: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=50)] | None = None
    city: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)] | None = None
    state: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)] | None = None


class MoveBody(_In):
    candidate: Id
    job: Id
    status: Choice
    stage_name: Choice
    reason: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=2000)] = ""


class TestLogBody(_In):
    job: Id
    assigned_to: Id
    valid_to: MaybeMoment = None


class ScreeningBody(_In):
    job: Id
    candidates: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=100)]
    valid_to: MaybeMoment = None


class StepEditBody(_In):
    is_approved: MaybeFlag = None
    revoked: MaybeFlag = None
    valid_to: MaybeMoment = None


# ------------------------------------------------------------------------------------------- responses


class PersonRead(_Out):
    id: int
    name: str
    email: str
    org: int
    role: dict[str, str]


class SkillRead(_Out):
    label: str
    value: str


class WeightsRead(_Out):
    id: int
    skills: str
    work_experience: str
    projects: str
    education: str
    certifications: str
    user: None = None


class AtsJobRead(_Out):
    id: int
    title: str
    description: str
    jd_html: str
    applicants_count: int
    applicants_today_count: int
    experience: int | None
    min_experience: int | None
    max_experience: int | None
    encrypted: str | None
    owner: PersonRead | None
    employment_type: str
    work_type: str
    location: str
    country: str
    published: bool
    status: str
    closing_in: int
    close_date: date
    created_at: datetime
    users_shared_with: list[PersonRead]
    must_have_skills: list[SkillRead]
    score_weight: WeightsRead
    threshold: str
    new_applicant_notify: bool


class AtsJobPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[AtsJobRead]


class SharedRead(_Out):
    job: int
    users_shared_with: list[int]


class StageFilterRead(_Out):
    label: str
    count: int
    backgroundColor: str
    color: str


class MemberRead(_Out):
    user_id: int
    name: str
    email: str
    role: str


class ResumeScoreRead(_Out):
    id: int
    ai_score: bool
    skills_score: str | None
    work_exp_score: str | None
    projects_score: str | None
    education_score: str | None
    certifications_score: str | None
    overall_score: str | None
    feedback: None
    job: int
    user: None
    score_weight: None


class ResumeRead(_Out):
    id: int
    name: str
    job: int
    candidate: int
    file: str
    status_text: str
    relevant_experience_in_months: int | None
    overall_score: str | None
    resume_score: ResumeScoreRead
    skills_matched: list[str]
    score_reasons: list[str]
    processing_state: str
    processing_message: str
    completed: bool
    is_approved: bool
    approved_by: int | None
    updated_by: None
    created_at: datetime
    updated_at: datetime


class ResumeListItemRead(ResumeRead, kw_only=True):
    candidate_name: str
    candidate_email: str


class ResumePageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[ResumeListItemRead]


class AppliedJobRead(_Out):
    id: int
    title: str


class LocationRead(_Out):
    city: str
    state: str


class CandidateRead(_Out):
    id: int
    name: str
    email: str
    profile_pic: str | None
    contact: str
    location: LocationRead
    platform_user: int | None
    resumes: ResumeRead | None
    applied_jobs: list[AppliedJobRead]
    current_stage: str
    created_at: datetime
    updated_at: datetime


class CandidatePageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[CandidateRead]


class StatusRead(_Out):
    id: int
    candidate: int
    job: int
    status: str
    stage_name: str
    reason: str
    origin: str
    update_by: int | None
    updated_at: datetime


class StatusPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[StatusRead]


class StepRead(_Out):
    id: int
    key: str
    link: str
    job: int
    job_title: str
    assigned_to: int
    candidate: int
    candidate_name: str
    candidate_email: str
    assigned_by: int | None
    assigned_at: datetime
    valid_to: datetime
    expired_at: datetime
    status_text: str
    link_opened: bool
    link_opened_at: datetime | None
    attempts: int
    max_attempts: int
    completed: bool
    completed_at: datetime | None
    revoked: bool
    is_approved: bool
    approved_by: int | None
    approved_at: datetime | None
    updated_at: datetime


class StepPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[StepRead]


class PublicStepRead(_Out):
    key: str
    job_title: str
    status_text: str
    valid_to: datetime
    attempts_left: int
    completed_at: datetime | None


class CountRead(_Out):
    jobs: int
    applicants: int


class EmailCheckRead(_Out):
    exists: bool
    id: int | None
    applied_job: bool
    resume: str | None
    retries: int
