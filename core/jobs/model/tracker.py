"""The personal application tracker (``core/jobs/tracker``): tracked applications owned by one user, their
append-only event history, notes, the user's job sites, recruiter opportunities, and the statuses as data.

Statuses keep the ids of the JobHax frontend (1 APPLIED, 2 TO APPLY, 3 PHONE SCREEN, 4 ONSITE INTERVIEW, 5 OFFER)
and the board order TO APPLY, APPLIED, PHONE SCREEN, ONSITE INTERVIEW, OFFER (``pos``). Rejection is a flag
orthogonal to the status: the status stays at the stage where the rejection happened."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from core.shared.model import Entity

__all__ = (
    "APPLIED",
    "DEFAULT_STATUS",
    "OFFER",
    "ONSITE_INTERVIEW",
    "PHONE_SCREEN",
    "STATUSES",
    "TO_APPLY",
    "ApplicationEvent",
    "EventKind",
    "JobSite",
    "NoteKind",
    "Opportunity",
    "OpportunityStatus",
    "Origin",
    "TrackedApplication",
    "TrackerNote",
    "TrackerPrefs",
    "TrackerStatus",
    "company_key",
    "status_by_id",
    "status_by_name",
)

CAREER_NEXUS_SOURCE = "Career Nexus"


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackerStatus:
    """One status: ``id`` is the JobHax id, ``pos`` the board column order, ``rejectable`` whether the rejected
    flag may be set at this stage, ``is_default`` the status a parsed or linked application gets."""

    id: int
    name: str
    pos: int
    rejectable: bool = True
    is_default: bool = False


APPLIED = 1
TO_APPLY = 2
PHONE_SCREEN = 3
ONSITE_INTERVIEW = 4
OFFER = 5
DEFAULT_STATUS = APPLIED

STATUSES: tuple[TrackerStatus, ...] = (
    TrackerStatus(id=TO_APPLY, name="TO APPLY", pos=1, rejectable=False),
    TrackerStatus(id=APPLIED, name="APPLIED", pos=2, is_default=True),
    TrackerStatus(id=PHONE_SCREEN, name="PHONE SCREEN", pos=3),
    TrackerStatus(id=ONSITE_INTERVIEW, name="ONSITE INTERVIEW", pos=4),
    TrackerStatus(id=OFFER, name="OFFER", pos=5),
)
_BY_ID = {s.id: s for s in STATUSES}
_BY_NAME = {s.name: s for s in STATUSES}
# Statuses that mean the employer answered (the dashboard's "response" count).
RESPONDED = (PHONE_SCREEN, ONSITE_INTERVIEW, OFFER)


def status_by_id(status_id: int) -> TrackerStatus | None:
    return _BY_ID.get(status_id)


def status_by_name(name: str) -> TrackerStatus | None:
    return _BY_NAME.get(" ".join(name.replace("_", " ").split()).upper())


_SPACES = re.compile(r"\s+")


def company_key(text: str) -> str:
    """How companies (and titles) are grouped: NFKC, case-folded, inner whitespace collapsed, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


class Origin(StrEnum):
    USER = "user"
    BOARD = "board"
    ATS = "ats"
    MAIL = "mail"


class EventKind(StrEnum):
    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    REJECTED = "rejected"
    UNREJECTED = "unrejected"
    DELETED = "deleted"


class NoteKind(StrEnum):
    GENERAL = "general"
    RECRUITER_EMAIL = "recruiter_email"
    MY_EMAIL = "my_email"
    CALL = "call"


@dataclass(eq=False, kw_only=True)
class TrackedApplication(Entity):
    owner_id: int
    title: str
    company: str
    company_key: str = ""
    source: str = ""
    status_id: int = DEFAULT_STATUS
    is_rejected: bool = False
    rejected_at: datetime | None = None
    rejected_stage: str = ""
    applied_at: datetime
    # The calendar day of ``applied_at`` in the owner's time zone when it was recorded: what metrics count.
    applied_on: date
    interviewed_at: datetime | None = None
    job_id: int | None = None
    application_id: int | None = None
    site_id: int | None = None
    msg_id: str | None = None
    external_url: str = ""
    location: str = ""
    employment_type: str = ""
    work_type: str = ""
    pay_min: int | None = None
    pay_max: int | None = None
    pay_currency: str = ""
    description: str = ""
    tech_stack: list[str] = field(default_factory=list)
    questions: list[Any] = field(default_factory=list)
    time_spent_min: int | None = None
    # Fields of a compatible face kept as given but not interpreted (job-search-tracker: job_scan_info,
    # outreach_info, technology_string, pay_range text, posting_status label).
    extra: dict[str, str] = field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
    is_deleted: bool = False
    deleted_at: datetime | None = None

    def __post_init__(self) -> None:
        self.company_key = company_key(self.company)


@dataclass(kw_only=True)
class ApplicationEvent:
    """Append-only: one row per status change, rejection, un-rejection, creation and deletion."""

    id: int = 0
    application_id: int
    owner_id: int
    kind: str
    from_status_id: int | None = None
    to_status_id: int | None = None
    origin: str = Origin.USER.value
    at: datetime


@dataclass(kw_only=True)
class TrackerNote:
    id: int = 0
    application_id: int
    owner_id: int
    kind: str = NoteKind.GENERAL.value
    body: str
    at: datetime
    updated_at: datetime | None = None


@dataclass(kw_only=True)
class JobSite:
    """A user's notes about a job board. Never a password."""

    id: int = 0
    owner_id: int
    name: str = ""
    url: str = ""
    rating: int = 1
    resume_format: str = ""
    requires_github: bool = False
    requires_portfolio: bool = False
    last_visited_at: datetime | None = None
    resume_updated_at: datetime | None = None
    headline: str = ""
    description: str = ""
    created_at: datetime


class OpportunityStatus(StrEnum):
    """A recruiter contact's state (seed 001's labels are in ``OPPORTUNITY_LABELS``)."""

    IGNORED = "ignored"
    INTERESTED = "interested"
    RECRUITER_IGNORED = "recruiter_ignored"
    RTR_SIGNED = "rtr_signed"
    RTR_IGNORED = "rtr_ignored"
    INTERVIEWED_IGNORED = "interviewed_ignored"
    REJECTED = "rejected"
    AWAITING = "awaiting"
    ENGAGED = "engaged"
    CONVERTED = "converted"


INACTIVE_OPPORTUNITIES = (
    OpportunityStatus.IGNORED,
    OpportunityStatus.RECRUITER_IGNORED,
    OpportunityStatus.RTR_IGNORED,
    OpportunityStatus.INTERVIEWED_IGNORED,
    OpportunityStatus.REJECTED,
    OpportunityStatus.CONVERTED,
)
ACTIVE_OPPORTUNITIES = tuple(s for s in OpportunityStatus if s not in INACTIVE_OPPORTUNITIES)

OPPORTUNITY_LABELS: dict[OpportunityStatus, str] = {
    OpportunityStatus.IGNORED: "6 - Opportunity Ignored",
    OpportunityStatus.INTERESTED: "5 - Showed Opportunity Interest",
    OpportunityStatus.RECRUITER_IGNORED: "4 - Recruiter Ignored Interest",
    OpportunityStatus.RTR_SIGNED: "3 - Right to Represent Signed",
    OpportunityStatus.RTR_IGNORED: "2.7 - Right to Represent Ignored",
    OpportunityStatus.INTERVIEWED_IGNORED: "2.5 - Interviewed then Ignored",
    OpportunityStatus.REJECTED: "2.3 - Rejected",
    OpportunityStatus.AWAITING: "2 - Awaiting Feedback",
    OpportunityStatus.ENGAGED: "1 - Actively Engaged",
    OpportunityStatus.CONVERTED: "0 - Converted to Application",
}


@dataclass(kw_only=True)
class Opportunity:
    id: int = 0
    owner_id: int
    title: str
    status: str = OpportunityStatus.IGNORED.value
    recruiter_name: str
    recruiter_company: str
    received_at: datetime
    employment_type: str = ""
    duration: str = ""
    work_type: str = ""
    location: str = ""
    description: str = ""
    comments: list[Any] = field(default_factory=list)
    application_id: int | None = None
    created_at: datetime


@dataclass(kw_only=True)
class TrackerPrefs:
    """The tracker's per-user display settings (seed 001's greeting, colour mode and dashboard dates)."""

    user_id: int
    greeting: str = "Welcome!"
    color_mode: str = "light"
    dashboard_first_date: date | None = None
    dashboard_second_date: date | None = None
