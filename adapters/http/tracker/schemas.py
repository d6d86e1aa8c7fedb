"""Wire shapes of the native tracker API (``/tracker/``). Requests ignore unknown keys; dates are ISO 8601; pay
amounts are integers in minor units with an ISO 4217 currency."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec

from adapters.http.wire import NO_NUL, Flag, MaybeFlag, MaybeMoment

__all__ = (
    "ApplicationBody",
    "ApplicationEditBody",
    "ApplicationPageRead",
    "ApplicationRead",
    "BulkDeleteBody",
    "BulkStatusBody",
    "CompanyCountRead",
    "DashboardRowRead",
    "EventRead",
    "MonthlyRead",
    "NoteBody",
    "NoteEditBody",
    "NoteRead",
    "OpportunityBody",
    "OpportunityRead",
    "PayRead",
    "PostingReportRead",
    "SiteBody",
    "SiteCountRead",
    "SiteRead",
    "StatusCountRead",
    "StatusRead",
    "SummaryRead",
    "TitleStatusRead",
    "WeekCountRead",
)

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Text = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=2048)]
Long = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=50_000)]
Amount = Annotated[int, msgspec.Meta(ge=0, le=10**15)]
StatusRef = int | Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=32)]
Word = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)]


class _In(msgspec.Struct, kw_only=True):
    """Request bodies: unknown keys are ignored."""


class _Out(msgspec.Struct, kw_only=True):
    pass


class ApplicationBody(_In):
    title: Text
    company: Text
    source: Text = ""
    status: StatusRef | None = None
    rejected: Flag = False
    rejected_stage: Text = ""
    applied_on: date | None = None
    applied_at: MaybeMoment = None
    interviewed_at: MaybeMoment = None
    site_id: Id | None = None
    external_url: Text = ""
    location: Text = ""
    employment_type: Text = ""
    work_type: Text = ""
    pay_min: Amount | None = None
    pay_max: Amount | None = None
    pay_currency: Text = ""
    description: Long = ""
    tech_stack: Annotated[list[Word], msgspec.Meta(max_length=100)] = []
    time_spent_min: Annotated[int, msgspec.Meta(ge=0, le=10**6)] | None = None


class ApplicationEditBody(_In):
    title: Text | None = None
    company: Text | None = None
    source: Text | None = None
    status: StatusRef | None = None
    rejected: MaybeFlag = None
    rejected_stage: Text | None = None
    applied_on: date | None = None
    applied_at: MaybeMoment = None
    interviewed_at: MaybeMoment = None
    site_id: Id | None = None
    external_url: Text | None = None
    location: Text | None = None
    employment_type: Text | None = None
    work_type: Text | None = None
    pay_min: Amount | None = None
    pay_max: Amount | None = None
    pay_currency: Text | None = None
    description: Long | None = None
    tech_stack: Annotated[list[Word], msgspec.Meta(max_length=100)] | None = None
    time_spent_min: Annotated[int, msgspec.Meta(ge=0, le=10**6)] | None = None


class BulkStatusBody(_In):
    ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=500)]
    status: StatusRef | None = None
    rejected: MaybeFlag = None


class BulkDeleteBody(_In):
    ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=500)]


class NoteBody(_In):
    body: Long
    kind: Word = "general"
    at: MaybeMoment = None


class NoteEditBody(_In):
    body: Long
    kind: Word | None = None


class SiteBody(_In):
    name: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)] = ""
    url: Text = ""
    rating: Annotated[int, msgspec.Meta(ge=0, le=10)] = 1
    resume_format: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=32)] = ""
    requires_github: Flag = False
    requires_portfolio: Flag = False
    last_visited_at: MaybeMoment = None
    resume_updated_at: MaybeMoment = None
    headline: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=512)] = ""
    description: Long = ""


class OpportunityBody(_In):
    title: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=128)]
    recruiter_name: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)]
    recruiter_company: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)]
    status: Word = "ignored"
    received_at: MaybeMoment = None
    employment_type: Word = ""
    duration: Word = ""
    work_type: Word = ""
    location: Word = ""
    description: Long = ""


# ------------------------------------------------------------------------------------------- responses


class StatusRead(_Out):
    id: int
    name: str
    pos: int
    rejectable: bool
    is_default: bool


class PayRead(_Out):
    min: int | None
    max: int | None
    currency: str


class ApplicationRead(_Out):
    id: int
    title: str
    company: str
    source: str
    status: StatusRead
    rejected: bool
    rejected_at: datetime | None
    rejected_stage: str
    applied_on: date
    applied_at: datetime
    interviewed_at: datetime | None
    job: int | None
    board_application: int | None
    site_id: int | None
    external_url: str
    location: str
    employment_type: str
    work_type: str
    pay: PayRead | None
    description: str
    tech_stack: list[str]
    time_spent_min: int | None
    created_at: datetime
    updated_at: datetime


class ApplicationPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[ApplicationRead]


class EventRead(_Out):
    id: int
    kind: str
    from_status: str | None
    to_status: str | None
    origin: str
    at: datetime


class NoteRead(_Out):
    id: int
    application: int
    kind: str
    body: str
    at: datetime
    updated_at: datetime | None


class SiteRead(_Out):
    id: int
    name: str
    url: str
    rating: int
    resume_format: str
    requires_github: bool
    requires_portfolio: bool
    last_visited_at: datetime | None
    resume_updated_at: datetime | None
    headline: str
    description: str
    created_at: datetime


class OpportunityRead(_Out):
    id: int
    title: str
    status: str
    active: bool
    recruiter_name: str
    recruiter_company: str
    received_at: datetime
    employment_type: str
    duration: str
    work_type: str
    location: str
    description: str
    application: int | None
    created_at: datetime


class StatusCountRead(_Out):
    status: StatusRead
    count: int


class SummaryRead(_Out):
    total: int
    by_status: list[StatusCountRead]


class MonthlyRead(_Out):
    months: list[str]
    series: list[dict[str, Any]]


class CompanyCountRead(_Out):
    company: str
    count: int


class TitleStatusRead(_Out):
    titles: list[str]
    statuses: list[StatusRead]
    data: list[dict[str, Any]]


class PostingReportRead(_Out):
    id: int
    title: str
    company: str
    status: str
    rejected: bool
    rejected_stage: str
    applied_on: date
    site_id: int | None
    site_name: str


class SiteCountRead(_Out):
    site_id: int | None
    site_name: str
    count: int


class WeekCountRead(_Out):
    week: str
    monday: date
    count: int


class DashboardRowRead(_Out):
    start: date
    end: date | None
    total: int
    responded: int
