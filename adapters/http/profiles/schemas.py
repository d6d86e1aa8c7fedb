"""Wire shapes of the profile endpoints (spec: Profile Retrieve … Delete Project Catalogue, User Search)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from adapters.http.wire import NO_NUL, WebUrl

__all__ = (
    "AnalyticsPrivateRead",
    "AnalyticsRead",
    "CertificationBody",
    "CertificationRead",
    "CompletionRead",
    "EducationBody",
    "EducationRead",
    "EducationUpdateBody",
    "EmployerProfileRead",
    "EmployerUpdateRead",
    "ExperienceBody",
    "ExperienceCreatedRead",
    "ExperienceRead",
    "ExperienceUpdateBody",
    "IndustryBody",
    "IndustryRead",
    "LearnerProfileRead",
    "LearnerUpdateRead",
    "MemberEntry",
    "MentorProfileRead",
    "MentorUpdateRead",
    "MiniCard",
    "ProfileForm",
    "ProjectForm",
    "ProjectRead",
    "SearchHitRead",
    "SearchPageRead",
    "SettingsBody",
    "SettingsRead",
)

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Text = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=5000)]
Short = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=500)]


class _In(msgspec.Struct, kw_only=True):
    """Request bodies: unknown keys are ignored."""


class _Out(msgspec.Struct, kw_only=True):
    pass


# ------------------------------------------------------------------------------------------- requests


class ProfileForm(_In):
    """JSON or multipart text fields of ``PUT /user/profile-update/`` (files travel as multipart parts)."""

    first_name: Short | None = None
    last_name: Short | None = None
    middle_name: Short | None = None
    country_code: Short | None = None
    phone_number: Short | None = None
    qualification: Short | None = None
    position: Short | None = None
    location: Short | None = None
    bio: Text | None = None
    summary: Text | None = None
    timezone: Short | None = None
    industry: Short | None = None
    years_of_experience: Annotated[int, msgspec.Meta(ge=0, le=100)] | None = None
    availability: Short | None = None
    current_job: Short | None = None
    areas_of_expertise: list[Short] | None = None
    technical_skills: list[Short] | None = None
    mentorship_styles: list[Short] | None = None
    session_rate: Decimal | None = None
    linkedin_url: WebUrl | None = None
    company_name: Short | None = None
    company_type: Short | None = None
    company_size: Short | None = None
    website: WebUrl | None = None
    tagline: Short | None = None


class IndustryBody(_In):
    industry: Short


class ExperienceBody(_In):
    title: Short | None = None
    organization: Short | None = None
    start_date: Short | None = None
    end_date: Short | None = None
    location: Short | None = None
    employment_type: Short | None = None
    detail: Text | None = None


class ExperienceUpdateBody(ExperienceBody, kw_only=True):
    """The experience fields to change, and the ``id`` of the record."""

    id: Id


class EducationBody(_In):
    course: Short | None = None
    school: Short | None = None
    start_date: Short | None = None
    end_date: Short | None = None
    location: Short | None = None
    detail: Text | None = None


class EducationUpdateBody(EducationBody, kw_only=True):
    """The education fields to change, and the ``id`` of the record."""

    id: Id


class CertificationBody(_In):
    title: Short
    school: Short
    issue_date: Short = ""
    cert_id: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=1000)] = ""
    skills: Text = ""


class SettingsBody(_In):
    email_notify: bool | None = None
    push_notify: bool | None = None
    message_notify: bool | None = None
    weekly_summary: bool | None = None
    job_alerts: bool | None = None
    marketing: bool | None = None
    show_email: bool | None = None
    show_activity: bool | None = None
    show_location: bool | None = None
    timezone: Short | None = None


class ProjectForm(_In):
    title: Short
    description: Text


# ------------------------------------------------------------------------------------------ responses


class ExperienceRead(_Out):
    id: int
    title: str
    organization: str
    start_date: str
    end_date: str
    location: str
    employment_type: str
    detail: str


ExperienceCreatedRead = ExperienceRead


class EducationRead(_Out):
    id: int
    course: str
    school: str
    start_date: str
    end_date: str
    location: str
    detail: str


class CertificationRead(_Out):
    id: int
    title: str
    school: str
    issue_date: str
    cert_id: str
    skills: str


class MiniCard(_Out):
    id: int
    name: str
    profile_photo: str
    extras: str | None


class MemberEntry(_Out):
    member: MiniCard


class LearnerProfileRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    country_code: str
    phone_number: str
    cover_photo: str
    profile_photo: str
    location: str
    position: str
    bio: str
    qualification: str
    intro_video: str
    summary: str
    experience: list[ExperienceRead]
    education: list[EducationRead]
    certification: list[CertificationRead]
    followers: int
    followings: int
    resume: str
    timezone: str
    user_type: Literal["learner"]
    industry: str
    email: str | None
    can_message: bool
    can_follow: bool


class MentorProfileRead(LearnerProfileRead, kw_only=True):
    user_type: Literal["mentor"]  # type: ignore[assignment]
    years_of_experience: int | None
    availability: str | None
    current_job: str | None
    areas_of_expertise: list[str]
    technical_skills: list[str]
    mentorship_styles: list[str]
    linkedin_url: str | None
    session_rate: str
    rating: int


class EmployerProfileRead(_Out):
    id: int
    company_name: str | None
    company_type: str | None
    industry: str
    company_size: str | None
    country_code: str
    phone_number: str
    location: str
    website: str | None
    tagline: str | None
    logo: str
    cover_photo: str
    members: list[MemberEntry]
    user_type: Literal["employer"]
    email: str | None
    followers: int
    followings: int
    can_message: bool
    can_follow: bool


class LearnerUpdateRead(_Out):
    first_name: str
    last_name: str
    middle_name: str
    country_code: str
    phone_number: str
    profile_photo: str
    cover_photo: str
    qualification: str
    intro_video: str
    location: str
    bio: str
    position: str
    summary: str
    resume: str
    timezone: str
    user_type: Literal["learner"]


class MentorUpdateRead(LearnerUpdateRead, kw_only=True):
    user_type: Literal["mentor"]  # type: ignore[assignment]
    years_of_experience: int | None
    availability: str | None
    current_job: str | None
    areas_of_expertise: list[str]
    technical_skills: list[str]
    mentorship_styles: list[str]
    linkedin_url: str | None
    session_rate: str


class EmployerUpdateRead(_Out):
    id: int
    company_name: str | None
    company_type: str | None
    company_size: str | None
    country_code: str
    phone_number: str
    location: str
    website: str | None
    tagline: str | None
    logo: str
    cover_photo: str
    user_type: Literal["employer"] = "employer"


class IndustryRead(_Out):
    industry: str
    email: str


class AnalyticsRead(_Out):
    total_posts: int
    total_views: int
    total_connections: int


class AnalyticsPrivateRead(_Out):
    analytics: str


class CompletionRead(_Out):
    completion: int
    incomplete_items: list[str]
    complete_items: list[str]


class SettingsRead(_Out):
    email_notify: bool
    push_notify: bool
    message_notify: bool
    weekly_summary: bool
    job_alerts: bool
    marketing: bool
    show_email: bool
    show_activity: bool
    show_location: bool
    timezone: str


class SearchHitRead(_Out):
    id: int
    name: str
    qualification: str | None
    profile_photo: str
    user_type: str


class SearchPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[SearchHitRead]


class ProjectRead(_Out):
    id: int
    title: str
    description: str
    image: str
    download_material: str | None
