"""Wire shapes of the job-search-tracker-compatible face (``spec/job-search-tracker-api.md``, behaviors §1): its
field names; requests ignore unknown keys (``site_password`` and ``posting_password`` are never stored)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from adapters.http.wire import NO_NUL, Flag, MaybeMoment

__all__ = (
    "CommentItem",
    "CredentialsBody",
    "JstOpportunityBody",
    "JstPostingBody",
    "JstSiteBody",
    "RefreshBody",
    "RegisterBody",
    "UserUpdateBody",
)


S24 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=24)]
S32 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=32)]
S48 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=48)]
S64 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)]
S128 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=128)]
S150 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=150)]
S256 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=256)]
S320 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=320)]
S512 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=512)]
S1024 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=1024)]
S2048 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=2048)]
S4096 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=4096)]
S5000 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=5000)]
S50000 = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=50000)]


class _In(msgspec.Struct, kw_only=True):
    pass


class CommentItem(_In):
    id: Any = None
    commented_at: MaybeMoment = None
    comment_type: S64 = ""
    comment_content: S50000 = ""


class JstSiteBody(_In):
    site_name: S64 = ""
    site_url: S2048 = ""
    rating: Annotated[int, msgspec.Meta(ge=0, le=10)] = 1
    resume_format: S32 = ""
    github_field: Flag = False
    project_site_field: Flag = False
    last_visited_at: MaybeMoment = None
    resume_updated_at: MaybeMoment = None
    headline: S512 = ""
    description: S50000 | None = None


class JstPostingBody(_In):
    job_site_id: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)] | None = None
    company_name: S128 = ""
    posting_title: S128 = ""
    posting_status: S32 = "4 - No Response"
    posting_url_full: S2048 = ""
    posting_url_domain: S32 = ""
    pay_range: S256 = ""
    location_type: S32 = ""
    location_city: S64 = ""
    employment_type: S32 = ""
    applied_at: MaybeMoment = None
    interviewed_at: MaybeMoment = None
    rejected_at: MaybeMoment = None
    rejected_after_stage: S32 = ""
    job_scan_info: S64 = ""
    outreach_info: S64 = ""
    time_spent: Annotated[int, msgspec.Meta(ge=0, le=10**6)] | None = None
    technology_string: S512 = ""
    technology_stack: Annotated[list[S64], msgspec.Meta(max_length=100)] = []
    comments: Annotated[list[CommentItem], msgspec.Meta(max_length=500)] = []
    posting_application_questions: Annotated[list[Any], msgspec.Meta(max_length=100)] = []
    job_description: S50000 | None = None


class JstOpportunityBody(_In):
    job_title: S128 | None = None
    opportunity_status: S48 | None = None
    recruiter_name: S64 | None = None
    recruiter_company: S64 | None = None
    email_received_at: MaybeMoment = None
    employment_type: S24 = ""
    job_duration: S64 = ""
    location_type: S32 = ""
    location_city: S64 = ""
    comments: Annotated[list[Any], msgspec.Meta(max_length=500)] = []
    job_description: S50000 = ""


class CredentialsBody(_In):
    username: S320 | None = None
    password: S1024 | None = None


class RefreshBody(_In):
    refresh: S4096 | None = None


class RegisterBody(_In):
    username: S320 | None = None
    email: S320 | None = None
    first_name: S150 | None = None
    last_name: S150 | None = None
    password: S1024 | None = None


class UserUpdateBody(_In):
    """Partial on PUT and PATCH; ``password`` is not changed here (as in the original)."""

    username: S320 | None = None
    email: S320 | None = None
    first_name: S150 | None = None
    last_name: S150 | None = None
    bio: S5000 | None = None
    user_greeting: S24 | None = None
    color_mode: S24 | None = None
    dashboard_first_date: S320 | None = None
    dashboard_second_date: S320 | None = None
