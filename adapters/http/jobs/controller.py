"""Job board endpoints under ``/job/``. Thin: decode, call one service method, encode the documented shape."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.jobs.schemas import (
    ApplicantCardRead,
    ApplicantPageRead,
    ApplicantRead,
    ApplicationStatusRead,
    AppliedItemRead,
    AppliedJobRead,
    ApplyBody,
    JobBody,
    JobCreatedRead,
    JobEditBody,
    JobPageRead,
    JobRead,
    PreferenceBody,
    PreferenceRead,
    PreferenceStateRead,
    RecentApplicantRead,
    SaveBody,
    SavedJobRead,
    SavedRead,
    StatusBody,
)
from adapters.http.pagination import page_envelope, page_request
from adapters.http.readcache import CACHE_NOTE, cached
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site
from core.jobs.board.postings import APPLICANTS_PAGE_SIZE, POSTED_PAGE_SIZE, EditJob, NewJob, PostingService
from core.jobs.board.seeking import RECOMMEND_PAGE_SIZE, SEARCH_PAGE_SIZE, SeekingService, SetPreference
from core.jobs.model.board import Job
from core.jobs.model.views import JobView
from core.shared.errors import InvalidInput, NotFound
from ports.readcache import ReadCache

__all__ = ("JobController",)

Postings = NamedDependency[PostingService]
Seeking = NamedDependency[SeekingService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
Cache = NamedDependency[ReadCache]
PageParam = Annotated[str | None, QueryParameter(name="page", description="Page number.", pattern=NO_NUL)]
JobIdParam = Annotated[int | None, QueryParameter(name="job_id", ge=1, le=2**63 - 1)]
Filter = Annotated[str | None, QueryParameter(max_length=250, pattern=NO_NUL)]

NA = "N/A"
LIST_NOTE = (
    " Lists walk the newest candidate jobs in index order (search: 500; recommendations: 100 of each industry): "
    "`count` is exact up to that bound and a page costs the same whatever the number of jobs. `is_saved` is the "
    "caller's own."
)


def job_read(view: JobView) -> JobRead:
    job = view.job
    return JobRead(
        id=job.id, title=job.title, organization=job.organization, employment_type=str(job.employment_type),
        work_type=str(job.work_type), country=job.country, salary=job.salary, overview=job.overview,
        description=job.description, industry=job.industry, experience_level=str(job.experience_level),
        time_stamp=job.created_at.date(), application_deadline=job.application_deadline, status=str(job.status),
        is_saved=view.is_saved,
    )


def saved_read(job: Job) -> SavedRead:
    return SavedRead(job=SavedJobRead(
        id=job.id, title=job.title, organization=job.organization, employment_type=str(job.employment_type),
        work_type=str(job.work_type), country=job.country, salary=job.salary, overview=job.overview,
        description=job.description, experience_level=str(job.experience_level),
        application_deadline=job.application_deadline, status=str(job.status),
    ))


class JobController(Controller):
    path = "/job"
    tags = ["Jobs"]

    @post(
        "/",
        status_code=201,
        summary="Job Create",
        description=(
            "Employers only (403 otherwise). `employment_type` full_time|part_time|internship|freelance|contract, "
            "`work_type` remote|onsite|hybrid, `experience_level` entry|mid|senior|executive, `status` "
            "active|draft|closed (default active), `application_deadline` a date not in the past. Industries are "
            "classified from the overview and description. An active job starts alert matching in the background."
        ),
        security=BEARER,
    )
    async def create(self, data: JSONBody[JobBody], postings: Postings, me: Me) -> JobCreatedRead:
        job = await postings.create(me.user_id, NewJob(
            title=data.title, organization=data.organization, employment_type=data.employment_type,
            work_type=data.work_type, country=data.country, salary=data.salary, overview=data.overview,
            description=data.description, experience_level=data.experience_level,
            application_deadline=data.application_deadline, status=data.status,
        ))
        return JobCreatedRead(
            id=job.id, title=job.title, organization=job.organization, employment_type=str(job.employment_type),
            work_type=str(job.work_type), country=job.country, salary=job.salary, overview=job.overview,
            description=job.description, industry=job.industry, experience_level=str(job.experience_level),
            application_deadline=job.application_deadline, status=str(job.status),
        )

    @get(
        "/",
        summary="Retrieve Job Posts / Job Details",
        description=(
            "Without `job_id`: the caller's own postings (`status=active|draft|closed` filters; anything else → 400 "
            "`{\"error\": \"Invalid status parameter\"}`), newest first, 5 a page. With `job_id`: that job, for any "
            "signed-in user when active, else only for its poster and the members of the poster's organization "
            "(404 `Invalid job id` otherwise)." + CACHE_NOTE
        ),
        security=BEARER,
    )
    async def posted(
        self,
        request: Request[Any, Any, Any],
        postings: Postings,
        seeking: Seeking,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
        job_id: JobIdParam = None,
        status: Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)] = None,
    ) -> Response[JobRead | JobPageRead]:
        async def produce() -> JobRead | JobPageRead:
            if job_id is not None:
                return job_read(await seeking.job(me.user_id, job_id))
            result = await postings.posted(me.user_id, status, page_request(page, POSTED_PAGE_SIZE).number)
            return JobPageRead(**page_envelope(site, request, result, [job_read(v) for v in result.items]))

        return await cached(request, read_cache, me.user_id, produce)

    @put(
        "/",
        status_code=206,
        summary="Edit Job",
        description=(
            "Partial update of a draft job (`job_id` required: 404 `A job_id query parameter is required.`) by its "
            "poster or a member of the poster's organization. Not a draft → 403 "
            "`{\"error\": \"Only Draft jobs can be edited\"}`; "
            "someone else's active job → 403, someone else's draft → 404. A changed overview or description "
            "re-classifies the industries; `status` follows the status rules of Update Job Status."
        ),
        security=BEARER,
    )
    async def edit(self, data: JSONBody[JobEditBody], postings: Postings, me: Me, job_id: JobIdParam = None) -> JobRead:
        if job_id is None:
            raise NotFound("A job_id query parameter is required.")
        view = await postings.edit(me.user_id, job_id, EditJob(
            title=data.title, organization=data.organization, employment_type=data.employment_type,
            work_type=data.work_type, country=data.country, salary=data.salary, overview=data.overview,
            description=data.description, experience_level=data.experience_level,
            application_deadline=data.application_deadline, status=data.status,
        ))
        return job_read(view)

    @put(
        "/status/update/",
        status_code=200,
        summary="Update Job Status",
        description=(
            "By the poster or a member of the poster's organization. draft → active → closed, closed ↔ active; back "
            "to draft only while nobody applied (403 otherwise); a job past its deadline cannot be activated (400). "
            "Becoming active starts alert matching in the background (once per job and user)."
        ),
        security=BEARER,
    )
    async def status(self, data: JSONBody[StatusBody], postings: Postings, me: Me) -> JobRead:
        return job_read(await postings.set_status(me.user_id, data.job, data.status))

    @get(
        "/recommend/",
        summary="Recommended Job Posts",
        description=(
            "Active jobs open for applications tagged with the caller's industry or their preference's industry; "
            "the best match of the caller's job preference first (a shared title word counts 2, each of employment "
            "type, work type and experience level 1), then newest, then nearest deadline. 5 a page."
            + LIST_NOTE + CACHE_NOTE
        ),
        security=BEARER,
    )
    async def recommend(
        self,
        request: Request[Any, Any, Any],
        seeking: Seeking,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
    ) -> Response[JobPageRead]:
        async def produce() -> JobPageRead:
            result = await seeking.recommended(me.user_id, page_request(page, RECOMMEND_PAGE_SIZE).number)
            return JobPageRead(**page_envelope(site, request, result, [job_read(v) for v in result.items]))

        return await cached(request, read_cache, me.user_id, produce)

    @get(
        "/search/",
        summary="Job Search",
        description=(
            "Public. Active jobs open for applications, newest first, 10 a page. `q`: every word must be a word of "
            "the title or organization (whole words, any case); `employment_type`, `work_type`, `experience_level` "
            "(choices; anything else → 400) and `country` (exact) filter." + LIST_NOTE
        ),
    )
    async def search(
        self,
        request: Request[Any, Any, Any],
        seeking: Seeking,
        site: SiteDep,
        page: PageParam = None,
        q: Filter = None,
        employment_type: Filter = None,
        work_type: Filter = None,
        experience_level: Filter = None,
        country: Filter = None,
    ) -> JobPageRead:
        result = await seeking.search(
            None, q=q, employment_type=employment_type, work_type=work_type, experience_level=experience_level,
            country=country, page=page_request(page, SEARCH_PAGE_SIZE).number,
        )
        return JobPageRead(**page_envelope(site, request, result, [job_read(v) for v in result.items]))

    # ------------------------------------------------------------------ preference

    @put(
        "/preference/",
        status_code=200,
        summary="Job Preference",
        description=(
            "All five required: `title` (≤250 characters), `employment_type`, `work_type`, `industry` (the industry "
            "choices), `experience_level`. Job alerts and recommendations follow it."
        ),
        security=BEARER,
    )
    async def set_preference(self, data: JSONBody[PreferenceBody], seeking: Seeking, me: Me) -> PreferenceRead:
        pref = await seeking.set_preference(me.user_id, SetPreference(
            title=data.title, employment_type=data.employment_type, work_type=data.work_type,
            industry=data.industry, experience_level=data.experience_level,
        ))
        return PreferenceRead(title=pref.title, employment_type=str(pref.employment_type),
                              work_type=str(pref.work_type), industry=pref.industry,
                              experience_level=str(pref.experience_level))

    @get(
        "/preference/",
        summary="Get Job Preference",
        description="The caller's preference with `preference_set: true`, or every value `N/A` and `false`.",
        security=BEARER,
    )
    async def preference(self, seeking: Seeking, me: Me) -> PreferenceStateRead:
        pref = await seeking.preference(me.user_id)
        if pref is None:
            return PreferenceStateRead(title=NA, employment_type=NA, work_type=NA, industry=NA, experience_level=NA,
                                       preference_set=False)
        return PreferenceStateRead(title=pref.title, employment_type=str(pref.employment_type),
                                   work_type=str(pref.work_type), industry=pref.industry,
                                   experience_level=str(pref.experience_level), preference_set=True)

    # ------------------------------------------------------------------ saved jobs

    @post(
        "/save/",
        status_code=201,
        summary="Save a Job",
        description="Once per job (400 `This Job has already been saved.`); jobs the caller cannot see → 400.",
        security=BEARER,
    )
    async def save(self, data: JSONBody[SaveBody], seeking: Seeking, me: Me) -> SavedRead:
        return saved_read((await seeking.save(me.user_id, data.job)).job)

    @get("/save/", summary="Retrieve Saved Jobs", description="Most recently saved first, at most 500.",
         security=BEARER)
    async def saved(self, seeking: Seeking, me: Me) -> list[SavedRead]:
        return [saved_read(v.job) for v in await seeking.saved(me.user_id)]

    @delete(
        "/unsave/",
        status_code=204,
        summary="Unsave Job",
        description="`job` required (400 `A job query parameter is required for this request`); a job the caller "
        "has not saved → 400.",
        security=BEARER,
    )
    async def unsave(
        self,
        seeking: Seeking,
        me: Me,
        job: Annotated[int | None, QueryParameter(name="job", ge=1, le=2**63 - 1)] = None,
    ) -> None:
        if job is None:
            raise InvalidInput.error("A job query parameter is required for this request")
        await seeking.unsave(me.user_id, job)

    # ------------------------------------------------------------------ applications

    @post(
        "/apply/",
        status_code=200,
        summary="Apply for Job",
        description=(
            "Once per job (unique; 400 `You have already applied for this job.`). Employers cannot apply; drafts, "
            "closed jobs and jobs past their deadline accept no applications (400). The poster is notified."
        ),
        security=BEARER,
    )
    async def apply(self, data: JSONBody[ApplyBody], seeking: Seeking, me: Me) -> ApplicationStatusRead:
        await seeking.apply(me.user_id, data.job)
        return ApplicationStatusRead(application_status="Success")

    @get("/apply/", summary="Retrieve Applied Jobs", description="The caller's applications, newest first, at most "
         "500.", security=BEARER)
    async def applied(self, seeking: Seeking, me: Me) -> list[AppliedItemRead]:
        return [
            AppliedItemRead(id=a.id, job=AppliedJobRead(
                id=a.job.id, title=a.job.title, employment_type=str(a.job.employment_type), salary=a.job.salary,
                country=a.job.country, organization=a.job.organization, posted_on=a.job.created_at.date(),
            ))
            for a in await seeking.applied(me.user_id)
        ]

    @get(
        "/application/",
        summary="Retrieve Job Applications",
        description=(
            "`job_id` required (400). The poster or a member of the poster's organization only: someone else's "
            "active job → 403, someone else's draft or closed job or an unknown id → 404. Newest first, 10 a page."
        ),
        security=BEARER,
    )
    async def applications(
        self,
        request: Request[Any, Any, Any],
        postings: Postings,
        me: Me,
        site: SiteDep,
        page: PageParam = None,
        job_id: JobIdParam = None,
    ) -> ApplicantPageRead:
        if job_id is None:
            raise InvalidInput.error("A job_id query parameter is required.")
        result = await postings.applicants(me.user_id, job_id, page_request(page, APPLICANTS_PAGE_SIZE).number)
        items = [
            ApplicantRead(id=a.id, applicant=ApplicantCardRead(
                id=a.applicant.id, first_name=a.applicant.first_name, last_name=a.applicant.last_name,
                middle_name=a.applicant.middle_name, profile_photo=site.photo(a.applicant.profile_photo),
                qualification=a.applicant.qualification, resume=a.applicant.resume or NA,
            ))
            for a in result.items
        ]
        return ApplicantPageRead(**page_envelope(site, request, result, items))

    @get("/application/recent/", summary="Retrieve Recent Applicants",
         description="The 5 newest applications across the caller's postings.", security=BEARER)
    async def recent(self, postings: Postings, me: Me) -> list[RecentApplicantRead]:
        return [
            RecentApplicantRead(id=r.id, applicant=f"{r.first_name} {r.last_name}".strip(), job_name=r.job_title)
            for r in await postings.recent_applicants(me.user_id)
        ]
