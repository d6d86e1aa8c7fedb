"""JobHax ``/api/jobapps/*`` and ``/api/metrics/*`` over the tracker's services (owner only).

Object ids come as ``jobapp_id`` or the original frontend's ``jopapp_id`` (query or body), as numbers or numeric
strings. Another user's application or note answers ``success: false``, code 11, ``data: null``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from adapters.http.jobhax.envelope import (
    INVALID_PARAMETERS,
    NOT_FOUND,
    Envelope,
    JobhaxFailure,
    envelope_handlers,
    guarded,
    ok,
)
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, read_body
from core.jobs.model.tracker import STATUSES, Origin, TrackedApplication, TrackerNote, status_by_id
from core.jobs.tracker.applications import NewApplication, TrackerService
from core.jobs.tracker.metrics import MetricsService
from core.shared.pagination import PageRequest
from ports.tracker import ApplicationFilters

__all__ = ("JobhaxJobappsController", "JobhaxMetricsController")

Me = NamedDependency[Principal]
Tracker = NamedDependency[TrackerService]
Metrics = NamedDependency[MetricsService]
IdParam = Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)]
_DIGITS = re.compile(r"[0-9]{1,19}")

LIST_MAX = 1000
ENVELOPE_NOTE = (
    " Answers the JobHax envelope `{success, error_code, error_message, data}`: handled failures are HTTP 200 with "
    "`success: false`, the documented `error_code` and `data: null`."
)
ID_NOTE = " The id is read from `jobapp_id` or `jopapp_id` (the original frontend's spelling)."
MAX_ID = 2**63 - 1


class StatusRead(msgspec.Struct):
    id: int
    value: str


class JobappRead(msgspec.Struct):
    id: int
    applicationStatus: StatusRead
    jobTitle: str
    company: str
    companyLogo: str | None
    applyDate: str
    msgId: str
    source: str
    isRejected: bool
    user: int


class HistoryRead(msgspec.Struct):
    applicationStatus: StatusRead
    update_date: str


class NoteRead(msgspec.Struct):
    id: int
    description: str
    created_date: str
    update_date: str | None


class AddJobappBody(msgspec.Struct, kw_only=True):
    job_title: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
    company: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
    status_id: int | str | None = None
    application_date: Annotated[str, msgspec.Meta(max_length=40, pattern=NO_NUL)] | None = None
    source: Annotated[str, msgspec.Meta(max_length=64, pattern=NO_NUL)] = ""


class UpdateJobappBody(msgspec.Struct, kw_only=True):
    jobapp_id: int | str | None = None
    jopapp_id: int | str | None = None
    status_id: int | str | None = None
    rejected: bool | str | None = None


class JobappIdBody(msgspec.Struct, kw_only=True):
    jobapp_id: int | str | None = None
    jopapp_id: int | str | None = None


class AddNoteBody(JobappIdBody, kw_only=True):
    description: Annotated[str, msgspec.Meta(max_length=50_000, pattern=NO_NUL)]


class NoteBody(msgspec.Struct, kw_only=True):
    jobapp_note_id: int | str
    description: Annotated[str, msgspec.Meta(max_length=50_000, pattern=NO_NUL)]


class NoteIdBody(msgspec.Struct, kw_only=True):
    jobapp_note_id: int | str


def _when(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at is not None else None


def _id(*values: object) -> int:
    """The first given id as a positive integer; anything else is ``Invalid parameters...``."""
    for value in values:
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            break
        if isinstance(value, int) and 1 <= value <= MAX_ID:
            return value
        if isinstance(value, str) and _DIGITS.fullmatch(value.strip(" ")) and 1 <= int(value) <= MAX_ID:
            return int(value)
        break
    raise JobhaxFailure(INVALID_PARAMETERS)


def _optional_id(value: object) -> int | None:
    return None if value is None or value == "" else _id(value)


def _flag(value: bool | str | None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise JobhaxFailure(INVALID_PARAMETERS)


def _status(status_id: int) -> StatusRead:
    status = status_by_id(status_id)
    return StatusRead(id=status_id, value=status.name if status is not None else "")


def _jobapp(app: TrackedApplication) -> JobappRead:
    return JobappRead(
        id=app.id,
        applicationStatus=_status(app.status_id),
        jobTitle=app.title,
        company=app.company,
        companyLogo=None,
        applyDate=_when(app.applied_at) or "",
        msgId=app.msg_id or "",
        source=app.source,
        isRejected=app.is_rejected,
        user=app.owner_id,
    )


def _note(note: TrackerNote) -> NoteRead:
    return NoteRead(id=note.id, description=note.body, created_date=_when(note.at) or "",
                    update_date=_when(note.updated_at))


async def _body(request: Request[Any, Any, Any], kind: type[Any]) -> Any:
    try:
        return msgspec.convert((await read_body(request)).fields, kind, strict=False)
    except msgspec.ValidationError:
        raise JobhaxFailure(INVALID_PARAMETERS) from None


class JobhaxJobappsController(Controller):
    path = "/api/jobapps"
    tags = ["JobHax"]
    exception_handlers = envelope_handlers
    security = BEARER

    @get("/get_jobapps", summary="JobHax: my applications", description=(
        "The caller's live applications (deleted ones left out), newest first, at most 1000; optional "
        "`status_id`. `applicationStatus.value` is the status name (APPLIED, TO APPLY, PHONE SCREEN, ONSITE "
        "INTERVIEW, OFFER); `companyLogo` is null (no logos are scraped)." + ENVELOPE_NOTE))
    async def get_jobapps(self, tracker: Tracker, me: Me, status_id: IdParam = None) -> Envelope:
        wanted = _optional_id(status_id)
        if wanted is not None and status_by_id(wanted) is None:
            raise JobhaxFailure(NOT_FOUND)
        page = await tracker.applications(me.user_id, ApplicationFilters(status_id=wanted), PageRequest(1, LIST_MAX))
        return ok([_jobapp(a) for a in page.items])

    @get("/get_statuses", summary="JobHax: statuses", description=(
        "`[{id, value}]` in board order: 2 TO APPLY, 1 APPLIED, 3 PHONE SCREEN, 4 ONSITE INTERVIEW, 5 OFFER (the "
        "JobHax frontend's ids)." + ENVELOPE_NOTE))
    async def get_statuses(self, me: Me) -> Envelope:
        return ok([StatusRead(id=s.id, value=s.name) for s in STATUSES])

    @get("/get_status_history", summary="JobHax: an application's status history", description=(
        "`[{applicationStatus, update_date}]`, oldest first: the status it was created with and every change."
        + ID_NOTE + ENVELOPE_NOTE + " Codes 10 (no id), 11 (not the caller's)."))
    async def get_status_history(self, tracker: Tracker, me: Me, jobapp_id: IdParam = None,
                                 jopapp_id: IdParam = None) -> Envelope:
        events = await guarded(NOT_FOUND, tracker.history(me.user_id, _id(jobapp_id, jopapp_id)))
        return ok([HistoryRead(applicationStatus=_status(e.to_status_id), update_date=_when(e.at) or "")
                   for e in events if e.kind in ("created", "status_changed") and e.to_status_id is not None])

    @post("/add_jobapp", status_code=200, summary="JobHax: add an application", description=(
        "`job_title`, `company` required; `status_id` (default APPLIED), `application_date` (YYYY-MM-DD, a "
        "calendar day of the caller), `source`. Data: null." + ENVELOPE_NOTE + " Code 10 for a missing or "
        "invalid field, 11 for an unknown status."))
    async def add_jobapp(self, request: Request[Any, Any, Any], tracker: Tracker, me: Me) -> Envelope:
        body: AddJobappBody = await _body(request, AddJobappBody)
        status_id = _optional_id(body.status_id)
        if status_id is not None and status_by_id(status_id) is None:
            raise JobhaxFailure(NOT_FOUND)
        applied_on: date | None = None
        if body.application_date:
            try:
                applied_on = date.fromisoformat(body.application_date.strip()[:10])
            except ValueError:
                raise JobhaxFailure(INVALID_PARAMETERS) from None
        await guarded(INVALID_PARAMETERS, tracker.create(me.user_id, NewApplication(
            title=body.job_title, company=body.company, source=body.source, status_id=status_id,
            applied_on=applied_on, origin=Origin.USER.value)))
        return ok()

    @post("/update_jobapp", status_code=200, summary="JobHax: change status or rejection", description=(
        "`jobapp_id` and at least one of `status_id` and `rejected`; each change is kept in the history."
        + ID_NOTE + ENVELOPE_NOTE + " Codes 10 (no id, neither field, or TO APPLY rejected), 11 (application not "
        "the caller's, or unknown status)."))
    async def update_jobapp(self, request: Request[Any, Any, Any], tracker: Tracker, me: Me) -> Envelope:
        body: UpdateJobappBody = await _body(request, UpdateJobappBody)
        app_id = _id(body.jobapp_id, body.jopapp_id)
        status_id = _optional_id(body.status_id)
        rejected = _flag(body.rejected)
        if status_id is None and rejected is None:
            raise JobhaxFailure(INVALID_PARAMETERS)
        if status_id is not None and status_by_id(status_id) is None:
            raise JobhaxFailure(NOT_FOUND)
        await guarded(NOT_FOUND, tracker.get(me.user_id, app_id))
        await guarded(INVALID_PARAMETERS, tracker.set_status(me.user_id, [app_id], status_id=status_id,
                                                             rejected=rejected))
        return ok()

    @post("/delete_jobapp", status_code=200, summary="JobHax: delete an application", description=(
        "Soft delete (kept in the history, left out of lists and metrics). Data: null." + ID_NOTE + ENVELOPE_NOTE
        + " Codes 10, 11."))
    async def delete_jobapp(self, request: Request[Any, Any, Any], tracker: Tracker, me: Me) -> Envelope:
        body: JobappIdBody = await _body(request, JobappIdBody)
        await guarded(NOT_FOUND, tracker.delete(me.user_id, [_id(body.jobapp_id, body.jopapp_id)]))
        return ok()

    @get("/get_jobapp_detail", summary="JobHax: an application's details", description=(
        "`{posterInformation, decoratedJobPosting, topCardV2}` from what the tracker knows (no job page is "
        "scraped): `decoratedJobPosting` {title, companyName, location, employmentType, workType, description, "
        "applyUrl}, `topCardV2` {title, companyName, source, applyDate}, `posterInformation` {} (no poster is "
        "known)." + ID_NOTE + ENVELOPE_NOTE + " Codes 10, 11."))
    async def get_jobapp_detail(self, tracker: Tracker, me: Me, jobapp_id: IdParam = None,
                                jopapp_id: IdParam = None) -> Envelope:
        app = await guarded(NOT_FOUND, tracker.get(me.user_id, _id(jobapp_id, jopapp_id)))
        return ok({
            "posterInformation": {},
            "decoratedJobPosting": {
                "title": app.title, "companyName": app.company, "location": app.location,
                "employmentType": app.employment_type, "workType": app.work_type, "description": app.description,
                "applyUrl": app.external_url,
            },
            "topCardV2": {"title": app.title, "companyName": app.company, "source": app.source,
                          "applyDate": _when(app.applied_at)},
        })

    @post("/add_jobapp_note", status_code=200, summary="JobHax: add a note", description=(
        "`jobapp_id`, `description`. Data: `{id, description, created_date, update_date: null}`." + ID_NOTE
        + ENVELOPE_NOTE + " Codes 10, 11."))
    async def add_jobapp_note(self, request: Request[Any, Any, Any], tracker: Tracker, me: Me) -> Envelope:
        body: AddNoteBody = await _body(request, AddNoteBody)
        app_id = _id(body.jobapp_id, body.jopapp_id)
        await guarded(NOT_FOUND, tracker.get(me.user_id, app_id))
        note = await guarded(INVALID_PARAMETERS, tracker.add_note(me.user_id, app_id, body.description))
        return ok(_note(note))

    @get("/get_jobapp_notes", summary="JobHax: an application's notes", description=(
        "`[{id, description, created_date, update_date}]`, oldest first." + ID_NOTE + ENVELOPE_NOTE
        + " Codes 10, 11."))
    async def get_jobapp_notes(self, tracker: Tracker, me: Me, jobapp_id: IdParam = None,
                               jopapp_id: IdParam = None) -> Envelope:
        notes = await guarded(NOT_FOUND, tracker.notes(me.user_id, _id(jobapp_id, jopapp_id)))
        return ok([_note(n) for n in notes])

    @post("/update_jobapp_note", status_code=200, summary="JobHax: edit a note", description=(
        "`jobapp_note_id`, `description`; sets `update_date`. Data: null." + ENVELOPE_NOTE + " Codes 10, 11."),
        )
    async def update_jobapp_note(self, request: Request[Any, Any, Any], tracker: Tracker, me: Me) -> Envelope:
        body: NoteBody = await _body(request, NoteBody)
        note_id = _id(body.jobapp_note_id)
        if not body.description.strip():
            raise JobhaxFailure(INVALID_PARAMETERS)
        await guarded(NOT_FOUND, tracker.edit_note(me.user_id, note_id, body.description))
        return ok()

    @post("/delete_jobapp_note", status_code=200, summary="JobHax: delete a note", description=(
        "`jobapp_note_id`. Data: null." + ENVELOPE_NOTE + " Codes 10, 11."))
    async def delete_jobapp_note(self, request: Request[Any, Any, Any], tracker: Tracker, me: Me) -> Envelope:
        body: NoteIdBody = await _body(request, NoteIdBody)
        await guarded(NOT_FOUND, tracker.delete_note(me.user_id, _id(body.jobapp_note_id)))
        return ok()


METRICS_NOTE = (
    " Computed by the tracker: the caller's live applications only (deleted ones left out), calendar days of the "
    "caller's time zone, windows including today." + ENVELOPE_NOTE
)


class JobhaxMetricsController(Controller):
    path = "/api/metrics"
    tags = ["JobHax"]
    exception_handlers = envelope_handlers
    security = BEARER

    @get("/get_total_application_count", summary="JobHax: how many applications", description=(
        "`{count}`." + METRICS_NOTE))
    async def total(self, metrics: Metrics, me: Me) -> Envelope:
        return ok({"count": await metrics.total(me.user_id)})

    async def _monthly(self, metrics: MetricsService, user_id: int, with_total: bool) -> Envelope:
        counts = await metrics.by_month(user_id, with_total=with_total)
        series = [{"source": name, "data": data} for name, data in counts.series]
        return ok([series, [m.strftime("%B") for m in counts.months]])

    @get("/get_application_count_by_month", summary="JobHax: applications per month and source", description=(
        "`[[{source, data: [12 counts]}…], [12 month names]]`, the 12 months ending with the current one, oldest "
        "first. Series: the caller's four most used sources (spellings merged), then Others." + METRICS_NOTE))
    async def by_month(self, metrics: Metrics, me: Me) -> Envelope:
        return await self._monthly(metrics, me.user_id, False)

    @get("/get_application_count_by_month_with_total", summary="JobHax: applications per month, with Total",
         description="As `get_application_count_by_month` plus a last series `Total`." + METRICS_NOTE)
    async def by_month_with_total(self, metrics: Metrics, me: Me) -> Envelope:
        return await self._monthly(metrics, me.user_id, True)

    @get("/get_count_by_statuses", summary="JobHax: applications per status", description=(
        "`[{name, value}]` for the statuses that have applications, in board order (rejected ones counted at "
        "their status)." + METRICS_NOTE))
    async def by_status(self, metrics: Metrics, me: Me) -> Envelope:
        return ok([{"name": s.name, "value": n} for s, n in await metrics.by_status(me.user_id) if n])

    @get("/get_word_count", summary="JobHax: applications per company", description=(
        "`[{word, value}]`: the caller's companies (case and spacing merged) with their counts, most first "
        "(at most 200)." + METRICS_NOTE))
    async def word_count(self, metrics: Metrics, me: Me) -> Envelope:
        return ok([{"word": c.company, "value": c.count} for c in await metrics.by_company(me.user_id)])

    @get("/get_count_by_jobtitle_and_statuses", summary="JobHax: applications per title and status",
         description=("`{jobs: [titles], statuses: [names], data: [{name, data: [count per title]}]}`; every "
                      "status in board order, at most 100 titles." + METRICS_NOTE))
    async def by_title_status(self, metrics: Metrics, me: Me) -> Envelope:
        counts = await metrics.by_title_status(me.user_id)
        return ok({
            "jobs": counts.titles,
            "statuses": [s.name for s in counts.statuses],
            "data": [{"name": s.name, "data": data} for s, data in counts.data],
        })
