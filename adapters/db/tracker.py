"""Tracker repositories, unit of work, list read model and metric queries over SQL (SQLite and PostgreSQL).

Every query is scoped by ``owner_id`` and walks an index that begins with ``owner_id, is_deleted``; metrics are
one ``GROUP BY`` statement each, over ``applied_on`` (the calendar day in the owner's time zone)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Insert,
    Select,
    Table,
    and_,
    case,
    cast,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.tracker import (
    tracked_applications,
    tracker_events,
    tracker_notes,
    tracker_opportunities,
    tracker_prefs,
    tracker_sites,
)
from adapters.db.uow import SqlUnitOfWork
from core.jobs.model.tracker import (
    RESPONDED,
    TO_APPLY,
    ApplicationEvent,
    JobSite,
    Opportunity,
    TrackedApplication,
    TrackerNote,
    TrackerPrefs,
)
from core.shared.pagination import Page, PageRequest
from ports.readcache import ViewInvalidation
from ports.tasks import TaskKick
from ports.tracker import ApplicationFilters, CompanyCount, Identity, MonthSourceCount, PostingRow, WindowCount

__all__ = ("SqlTrackerMetrics", "SqlTrackerReads", "SqlTrackerUnitOfWork", "application_from")

A = tracked_applications
_APP_FIELDS = (
    "owner_id", "title", "company", "company_key", "source", "status_id", "is_rejected", "rejected_at",
    "rejected_stage", "applied_at", "applied_on", "interviewed_at", "job_id", "application_id", "site_id", "msg_id",
    "external_url", "location", "employment_type", "work_type", "pay_min", "pay_max", "pay_currency", "description",
    "tech_stack", "questions", "time_spent_min", "extra", "created_at", "updated_at", "is_deleted", "deleted_at",
)


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def application_from(row: Mapping[str, Any]) -> TrackedApplication:
    values = {name: row[name] for name in _APP_FIELDS}
    values["applied_on"] = _day(values["applied_on"])
    values["tech_stack"] = list(values["tech_stack"] or [])
    values["questions"] = list(values["questions"] or [])
    values["extra"] = dict(values["extra"] or {})
    return TrackedApplication(id=row["id"], **values)


def _app_values(app: TrackedApplication) -> dict[str, Any]:
    return {name: getattr(app, name) for name in _APP_FIELDS}


def _insert_ignore(uow: SqlUnitOfWork, table: Table) -> Insert:
    if uow.connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _live(owner_id: int) -> tuple[ColumnElement[bool], ...]:
    return (A.c.owner_id == owner_id, A.c.is_deleted == false())


class _Repo:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def _rows(self, stmt: Any) -> Sequence[Any]:
        rows: Sequence[Any] = (await self._uow.execute(stmt)).mappings().all()
        return rows


class SqlTrackedApplicationRepository(_Repo):
    __slots__ = ()

    async def get(self, owner_id: int, application_id: int, *, for_update: bool = False) -> TrackedApplication | None:
        stmt = select(A).where(A.c.id == application_id, *_live(owner_id))
        if for_update:
            stmt = stmt.with_for_update()
        rows = await self._rows(stmt)
        return application_from(rows[0]) if rows else None

    async def by_board_application(self, owner_id: int, board_application_id: int) -> TrackedApplication | None:
        rows = await self._rows(select(A).where(A.c.owner_id == owner_id, A.c.application_id == board_application_id))
        return application_from(rows[0]) if rows else None

    async def to_apply_for_job(self, owner_id: int, job_id: int) -> TrackedApplication | None:
        stmt = (select(A).where(A.c.owner_id == owner_id, A.c.job_id == job_id, A.c.is_deleted == false(),
                                A.c.application_id.is_(None), A.c.status_id == TO_APPLY)
                .order_by(A.c.id).limit(1))
        rows = await self._rows(stmt)
        return application_from(rows[0]) if rows else None

    async def by_ids(self, owner_id: int, ids: list[int]) -> list[TrackedApplication]:
        rows = await self._rows(select(A).where(A.c.id.in_(ids), *_live(owner_id)).order_by(A.c.id).with_for_update())
        return [application_from(r) for r in rows]

    async def add(self, application: TrackedApplication) -> bool:
        stmt = _insert_ignore(self._uow, A).values(**_app_values(application)).returning(A.c.id)
        new_id = (await self._uow.execute(stmt)).scalar()
        if new_id is None:
            return False
        application.id = int(new_id)
        return True

    async def update(self, application: TrackedApplication) -> None:
        await self._uow.execute(update(A).where(A.c.id == application.id).values(**_app_values(application)))


def _event_from(r: Mapping[str, Any]) -> ApplicationEvent:
    return ApplicationEvent(id=r["id"], application_id=r["application_id"], owner_id=r["owner_id"], kind=r["kind"],
                            from_status_id=r["from_status_id"], to_status_id=r["to_status_id"], origin=r["origin"],
                            at=r["at"])


class SqlTrackerEventRepository(_Repo):
    __slots__ = ()

    async def add(self, events: list[ApplicationEvent]) -> None:
        if events:
            await self._uow.execute_many(insert(tracker_events), [
                {"application_id": e.application_id, "owner_id": e.owner_id, "kind": e.kind,
                 "from_status_id": e.from_status_id, "to_status_id": e.to_status_id, "origin": e.origin, "at": e.at}
                for e in events
            ])

    async def for_application(self, application_id: int, limit: int) -> list[ApplicationEvent]:
        stmt = (select(tracker_events).where(tracker_events.c.application_id == application_id)
                .order_by(tracker_events.c.at, tracker_events.c.id).limit(limit))
        return [_event_from(r) for r in await self._rows(stmt)]


def _note_from(r: Mapping[str, Any]) -> TrackerNote:
    return TrackerNote(id=r["id"], application_id=r["application_id"], owner_id=r["owner_id"], kind=r["kind"],
                       body=r["body"], at=r["at"], updated_at=r["updated_at"])


class SqlTrackerNoteRepository(_Repo):
    __slots__ = ()

    async def add(self, note: TrackerNote) -> TrackerNote:
        result = await self._uow.execute(insert(tracker_notes).values(
            application_id=note.application_id, owner_id=note.owner_id, kind=note.kind, body=note.body, at=note.at,
            updated_at=note.updated_at).returning(tracker_notes.c.id))
        note.id = int(result.scalar_one())
        return note

    async def get(self, owner_id: int, note_id: int) -> TrackerNote | None:
        stmt = (select(tracker_notes).join(A, A.c.id == tracker_notes.c.application_id)
                .where(tracker_notes.c.id == note_id, tracker_notes.c.owner_id == owner_id, A.c.is_deleted == false()))
        rows = await self._rows(stmt)
        return _note_from(rows[0]) if rows else None

    async def update(self, note: TrackerNote) -> None:
        await self._uow.execute(update(tracker_notes).where(tracker_notes.c.id == note.id).values(
            kind=note.kind, body=note.body, at=note.at, updated_at=note.updated_at))

    async def delete(self, note_id: int) -> None:
        await self._uow.execute(delete(tracker_notes).where(tracker_notes.c.id == note_id))

    async def for_application(self, application_id: int, limit: int) -> list[TrackerNote]:
        stmt = (select(tracker_notes).where(tracker_notes.c.application_id == application_id)
                .order_by(tracker_notes.c.at, tracker_notes.c.id).limit(limit))
        return [_note_from(r) for r in await self._rows(stmt)]

    async def replace_all(self, application_id: int, notes: list[TrackerNote]) -> None:
        await self._uow.execute(delete(tracker_notes).where(tracker_notes.c.application_id == application_id))
        if notes:
            await self._uow.execute_many(insert(tracker_notes), [
                {"application_id": application_id, "owner_id": n.owner_id, "kind": n.kind, "body": n.body,
                 "at": n.at, "updated_at": n.updated_at} for n in notes])


_SITE_FIELDS = ("owner_id", "name", "url", "rating", "resume_format", "requires_github", "requires_portfolio",
                "last_visited_at", "resume_updated_at", "headline", "description", "created_at")


def _site_from(r: Mapping[str, Any]) -> JobSite:
    return JobSite(id=r["id"], **{n: r[n] for n in _SITE_FIELDS})


class SqlTrackerSiteRepository(_Repo):
    __slots__ = ()

    async def add(self, site: JobSite) -> JobSite:
        result = await self._uow.execute(insert(tracker_sites).values(
            **{n: getattr(site, n) for n in _SITE_FIELDS}).returning(tracker_sites.c.id))
        site.id = int(result.scalar_one())
        return site

    async def get(self, owner_id: int, site_id: int) -> JobSite | None:
        rows = await self._rows(select(tracker_sites).where(tracker_sites.c.id == site_id,
                                                            tracker_sites.c.owner_id == owner_id))
        return _site_from(rows[0]) if rows else None

    async def update(self, site: JobSite) -> None:
        await self._uow.execute(update(tracker_sites).where(tracker_sites.c.id == site.id).values(
            **{n: getattr(site, n) for n in _SITE_FIELDS}))

    async def delete(self, site_id: int) -> None:
        await self._uow.execute(delete(tracker_sites).where(tracker_sites.c.id == site_id))

    async def list(self, owner_id: int, limit: int) -> list[JobSite]:
        stmt = (select(tracker_sites).where(tracker_sites.c.owner_id == owner_id)
                .order_by(tracker_sites.c.id).limit(limit))
        return [_site_from(r) for r in await self._rows(stmt)]


_OPP_FIELDS = ("owner_id", "title", "status", "recruiter_name", "recruiter_company", "received_at", "employment_type",
               "duration", "work_type", "location", "description", "comments", "application_id", "created_at")
OPP = tracker_opportunities


def _opp_from(r: Mapping[str, Any]) -> Opportunity:
    values = {n: r[n] for n in _OPP_FIELDS}
    values["comments"] = list(values["comments"] or [])
    return Opportunity(id=r["id"], **values)


class SqlTrackerOpportunityRepository(_Repo):
    __slots__ = ()

    async def add(self, opportunity: Opportunity) -> Opportunity:
        result = await self._uow.execute(insert(OPP).values(
            **{n: getattr(opportunity, n) for n in _OPP_FIELDS}).returning(OPP.c.id))
        opportunity.id = int(result.scalar_one())
        return opportunity

    async def get(self, owner_id: int, opportunity_id: int) -> Opportunity | None:
        rows = await self._rows(select(OPP).where(OPP.c.id == opportunity_id, OPP.c.owner_id == owner_id))
        return _opp_from(rows[0]) if rows else None

    async def update(self, opportunity: Opportunity) -> None:
        await self._uow.execute(update(OPP).where(OPP.c.id == opportunity.id).values(
            **{n: getattr(opportunity, n) for n in _OPP_FIELDS}))

    async def delete(self, opportunity_id: int) -> None:
        await self._uow.execute(delete(OPP).where(OPP.c.id == opportunity_id))

    async def list(self, owner_id: int, statuses: tuple[str, ...] | None, limit: int) -> list[Opportunity]:
        stmt = select(OPP).where(OPP.c.owner_id == owner_id)
        if statuses is not None:
            stmt = stmt.where(OPP.c.status.in_(statuses))
        stmt = stmt.order_by(OPP.c.received_at.desc(), OPP.c.id.desc()).limit(limit)
        return [_opp_from(r) for r in await self._rows(stmt)]


class SqlTrackerPrefsRepository(_Repo):
    __slots__ = ()

    async def get(self, user_id: int) -> TrackerPrefs | None:
        rows = await self._rows(select(tracker_prefs).where(tracker_prefs.c.user_id == user_id))
        if not rows:
            return None
        r = rows[0]
        return TrackerPrefs(user_id=user_id, greeting=r["greeting"], color_mode=r["color_mode"],
                            dashboard_first_date=_day(r["dashboard_first_date"]) if r["dashboard_first_date"] else None,
                            dashboard_second_date=_day(r["dashboard_second_date"]) if r["dashboard_second_date"]
                            else None)

    async def put(self, prefs: TrackerPrefs) -> None:
        values = {"greeting": prefs.greeting, "color_mode": prefs.color_mode,
                  "dashboard_first_date": prefs.dashboard_first_date,
                  "dashboard_second_date": prefs.dashboard_second_date}
        dialect = postgresql if self._uow.connection.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(tracker_prefs).values(user_id=prefs.user_id, **values)
        await self._uow.execute(stmt.on_conflict_do_update(index_elements=[tracker_prefs.c.user_id], set_=values))


class SqlTrackerPeople(_Repo):
    __slots__ = ()

    async def timezone(self, user_id: int) -> str | None:
        stmt = (select(users.c.id, profiles.c.timezone)
                .select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
                .where(users.c.id == user_id))
        rows = await self._rows(stmt)
        return (rows[0]["timezone"] or "UTC") if rows else None


    async def identity(self, user_id: int) -> Identity | None:
        found = await self._people(1, users.c.id == user_id)
        return found[0] if found else None

    async def directory(self, limit: int) -> list[Identity]:
        return await self._people(limit, users.c.is_active.is_(True), users.c.user_type != "employer")

    async def _people(self, limit: int, *conditions: ColumnElement[bool]) -> list[Identity]:
        stmt = (select(users.c.id, users.c.email, profiles.c.first_name, profiles.c.last_name, profiles.c.bio)
                .select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
                .where(*conditions).order_by(users.c.id).limit(limit))
        return [Identity(id=r["id"], email=r["email"], first_name=r["first_name"] or "",
                         last_name=r["last_name"] or "", bio=r["bio"] or "") for r in await self._rows(stmt)]


class SqlTrackerUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_applications", "_events", "_notes", "_opportunities", "_people", "_prefs", "_sites")

    def __init__(
        self, engine: AsyncEngine, *, views: ViewInvalidation | None = None, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(engine, views=views, task_kick=task_kick)
        self._applications = SqlTrackedApplicationRepository(self)
        self._events = SqlTrackerEventRepository(self)
        self._notes = SqlTrackerNoteRepository(self)
        self._sites = SqlTrackerSiteRepository(self)
        self._opportunities = SqlTrackerOpportunityRepository(self)
        self._prefs = SqlTrackerPrefsRepository(self)
        self._people = SqlTrackerPeople(self)

    @property
    def applications(self) -> SqlTrackedApplicationRepository:
        return self._applications

    @property
    def events(self) -> SqlTrackerEventRepository:
        return self._events

    @property
    def notes(self) -> SqlTrackerNoteRepository:
        return self._notes

    @property
    def sites(self) -> SqlTrackerSiteRepository:
        return self._sites

    @property
    def opportunities(self) -> SqlTrackerOpportunityRepository:
        return self._opportunities

    @property
    def prefs(self) -> SqlTrackerPrefsRepository:
        return self._prefs

    @property
    def people(self) -> SqlTrackerPeople:
        return self._people


# ------------------------------------------------------------------------------------------ reads


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Reader:
    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _rows(self, stmt: Any) -> Sequence[Any]:
        async with self._engine.connect() as conn:
            rows: Sequence[Any] = (await conn.execute(stmt)).mappings().all()
            return rows


class SqlTrackerReads(_Reader):
    __slots__ = ()

    async def applications(
        self, owner_id: int, filters: ApplicationFilters, page: PageRequest
    ) -> Page[TrackedApplication]:
        stmt: Select[Any] = select(A, func.count().over().label("total")).where(*_live(owner_id))
        if filters.status_id is not None:
            stmt = stmt.where(A.c.status_id == filters.status_id)
        if filters.rejected is not None:
            stmt = stmt.where(A.c.is_rejected == filters.rejected)
        if filters.source is not None:
            stmt = stmt.where(A.c.source == filters.source)
        if filters.site_id is not None:
            stmt = stmt.where(A.c.site_id == filters.site_id)
        if filters.status_ids is not None:
            stmt = stmt.where(A.c.status_id.in_(filters.status_ids))
        if filters.q:
            pattern = _like(filters.q.casefold())
            stmt = stmt.where(or_(func.lower(A.c.title).like(pattern, escape="\\"),
                                  A.c.company_key.like(pattern, escape="\\")))
        stmt = stmt.order_by(A.c.applied_on.desc(), A.c.id.desc()).limit(page.size).offset(page.offset)
        rows = await self._rows(stmt)
        return Page([application_from(r) for r in rows], int(rows[0]["total"]) if rows else 0, page)


class SqlTrackerMetrics(_Reader):
    __slots__ = ()

    async def total(self, owner_id: int) -> int:
        rows = await self._rows(select(func.count().label("n")).select_from(A).where(*_live(owner_id)))
        return int(rows[0]["n"])

    async def by_month(self, owner_id: int, starts: list[date], end: date) -> list[MonthSourceCount]:
        bucket = case(*((A.c.applied_on >= s, i) for i, s in reversed(list(enumerate(starts)))), else_=-1)
        stmt = (select(A.c.source, bucket.label("month"), func.count().label("n"))
                .where(*_live(owner_id), A.c.applied_on >= starts[0], A.c.applied_on <= end)
                .group_by(A.c.source, bucket))
        return [MonthSourceCount(source=r["source"], month=int(r["month"]), count=int(r["n"]))
                for r in await self._rows(stmt) if int(r["month"]) >= 0]

    async def by_status(self, owner_id: int) -> dict[int, int]:
        stmt = select(A.c.status_id, func.count().label("n")).where(*_live(owner_id)).group_by(A.c.status_id)
        return {int(r["status_id"]): int(r["n"]) for r in await self._rows(stmt)}

    async def by_company(self, owner_id: int, limit: int) -> list[CompanyCount]:
        n = func.count().label("n")
        stmt = (select(A.c.company_key, func.min(A.c.company).label("company"), n)
                .where(*_live(owner_id)).group_by(A.c.company_key)
                .order_by(n.desc(), A.c.company_key).limit(limit))
        return [CompanyCount(company=r["company"], count=int(r["n"])) for r in await self._rows(stmt)]

    async def by_title_status(self, owner_id: int, limit: int) -> list[tuple[str, int, int]]:
        top = (select(A.c.title).where(*_live(owner_id)).group_by(A.c.title)
               .order_by(func.count().desc(), A.c.title).limit(limit).subquery("top"))
        stmt = (select(A.c.title, A.c.status_id, func.count().label("n"))
                .where(*_live(owner_id), A.c.title.in_(select(top.c.title)))
                .group_by(A.c.title, A.c.status_id).order_by(A.c.title, A.c.status_id))
        rows = await self._rows(stmt)
        totals: dict[str, int] = {}
        for r in rows:
            totals[r["title"]] = totals.get(r["title"], 0) + int(r["n"])
        ordered = sorted(rows, key=lambda r: (-totals[r["title"]], r["title"], r["status_id"]))
        return [(r["title"], int(r["status_id"]), int(r["n"])) for r in ordered]

    async def postings(self, owner_id: int, since: date | None, limit: int) -> list[PostingRow]:
        stmt = (select(A.c.id, A.c.title, A.c.company, A.c.status_id, A.c.is_rejected, A.c.rejected_stage,
                       A.c.applied_on, A.c.site_id, tracker_sites.c.name.label("site_name"))
                .select_from(A.outerjoin(tracker_sites, tracker_sites.c.id == A.c.site_id))
                .where(*_live(owner_id)))
        if since is not None:
            stmt = stmt.where(A.c.applied_on >= since)
        stmt = stmt.order_by(A.c.applied_on.desc(), A.c.id.desc()).limit(limit)
        return [PostingRow(id=r["id"], title=r["title"], company=r["company"], status_id=r["status_id"],
                           is_rejected=bool(r["is_rejected"]), rejected_stage=r["rejected_stage"],
                           applied_on=_day(r["applied_on"]), site_id=r["site_id"], site_name=r["site_name"] or "")
                for r in await self._rows(stmt)]

    async def per_site(self, owner_id: int, since: date | None) -> list[tuple[int | None, str, int]]:
        n = func.count().label("n")
        stmt = (select(A.c.site_id, func.min(tracker_sites.c.name).label("name"), n)
                .select_from(A.outerjoin(tracker_sites, tracker_sites.c.id == A.c.site_id))
                .where(*_live(owner_id)))
        if since is not None:
            stmt = stmt.where(A.c.applied_on >= since)
        stmt = stmt.group_by(A.c.site_id).order_by(n.desc(), A.c.site_id)
        return [(r["site_id"], r["name"] or "", int(r["n"])) for r in await self._rows(stmt)]

    async def per_week(self, owner_id: int, since: date | None) -> list[tuple[date, int]]:
        async with self._engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                monday: Any = cast(func.date_trunc("week", A.c.applied_on), Date)
            else:
                monday = func.date(A.c.applied_on, "-6 days", "weekday 1")
            stmt = select(monday.label("monday"), func.count().label("n")).where(*_live(owner_id))
            if since is not None:
                stmt = stmt.where(A.c.applied_on >= since)
            stmt = stmt.group_by(monday).order_by(monday)
            rows = (await conn.execute(stmt)).mappings().all()
        return [(_day(r["monday"]), int(r["n"])) for r in rows]

    async def windows(self, owner_id: int, windows: list[tuple[date, date | None]]) -> list[WindowCount]:
        columns: list[Any] = []
        for i, (start, end) in enumerate(windows):
            inside: ColumnElement[bool] = A.c.applied_on >= start
            if end is not None:
                inside = and_(inside, A.c.applied_on <= end)
            columns.append(func.coalesce(func.sum(case((inside, 1), else_=0)), 0).label(f"t{i}"))
            columns.append(func.coalesce(func.sum(case((and_(inside, A.c.status_id.in_(RESPONDED)), 1), else_=0)),
                                         0).label(f"r{i}"))
        stmt = select(*columns).where(*_live(owner_id), A.c.applied_on >= min(s for s, _ in windows))
        row = (await self._rows(stmt))[0]
        return [WindowCount(total=int(row[f"t{i}"]), responded=int(row[f"r{i}"])) for i in range(len(windows))]


