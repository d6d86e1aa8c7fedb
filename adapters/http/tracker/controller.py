"""The native tracker API under ``/tracker/``: owner-only (someone else's object answers 404), DRF-style pages,
JSON errors. Thin: decode, call one service method, encode."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from adapters.http.pagination import page_envelope, page_request
from adapters.http.security import BEARER, Principal
from adapters.http.tracker.schemas import (
    ApplicationBody,
    ApplicationEditBody,
    ApplicationPageRead,
    ApplicationRead,
    BulkDeleteBody,
    BulkStatusBody,
    CompanyCountRead,
    DashboardRowRead,
    EventRead,
    MonthlyRead,
    NoteBody,
    NoteEditBody,
    NoteRead,
    OpportunityBody,
    OpportunityRead,
    PayRead,
    PostingReportRead,
    SiteBody,
    SiteCountRead,
    SiteRead,
    StatusCountRead,
    StatusRead,
    SummaryRead,
    TitleStatusRead,
    WeekCountRead,
)
from adapters.http.wire import NO_NUL, Site
from core.jobs.model.tracker import (
    ACTIVE_OPPORTUNITIES,
    ApplicationEvent,
    JobSite,
    Opportunity,
    TrackedApplication,
    TrackerNote,
    TrackerStatus,
    status_by_id,
    status_by_name,
)
from core.jobs.tracker.applications import PAGE_SIZE, ApplicationChanges, NewApplication, TrackerService
from core.jobs.tracker.metrics import MetricsService
from core.jobs.tracker.records import OpportunityFields, RecordsService, SiteFields
from core.shared.errors import InvalidInput
from ports.tracker import ApplicationFilters

__all__ = (
    "TrackerController",
    "application_read",
    "resolve_status",
    "site_read",
    "status_read",
)

Tracker = NamedDependency[TrackerService]
Records = NamedDependency[RecordsService]
Metrics = NamedDependency[MetricsService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
PageParam = Annotated[str | None, QueryParameter(name="page", description="Page number.", pattern=NO_NUL)]
PathId = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
Since = Annotated[str | None, QueryParameter(name="since", description="YYYY-MM-DD: only applications applied on "
                                                                      "or after that day.", max_length=32,
                                             pattern=NO_NUL)]


def _since(value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.field("since", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.") \
            from None
OWNER_NOTE = " Owner only: someone else's object answers 404."


def status_read(status: TrackerStatus) -> StatusRead:
    return StatusRead(id=status.id, name=status.name, pos=status.pos, rejectable=status.rejectable,
                      is_default=status.is_default)


def resolve_status(value: int | str | None) -> int | None:
    """A status given by id (``1``…``5``) or by name (``"PHONE SCREEN"``, case-insensitive)."""
    if value is None:
        return None
    found = status_by_id(value) if isinstance(value, int) else status_by_name(value)
    if found is None:
        raise InvalidInput.field("status", f'"{value}" is not a valid choice.')
    return found.id


def _status_of(status_id: int) -> StatusRead:
    status = status_by_id(status_id)
    assert status is not None
    return status_read(status)


def application_read(app: TrackedApplication) -> ApplicationRead:
    pay = None
    if app.pay_min is not None or app.pay_max is not None:
        pay = PayRead(min=app.pay_min, max=app.pay_max, currency=app.pay_currency)
    return ApplicationRead(
        id=app.id, title=app.title, company=app.company, source=app.source, status=_status_of(app.status_id),
        rejected=app.is_rejected, rejected_at=app.rejected_at, rejected_stage=app.rejected_stage,
        applied_on=app.applied_on, applied_at=app.applied_at, interviewed_at=app.interviewed_at, job=app.job_id,
        board_application=app.application_id, site_id=app.site_id, external_url=app.external_url,
        location=app.location, employment_type=app.employment_type, work_type=app.work_type, pay=pay,
        description=app.description, tech_stack=app.tech_stack, time_spent_min=app.time_spent_min,
        created_at=app.created_at, updated_at=app.updated_at,
    )


def _event_read(e: ApplicationEvent) -> EventRead:
    def name(status_id: int | None) -> str | None:
        status = status_by_id(status_id) if status_id is not None else None
        return status.name if status is not None else None

    return EventRead(id=e.id, kind=e.kind, from_status=name(e.from_status_id), to_status=name(e.to_status_id),
                     origin=e.origin, at=e.at)


def _note_read(n: TrackerNote) -> NoteRead:
    return NoteRead(id=n.id, application=n.application_id, kind=n.kind, body=n.body, at=n.at, updated_at=n.updated_at)


def site_read(s: JobSite) -> SiteRead:
    return SiteRead(id=s.id, name=s.name, url=s.url, rating=s.rating, resume_format=s.resume_format,
                    requires_github=s.requires_github, requires_portfolio=s.requires_portfolio,
                    last_visited_at=s.last_visited_at, resume_updated_at=s.resume_updated_at, headline=s.headline,
                    description=s.description, created_at=s.created_at)


def _opportunity_read(o: Opportunity) -> OpportunityRead:
    return OpportunityRead(
        id=o.id, title=o.title, status=o.status, active=o.status in ACTIVE_OPPORTUNITIES,
        recruiter_name=o.recruiter_name, recruiter_company=o.recruiter_company, received_at=o.received_at,
        employment_type=o.employment_type, duration=o.duration, work_type=o.work_type, location=o.location,
        description=o.description, application=o.application_id, created_at=o.created_at,
    )


def _site_fields(data: SiteBody) -> SiteFields:
    return SiteFields(name=data.name, url=data.url, rating=data.rating, resume_format=data.resume_format,
                      requires_github=data.requires_github, requires_portfolio=data.requires_portfolio,
                      last_visited_at=data.last_visited_at, resume_updated_at=data.resume_updated_at,
                      headline=data.headline, description=data.description)


def _opportunity_fields(data: OpportunityBody) -> OpportunityFields:
    return OpportunityFields(title=data.title, recruiter_name=data.recruiter_name,
                             recruiter_company=data.recruiter_company, status=data.status,
                             received_at=data.received_at, employment_type=data.employment_type,
                             duration=data.duration, work_type=data.work_type, location=data.location,
                             description=data.description)


class TrackerController(Controller):
    path = "/tracker"
    tags = ["Tracker"]
    security = BEARER

    @get("/statuses/", summary="Tracker statuses",
         description="The statuses in board order (`id` is JobHax's: 1 APPLIED, 2 TO APPLY, 3 PHONE SCREEN, "
                     "4 ONSITE INTERVIEW, 5 OFFER); TO APPLY is not rejectable; APPLIED is the default.")
    async def statuses(self, tracker: Tracker, me: Me) -> list[StatusRead]:
        return [status_read(s) for s in tracker.statuses()]

    # ------------------------------------------------------------------ applications

    @get("/applications/", summary="Tracked applications",
         description="The caller's live applications, newest applied first, 20 a page. Filters: `status` (id or "
                     "name), `rejected` (true/false), `source` (exact), `q` (in title or company), `site_id`.")
    async def applications(
        self, request: Request[Any, Any, Any], tracker: Tracker, me: Me, site: SiteDep, page: PageParam = None,
        status: Annotated[str | None, QueryParameter(max_length=32, pattern=NO_NUL)] = None,
        rejected: Annotated[bool | None, QueryParameter(name="rejected")] = None,
        source: Annotated[str | None, QueryParameter(max_length=64, pattern=NO_NUL)] = None,
        q: Annotated[str | None, QueryParameter(max_length=100, pattern=NO_NUL)] = None,
        job_site: Annotated[int | None, QueryParameter(name="site_id", ge=1, le=2**63 - 1)] = None,
    ) -> ApplicationPageRead:
        numeric = status is not None and status.isascii() and status.isdecimal()  # "²" is a digit, not a number
        status_id = resolve_status(int(status) if numeric else status) if status else None
        filters = ApplicationFilters(status_id=status_id, rejected=rejected, source=source,
                                     q=q.strip() or None if q else None, site_id=job_site)
        result = await tracker.applications(me.user_id, filters, page_request(page, PAGE_SIZE))
        return ApplicationPageRead(**page_envelope(site, request, result,
                                                   [application_read(a) for a in result.items]))

    @post("/applications/", status_code=201, summary="Track an application",
          description="`status` by id or name (default APPLIED); `applied_on` (the day, in your time zone) or "
                      "`applied_at`; pay in minor units with its currency; `site_id` one of your job sites.")
    async def create(self, data: JSONBody[ApplicationBody], tracker: Tracker, me: Me) -> ApplicationRead:
        app = await tracker.create(me.user_id, NewApplication(
            title=data.title, company=data.company, source=data.source, status_id=resolve_status(data.status),
            rejected=data.rejected, rejected_stage=data.rejected_stage, applied_at=data.applied_at,
            applied_on=data.applied_on, interviewed_at=data.interviewed_at, site_id=data.site_id,
            external_url=data.external_url, location=data.location, employment_type=data.employment_type,
            work_type=data.work_type, pay_min=data.pay_min, pay_max=data.pay_max, pay_currency=data.pay_currency,
            description=data.description, tech_stack=list(data.tech_stack), time_spent_min=data.time_spent_min,
        ))
        return application_read(app)

    @get("/applications/{application_id:int}/", summary="A tracked application", description=OWNER_NOTE.strip())
    async def application(self, application_id: PathId, tracker: Tracker, me: Me) -> ApplicationRead:
        return application_read(await tracker.get(me.user_id, application_id))

    @patch("/applications/{application_id:int}/", summary="Edit a tracked application",
           description="Partial. A status or rejection change is recorded in the history." + OWNER_NOTE)
    async def edit(self, application_id: PathId, data: JSONBody[ApplicationEditBody], tracker: Tracker,
                   me: Me) -> ApplicationRead:
        app = await tracker.edit(me.user_id, application_id, ApplicationChanges(
            title=data.title, company=data.company, source=data.source, status_id=resolve_status(data.status),
            rejected=data.rejected, rejected_stage=data.rejected_stage, applied_at=data.applied_at,
            applied_on=data.applied_on, interviewed_at=data.interviewed_at, site_id=data.site_id,
            external_url=data.external_url, location=data.location, employment_type=data.employment_type,
            work_type=data.work_type, pay_min=data.pay_min, pay_max=data.pay_max, pay_currency=data.pay_currency,
            description=data.description, tech_stack=list(data.tech_stack) if data.tech_stack is not None else None,
            time_spent_min=data.time_spent_min,
        ))
        return application_read(app)

    @delete("/applications/{application_id:int}/", status_code=204, summary="Delete a tracked application",
            description="Soft delete: gone from lists and metrics, kept in the history." + OWNER_NOTE)
    async def remove(self, application_id: PathId, tracker: Tracker, me: Me) -> None:
        await tracker.delete(me.user_id, [application_id])

    @post("/applications/bulk-status/", status_code=200, summary="Change the status of several applications",
          description="`ids` (1–500) with `status` and/or `rejected`; all or nothing (404 when one is not yours).")
    async def bulk_status(self, data: JSONBody[BulkStatusBody], tracker: Tracker, me: Me) -> list[ApplicationRead]:
        apps = await tracker.set_status(me.user_id, list(data.ids), status_id=resolve_status(data.status),
                                        rejected=data.rejected)
        return [application_read(a) for a in apps]

    @post("/applications/bulk-delete/", status_code=200, summary="Delete several applications",
          description="`ids` (1–500); soft delete, all or nothing (404 when one is not yours). `{deleted: n}`.")
    async def bulk_delete(self, data: JSONBody[BulkDeleteBody], tracker: Tracker, me: Me) -> dict[str, int]:
        return {"deleted": await tracker.delete(me.user_id, list(data.ids))}

    @get("/applications/{application_id:int}/events/", summary="History of an application",
         description="Every creation, status change, rejection and un-rejection, oldest first; `origin` user, "
                     "board, ats or mail." + OWNER_NOTE)
    async def events(self, application_id: PathId, tracker: Tracker, me: Me) -> list[EventRead]:
        return [_event_read(e) for e in await tracker.history(me.user_id, application_id)]

    @get("/applications/{application_id:int}/notes/", summary="Notes of an application", description=OWNER_NOTE)
    async def notes(self, application_id: PathId, tracker: Tracker, me: Me) -> list[NoteRead]:
        return [_note_read(n) for n in await tracker.notes(me.user_id, application_id)]

    @post("/applications/{application_id:int}/notes/", status_code=201, summary="Add a note",
          description="`kind` general|recruiter_email|my_email|call." + OWNER_NOTE)
    async def add_note(self, application_id: PathId, data: JSONBody[NoteBody], tracker: Tracker, me: Me) -> NoteRead:
        return _note_read(await tracker.add_note(me.user_id, application_id, data.body, data.kind, data.at))

    @patch("/notes/{note_id:int}/", summary="Edit a note", description=OWNER_NOTE.strip())
    async def edit_note(self, note_id: PathId, data: JSONBody[NoteEditBody], tracker: Tracker, me: Me) -> NoteRead:
        return _note_read(await tracker.edit_note(me.user_id, note_id, data.body, data.kind))

    @delete("/notes/{note_id:int}/", status_code=204, summary="Delete a note", description=OWNER_NOTE.strip())
    async def delete_note(self, note_id: PathId, tracker: Tracker, me: Me) -> None:
        await tracker.delete_note(me.user_id, note_id)

    # ------------------------------------------------------------------ sites

    @get("/sites/", summary="Job sites", description="Your notes about job boards, oldest first. No passwords.")
    async def sites(self, records: Records, me: Me) -> list[SiteRead]:
        return [site_read(s) for s in await records.sites(me.user_id)]

    @post("/sites/", status_code=201, summary="Add a job site", description="Every field optional.")
    async def add_site(self, data: JSONBody[SiteBody], records: Records, me: Me) -> SiteRead:
        return site_read(await records.add_site(me.user_id, _site_fields(data)))

    @get("/sites/{site_id:int}/", summary="A job site", description=OWNER_NOTE.strip())
    async def site_detail(self, site_id: PathId, records: Records, me: Me) -> SiteRead:
        return site_read(await records.site(me.user_id, site_id))

    @put("/sites/{site_id:int}/", summary="Replace a job site", description=OWNER_NOTE.strip())
    async def replace_site(self, site_id: PathId, data: JSONBody[SiteBody], records: Records, me: Me) -> SiteRead:
        return site_read(await records.replace_site(me.user_id, site_id, _site_fields(data)))

    @delete("/sites/{site_id:int}/", status_code=204, summary="Delete a job site",
            description="The applications recorded on it go with it." + OWNER_NOTE)
    async def delete_site(self, site_id: PathId, records: Records, me: Me) -> None:
        await records.delete_site(me.user_id, site_id)

    # ------------------------------------------------------------------ opportunities

    @get("/opportunities/", summary="Recruiter opportunities",
         description="Newest received first; `active=true`: only those still open (interested, right to "
                     "represent signed, awaiting feedback, engaged).")
    async def opportunities(self, records: Records, me: Me,
                            active: Annotated[bool, QueryParameter(name="active")] = False) -> list[OpportunityRead]:
        return [_opportunity_read(o) for o in await records.opportunities(me.user_id, active=active)]

    @post("/opportunities/", status_code=201, summary="Add an opportunity",
          description="`status` ignored|interested|recruiter_ignored|rtr_signed|rtr_ignored|interviewed_ignored|"
                      "rejected|awaiting|engaged (default ignored).")
    async def add_opportunity(self, data: JSONBody[OpportunityBody], records: Records, me: Me) -> OpportunityRead:
        return _opportunity_read(await records.add_opportunity(me.user_id, _opportunity_fields(data)))

    @get("/opportunities/{opportunity_id:int}/", summary="An opportunity", description=OWNER_NOTE.strip())
    async def opportunity(self, opportunity_id: PathId, records: Records, me: Me) -> OpportunityRead:
        return _opportunity_read(await records.opportunity(me.user_id, opportunity_id))

    @put("/opportunities/{opportunity_id:int}/", summary="Replace an opportunity", description=OWNER_NOTE.strip())
    async def replace_opportunity(self, opportunity_id: PathId, data: JSONBody[OpportunityBody], records: Records,
                                  me: Me) -> OpportunityRead:
        return _opportunity_read(await records.replace_opportunity(me.user_id, opportunity_id,
                                                                   _opportunity_fields(data)))

    @delete("/opportunities/{opportunity_id:int}/", status_code=204, summary="Delete an opportunity",
            description=OWNER_NOTE.strip())
    async def delete_opportunity(self, opportunity_id: PathId, records: Records, me: Me) -> None:
        await records.delete_opportunity(me.user_id, opportunity_id)

    @post("/opportunities/{opportunity_id:int}/convert/", status_code=201, summary="Convert to an application",
          description="Creates a tracked application (APPLIED, source Recruiter) and closes the opportunity "
                      "(`converted`); twice → 400." + OWNER_NOTE)
    async def convert(self, opportunity_id: PathId, records: Records, me: Me) -> ApplicationRead:
        return application_read(await records.convert(me.user_id, opportunity_id))

    # ------------------------------------------------------------------ metrics

    @get("/metrics/summary/", summary="Total and count by status",
         description="Your live applications (deleted ones left out); by status in board order, rejected ones "
                     "counted at their status.")
    async def summary(self, metrics: Metrics, me: Me) -> SummaryRead:
        total = await metrics.total(me.user_id)
        counts = await metrics.by_status(me.user_id)
        return SummaryRead(total=total, by_status=[StatusCountRead(status=status_read(s), count=n)
                                                   for s, n in counts])

    @get("/metrics/by-month/", summary="Applications per month and source",
         description="The 12 months ending with the current one in your profile's time zone (today included), "
                     "oldest first (`YYYY-MM`); series: your four most used sources, then Others; `total=true` adds "
                     "a Total series.")
    async def by_month(self, metrics: Metrics, me: Me,
                       total: Annotated[bool, QueryParameter(name="total")] = False) -> MonthlyRead:
        result = await metrics.by_month(me.user_id, with_total=total)
        return MonthlyRead(months=[m.strftime("%Y-%m") for m in result.months],
                           series=[{"source": name, "data": counts} for name, counts in result.series])

    @get("/metrics/by-status/", summary="Applications per status", description="Board order, zeros included.")
    async def by_status(self, metrics: Metrics, me: Me) -> list[StatusCountRead]:
        return [StatusCountRead(status=status_read(s), count=n) for s, n in await metrics.by_status(me.user_id)]

    @get("/metrics/by-company/", summary="Applications per company",
         description="Companies grouped case- and space-insensitively, most first (200 at most).")
    async def by_company(self, metrics: Metrics, me: Me) -> list[CompanyCountRead]:
        return [CompanyCountRead(company=x.company, count=x.count) for x in await metrics.by_company(me.user_id)]

    @get("/metrics/by-title-status/", summary="Applications per title and status",
         description="The 100 most frequent titles; `data[i].data[j]` counts title j in status i.")
    async def by_title_status(self, metrics: Metrics, me: Me) -> TitleStatusRead:
        result = await metrics.by_title_status(me.user_id)
        return TitleStatusRead(titles=result.titles, statuses=[status_read(s) for s in result.statuses],
                               data=[{"status": s.name, "data": counts} for s, counts in result.data])

    @get("/metrics/postings/", summary="Applications applied since a day",
         description="Newest first, 1000 at most, with the site's name; `since` optional (all time).")
    async def postings(self, metrics: Metrics, me: Me, since: Since = None) -> list[PostingReportRead]:
        return [PostingReportRead(id=p.id, title=p.title, company=p.company, status=_status_of(p.status_id).name,
                                  rejected=p.is_rejected, rejected_stage=p.rejected_stage, applied_on=p.applied_on,
                                  site_id=p.site_id, site_name=p.site_name)
                for p in await metrics.postings(me.user_id, _since(since))]

    @get("/metrics/per-site/", summary="Applications per job site", description="Most first; `since` optional.")
    async def per_site(self, metrics: Metrics, me: Me, since: Since = None) -> list[SiteCountRead]:
        return [SiteCountRead(site_id=s, site_name=name, count=n) for s, name, n in await metrics.per_site(me.user_id,
                                                                                                       _since(since))]

    @get("/metrics/per-week/", summary="Applications per ISO week",
         description="`week` is `YYYY-Www` (ISO 8601), oldest first; `since` optional.")
    async def per_week(self, metrics: Metrics, me: Me, since: Since = None) -> list[WeekCountRead]:
        return [WeekCountRead(week=f"{w.year}-W{w.week:02d}", monday=w.monday, count=w.count)
                for w in await metrics.per_week(me.user_id, _since(since))]

    @get("/metrics/dashboard/", summary="Dashboard windows",
         description="Since your first dashboard date, between the two, and since the second (defaults: 90 and 30 "
                     "days ago); `responded` = reached PHONE SCREEN or later.")
    async def dashboard(self, metrics: Metrics, me: Me) -> list[DashboardRowRead]:
        return [DashboardRowRead(start=r.start, end=r.end, total=r.total, responded=r.responded)
                for r in await metrics.dashboard(me.user_id)]
