"""The in-memory twin of the tracker repositories, read model and metrics, on ``adapters/db/memory.py``: the same
rules as ``adapters/db/tracker.py`` (the contract tests run both)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from adapters.db.accounts import PROFILES, USERS
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.tracker import (
    tracked_applications,
    tracker_events,
    tracker_notes,
    tracker_opportunities,
    tracker_prefs,
    tracker_sites,
    tracker_statuses,
)
from core.jobs.model.tracker import (
    RESPONDED,
    STATUSES,
    TO_APPLY,
    ApplicationEvent,
    JobSite,
    Opportunity,
    TrackedApplication,
    TrackerNote,
    TrackerPrefs,
    TrackerStatus,
)
from core.shared.pagination import Page, PageRequest
from ports.readcache import ViewInvalidation
from ports.tasks import TaskKick
from ports.tracker import ApplicationFilters, CompanyCount, Identity, MonthSourceCount, PostingRow, WindowCount

__all__ = ("InMemoryTrackerMetrics", "InMemoryTrackerReads", "InMemoryTrackerUnitOfWork")

ALREADY = "This application is already tracked."
STATUS_ROWS = MemoryTable(tracker_statuses, TrackerStatus)
APPS = MemoryTable(tracked_applications, TrackedApplication, conflict=ALREADY)
EVENTS = MemoryTable(tracker_events, ApplicationEvent)
NOTES = MemoryTable(tracker_notes, TrackerNote)
SITES = MemoryTable(tracker_sites, JobSite)
OPPORTUNITIES = MemoryTable(tracker_opportunities, Opportunity)
PREFS = MemoryTable(tracker_prefs, TrackerPrefs)


def _copy(app: TrackedApplication) -> TrackedApplication:
    row = dataclasses.replace(app)
    row.pending_events = []
    return row


class _Apps:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, owner_id: int, application_id: int, *, for_update: bool = False) -> TrackedApplication | None:
        row = self._uow.get(APPS, application_id)
        return row if row is not None and row.owner_id == owner_id and not row.is_deleted else None

    async def by_board_application(self, owner_id: int, board_application_id: int) -> TrackedApplication | None:
        return self._uow.find(APPS, lambda a: a.owner_id == owner_id and a.application_id == board_application_id)

    async def to_apply_for_job(self, owner_id: int, job_id: int) -> TrackedApplication | None:
        found = self._uow.select(APPS, lambda a: a.owner_id == owner_id and a.job_id == job_id and not a.is_deleted
                                 and a.application_id is None and a.status_id == TO_APPLY, order=lambda a: a.id,
                                 limit=1)
        return found[0] if found else None

    async def by_ids(self, owner_id: int, ids: list[int]) -> list[TrackedApplication]:
        wanted = set(ids)
        return self._uow.select(APPS, lambda a: a.id in wanted and a.owner_id == owner_id and not a.is_deleted,
                                order=lambda a: a.id)

    async def add(self, application: TrackedApplication) -> bool:
        row = _copy(application)
        if not self._uow.insert_or_ignore(APPS, row):
            return False
        application.id = row.id
        return True

    async def update(self, application: TrackedApplication) -> None:
        self._uow.update(APPS, _copy(application))


class _Events:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, events: list[ApplicationEvent]) -> None:
        for event in events:
            self._uow.insert(EVENTS, dataclasses.replace(event))

    async def for_application(self, application_id: int, limit: int) -> list[ApplicationEvent]:
        return self._uow.select(EVENTS, lambda e: e.application_id == application_id, order=lambda e: (e.at, e.id),
                                limit=limit)


class _Notes:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, note: TrackerNote) -> TrackerNote:
        note.id = self._uow.insert(NOTES, dataclasses.replace(note))
        return note

    async def get(self, owner_id: int, note_id: int) -> TrackerNote | None:
        note = self._uow.get(NOTES, note_id)
        if note is None or note.owner_id != owner_id:
            return None
        app = self._uow.view(APPS).get(note.application_id)
        return note if app is not None and not app.is_deleted else None

    async def update(self, note: TrackerNote) -> None:
        self._uow.update(NOTES, dataclasses.replace(note))

    async def delete(self, note_id: int) -> None:
        self._uow.delete(NOTES, note_id)

    async def for_application(self, application_id: int, limit: int) -> list[TrackerNote]:
        return self._uow.select(NOTES, lambda n: n.application_id == application_id, order=lambda n: (n.at, n.id),
                                limit=limit)

    async def replace_all(self, application_id: int, notes: list[TrackerNote]) -> None:
        self._uow.delete_where(NOTES, lambda n: n.application_id == application_id)
        for note in notes:
            self._uow.insert(NOTES, dataclasses.replace(note, application_id=application_id))


class _Sites:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, site: JobSite) -> JobSite:
        site.id = self._uow.insert(SITES, dataclasses.replace(site))
        return site

    async def get(self, owner_id: int, site_id: int) -> JobSite | None:
        site = self._uow.get(SITES, site_id)
        return site if site is not None and site.owner_id == owner_id else None

    async def update(self, site: JobSite) -> None:
        self._uow.update(SITES, dataclasses.replace(site))

    async def delete(self, site_id: int) -> None:
        self._uow.delete(SITES, site_id)

    async def list(self, owner_id: int, limit: int) -> list[JobSite]:
        return self._uow.select(SITES, lambda s: s.owner_id == owner_id, order=lambda s: s.id, limit=limit)


class _Opportunities:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, opportunity: Opportunity) -> Opportunity:
        opportunity.id = self._uow.insert(OPPORTUNITIES, dataclasses.replace(opportunity))
        return opportunity

    async def get(self, owner_id: int, opportunity_id: int) -> Opportunity | None:
        found = self._uow.get(OPPORTUNITIES, opportunity_id)
        return found if found is not None and found.owner_id == owner_id else None

    async def update(self, opportunity: Opportunity) -> None:
        self._uow.update(OPPORTUNITIES, dataclasses.replace(opportunity))

    async def delete(self, opportunity_id: int) -> None:
        self._uow.delete(OPPORTUNITIES, opportunity_id)

    async def list(self, owner_id: int, statuses: tuple[str, ...] | None, limit: int) -> list[Opportunity]:
        return self._uow.select(
            OPPORTUNITIES, lambda o: o.owner_id == owner_id and (statuses is None or o.status in statuses),
            order=lambda o: (o.received_at, o.id), reverse=True, limit=limit,
        )


class _Prefs:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, user_id: int) -> TrackerPrefs | None:
        return self._uow.get(PREFS, user_id)

    async def put(self, prefs: TrackerPrefs) -> None:
        self._uow.upsert(PREFS, dataclasses.replace(prefs), on=("user_id",))


class _People:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def timezone(self, user_id: int) -> str | None:
        if self._uow.view(USERS).get(user_id) is None:
            return None
        profile: Any = self._uow.view(PROFILES).get(user_id)
        return getattr(profile, "timezone", None) or "UTC"

    def _identity(self, user: Any) -> Identity:
        profile: Any = self._uow.view(PROFILES).get(user.id)
        return Identity(id=user.id, email=user.email, first_name=getattr(profile, "first_name", "") or "",
                        last_name=getattr(profile, "last_name", "") or "", bio=getattr(profile, "bio", "") or "")

    async def identity(self, user_id: int) -> Identity | None:
        user = self._uow.view(USERS).get(user_id)
        return self._identity(user) if user is not None else None

    async def directory(self, limit: int) -> list[Identity]:
        found = sorted((u for u in self._uow.view(USERS).values()
                        if u.is_active and str(u.user_type) != "employer"), key=lambda u: u.id)[:limit]
        return [self._identity(u) for u in found]


class InMemoryTrackerUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self, store: InMemoryStore, *, views: ViewInvalidation | None = None, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(store, views=views, task_kick=task_kick)
        store.seed(STATUS_ROWS, STATUSES)
        self.applications = _Apps(self)
        self.events = _Events(self)
        self.notes = _Notes(self)
        self.sites = _Sites(self)
        self.opportunities = _Opportunities(self)
        self.prefs = _Prefs(self)
        self.people = _People(self)


def _live(store: InMemoryStore, owner_id: int) -> list[TrackedApplication]:
    return [a for a in store.committed(APPS).values() if a.owner_id == owner_id and not a.is_deleted]


class InMemoryTrackerReads:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def applications(
        self, owner_id: int, filters: ApplicationFilters, page: PageRequest
    ) -> Page[TrackedApplication]:
        q = filters.q.casefold() if filters.q else None
        found = [
            a for a in _live(self._store, owner_id)
            if (filters.status_id is None or a.status_id == filters.status_id)
            and (filters.rejected is None or a.is_rejected == filters.rejected)
            and (filters.source is None or a.source == filters.source)
            and (filters.site_id is None or a.site_id == filters.site_id)
            and (filters.status_ids is None or a.status_id in filters.status_ids)
            and (q is None or q in a.title.lower() or q in a.company_key)
        ]
        found.sort(key=lambda a: (a.applied_on, a.id), reverse=True)
        return Page([_copy(a) for a in found[page.offset: page.offset + page.size]], len(found), page)


@dataclass(frozen=True, slots=True)
class _Key:
    source: str
    month: int


class InMemoryTrackerMetrics:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def total(self, owner_id: int) -> int:
        return len(_live(self._store, owner_id))

    async def by_month(self, owner_id: int, starts: list[date], end: date) -> list[MonthSourceCount]:
        counts: dict[_Key, int] = {}
        for a in _live(self._store, owner_id):
            if not starts[0] <= a.applied_on <= end:
                continue
            month = max(i for i, s in enumerate(starts) if a.applied_on >= s)
            key = _Key(a.source, month)
            counts[key] = counts.get(key, 0) + 1
        return [MonthSourceCount(source=k.source, month=k.month, count=n) for k, n in counts.items()]

    async def by_status(self, owner_id: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for a in _live(self._store, owner_id):
            counts[a.status_id] = counts.get(a.status_id, 0) + 1
        return counts

    async def by_company(self, owner_id: int, limit: int) -> list[CompanyCount]:
        groups: dict[str, list[str]] = {}
        for a in _live(self._store, owner_id):
            groups.setdefault(a.company_key, []).append(a.company)
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]
        return [CompanyCount(company=min(names), count=len(names)) for _, names in ordered]

    async def by_title_status(self, owner_id: int, limit: int) -> list[tuple[str, int, int]]:
        per_title: dict[str, dict[int, int]] = {}
        for a in _live(self._store, owner_id):
            statuses = per_title.setdefault(a.title, {})
            statuses[a.status_id] = statuses.get(a.status_id, 0) + 1
        top = sorted(per_title, key=lambda t: (-sum(per_title[t].values()), t))[:limit]
        return [(t, s, per_title[t][s]) for t in top for s in sorted(per_title[t])]

    async def postings(self, owner_id: int, since: date | None, limit: int) -> list[PostingRow]:
        sites = self._store.committed(SITES)
        found = sorted((a for a in _live(self._store, owner_id) if since is None or a.applied_on >= since),
                       key=lambda a: (a.applied_on, a.id), reverse=True)[:limit]
        return [PostingRow(id=a.id, title=a.title, company=a.company, status_id=a.status_id,
                           is_rejected=a.is_rejected, rejected_stage=a.rejected_stage, applied_on=a.applied_on,
                           site_id=a.site_id, site_name=sites[a.site_id].name if a.site_id in sites else "")
                for a in found]

    async def per_site(self, owner_id: int, since: date | None) -> list[tuple[int | None, str, int]]:
        sites = self._store.committed(SITES)
        counts: dict[int | None, int] = {}
        for a in _live(self._store, owner_id):
            if since is None or a.applied_on >= since:
                counts[a.site_id] = counts.get(a.site_id, 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is not None, kv[0] or 0))
        return [(s, sites[s].name if s is not None and s in sites else "", n) for s, n in ordered]

    async def per_week(self, owner_id: int, since: date | None) -> list[tuple[date, int]]:
        counts: dict[date, int] = {}
        for a in _live(self._store, owner_id):
            if since is None or a.applied_on >= since:
                monday = a.applied_on - timedelta(days=a.applied_on.weekday())
                counts[monday] = counts.get(monday, 0) + 1
        return sorted(counts.items())

    async def windows(self, owner_id: int, windows: list[tuple[date, date | None]]) -> list[WindowCount]:
        apps = _live(self._store, owner_id)
        result: list[WindowCount] = []
        for start, end in windows:
            inside = [a for a in apps if a.applied_on >= start and (end is None or a.applied_on <= end)]
            result.append(WindowCount(total=len(inside), responded=sum(1 for a in inside if a.status_id in RESPONDED)))
        return result
