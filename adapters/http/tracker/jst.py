"""The job-search-tracker-compatible face (``spec/job-search-tracker-api.md`` as routed in behaviors §1.3): its
paths (served with and without the trailing slash), field names and status codes (201 on create, 204 on update and
delete) over the tracker's services and the accounts domain's sign-in, refresh and sign-out. What differs on
purpose: every object is owner-only (404 for someone else's), a failed refresh is a real 401, a create answers
``{"id"}``, passwords of sites and postings are never stored, the refresh rotates (its answer carries the new
``refresh``), reports default to all time and weeks are ISO weeks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, PathParameter

from adapters.http.security import BEARER, Principal
from adapters.http.tracker.jst_schemas import (
    CredentialsBody,
    JstOpportunityBody,
    JstPostingBody,
    JstSiteBody,
    RefreshBody,
    RegisterBody,
    UserUpdateBody,
)
from adapters.http.tracker.jst_wire import (
    ACTIVE_POSTING_STATUSES,
    at_or_none,
    comment_items,
    comment_kind,
    employment_in,
    employment_out,
    label_of,
    login,
    opportunity_label,
    opportunity_status,
    parse_pay,
    posting_label,
    posting_state,
    refresh,
    register,
    signout,
    work_in,
    work_out,
)
from adapters.http.wire import client_ip
from core.accounts.profiles.edit import ProfileEditService, ProfileUpdate
from core.accounts.registration import RegistrationService
from core.accounts.sessions import SessionsService
from core.jobs.model.tracker import JobSite, Opportunity, TrackedApplication, TrackerPrefs
from core.jobs.tracker.applications import ApplicationChanges, NewApplication, TrackerService
from core.jobs.tracker.metrics import MetricsService
from core.jobs.tracker.records import OpportunityFields, PrefsChanges, RecordsService, SiteFields
from core.shared.errors import InvalidInput
from core.shared.pagination import PageRequest
from ports.tracker import ApplicationFilters, Identity

__all__ = ("JobSearchTrackerController",)

Tracker = NamedDependency[TrackerService]
Records = NamedDependency[RecordsService]
Metrics = NamedDependency[MetricsService]
Sessions = NamedDependency[SessionsService]
Registration = NamedDependency[RegistrationService]
ProfileEdit = NamedDependency[ProfileEditService]
Me = NamedDependency[Principal]
PathId = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
PathText = Annotated[str, PathParameter(max_length=64)]
LIST_MAX = 1000
REPORTS = ("postingsAppliedSince", "perSite", "perWeek")
OWNER = " Owner only: someone else's object answers 404 (the original answered 403 after reading it)."


def _json(status: int, content: Any) -> Response[Any]:
    return Response(content=content, status_code=status)


def _site_out(s: JobSite) -> dict[str, Any]:
    return {"id": s.id, "site_name": s.name, "site_url": s.url, "site_password": None, "rating": s.rating,
            "resume_format": s.resume_format, "github_field": s.requires_github,
            "project_site_field": s.requires_portfolio, "last_visited_at": at_or_none(s.last_visited_at),
            "resume_updated_at": at_or_none(s.resume_updated_at), "headline": s.headline,
            "description": s.description}


def _site_fields(data: JstSiteBody) -> SiteFields:
    return SiteFields(name=data.site_name, url=data.site_url, rating=data.rating, resume_format=data.resume_format,
                      requires_github=data.github_field, requires_portfolio=data.project_site_field,
                      last_visited_at=data.last_visited_at, resume_updated_at=data.resume_updated_at,
                      headline=data.headline, description=data.description or "")


def _posting_summary(a: TrackedApplication) -> dict[str, Any]:
    return {"id": a.id, "company_name": a.company, "posting_title": a.title, "posting_status": posting_label(a),
            "rejected_after_stage": a.rejected_stage, "applied_at": a.applied_at.isoformat(),
            "rejected_at": at_or_none(a.rejected_at)}


def _posting_out(a: TrackedApplication, comments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": a.id, "job_site_id": a.site_id, "company_name": a.company, "posting_title": a.title,
        "posting_status": posting_label(a), "posting_url_full": a.external_url, "posting_url_domain": a.source,
        "posting_password": None, "pay_range": a.extra.get("pay_range", ""),
        "location_type": work_out(a.work_type), "location_city": a.location,
        "employment_type": employment_out(a.employment_type), "applied_at": a.applied_at.isoformat(),
        "interviewed_at": at_or_none(a.interviewed_at), "rejected_at": at_or_none(a.rejected_at),
        "rejected_after_stage": a.rejected_stage, "job_scan_info": a.extra.get("job_scan_info", ""),
        "outreach_info": a.extra.get("outreach_info", ""), "time_spent": a.time_spent_min,
        "technology_string": a.extra.get("technology_string", ""), "technology_stack": a.tech_stack,
        "comments": comments, "posting_application_questions": a.questions, "job_description": a.description,
    }


def _posting_extra(data: JstPostingBody, label: str) -> dict[str, str]:
    return {"posting_status": label, "pay_range": data.pay_range, "job_scan_info": data.job_scan_info,
            "outreach_info": data.outreach_info, "technology_string": data.technology_string}


def _check_posting(data: JstPostingBody) -> int:
    errors: dict[str, str | list[str]] = {}
    if data.job_site_id is None:
        errors["job_site_id"] = ["This field is required."]
    if data.job_description is None:
        errors["job_description"] = ["This field is required."]
    if errors:
        raise InvalidInput(errors)
    assert data.job_site_id is not None
    return data.job_site_id


def _opportunity_out(o: Opportunity) -> dict[str, Any]:
    return {"id": o.id, "job_title": o.title, "opportunity_status": opportunity_label(o.status),
            "recruiter_name": o.recruiter_name, "recruiter_company": o.recruiter_company,
            "email_received_at": o.received_at.isoformat(), "employment_type": employment_out(o.employment_type),
            "job_duration": o.duration, "location_type": work_out(o.work_type, "In Office"),
            "location_city": o.location, "comments": o.comments, "job_description": o.description}


def _opportunity_fields(data: JstOpportunityBody) -> OpportunityFields:
    missing = {name: ["This field is required."] for name in ("job_title", "recruiter_name", "recruiter_company")
               if not (getattr(data, name) or "").strip()}
    if data.opportunity_status is None:
        missing["opportunity_status"] = ["This field is required."]
    if missing:
        raise InvalidInput(dict(missing))
    return OpportunityFields(
        title=data.job_title or "", recruiter_name=data.recruiter_name or "",
        recruiter_company=data.recruiter_company or "", status=opportunity_status(data.opportunity_status),
        received_at=data.email_received_at, employment_type=employment_in(data.employment_type),
        duration=data.job_duration, work_type=work_in(data.location_type), location=data.location_city,
        description=data.job_description, comments=list(data.comments),
    )


def _user_out(identity: Identity, prefs: TrackerPrefs | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": identity.id, "username": identity.email, "email": identity.email,
                           "first_name": identity.first_name, "last_name": identity.last_name}
    if prefs is not None:
        out.update(bio=identity.bio, user_greeting=prefs.greeting, color_mode=prefs.color_mode,
                   dashboard_first_date=at_or_none_date(prefs.dashboard_first_date),
                   dashboard_second_date=at_or_none_date(prefs.dashboard_second_date))
    return out


def at_or_none_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date_field(name: str, value: date | str | None) -> tuple[date | None, bool]:
    """``(date, clear)``: an empty string clears the date (as the original turned it into null)."""
    if value is None:
        return None, False
    if isinstance(value, str):
        if value.strip() == "":
            return None, True
        try:
            return datetime.fromisoformat(value.strip()).date(), False
        except ValueError:
            raise InvalidInput.field(name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.") \
                from None
    return value, False


async def _new_posting(tracker: TrackerService, owner: int, data: JstPostingBody, site_id: int) -> TrackedApplication:
    status_id, rejected = posting_state(data.posting_status)
    pay_min, pay_max, currency = parse_pay(data.pay_range)
    app = await tracker.create(owner, NewApplication(
        title=data.posting_title.strip() or "Untitled", company=data.company_name.strip() or "Unknown",
        source=data.posting_url_domain, status_id=status_id, rejected=rejected,
        rejected_stage=data.rejected_after_stage, applied_at=data.applied_at, interviewed_at=data.interviewed_at,
        site_id=site_id, external_url=data.posting_url_full, location=data.location_city,
        employment_type=employment_in(data.employment_type), work_type=work_in(data.location_type),
        pay_min=pay_min, pay_max=pay_max, pay_currency=currency, description=data.job_description or "",
        tech_stack=list(data.technology_stack), questions=list(data.posting_application_questions),
        time_spent_min=data.time_spent, extra=_posting_extra(data, data.posting_status), notes=_comments(data),
    ))
    return app


def _comments(data: JstPostingBody) -> list[tuple[str, str, datetime | None]]:
    return [(comment_kind(c.comment_type), c.comment_content, c.commented_at) for c in data.comments]


class JobSearchTrackerController(Controller):
    path = "/api"
    tags = ["Job search tracker (compatible)"]

    # ------------------------------------------------------------------ auth and profile

    @post("/auth/register/", status_code=201, summary="register_user",
          description="Creates a platform account that signs in at once; its e-mail stays unverified, so the "
                      "address's real owner can still sign up with the e-mailed code and take it over. `username` "
                      "is kept as the e-mail (accounts sign in by e-mail).")
    async def register(self, data: JSONBody[RegisterBody], registration: Registration) -> Response[Any]:
        fields = (data.username, data.email, data.first_name, data.last_name, data.password)
        if any(f is None or not f.strip() for f in fields):
            return _json(400, {"error": "All fields are required: username, email, first_name, last_name, "
                                        "and password."})
        error = await register(registration, data.email or "", data.password or "", data.first_name or "",
                               data.last_name or "")
        if error is not None:
            return _json(400, {"error": error})
        return _json(201, {"message": "User successfully registered."})

    @post("/auth/login/", status_code=200, summary="authenticate_user",
          description="`username` is the account e-mail. 401 `{\"error\": \"Invalid credentials.\"}`.")
    async def login(self, request: Request[Any, Any, Any], data: JSONBody[CredentialsBody], sessions: Sessions,
                    records: Records) -> Response[Any]:
        if not (data.username or "").strip() or not data.password:
            return _json(400, {"error": "Username and password are required."})
        result = await login(sessions, data.username or "", data.password, client_ip(request))
        if result is None:
            return _json(401, {"error": "Invalid credentials."})
        identity, prefs = await records.me(result.user.id)
        return _json(200, {"access": result.tokens.access, "refresh": result.tokens.refresh,
                           "user": _user_out(identity, prefs)})

    @post("/auth/logout/", status_code=200, summary="logout_user",
          description="Ends the session of `refresh` (its access tokens too).")
    async def logout(self, data: JSONBody[RefreshBody], sessions: Sessions) -> Response[Any]:
        if not (data.refresh or "").strip():
            return _json(400, {"detail": "No refresh token provided."})
        if not await signout(sessions, data.refresh or ""):
            return _json(400, {"detail": "Invalid token."})
        return _json(200, {"detail": "Successfully logged out."})

    @post("/token/", status_code=200, summary="token_obtain_pair", description="`username` is the account e-mail.")
    async def token(self, request: Request[Any, Any, Any], data: JSONBody[CredentialsBody],
                    sessions: Sessions) -> Response[Any]:
        missing = {name: ["This field is required."] for name in ("username", "password")
                   if not (getattr(data, name) or "").strip()}
        if missing:
            return _json(400, missing)
        result = await login(sessions, data.username or "", data.password or "", client_ip(request))
        if result is None:
            return _json(401, {"detail": "No active account found with the given credentials"})
        return _json(200, {"access": result.tokens.access, "refresh": result.tokens.refresh})

    @post("/token/refresh/", status_code=200, summary="token_refresh",
          description="Rotates the refresh token: the answer carries the new `refresh` beside `access` (the old "
                      "one is spent). Any failure is a 401 `{\"detail\": \"Token refresh failed. Please log in "
                      "again.\"}` (the original answered 500).")
    async def token_refresh(self, data: JSONBody[RefreshBody], sessions: Sessions) -> Response[Any]:
        if not (data.refresh or "").strip():
            return _json(400, {"refresh": ["This field is required."]})
        result = await refresh(sessions, data.refresh or "")
        if result is None:
            return _json(401, {"detail": "Token refresh failed. Please log in again."})
        return _json(200, {"access": result.tokens.access, "refresh": result.tokens.refresh})

    @get("/me/", summary="user_profile", security=BEARER, description="`username` is the account e-mail.")
    async def me(self, records: Records, me: Me) -> dict[str, Any]:
        identity, _ = await records.me(me.user_id)
        return _user_out(identity)

    async def _update(self, data: UserUpdateBody, records: RecordsService, profile_edit: ProfileEditService,
                      me: Principal) -> Response[Any]:
        identity, _ = await records.me(me.user_id)
        for name in ("email", "username"):
            value = getattr(data, name)
            if value is not None and value.strip().lower() != identity.email:
                raise InvalidInput.field(name, "The e-mail address is changed through the account settings.")
        first, clear_first = _date_field("dashboard_first_date", data.dashboard_first_date)
        second, clear_second = _date_field("dashboard_second_date", data.dashboard_second_date)
        if data.color_mode is not None and data.color_mode not in ("light", "dark"):
            raise InvalidInput.field("color_mode", f'"{data.color_mode}" is not a valid choice.')
        if data.first_name is not None or data.last_name is not None or data.bio is not None:
            await profile_edit.update(me.user_id, ProfileUpdate(first_name=data.first_name,
                                                               last_name=data.last_name, bio=data.bio))
        await records.set_prefs(me.user_id, PrefsChanges(
            greeting=data.user_greeting, color_mode=data.color_mode, dashboard_first_date=first,
            dashboard_second_date=second, clear_first_date=clear_first, clear_second_date=clear_second,
        ))
        return _json(200, {"message": "User info updated successfully."})

    @patch("/custom_user/update/", summary="update_user_info", security=BEARER,
           description="Partial: `first_name`, `last_name`, `bio`, `user_greeting`, `color_mode`, the two "
                       "dashboard dates (empty string clears). The e-mail (and `username`, the same) is changed "
                       "through the account settings; `password` is not changed here.")
    async def update_patch(self, data: JSONBody[UserUpdateBody], records: Records, profile_edit: ProfileEdit,
                           me: Me) -> Response[Any]:
        return await self._update(data, records, profile_edit, me)

    @put("/custom_user/update/", summary="update_user_info (PUT)", security=BEARER,
         description="The same as PATCH (partial).")
    async def update_put(self, data: JSONBody[UserUpdateBody], records: Records, profile_edit: ProfileEdit,
                         me: Me) -> Response[Any]:
        return await self._update(data, records, profile_edit, me)

    @get("/custom_user/all/", summary="list_all_users", security=BEARER,
         description="Admins only (403 otherwise): the first 1000 accounts by id.")
    async def all_users(self, records: Records, me: Me) -> list[dict[str, Any]]:
        return [_user_out(i) for i in await records.everyone(me.user_id)]

    # ------------------------------------------------------------------ job sites

    @get("/job_site/", summary="Job sites", security=BEARER,
         description="Your sites `{id, site_name, site_url, rating, last_visited_at, headline}`.")
    async def sites(self, records: Records, me: Me) -> list[dict[str, Any]]:
        return [{k: v for k, v in _site_out(s).items()
                 if k in ("id", "site_name", "site_url", "rating", "last_visited_at", "headline")}
                for s in await records.sites(me.user_id)]

    @post("/job_site/", status_code=201, summary="Create a job site", security=BEARER,
          description="Every field optional; `site_password` is never stored. 201 `{\"id\"}`.")
    async def add_site(self, data: JSONBody[JstSiteBody], records: Records, me: Me) -> dict[str, int]:
        return {"id": (await records.add_site(me.user_id, _site_fields(data))).id}

    @get("/job_site/{site_id:int}/", summary="A job site", security=BEARER,
         description="All fields (`site_password` always null)." + OWNER)
    async def site(self, site_id: PathId, records: Records, me: Me) -> dict[str, Any]:
        return _site_out(await records.site(me.user_id, site_id))

    @put("/job_site/{site_id:int}/", status_code=204, summary="Replace a job site", security=BEARER,
         description="Full replacement (absent fields take their defaults)." + OWNER)
    async def replace_site(self, site_id: PathId, data: JSONBody[JstSiteBody], records: Records, me: Me) -> None:
        await records.replace_site(me.user_id, site_id, _site_fields(data))

    @delete("/job_site/{site_id:int}/", status_code=204, summary="Delete a job site", security=BEARER,
            description="Its postings go with it." + OWNER)
    async def delete_site(self, site_id: PathId, records: Records, me: Me) -> None:
        await records.delete_site(me.user_id, site_id)

    @get("/job_site/{site_id:int}/postings/", summary="Postings of a job site", security=BEARER,
         description="`{id, company_name, posting_title, posting_status, applied_at}`." + OWNER)
    async def site_postings(self, site_id: PathId, records: Records, tracker: Tracker,
                            me: Me) -> list[dict[str, Any]]:
        await records.site(me.user_id, site_id)
        page = await tracker.applications(me.user_id, ApplicationFilters(site_id=site_id), PageRequest(1, LIST_MAX))
        return [{k: v for k, v in _posting_summary(a).items()
                 if k in ("id", "company_name", "posting_title", "posting_status", "applied_at")}
                for a in page.items]

    @post("/job_site/{site_id:int}/postings/", status_code=201, summary="Create a posting on a job site",
          security=BEARER, description="As POST /api/job_posting/ with this site (the original documented it but "
                                       "answered 405). 201 `{\"id\"}`." + OWNER)
    async def add_site_posting(self, site_id: PathId, data: JSONBody[JstPostingBody], records: Records,
                               tracker: Tracker, me: Me) -> dict[str, int]:
        await records.site(me.user_id, site_id)
        if data.job_description is None:
            raise InvalidInput.field("job_description", "This field is required.")
        return {"id": (await _new_posting(tracker, me.user_id, data, site_id)).id}

    # ------------------------------------------------------------------ job postings

    @get("/job_posting/", summary="Job postings", security=BEARER,
         description="Your postings (newest applied first, 1000 at most).")
    async def postings(self, tracker: Tracker, me: Me) -> list[dict[str, Any]]:
        page = await tracker.applications(me.user_id, ApplicationFilters(), PageRequest(1, LIST_MAX))
        return [_posting_summary(a) for a in page.items]

    @post("/job_posting/", status_code=201, summary="Create a job posting", security=BEARER,
          description="`job_site_id` (one of your sites) and `job_description` required; `posting_status` one of "
                      "the original's labels; `pay_range` text is kept and parsed into minor units. 201 `{\"id\"}`.")
    async def add_posting(self, data: JSONBody[JstPostingBody], tracker: Tracker, me: Me) -> dict[str, int]:
        site_id = _check_posting(data)
        return {"id": (await _new_posting(tracker, me.user_id, data, site_id)).id}

    @get("/job_posting/active/", summary="Active job postings", security=BEARER,
         description="Not rejected and past APPLIED (the original's 1 and 2, plus post-interview silence); "
                     "204 when none.",
         responses={204: ResponseSpec(data_container=None, description="No active posting.")})
    async def active_postings(self, tracker: Tracker, me: Me) -> Response[Any]:
        filters = ApplicationFilters(rejected=False, status_ids=ACTIVE_POSTING_STATUSES)
        page = await tracker.applications(me.user_id, filters, PageRequest(1, LIST_MAX))
        if not page.items:
            return Response(content=None, status_code=204)
        return _json(200, [_posting_summary(a) for a in page.items])

    @get("/job_posting/{posting_id:int}/", summary="A job posting", security=BEARER,
         description="All fields; `comments` are the posting's notes." + OWNER)
    async def posting(self, posting_id: PathId, tracker: Tracker, me: Me) -> dict[str, Any]:
        app = await tracker.get(me.user_id, posting_id)
        return _posting_out(app, comment_items(await tracker.notes(me.user_id, posting_id)))

    @put("/job_posting/{posting_id:int}/", status_code=204, summary="Replace a job posting", security=BEARER,
         description="Full replacement; `comments` replace the notes. A status change is recorded in the "
                     "history." + OWNER)
    async def replace_posting(self, posting_id: PathId, data: JSONBody[JstPostingBody], tracker: Tracker,
                              me: Me) -> None:
        site_id = _check_posting(data)
        current = await tracker.get(me.user_id, posting_id)
        status_id, rejected = posting_state(data.posting_status, current.status_id)
        pay_min, pay_max, currency = parse_pay(data.pay_range)
        if pay_min is None:
            pay_min, pay_max, currency = current.pay_min, current.pay_max, current.pay_currency
        await tracker.edit(me.user_id, posting_id, ApplicationChanges(
            title=data.posting_title.strip() or "Untitled", company=data.company_name.strip() or "Unknown",
            source=data.posting_url_domain, status_id=status_id, rejected=rejected,
            rejected_stage=data.rejected_after_stage, applied_at=data.applied_at,
            interviewed_at=data.interviewed_at, site_id=site_id, external_url=data.posting_url_full,
            location=data.location_city, employment_type=employment_in(data.employment_type),
            work_type=work_in(data.location_type), pay_min=pay_min, pay_max=pay_max, pay_currency=currency,
            description=data.job_description or "", tech_stack=list(data.technology_stack),
            questions=list(data.posting_application_questions), time_spent_min=data.time_spent,
            extra=_posting_extra(data, data.posting_status), notes=_comments(data),
        ))

    @delete("/job_posting/{posting_id:int}/", status_code=204, summary="Delete a job posting", security=BEARER,
            description="Soft delete (gone from lists and reports, kept in the history)." + OWNER)
    async def delete_posting(self, posting_id: PathId, tracker: Tracker, me: Me) -> None:
        await tracker.delete(me.user_id, [posting_id])

    # ------------------------------------------------------------------ e-mail opportunities

    @get("/email_opportunity/", summary="E-mail opportunities", security=BEARER,
         description="Your opportunities, every field, newest received first.")
    async def opportunities(self, records: Records, me: Me) -> list[dict[str, Any]]:
        return [_opportunity_out(o) for o in await records.opportunities(me.user_id)]

    @post("/email_opportunity/", status_code=201, summary="Create an e-mail opportunity", security=BEARER,
          description="`job_title`, `opportunity_status` (the original's labels), `recruiter_name`, "
                      "`recruiter_company` required. 201 `{\"id\"}`.")
    async def add_opportunity(self, data: JSONBody[JstOpportunityBody], records: Records, me: Me) -> dict[str, int]:
        return {"id": (await records.add_opportunity(me.user_id, _opportunity_fields(data))).id}

    @get("/email_opportunity/active/", summary="Active e-mail opportunities", security=BEARER,
         description="`{id, recruiter_name, job_title, opportunity_status, email_received_at}` of the open ones "
                     "(200 even when empty).")
    async def active_opportunities(self, records: Records, me: Me) -> list[dict[str, Any]]:
        return [{k: v for k, v in _opportunity_out(o).items()
                 if k in ("id", "recruiter_name", "job_title", "opportunity_status", "email_received_at")}
                for o in await records.opportunities(me.user_id, active=True)]

    @get("/email_opportunity/{opportunity_id:int}/", summary="An e-mail opportunity", security=BEARER,
         description=OWNER.strip())
    async def opportunity(self, opportunity_id: PathId, records: Records, me: Me) -> dict[str, Any]:
        return _opportunity_out(await records.opportunity(me.user_id, opportunity_id))

    @put("/email_opportunity/{opportunity_id:int}/", status_code=204, summary="Replace an e-mail opportunity",
         security=BEARER, description=OWNER.strip())
    async def replace_opportunity(self, opportunity_id: PathId, data: JSONBody[JstOpportunityBody],
                                  records: Records, me: Me) -> None:
        await records.replace_opportunity(me.user_id, opportunity_id, _opportunity_fields(data))

    @delete("/email_opportunity/{opportunity_id:int}/", status_code=204, summary="Delete an e-mail opportunity",
            security=BEARER, description=OWNER.strip())
    async def delete_opportunity(self, opportunity_id: PathId, records: Records, me: Me) -> None:
        await records.delete_opportunity(me.user_id, opportunity_id)

    # ------------------------------------------------------------------ reports and dashboard

    async def _report(self, metrics: MetricsService, owner: int, report_type: str,
                      since: date | None) -> dict[str, Any]:
        if report_type not in REPORTS:
            raise InvalidInput.error("Invalid report type. Valid types are: postingsAppliedSince, perSite, perWeek.")
        suffix = f" since {since.strftime('%m/%d/%y')}" if since is not None else ""
        if report_type == "postingsAppliedSince":
            rows = await metrics.postings(owner, since)
            return {"report_name": "Postings Applied" + suffix, "report_fields": [
                {"field_title": t, "field_name": n, "sortable": True} for t, n in (
                    ("Company Name", "company_name"), ("Posting Title", "posting_title"),
                    ("Posting Status", "posting_status"), ("Applied At", "applied_at"),
                    ("Rejected After Stage", "rejected_after_stage"))],
                "report_data": [{"id": r.id, "company_name": r.company, "posting_title": r.title,
                                 "posting_status": label_of(r.status_id, r.is_rejected),
                                 "applied_at": r.applied_on.isoformat(), "rejected_after_stage": r.rejected_stage,
                                 "site_name": r.site_name, "site_id": r.site_id} for r in rows]}
        if report_type == "perSite":
            sites = await metrics.per_site(owner, since)
            return {"report_name": "Postings Per Site" + suffix, "report_fields": [
                {"field_title": "Site Name", "field_name": "site_name", "sortable": True},
                {"field_title": "Site Count", "field_name": "site_count", "sortable": True}],
                "report_data": [{"site_name": name, "site_count": n} for _, name, n in sites]}
        weeks = await metrics.per_week(owner, since)
        return {"report_name": "Applications Per Week" + suffix, "report_fields": [
            {"field_title": t, "field_name": n, "sortable": False} for t, n in (
                ("Year", "year"), ("Month", "month"), ("Week", "week"), ("Week Count", "week_count"))],
            "report_data": [{"year": str(w.year), "week": f"{w.week:02d}", "month": w.monday.strftime("%B"),
                             "week_count": w.count} for w in weeks]}

    @get("/report/{report_type:str}/", summary="Report", security=BEARER,
         description="`report_type` postingsAppliedSince | perSite | perWeek, over all your postings (the original "
                     "silently started at 2024-01-01). Weeks are ISO weeks (`week` two digits, `year` the ISO "
                     "year, `month` the Monday's).")
    async def report(self, report_type: PathText, metrics: Metrics, me: Me) -> dict[str, Any]:
        return await self._report(metrics, me.user_id, report_type, None)

    @get("/report/{report_type:str}/{reference_date:str}/", summary="Report since a day", security=BEARER,
         description="Postings applied on or after `reference_date` (YYYY-MM-DD, your calendar day); the name "
                     "gets ` since MM/DD/YY`. 400 `{\"error\": \"Invalid date format.\"}`.")
    async def report_since(self, report_type: PathText, reference_date: PathText, metrics: Metrics,
                           me: Me) -> dict[str, Any]:
        try:
            since = date.fromisoformat(reference_date)
        except ValueError:
            raise InvalidInput.error("Invalid date format.") from None
        return await self._report(metrics, me.user_id, report_type, since)

    @get("/dashboard/", summary="Dashboard statistics", security=BEARER,
         description="Three rows `{total_count, response_count, raw_date, formatted_date}`: since your first "
                     "dashboard date, between the two, since the second (saved with /api/custom_user/update/; "
                     "defaults 90 and 30 days ago — the original hard-coded 2024 dates). A response is a posting "
                     "that reached PHONE SCREEN or later.")
    async def dashboard(self, metrics: Metrics, me: Me) -> list[dict[str, Any]]:
        rows = await metrics.dashboard(me.user_id)
        out = []
        for r in rows:
            formatted = r.start.strftime("%B %d, %Y")
            if r.end is not None:
                formatted += " to " + r.end.strftime("%B %d, %Y")
            out.append({"total_count": r.total, "response_count": r.responded, "raw_date": r.start.isoformat(),
                        "formatted_date": formatted})
        return out


