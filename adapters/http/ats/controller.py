"""Recruiter ATS endpoints under ``/ats/`` (issue 26). Thin: decode, call one service method, encode the documented
shape. Every signed-in endpoint takes ``?org=<corporate account id>`` for a user in several organisations."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal, DecimalException, InvalidOperation
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from adapters.http.ats.schemas import (
    AppliedJobRead,
    AtsJobBody,
    AtsJobPageRead,
    AtsJobRead,
    CandidateEditBody,
    CandidateForm,
    CandidatePageRead,
    CandidateRead,
    CountRead,
    EmailCheckRead,
    LocationRead,
    MemberBody,
    MemberRead,
    MoveBody,
    PersonRead,
    PublicStepRead,
    ResumeListItemRead,
    ResumePageRead,
    ResumeRead,
    ResumeScoreRead,
    RoleBody,
    ScreeningBody,
    ShareBody,
    SharedRead,
    SkillBody,
    SkillRead,
    StageFilterRead,
    StatusPageRead,
    StatusRead,
    StepEditBody,
    StepPageRead,
    StepRead,
    TestLogBody,
    WeightsBody,
    WeightsRead,
)
from adapters.http.pagination import page_envelope, page_request
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site, client_ip, convert, read_body, to_upload
from core.jobs.ats.candidates import CANDIDATES_PAGE_SIZE, CandidateService, EditCandidate, ImportCandidate
from core.jobs.ats.hiring import JOBS_PAGE_SIZE, STAGE_COLORS, HiringService, JobInput
from core.jobs.ats.pipeline import PIPELINE_PAGE_SIZE, PipelineService, StepChange
from core.jobs.model.ats import BASIS, SCORE_SCALE, Resume, StatusEvent, StepKind, Weights
from core.shared.errors import InvalidInput
from ports.ats import AtsUser, CandidateCard, CandidateFilters, JobCard, JobFilters, StatusFilters, StepCard

__all__ = ("AtsController", "AtsPublicController")

Hiring = NamedDependency[HiringService]
Book = NamedDependency[CandidateService]
Pipeline = NamedDependency[PipelineService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
Req = Request[Any, Any, Any]
MAX_ID = 2**63 - 1
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
PathKey = Annotated[str, PathParameter(max_length=64)]
PathEmail = Annotated[str, PathParameter(max_length=254, pattern=NO_NUL)]
Org = Annotated[int | None, QueryParameter(name="org", ge=1, le=MAX_ID,
                                           description="The organisation (corporate account id) to act in.")]
PageParam = Annotated[str | None, QueryParameter(name="page", description="Page number.", pattern=NO_NUL)]
IdQuery = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
Text = Annotated[str | None, QueryParameter(max_length=250, pattern=NO_NUL)]
Order = Annotated[str | None, QueryParameter(name="o", max_length=64, pattern=NO_NUL,
                                             description="Ordering; `-` prefix = descending.")]

ORG_NOTE = (" Signed in; `?org=<corporate account id>` names the organisation for a user in several (400 without "
            "it). 404 outside the caller's visibility, 403 when their role only reads.")


# ------------------------------------------------------------------------------------------------ encoding


def _fraction(value: int, scale: int, places: int) -> str:
    return f"{Decimal(value) / Decimal(scale):.{places}f}"


def _weight(value: int) -> str:
    text = f"{Decimal(value) / Decimal(BASIS):.4f}".rstrip("0")
    return text + "0" * max(0, 2 - len(text.split(".")[1]))


def _person(user: AtsUser, org: int, role: str = "") -> PersonRead:
    return PersonRead(id=user.id, name=user.name, email=user.email, org=org, role={"name": role.title()})


def job_read(card: JobCard, today: date) -> AtsJobRead:
    job, s = card.job, card.settings
    weights = s.weights
    body = html.escape(job.description).replace("\n", "<br>")
    return AtsJobRead(
        id=job.id, title=job.title, description=job.description, jd_html=f"<p>{body}</p>",
        applicants_count=card.applicants_count, applicants_today_count=card.applicants_today_count,
        experience=s.min_experience, min_experience=s.min_experience, max_experience=s.max_experience,
        encrypted=None,
        owner=_person(card.owner, job.poster_id) if card.owner is not None else None,
        employment_type=str(job.employment_type), work_type=str(job.work_type), location=s.location,
        country=job.country, published=str(job.status) == "active", status=str(job.status),
        closing_in=max(0, (job.application_deadline - today).days), close_date=job.application_deadline,
        created_at=job.created_at, users_shared_with=[_person(u, job.poster_id) for u in card.shared_with],
        must_have_skills=[SkillRead(label=k, value=k) for k in s.must_have_skills],
        score_weight=WeightsRead(id=job.id, skills=_weight(weights.skills),
                                 work_experience=_weight(weights.work_experience), projects=_weight(weights.projects),
                                 education=_weight(weights.education), certifications=_weight(weights.certifications)),
        threshold=_fraction(s.threshold, SCORE_SCALE, 3), new_applicant_notify=s.notify_new_applicant,
    )


def _score(value: int | None, places: int) -> str | None:
    return _fraction(value, SCORE_SCALE, places) if value is not None else None


def resume_read(r: Resume) -> ResumeRead:
    return ResumeRead(
        id=r.id, name=r.name, job=r.job_id, candidate=r.candidate_id, file=r.file_url, status_text=r.status_text,
        relevant_experience_in_months=r.relevant_months, overall_score=_score(r.overall, 3),
        resume_score=ResumeScoreRead(
            id=r.id, ai_score=False, skills_score=_score(r.s_skills, 2), work_exp_score=_score(r.s_work_experience, 2),
            projects_score=_score(r.s_projects, 2), education_score=_score(r.s_education, 2),
            certifications_score=_score(r.s_certifications, 2), overall_score=_score(r.overall, 2), feedback=None,
            job=r.job_id, user=None, score_weight=None,
        ),
        skills_matched=list(r.skills_matched), score_reasons=list(r.reasons), processing_state=r.processing_state,
        processing_message=r.processing_message, completed=r.processing_state != "pending",
        is_approved=r.is_approved, approved_by=r.approved_by, updated_by=None, created_at=r.created_at,
        updated_at=r.updated_at,
    )


def candidate_read(card: CandidateCard) -> CandidateRead:
    c = card.candidate
    return CandidateRead(
        id=c.id, name=c.name, email=c.email, profile_pic=c.photo or None, contact=c.contact,
        location=LocationRead(city=c.city, state=c.state), platform_user=c.user_id,
        resumes=resume_read(card.resume) if card.resume is not None else None,
        applied_jobs=[AppliedJobRead(id=i, title=t) for i, t in card.applied_jobs], current_stage=card.current_stage,
        created_at=c.created_at, updated_at=c.updated_at,
    )


def status_read(e: StatusEvent) -> StatusRead:
    return StatusRead(id=e.id, candidate=e.candidate_id, job=e.job_id, status=e.status, stage_name=e.stage_name,
                      reason=e.reason, origin=e.origin, update_by=e.actor_id, updated_at=e.updated_at)


def step_read(card: StepCard, site: Site, now_status: str | None = None) -> StepRead:
    s = card.step
    kind = StepKind(s.kind)
    path = f"/ats/public/{'tests' if kind is StepKind.ASSESSMENT else 'screenings'}/{s.key}/"
    return StepRead(
        id=s.id, key=s.key, link=site.public_url.rstrip("/") + path, job=s.job_id, job_title=card.job_title,
        assigned_to=s.candidate_id, candidate=s.candidate_id, candidate_name=card.candidate_name,
        candidate_email=card.candidate_email, assigned_by=s.assigned_by, assigned_at=s.assigned_at,
        valid_to=s.valid_to, expired_at=s.valid_to, status_text=now_status or s.status_text,
        link_opened=s.link_opened_at is not None, link_opened_at=s.link_opened_at, attempts=s.opens,
        max_attempts=s.max_opens, completed=s.completed_at is not None, completed_at=s.completed_at,
        revoked=s.revoked, is_approved=s.is_approved, approved_by=s.approved_by, approved_at=s.approved_at,
        updated_at=s.updated_at,
    )


# ------------------------------------------------------------------------------------------------ decoding


def _basis(value: float | str, name: str) -> int:
    try:
        number = Decimal(str(value).strip())
        scaled = number * BASIS  # Overflow for an exponent past the context's (1e999999)
    except DecimalException:
        raise InvalidInput.field("score_weight", f"{name} must be a number.") from None
    if not number.is_finite() or scaled != scaled.to_integral_value():
        raise InvalidInput.field("score_weight", f"{name}: at most 4 decimal places.")
    return int(scaled)


def _weights(body: WeightsBody | None) -> Weights | None:
    if body is None:
        return None
    return Weights(**{n: _basis(getattr(body, n), n) for n in Weights.NAMES})


def _skill(value: SkillBody | str) -> str:
    return value if isinstance(value, str) else value.value


def job_input(data: AtsJobBody) -> JobInput:
    return JobInput(
        title=data.title, description=data.description, organization=data.organization,
        employment_type=data.employment_type, work_type=data.work_type, country=data.country, salary=data.salary,
        overview=data.overview, experience_level=data.experience_level,
        application_deadline=data.application_deadline or data.close_date, published=data.published,
        min_experience=data.min_experience, max_experience=data.max_experience, location=data.location,
        must_have_skills=[_skill(s) for s in data.must_have_skills] if data.must_have_skills is not None else None,
        score_weight=_weights(data.score_weight),
        threshold=round(data.threshold * SCORE_SCALE) if data.threshold is not None else None,
        notify_new_applicant=data.new_applicant_notify, users_shared_with=data.users_shared_with,
    )


def _words(raw: str | None) -> tuple[str, ...]:
    return tuple(w.strip() for w in (raw or "").split(",") if w.strip())[:10]


def _bool(raw: str | None, name: str) -> bool | None:
    if raw is None or raw == "":
        return None
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise InvalidInput.field(name, "Must be true or false.")


def _dates(raw: str | None) -> tuple[date | None, date | None]:
    """``updated_at__in``: one date, or ``from,to``."""
    if not raw:
        return None, None
    parts = [p.strip() for p in raw.split(",")]
    try:
        days = [date.fromisoformat(p) for p in parts if p]
    except ValueError:
        raise InvalidInput.field("updated_at__in", "Enter dates as YYYY-MM-DD or YYYY-MM-DD,YYYY-MM-DD.") from None
    if not days or len(days) > 2:
        raise InvalidInput.field("updated_at__in", "Enter dates as YYYY-MM-DD or YYYY-MM-DD,YYYY-MM-DD.")
    return days[0], days[-1]


def _score_query(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput.field("score_gte", "A number from 0 to 10.") from None
    if not value.is_finite() or not 0 <= value <= 10:
        raise InvalidInput.field("score_gte", "A number from 0 to 10.")
    return int(value * SCORE_SCALE)


class AtsController(Controller):
    path = "/ats"
    tags = ["ATS"]
    security = BEARER

    # ------------------------------------------------------------------ jobs

    @get("/jobs/", summary="ATS Jobs", description=(
        "The organisation's board jobs the caller sees, with their hiring settings, newest first (`o`: created_at, "
        "title, close_date, `-` for descending), 10 a page. Filters: `published` (true/false), `skills` "
        "(comma list; in the must-have skills, title or description), `must_skills` (comma list; must-have "
        "skills)." + ORG_NOTE))
    async def jobs(
        self, request: Req, hiring: Hiring, me: Me, site: NamedDependency[Site], org: Org = None,
        page: PageParam = None, published: Annotated[str | None, QueryParameter(max_length=8, pattern=NO_NUL)] = None,
        skills: Text = None, must_skills: Text = None, o: Order = None,
    ) -> AtsJobPageRead:
        filters = JobFilters(published=_bool(published, "published"), skills=_words(skills),
                             must_skills=_words(must_skills), order=o or "-created_at")
        result = await hiring.jobs(me.user_id, org, filters, page_request(page, JOBS_PAGE_SIZE).number)
        today = hiring.today()
        return AtsJobPageRead(**page_envelope(site, request, result, [job_read(c, today) for c in result.items]))

    @post("/jobs/", status_code=201, summary="ATS Job Create", description=(
        "Creates the board job (published → active, else draft) with its hiring settings; the caller owns it. The "
        "board's fields and vocabulary (`title`, `description`, `employment_type` full_time|part_time|internship|"
        "freelance|contract, `application_deadline` or `close_date`; optional `work_type`, `country`, `salary`, "
        "`overview`, `experience_level`, `organization`) plus `min_experience`, `max_experience`, `location`, "
        "`must_have_skills`, `score_weight {skills, work_experience, projects, education, certifications}` "
        "(default 0.30/0.30/0.20/0.10/0.10; at most 4 decimals; must sum to exactly 1), `threshold` (0–10, "
        "default 5), `new_applicant_notify`, `users_shared_with` (organisation members only, else 400). Admins and "
        "editors (viewers 403)." + ORG_NOTE))
    async def create_job(self, data: JSONBody[AtsJobBody], hiring: Hiring, me: Me, org: Org = None) -> AtsJobRead:
        card = await hiring.create(me.user_id, org, job_input(data))
        return job_read(card, hiring.today())

    @get("/jobs/{job_id:int}/", summary="ATS Job", description="One job with its hiring settings." + ORG_NOTE)
    async def job(self, job_id: PathId, hiring: Hiring, me: Me, org: Org = None) -> AtsJobRead:
        return job_read(await hiring.job(me.user_id, org, job_id), hiring.today())

    @put("/jobs/{job_id:int}/", summary="ATS Job Update", description=(
        "As PATCH: the fields present change. Board fields (title, description, …) only while the job is a draft "
        "(403 `{\"error\": \"Only Draft jobs can be edited\"}`); hiring settings and `published` always." + ORG_NOTE))
    async def put_job(self, job_id: PathId, data: JSONBody[AtsJobBody], hiring: Hiring, me: Me, org: Org = None
                      ) -> AtsJobRead:
        return job_read(await hiring.edit(me.user_id, org, job_id, job_input(data)), hiring.today())

    @patch("/jobs/{job_id:int}/", summary="ATS Job Partial Update", description=(
        "The fields present change (see PUT)." + ORG_NOTE))
    async def patch_job(self, job_id: PathId, data: JSONBody[AtsJobBody], hiring: Hiring, me: Me, org: Org = None
                        ) -> AtsJobRead:
        return job_read(await hiring.edit(me.user_id, org, job_id, job_input(data)), hiring.today())

    @delete("/jobs/{job_id:int}/", status_code=204, summary="ATS Job Delete", description=(
        "A soft delete: the job leaves the ATS and closes on the board; its candidates and history stay." + ORG_NOTE))
    async def delete_job(self, job_id: PathId, hiring: Hiring, me: Me, org: Org = None) -> None:
        await hiring.delete(me.user_id, org, job_id)

    @post("/jobs/{job_id:int}/share/", status_code=200, summary="ATS Job Share", description=(
        "`{user_ids: [...]}`: share the job with organisation members (400 for anyone else)." + ORG_NOTE))
    async def share(self, job_id: PathId, data: JSONBody[ShareBody], hiring: Hiring, me: Me, org: Org = None
                    ) -> SharedRead:
        users = await hiring.share(me.user_id, org, job_id, data.user_ids, add=True)
        return SharedRead(job=job_id, users_shared_with=users)

    @delete("/jobs/{job_id:int}/share/", status_code=200, summary="ATS Job Unshare", description=(
        "`{user_ids: [...]}`: stop sharing the job with these members." + ORG_NOTE))
    async def unshare(self, job_id: PathId, data: JSONBody[ShareBody], hiring: Hiring, me: Me, org: Org = None
                      ) -> SharedRead:
        users = await hiring.share(me.user_id, org, job_id, data.user_ids, add=False)
        return SharedRead(job=job_id, users_shared_with=users)

    @get("/jobs/{job_id:int}/stage-filters/", summary="ATS Stage Filters", description=(
        "`[{label, count, backgroundColor, color}]`: how many candidates of the job stand at each stage (Applied, "
        "Resume Screening, Assessments, Automated Video Interview) and holding status (On Hold, Rejected, Hired)."
        + ORG_NOTE))
    async def stage_filters(self, job_id: PathId, hiring: Hiring, me: Me, org: Org = None) -> list[StageFilterRead]:
        counts = await hiring.stage_filters(me.user_id, org, job_id)
        return [StageFilterRead(label=c.label, count=c.count, backgroundColor=STAGE_COLORS[c.label][0],
                                color=STAGE_COLORS[c.label][1]) for c in counts]

    # ------------------------------------------------------------------ members

    @get("/members/", summary="ATS Members", description=(
        "The organisation's members with their ATS role (`viewer` unless set). Admins only (403)." + ORG_NOTE))
    async def members(self, hiring: Hiring, me: Me, org: Org = None) -> list[MemberRead]:
        return [MemberRead(user_id=m.user_id, name=m.name, email=m.email, role=m.role)
                for m in await hiring.members(me.user_id, org)]

    @post("/members/", status_code=201, summary="ATS Member Add", description=(
        "`{user_id, role}` (admin|editor|viewer; else 400): makes the user a member of the organisation (also on "
        "the platform) with that role. Admins only." + ORG_NOTE))
    async def add_member(self, data: JSONBody[MemberBody], hiring: Hiring, me: Me, org: Org = None) -> MemberRead:
        m = await hiring.set_member(me.user_id, org, data.user_id, data.role, create=True)
        return MemberRead(user_id=m.user_id, name=m.name, email=m.email, role=m.role)

    @patch("/members/{user_id:int}/", summary="ATS Member Role", description=(
        "`{role}`: change a member's role (404 for a non-member). Admins only." + ORG_NOTE))
    async def set_role(self, user_id: PathId, data: JSONBody[RoleBody], hiring: Hiring, me: Me, org: Org = None
                       ) -> MemberRead:
        m = await hiring.set_member(me.user_id, org, user_id, data.role, create=False)
        return MemberRead(user_id=m.user_id, name=m.name, email=m.email, role=m.role)

    @delete("/members/{user_id:int}/", status_code=204, summary="ATS Member Remove", description=(
        "Removes the member from the organisation (and the platform membership). Admins only." + ORG_NOTE))
    async def remove_member(self, user_id: PathId, hiring: Hiring, me: Me, org: Org = None) -> None:
        await hiring.remove_member(me.user_id, org, user_id)

    # ------------------------------------------------------------------ candidates

    async def _candidates(self, request: Req, book: CandidateService, me: Principal, site: Site, org: int | None,
                          page: str | None, filters: CandidateFilters) -> CandidatePageRead:
        result = await book.candidates(me.user_id, org, filters, page_request(page, CANDIDATES_PAGE_SIZE).number)
        return CandidatePageRead(**page_envelope(site, request, result, [candidate_read(c) for c in result.items]))

    @get("/candidates/", summary="ATS Candidates", description=(
        "Candidates of the jobs the caller sees (platform applicants appear by themselves), 10 a page, each with the "
        "resume of the job in context (`job`) or their latest, and their applied jobs. Filters: `job`, `stage` "
        "(stage or status), `name`, `email`, `skills` (comma list of matched skills), `candidate_city`, "
        "`candidate_state`, `score_gte` (0–10), `updated_at__in` (date or from,to); `o`: name, email, created_at, "
        "overall_score, latest_resume_created_at (default -created_at)." + ORG_NOTE))
    async def candidates(
        self, request: Req, candidate_book: Book, me: Me, site: SiteDep, org: Org = None, page: PageParam = None,
        job: IdQuery = None, stage: Text = None, name: Text = None, email: Text = None, skills: Text = None,
        candidate_city: Text = None, candidate_state: Text = None, score_gte: Text = None,
        updated_at__in: Text = None, o: Order = None,
    ) -> CandidatePageRead:
        start, end = _dates(updated_at__in)
        filters = CandidateFilters(job=job, stage=stage, name=name, email=email, skills=_words(skills),
                                   city=candidate_city, state=candidate_state, score_gte=_score_query(score_gte),
                                   updated_from=start, updated_to=end, order=o or "-created_at")
        return await self._candidates(request, candidate_book, me, site, org, page, filters)

    @post("/candidates/", status_code=201, summary="ATS Candidate Import", description=(
        "Multipart: `job`, `name`, `email`, `contact`, optional `city`, `state`, a `resume` file (PDF or DOCX, at "
        "most 5 MB, judged by its content) and an optional `photo`. The same e-mail is one candidate per "
        "organisation across jobs; in the same job twice → 400. The resume is scored in the background "
        "(`processing_state` pending → done|failed)." + ORG_NOTE),
        request_max_body_size=12_000_000, opt={"form": (CandidateForm, ("resume", "photo"))})
    async def import_candidate(self, request: Req, candidate_book: Book, me: Me, org: Org = None) -> CandidateRead:
        body = await read_body(request)
        form = convert(body.fields, CandidateForm)
        resume_file = body.files.get("resume")
        if resume_file is None:
            raise InvalidInput.field("resume", "No file was submitted.")
        photo_file = body.files.get("photo")
        card = await candidate_book.import_candidate(me.user_id, org, ImportCandidate(
            job=form.job, name=form.name, email=form.email, contact=form.contact, city=form.city, state=form.state,
            resume=await to_upload(resume_file), photo=await to_upload(photo_file) if photo_file is not None else None,
        ))
        return candidate_read(card)

    @get("/candidates/{candidate_id:int}/", summary="ATS Candidate", description=(
        "One candidate (`?job=` for the resume of that job)." + ORG_NOTE))
    async def candidate(self, candidate_id: PathId, candidate_book: Book, me: Me, org: Org = None, job: IdQuery = None
                        ) -> CandidateRead:
        return candidate_read(await candidate_book.candidate(me.user_id, org, candidate_id, job))

    @patch("/candidates/{candidate_id:int}/", summary="ATS Candidate Update", description=(
        "`name`, `email` (imported candidates only), `contact`, `city`, `state`." + ORG_NOTE))
    async def edit_candidate(self, candidate_id: PathId, data: JSONBody[CandidateEditBody], candidate_book: Book,
                             me: Me,
                             org: Org = None) -> CandidateRead:
        card = await candidate_book.edit(me.user_id, org, candidate_id, EditCandidate(
            name=data.name, email=data.email, contact=data.contact, city=data.city, state=data.state))
        return candidate_read(card)

    @delete("/candidates/{candidate_id:int}/", status_code=204, summary="ATS Candidate Delete", description=(
        "The candidate leaves the organisation's ATS with their resumes and steps (403 for an editor who does not "
        "see every job the candidate is in). A platform applicant's board application stays." + ORG_NOTE))
    async def delete_candidate(self, candidate_id: PathId, candidate_book: Book, me: Me, org: Org = None) -> None:
        await candidate_book.delete(me.user_id, org, candidate_id)

    @get("/candidate/{job_id:int}/", summary="ATS Candidates Of A Job", description=(
        "The candidates of one job (the filters and ordering of `/ats/candidates/`)." + ORG_NOTE))
    async def job_candidates(
        self, request: Req, job_id: PathId, candidate_book: Book, me: Me, site: SiteDep, org: Org = None,
        page: PageParam = None, stage: Text = None, o: Order = None,
    ) -> CandidatePageRead:
        filters = CandidateFilters(job=job_id, stage=stage, order=o or "-created_at")
        return await self._candidates(request, candidate_book, me, site, org, page, filters)

    # ------------------------------------------------------------------ resumes

    @get("/resumes/", summary="ATS Resumes", description=(
        "Resumes of the jobs the caller sees (`job` filter), `o`: overall_score, created_at (default -created_at), "
        "with the score components, matched skills, one reason per component and the processing state." + ORG_NOTE))
    async def resumes(self, request: Req, candidate_book: Book, me: Me, site: SiteDep, org: Org = None,
                      page: PageParam = None, job: IdQuery = None, o: Order = None) -> ResumePageRead:
        result = await candidate_book.resumes(me.user_id, org, job, o or "-created_at",
                                              page_request(page, CANDIDATES_PAGE_SIZE).number)
        items = [ResumeListItemRead(**{f: getattr(resume_read(c.resume), f) for f in ResumeRead.__struct_fields__},
                                    candidate_name=c.candidate_name, candidate_email=c.candidate_email)
                 for c in result.items]
        return ResumePageRead(**page_envelope(site, request, result, items))

    @get("/resumes/{resume_id:int}/", summary="ATS Resume", description="One resume with its score." + ORG_NOTE)
    async def resume(self, resume_id: PathId, candidate_book: Book, me: Me, org: Org = None) -> ResumeListItemRead:
        c = await candidate_book.resume(me.user_id, org, resume_id)
        return ResumeListItemRead(**{f: getattr(resume_read(c.resume), f) for f in ResumeRead.__struct_fields__},
                                  candidate_name=c.candidate_name, candidate_email=c.candidate_email)

    # ------------------------------------------------------------------ statuses

    @get("/job-statuses/", summary="ATS Job Statuses", description=(
        "The latest status of each (candidate, job) the caller sees: the event with the greatest `updated_at`, on a "
        "tie the greatest id. Filters `job`, `candidate`, `status`; `o`: updated_at, status, stage_name."
        + ORG_NOTE))
    async def statuses(self, request: Req, pipeline: Pipeline, me: Me, site: SiteDep, org: Org = None,
                       page: PageParam = None, job: IdQuery = None, candidate: IdQuery = None, status: Text = None,
                       o: Order = None) -> StatusPageRead:
        result = await pipeline.statuses(me.user_id, org, StatusFilters(
            job=job, candidate=candidate, status=status, order=o or "-updated_at"),
            page_request(page, PIPELINE_PAGE_SIZE).number)
        return StatusPageRead(**page_envelope(site, request, result, [status_read(e) for e in result.items]))

    @post("/job-statuses/", status_code=201, summary="ATS Move Candidate", description=(
        "`{candidate, job, status, stage_name, reason?}`: `stage_name` one of Applied, Resume Screening, "
        "Assessments, Automated Video Interview; `status` that stage's name or On Hold, Rejected, Hired (else 400). "
        "A recruiter's move is an override automation never overwrites. Rejected and Hired reach a platform "
        "applicant's tracked application; On Hold and reasons stay in the ATS." + ORG_NOTE))
    async def move(self, data: JSONBody[MoveBody], pipeline: Pipeline, me: Me, org: Org = None) -> StatusRead:
        event = await pipeline.move(me.user_id, org, candidate_id=data.candidate, job_id=data.job, status=data.status,
                                    stage_name=data.stage_name, reason=data.reason)
        return status_read(event)

    @get("/job-statuses/history/", summary="ATS Stage History", description=(
        "The stage-event log (one event per move), newest first; filters `job`, `candidate`." + ORG_NOTE))
    async def history(self, request: Req, pipeline: Pipeline, me: Me, site: SiteDep, org: Org = None,
                      page: PageParam = None, job: IdQuery = None, candidate: IdQuery = None) -> StatusPageRead:
        result = await pipeline.history(me.user_id, org, job, candidate, page_request(page, PIPELINE_PAGE_SIZE).number)
        return StatusPageRead(**page_envelope(site, request, result, [status_read(e) for e in result.items]))

    # ------------------------------------------------------------------ test logs and screenings

    async def _steps(self, request: Req, pipeline: PipelineService, me: Principal, site: Site, org: int | None,
                     kind: StepKind, job: int | None, page: str | None) -> StepPageRead:
        result = await pipeline.steps(me.user_id, org, kind, job, page_request(page, PIPELINE_PAGE_SIZE).number)
        now = pipeline.now()
        return StepPageRead(**page_envelope(site, request, result,
                                            [step_read(c, site, c.step.shown_status(now)) for c in result.items]))

    @get("/testlogs/", summary="ATS Test Logs", description=(
        "Assessment assignments of the jobs the caller sees (`job` filter), newest first." + ORG_NOTE))
    async def testlogs(self, request: Req, pipeline: Pipeline, me: Me, site: SiteDep, org: Org = None,
                       page: PageParam = None, job: IdQuery = None) -> StepPageRead:
        return await self._steps(request, pipeline, me, site, org, StepKind.ASSESSMENT, job, page)

    @get("/testlog/{job_id:int}/", summary="ATS Test Logs Of A Job", description="The test logs of one job."
         + ORG_NOTE)
    async def job_testlogs(self, request: Req, job_id: PathId, pipeline: Pipeline, me: Me, site: SiteDep,
                           org: Org = None, page: PageParam = None) -> StepPageRead:
        return await self._steps(request, pipeline, me, site, org, StepKind.ASSESSMENT, job_id, page)

    @post("/testlogs/", status_code=201, summary="ATS Test Log Assign", description=(
        "`{job, assigned_to: <candidate id>, valid_to?}` (default 7 days): a public link by random key "
        "(`/ats/public/tests/{key}/`); the candidate moves to Assessments (an invitation the applicant's tracker "
        "sees)." + ORG_NOTE))
    async def assign_test(self, data: JSONBody[TestLogBody], pipeline: Pipeline, me: Me, site: SiteDep,
                          org: Org = None) -> StepRead:
        step = await pipeline.assign_test(me.user_id, org, job_id=data.job, candidate_id=data.assigned_to,
                                          valid_to=data.valid_to)
        return step_read(await pipeline.step(me.user_id, org, StepKind.ASSESSMENT, step.id), site)

    @get("/testlogs/{step_id:int}/", summary="ATS Test Log", description="One test log." + ORG_NOTE)
    async def testlog(self, step_id: PathId, pipeline: Pipeline, me: Me, site: SiteDep, org: Org = None) -> StepRead:
        card = await pipeline.step(me.user_id, org, StepKind.ASSESSMENT, step_id)
        return step_read(card, site, card.step.shown_status(pipeline.now()))

    @patch("/testlogs/{step_id:int}/", summary="ATS Test Log Update", description=(
        "`is_approved` (records `approved_by`), `revoked`, `valid_to`." + ORG_NOTE))
    async def edit_testlog(self, step_id: PathId, data: JSONBody[StepEditBody], pipeline: Pipeline, me: Me,
                           site: SiteDep, org: Org = None) -> StepRead:
        card = await pipeline.change_step(me.user_id, org, StepKind.ASSESSMENT, step_id, StepChange(
            is_approved=data.is_approved, revoked=data.revoked, valid_to=data.valid_to))
        return step_read(card, site, card.step.shown_status(pipeline.now()))

    @delete("/testlogs/{step_id:int}/", status_code=204, summary="ATS Test Log Delete", description=ORG_NOTE)
    async def delete_testlog(self, step_id: PathId, pipeline: Pipeline, me: Me, org: Org = None) -> None:
        await pipeline.delete_step(me.user_id, org, StepKind.ASSESSMENT, step_id)

    @get("/personality-screenings/", summary="ATS Personality Screenings", description=(
        "Video-interview assignments of the jobs the caller sees (`job` filter), newest first." + ORG_NOTE))
    async def screenings(self, request: Req, pipeline: Pipeline, me: Me, site: SiteDep, org: Org = None,
                         page: PageParam = None, job: IdQuery = None) -> StepPageRead:
        return await self._steps(request, pipeline, me, site, org, StepKind.VIDEO_INTERVIEW, job, page)

    @get("/personality_screening/{job_id:int}/", summary="ATS Screenings Of A Job",
         description="The personality screenings of one job." + ORG_NOTE)
    async def job_screenings(self, request: Req, job_id: PathId, pipeline: Pipeline, me: Me, site: SiteDep,
                             org: Org = None, page: PageParam = None) -> StepPageRead:
        return await self._steps(request, pipeline, me, site, org, StepKind.VIDEO_INTERVIEW, job_id, page)

    @post("/personality-screenings/", status_code=201, summary="ATS Screenings Assign", description=(
        "`{job, candidates: [ids], valid_to?}`: one screening per candidate, each e-mailed its link "
        "(`/ats/public/screenings/{key}/`) through the outbox; the candidates move to Automated Video Interview."
        + ORG_NOTE))
    async def assign_screenings(self, data: JSONBody[ScreeningBody], pipeline: Pipeline, me: Me, site: SiteDep,
                                org: Org = None) -> list[StepRead]:
        steps = await pipeline.assign_screenings(me.user_id, org, job_id=data.job, candidate_ids=data.candidates,
                                                 valid_to=data.valid_to)
        return [step_read(await pipeline.step(me.user_id, org, StepKind.VIDEO_INTERVIEW, s.id), site) for s in steps]

    @get("/personality-screenings/{step_id:int}/", summary="ATS Personality Screening", description=ORG_NOTE)
    async def screening(self, step_id: PathId, pipeline: Pipeline, me: Me, site: SiteDep, org: Org = None) -> StepRead:
        card = await pipeline.step(me.user_id, org, StepKind.VIDEO_INTERVIEW, step_id)
        return step_read(card, site, card.step.shown_status(pipeline.now()))

    @patch("/personality-screenings/{step_id:int}/", summary="ATS Personality Screening Update", description=(
        "`revoked` (the link answers 410 from then on), `is_approved` (records `approved_by`), `valid_to`."
        + ORG_NOTE))
    async def edit_screening(self, step_id: PathId, data: JSONBody[StepEditBody], pipeline: Pipeline, me: Me,
                             site: SiteDep, org: Org = None) -> StepRead:
        card = await pipeline.change_step(me.user_id, org, StepKind.VIDEO_INTERVIEW, step_id, StepChange(
            is_approved=data.is_approved, revoked=data.revoked, valid_to=data.valid_to))
        return step_read(card, site, card.step.shown_status(pipeline.now()))

    @delete("/personality-screenings/{step_id:int}/", status_code=204, summary="ATS Personality Screening Delete",
            description=ORG_NOTE)
    async def delete_screening(self, step_id: PathId, pipeline: Pipeline, me: Me, org: Org = None) -> None:
        await pipeline.delete_step(me.user_id, org, StepKind.VIDEO_INTERVIEW, step_id)

    # ------------------------------------------------------------------ counts

    @get("/get_count/", summary="ATS Counts", description=(
        "`{jobs, applicants}` the caller sees (by role)." + ORG_NOTE))
    async def get_count(self, hiring: Hiring, me: Me, org: Org = None) -> CountRead:
        counts = await hiring.counts(me.user_id, org)
        return CountRead(jobs=counts.jobs, applicants=counts.applicants)


def public_read(step: Any, title: str) -> PublicStepRead:
    return PublicStepRead(key=step.key, job_title=title, status_text=step.status_text, valid_to=step.valid_to,
                          attempts_left=max(0, step.max_opens - step.opens), completed_at=step.completed_at)


PUBLIC_NOTE = (" No sign-in: the random key is the credential. 404 unknown key, 410 expired or revoked, 429 past the "
               "attempt limit (each opening is an attempt), 409 when already completed.")


class AtsPublicController(Controller):
    """The candidates' links and the application form's e-mail check: no sign-in."""

    path = "/ats"
    tags = ["ATS public"]

    @get("/public/screenings/{key:str}/", summary="Open Screening Link", description=(
        "Marks the link opened (In Progress) and shows the job." + PUBLIC_NOTE))
    async def open_screening(self, key: PathKey, pipeline: Pipeline) -> PublicStepRead:
        step, title = await pipeline.open_link(StepKind.VIDEO_INTERVIEW, key)
        return public_read(step, title)

    @post("/public/screenings/{key:str}/complete/", status_code=200, summary="Complete Screening", description=(
        "Completes the screening (once; 409 after) and moves the pipeline to Automated Video Interview unless a "
        "recruiter overrode the status." + PUBLIC_NOTE))
    async def complete_screening(self, key: PathKey, pipeline: Pipeline) -> PublicStepRead:
        step = await pipeline.complete(StepKind.VIDEO_INTERVIEW, key)
        return public_read(step, "")

    @get("/public/tests/{key:str}/", summary="Open Test Link", description=(
        "Marks the link opened (In Progress) and shows the job." + PUBLIC_NOTE))
    async def open_test(self, key: PathKey, pipeline: Pipeline) -> PublicStepRead:
        step, title = await pipeline.open_link(StepKind.ASSESSMENT, key)
        return public_read(step, title)

    @post("/public/tests/{key:str}/complete/", status_code=200, summary="Complete Test", description=(
        "Completes the test (once; 409 after) and moves the pipeline to Assessments unless a recruiter overrode "
        "the status." + PUBLIC_NOTE))
    async def complete_test(self, key: PathKey, pipeline: Pipeline) -> PublicStepRead:
        step = await pipeline.complete(StepKind.ASSESSMENT, key)
        return public_read(step, "")

    @get("/check-email/{job_id:int}/{email:str}/", summary="ATS Check Email", description=(
        "`{exists, id, applied_job, resume, retries}` for an application form: whether the address is a candidate "
        "of the job's organisation, whether they are in this job (with their resume) and how many more "
        "applications it may make (`retries`, 0 or 1). 400 invalid e-mail, 404 unknown job; rate limited per "
        "client address (429)."))
    async def check_email(self, request: Req, job_id: PathId, email: PathEmail, candidate_book: Book) -> EmailCheckRead:
        found = await candidate_book.check_email(job_id, email, client_ip(request))
        return EmailCheckRead(exists=found.exists, id=found.candidate_id, applied_job=found.applied_job,
                              resume=found.resume, retries=found.retries)
