"""Ports of the tracker module of the jobs domain (``core/jobs/tracker``): repositories and unit of work, the
list read model and the metric queries (each a fixed number of indexed statements, per owner, deleted rows left
out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, Self

from core.jobs.model.tracker import (
    ApplicationEvent,
    JobSite,
    Opportunity,
    TrackedApplication,
    TrackerNote,
    TrackerPrefs,
)
from core.shared.events import DomainEvent
from core.shared.pagination import Page, PageRequest
from ports.tasks import TaskQueue

__all__ = (
    "ApplicationFilters",
    "CompanyCount",
    "Identity",
    "MonthSourceCount",
    "PostingRow",
    "TrackedApplicationRepository",
    "TrackerEventRepository",
    "TrackerMetrics",
    "TrackerNoteRepository",
    "TrackerOpportunityRepository",
    "TrackerPeople",
    "TrackerPrefsRepository",
    "TrackerReads",
    "TrackerSiteRepository",
    "TrackerUnitOfWork",
    "WindowCount",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationFilters:
    status_id: int | None = None
    rejected: bool | None = None
    source: str | None = None
    q: str | None = None
    site_id: int | None = None
    status_ids: tuple[int, ...] | None = None  # any of these statuses


class TrackedApplicationRepository(Protocol):
    async def get(self, owner_id: int, application_id: int, *, for_update: bool = False) -> TrackedApplication | None:
        """The owner's live (not deleted) application, or ``None`` (someone else's is ``None`` too)."""
        ...

    async def by_board_application(self, owner_id: int, board_application_id: int) -> TrackedApplication | None:
        """The owner's application linked to a board application (deleted ones included: never linked twice)."""
        ...

    async def to_apply_for_job(self, owner_id: int, job_id: int) -> TrackedApplication | None:
        """The owner's live TO APPLY item about a board job with no board application yet (to link on apply)."""
        ...

    async def by_ids(self, owner_id: int, ids: list[int]) -> list[TrackedApplication]:
        """The owner's live applications among ``ids`` (others are left out)."""
        ...

    async def add(self, application: TrackedApplication) -> bool:
        """Insert (sets ``id``); ``False`` when the owner already tracks that board application or message."""
        ...

    async def update(self, application: TrackedApplication) -> None: ...


class TrackerEventRepository(Protocol):
    async def add(self, events: list[ApplicationEvent]) -> None: ...

    async def for_application(self, application_id: int, limit: int) -> list[ApplicationEvent]:
        """Oldest first."""
        ...


class TrackerNoteRepository(Protocol):
    async def add(self, note: TrackerNote) -> TrackerNote: ...

    async def get(self, owner_id: int, note_id: int) -> TrackerNote | None: ...

    async def update(self, note: TrackerNote) -> None: ...

    async def delete(self, note_id: int) -> None: ...

    async def for_application(self, application_id: int, limit: int) -> list[TrackerNote]:
        """Oldest first."""
        ...

    async def replace_all(self, application_id: int, notes: list[TrackerNote]) -> None:
        """The application's notes become ``notes`` (their ids are not read back): a fixed number of statements."""
        ...


class TrackerSiteRepository(Protocol):
    async def add(self, site: JobSite) -> JobSite: ...

    async def get(self, owner_id: int, site_id: int) -> JobSite | None: ...

    async def update(self, site: JobSite) -> None: ...

    async def delete(self, site_id: int) -> None:
        """Deletes the site and (cascade) the applications recorded on it."""
        ...

    async def list(self, owner_id: int, limit: int) -> list[JobSite]:
        """Oldest first."""
        ...


class TrackerOpportunityRepository(Protocol):
    async def add(self, opportunity: Opportunity) -> Opportunity: ...

    async def get(self, owner_id: int, opportunity_id: int) -> Opportunity | None: ...

    async def update(self, opportunity: Opportunity) -> None: ...

    async def delete(self, opportunity_id: int) -> None: ...

    async def list(self, owner_id: int, statuses: tuple[str, ...] | None, limit: int) -> list[Opportunity]:
        """Newest received first; only ``statuses`` when given."""
        ...


class TrackerPrefsRepository(Protocol):
    async def get(self, user_id: int) -> TrackerPrefs | None: ...

    async def put(self, prefs: TrackerPrefs) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """What the compatible faces show of an account: the e-mail doubles as the username."""

    id: int
    email: str
    first_name: str
    last_name: str
    bio: str


class TrackerPeople(Protocol):
    async def timezone(self, user_id: int) -> str | None:
        """The user's profile time zone (IANA name), ``None`` for an unknown user."""
        ...

    async def identity(self, user_id: int) -> Identity | None: ...

    async def directory(self, limit: int) -> list[Identity]:
        """Active accounts with a sign-in of their own (no corporate accounts), by id."""
        ...


class TrackerUnitOfWork(Protocol):
    @property
    def applications(self) -> TrackedApplicationRepository: ...
    @property
    def events(self) -> TrackerEventRepository: ...
    @property
    def notes(self) -> TrackerNoteRepository: ...
    @property
    def sites(self) -> TrackerSiteRepository: ...
    @property
    def opportunities(self) -> TrackerOpportunityRepository: ...
    @property
    def prefs(self) -> TrackerPrefsRepository: ...
    @property
    def people(self) -> TrackerPeople: ...
    @property
    def tasks(self) -> TaskQueue: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None: ...


class TrackerReads(Protocol):
    async def applications(
        self, owner_id: int, filters: ApplicationFilters, page: PageRequest
    ) -> Page[TrackedApplication]:
        """The owner's live applications matching every filter, newest ``applied_on`` first. One statement."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthSourceCount:
    source: str
    month: int  # index of the month bucket: 0 = the oldest of the window
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyCount:
    company: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PostingRow:
    id: int
    title: str
    company: str
    status_id: int
    is_rejected: bool
    rejected_stage: str
    applied_on: date
    site_id: int | None
    site_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowCount:
    total: int
    responded: int


class TrackerMetrics(Protocol):
    """Every method: one statement over the owner's live applications (an index beginning with
    ``owner_id, is_deleted``); dates are calendar days in the owner's time zone (``applied_on``)."""

    async def total(self, owner_id: int) -> int: ...

    async def by_month(self, owner_id: int, starts: list[date], end: date) -> list[MonthSourceCount]:
        """Counts per (source, month bucket) of ``applied_on`` in ``[starts[0], end]``; bucket ``i`` is
        ``[starts[i], starts[i+1])``."""
        ...

    async def by_status(self, owner_id: int) -> dict[int, int]: ...

    async def by_company(self, owner_id: int, limit: int) -> list[CompanyCount]:
        """Grouped by the normalized company, most frequent first; the label is one spelling of the group."""
        ...

    async def by_title_status(self, owner_id: int, limit: int) -> list[tuple[str, int, int]]:
        """``(title, status_id, count)`` for the ``limit`` most frequent titles."""
        ...

    async def postings(self, owner_id: int, since: date | None, limit: int) -> list[PostingRow]:
        """Applications applied on or after ``since`` with their site's name, newest first."""
        ...

    async def per_site(self, owner_id: int, since: date | None) -> list[tuple[int | None, str, int]]:
        """``(site_id, site name, count)``, most first (applications without a site as ``(None, "", n)``)."""
        ...

    async def per_week(self, owner_id: int, since: date | None) -> list[tuple[date, int]]:
        """``(monday, count)`` per ISO week, oldest first."""
        ...

    async def windows(self, owner_id: int, windows: list[tuple[date, date | None]]) -> list[WindowCount]:
        """Per ``[start, end]`` window (``end`` inclusive, ``None`` = open): applications and responded ones."""
        ...
