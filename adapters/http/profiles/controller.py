"""Profile endpoints: profile pages, sub-records, settings, analytics, completion, search and the portfolio."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from adapters.http.openapi import PROFILE_READ_NOTE, record_cap_note, write_budget_note
from adapters.http.pagination import page_envelope, page_request
from adapters.http.profiles.schemas import (
    AnalyticsPrivateRead,
    AnalyticsRead,
    CertificationBody,
    CertificationRead,
    CompletionRead,
    EducationBody,
    EducationRead,
    EducationUpdateBody,
    EmployerProfileRead,
    EmployerUpdateRead,
    ExperienceBody,
    ExperienceRead,
    ExperienceUpdateBody,
    IndustryBody,
    IndustryRead,
    LearnerProfileRead,
    LearnerUpdateRead,
    MemberEntry,
    MentorProfileRead,
    MentorUpdateRead,
    MiniCard,
    ProfileForm,
    ProjectForm,
    ProjectRead,
    SearchHitRead,
    SearchPageRead,
    SettingsBody,
    SettingsRead,
)
from adapters.http.readcache import CACHE_NOTE, cached
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site, convert, read_body, to_upload
from core.accounts.model.portfolio import Certification, Education, Experience, Project, SearchHit
from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User, UserType
from core.accounts.profiles.edit import ProfileEditService, ProfileUpdate, format_rate
from core.accounts.profiles.insights import SEARCH_PAGE_SIZE, ProfileInsightsService
from core.accounts.profiles.pages import ProfilePage, ProfilePageService
from core.accounts.profiles.portfolio import PortfolioService, ProjectInput
from core.accounts.profiles.records import CertificationInput, EducationInput, ExperienceInput, ProfileRecordsService
from core.accounts.profiles.settings import ProfileSettingsService, SettingsUpdate, UserSettings
from core.shared.errors import InvalidInput
from core.shared.media import Upload
from ports.readcache import ReadCache

__all__ = ("ProfilesController", "ProjectsController")

# One dependency per use-case service; the parameter name is the dependency's name (bootstrap/asgi.py).
PagesDep = NamedDependency[ProfilePageService]
EditDep = NamedDependency[ProfileEditService]
RecordsDep = NamedDependency[ProfileRecordsService]
PortfolioDep = NamedDependency[PortfolioService]
SettingsDep = NamedDependency[ProfileSettingsService]
InsightsDep = NamedDependency[ProfileInsightsService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
Cache = NamedDependency[ReadCache]
OptionalId = Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)]

_LIST_FIELDS = ("areas_of_expertise", "technical_skills", "mentorship_styles")
_NUMBER_FIELDS = ("years_of_experience", "session_rate")
_PROFILE_FILES = ("profile_photo", "cover_photo", "intro_video", "resume", "logo")
_PROJECT_FILES = ("image", "download_material")

PROFILE_MAX_BODY = 16_000_000
PROJECT_MAX_BODY = 7_000_000


# ------------------------------------------------------------------------------------------ rendering


def _card(site: Site, mini: MiniUser) -> MiniCard:
    photo = site.logo(mini.profile_photo) if mini.user_type is UserType.EMPLOYER else site.photo(mini.profile_photo)
    return MiniCard(id=mini.id, name=mini.name, profile_photo=photo, extras=mini.extras)


def experience_read(e: Experience) -> ExperienceRead:
    return ExperienceRead(id=e.id, title=e.title, organization=e.organization, start_date=e.start_date,
                          end_date=e.end_date, location=e.location, employment_type=e.employment_type,
                          detail=e.detail)


def education_read(e: Education) -> EducationRead:
    return EducationRead(id=e.id, course=e.course, school=e.school, start_date=e.start_date, end_date=e.end_date,
                         location=e.location, detail=e.detail)


def certification_read(c: Certification) -> CertificationRead:
    return CertificationRead(id=c.id, title=c.title, school=c.school, issue_date=c.issue_date, cert_id=c.cert_id,
                             skills=c.skills)


def project_read(site: Site, p: Project) -> ProjectRead:
    image = p.image or f"{site.public_url.rstrip('/')}/static/defaults/portfolio.png"
    return ProjectRead(id=p.id, title=p.title, description=p.description, image=image,
                       download_material=p.download_material)


def profile_read(site: Site, page: ProfilePage) -> LearnerProfileRead | MentorProfileRead | EmployerProfileRead:
    user, p = page.user, page.profile
    if user.user_type is UserType.EMPLOYER:
        return EmployerProfileRead(
            id=user.id, company_name=p.company_name, company_type=p.company_type, industry=user.industry,
            company_size=p.company_size, country_code=p.country_code, phone_number=p.phone_number,
            location=p.location, website=p.website, tagline=p.tagline, logo=site.logo(p.logo),
            cover_photo=site.cover(p.cover_photo), members=[MemberEntry(member=_card(site, m)) for m in page.members],
            user_type="employer", email=page.email, followers=page.followers, followings=page.followings,
            can_message=page.can_message, can_follow=page.can_follow,
        )
    common: dict[str, Any] = {
        "id": user.id, "first_name": p.first_name, "last_name": p.last_name, "middle_name": p.middle_name,
        "country_code": p.country_code, "phone_number": p.phone_number, "cover_photo": site.cover(p.cover_photo),
        "profile_photo": site.photo(p.profile_photo), "location": p.location, "position": p.position, "bio": p.bio,
        "qualification": p.qualification, "intro_video": p.intro_video, "summary": p.summary,
        "experience": [experience_read(e) for e in page.experiences],
        "education": [education_read(e) for e in page.educations],
        "certification": [certification_read(c) for c in page.certifications],
        "followers": page.followers, "followings": page.followings, "resume": p.resume, "timezone": p.timezone,
        "user_type": str(user.user_type), "industry": user.industry, "email": page.email,
        "can_message": page.can_message, "can_follow": page.can_follow,
    }
    if user.user_type is UserType.MENTOR:
        return MentorProfileRead(
            **common, **_mentor_fields(p), rating=page.rating,
        )
    return LearnerProfileRead(**common)


def _mentor_fields(p: Profile) -> dict[str, Any]:
    return {
        "years_of_experience": p.years_of_experience, "availability": p.availability, "current_job": p.current_job,
        "areas_of_expertise": list(p.areas_of_expertise), "technical_skills": list(p.technical_skills),
        "mentorship_styles": list(p.mentorship_styles), "linkedin_url": p.linkedin_url,
        "session_rate": format_rate(p.session_rate_minor, p.session_rate_currency),
    }


def update_read(site: Site, user: User, p: Profile) -> LearnerUpdateRead | MentorUpdateRead | EmployerUpdateRead:
    if user.user_type is UserType.EMPLOYER:
        return EmployerUpdateRead(
            id=user.id, company_name=p.company_name, company_type=p.company_type, company_size=p.company_size,
            country_code=p.country_code, phone_number=p.phone_number, location=p.location, website=p.website,
            tagline=p.tagline, logo=site.logo(p.logo), cover_photo=site.cover(p.cover_photo),
        )
    common: dict[str, Any] = {
        "first_name": p.first_name, "last_name": p.last_name, "middle_name": p.middle_name,
        "country_code": p.country_code, "phone_number": p.phone_number, "profile_photo": site.photo(p.profile_photo),
        "cover_photo": site.cover(p.cover_photo), "qualification": p.qualification, "intro_video": p.intro_video,
        "location": p.location, "bio": p.bio, "position": p.position, "summary": p.summary, "resume": p.resume,
        "timezone": p.timezone, "user_type": str(user.user_type),
    }
    if user.user_type is UserType.MENTOR:
        return MentorUpdateRead(**common, **_mentor_fields(p))
    return LearnerUpdateRead(**common)


def _settings_read(s: UserSettings) -> SettingsRead:
    return SettingsRead(**{f: getattr(s, f) for f in SettingsRead.__struct_fields__})


def _hit_read(site: Site, hit: SearchHit) -> SearchHitRead:
    if hit.user_type == UserType.EMPLOYER:
        return SearchHitRead(id=hit.id, name=hit.company_name or "", qualification=hit.tagline,
                             profile_photo=site.logo(hit.logo), user_type=hit.user_type)
    name = " ".join(part for part in (hit.first_name, hit.last_name) if part)
    return SearchHitRead(id=hit.id, name=name, qualification=hit.qualification,
                         profile_photo=site.photo(hit.profile_photo), user_type=hit.user_type)


def _profile_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Multipart sends lists as JSON text and numbers as text; normalise before conversion."""
    out = dict(fields)
    for name in _LIST_FIELDS:
        if name not in out:
            continue
        value = out[name]
        if isinstance(value, str):
            try:
                value = msgspec.json.decode(value)
            except msgspec.DecodeError:
                raise InvalidInput.non_field(f"{out[name]} must be a list of values.") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput.non_field(f"{out[name]} must be a list of values.")
        out[name] = value
    for name in _NUMBER_FIELDS:
        if out.get(name) == "":
            out[name] = None
    return out


async def _uploads(files: dict[str, Any], names: tuple[str, ...]) -> dict[str, Upload]:
    return {name: await to_upload(files[name]) for name in names if name in files}


# ----------------------------------------------------------------------------------------- controllers


class ProfilesController(Controller):
    path = "/user"
    tags = ["Profiles"]

    @get(
        "/retrieve-profile/",
        summary="Profile Retrieve",
        description=(
            "The caller's profile, or another user's with `user_id`. The shape follows the *viewed* user's type "
            "(learner, mentor, employer). `can_message` (a confirmed connection exists) and `can_follow` (the "
            "viewer does not follow yet) are false on one's own profile. Privacy: `phone_number` and `resume` are "
            "the owner's alone (another viewer gets `\"\"`); another viewer gets `email` null unless the owner "
            "enabled `show_email` (off for new accounts), and `location` empty unless `show_location`. Views by "
            "other users are counted once per viewer per day. `session_rate` is the mentor's rate in their own "
            "currency, e.g. `\"3000NGN\"`. Unknown user → 404 `{\"detail\": \"Invalid User Id\"}`."
            + PROFILE_READ_NOTE
            + CACHE_NOTE
        ),
        security=BEARER,
    )
    async def retrieve(
        self,
        request: Request[Any, Any, Any],
        profile_pages: PagesDep,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        user_id: OptionalId = None,
    ) -> Response[LearnerProfileRead | MentorProfileRead | EmployerProfileRead]:
        async def produce() -> LearnerProfileRead | MentorProfileRead | EmployerProfileRead:
            return profile_read(site, await profile_pages.retrieve(me.user_id, user_id))

        return await cached(request, read_cache, me.user_id, produce)

    @put(
        "/profile-update/",
        status_code=201,
        summary="Profile Update",
        description=(
            "JSON or multipart; every field optional; answers 201 as documented. Files (multipart only): "
            "`profile_photo` and `logo` (PNG/JPEG), `cover_photo` (image) up to the image limit (2 MB), "
            "`intro_video` (MP4/MOV/WebM) and `resume` (PDF/DOC/DOCX) up to 5 MB, judged by their content, not "
            "their name; a replaced file is deleted. Mentor-only fields (`years_of_experience`, `availability`, "
            "`current_job`, `areas_of_expertise`, `technical_skills`, `mentorship_styles`, `session_rate`, "
            "`linkedin_url`) and employer-only fields (`company_name`, `company_type`, `company_size`, `website`, "
            "`tagline`, `logo`) are **silently ignored** for other user types, as the original did. Lists may be "
            "sent as JSON text in multipart. `session_rate` is an amount in the mentor's own currency (the currency "
            "of the exchange rate set for their `country_code`, else USD), at most two decimals. `country_code` "
            "must be a permitted country's phone code."
        ),
        security=BEARER,
        request_max_body_size=PROFILE_MAX_BODY,
        opt={"form": (ProfileForm, _PROFILE_FILES)},
    )
    async def update(
        self, request: Request[Any, Any, Any], profile_edit: EditDep, me: Me, site: SiteDep
    ) -> LearnerUpdateRead | MentorUpdateRead | EmployerUpdateRead:
        body = await read_body(request)
        form = convert(_profile_fields(body.fields), ProfileForm)
        uploads = await _uploads(body.files, _PROFILE_FILES)
        values: dict[str, Any] = {f: getattr(form, f) for f in ProfileForm.__struct_fields__}
        user, profile = await profile_edit.update(me.user_id, ProfileUpdate(**{**values, **uploads}))
        return update_read(site, user, profile)

    @patch(
        "/profile-update/",
        status_code=206,
        summary="User-industry Update",
        description="Sets the caller's `industry` (user types never change). Answers 206 as documented.",
        security=BEARER,
    )
    async def set_industry(self, data: JSONBody[IndustryBody], profile_edit: EditDep, me: Me) -> IndustryRead:
        user = await profile_edit.set_industry(me.user_id, data.industry)
        return IndustryRead(industry=user.industry, email=user.email)

    # ---------------------------------------------------------------- experience

    @get("/experience/", summary="View Experience", security=BEARER)
    async def experiences(self, profile_records: RecordsDep, me: Me) -> list[ExperienceRead]:
        return [experience_read(e) for e in await profile_records.experiences(me.user_id)]

    @post(
        "/experience/",
        status_code=201,
        summary="Add Experience",
        description="`start_date`/`end_date` are `YYYY-MM-DD`; no `end_date` = \"Present\". The answer has `id`."
        + record_cap_note("experience records") + write_budget_note("experience records (adds and updates)"),
        security=BEARER,
    )
    async def add_experience(
        self, data: JSONBody[ExperienceBody], profile_records: RecordsDep, me: Me
    ) -> ExperienceRead:
        item = await profile_records.add_experience(me.user_id, ExperienceInput(**_struct_dict(data)))
        return experience_read(item)

    @put(
        "/update-experience/",
        status_code=201,
        summary="Updating User Eperience",
        description="Partial update by `id`; someone else's or an unknown id → 404. Answers 201 as documented."
        + write_budget_note("experience records (adds and updates)"),
        security=BEARER,
    )
    async def update_experience(
        self, data: JSONBody[ExperienceUpdateBody], profile_records: RecordsDep, me: Me
    ) -> ExperienceRead:
        values = _struct_dict(data)
        item_id = values.pop("id")
        return experience_read(await profile_records.update_experience(me.user_id, item_id, ExperienceInput(**values)))

    @delete("/experience/", status_code=204, summary="Delete Experience", security=BEARER)
    async def delete_experience(self, profile_records: RecordsDep, me: Me, experience_id: OptionalId = None) -> None:
        if experience_id is None:
            raise InvalidInput.error("No query parameter")
        await profile_records.delete_experience(me.user_id, experience_id)

    # ---------------------------------------------------------------- education

    @get("/education/", summary="Retrieve Education API", security=BEARER)
    async def educations(self, profile_records: RecordsDep, me: Me) -> list[EducationRead]:
        return [education_read(e) for e in await profile_records.educations(me.user_id)]

    @post(
        "/education/",
        status_code=201,
        summary="Add Education API",
        description="Dates are free text (at most 20 characters)." + record_cap_note("education records")
        + write_budget_note("education records (adds and updates)"),
        security=BEARER,
    )
    async def add_education(self, data: JSONBody[EducationBody], profile_records: RecordsDep, me: Me) -> EducationRead:
        return education_read(await profile_records.add_education(me.user_id, EducationInput(**_struct_dict(data))))

    @put(
        "/education/",
        status_code=201,
        summary="Update Education",
        description="Partial update by `id` (used by the frontend); someone else's or an unknown id → 404."
        + write_budget_note("education records (adds and updates)"),
        security=BEARER,
    )
    async def update_education(
        self, data: JSONBody[EducationUpdateBody], profile_records: RecordsDep, me: Me
    ) -> EducationRead:
        values = _struct_dict(data)
        item_id = values.pop("id")
        return education_read(await profile_records.update_education(me.user_id, item_id, EducationInput(**values)))

    @delete("/education/", status_code=204, summary="Delete Education", security=BEARER)
    async def delete_education(self, profile_records: RecordsDep, me: Me, education_id: OptionalId = None) -> None:
        if education_id is None:
            raise InvalidInput.error("No query parameter specified")
        await profile_records.delete_education(me.user_id, education_id)

    # ---------------------------------------------------------------- certification

    @get("/certification/", summary="View Certification", security=BEARER)
    async def certifications(self, profile_records: RecordsDep, me: Me) -> list[CertificationRead]:
        return [certification_read(c) for c in await profile_records.certifications(me.user_id)]

    @post(
        "/certification/",
        status_code=201,
        summary="Add Certification",
        description="`issue_date` is free text (at most 20 characters)." + record_cap_note("certifications")
        + write_budget_note("certifications"),
        security=BEARER,
    )
    async def add_certification(
        self, data: JSONBody[CertificationBody], profile_records: RecordsDep, me: Me
    ) -> CertificationRead:
        item = await profile_records.add_certification(me.user_id, CertificationInput(**_struct_dict(data)))
        return certification_read(item)

    @delete("/certification/", status_code=204, summary="Delete Certification", security=BEARER)
    async def delete_certification(
        self, profile_records: RecordsDep, me: Me, certification_id: OptionalId = None
    ) -> None:
        if certification_id is None:
            raise InvalidInput.error("No query parameter specified")
        await profile_records.delete_certification(me.user_id, certification_id)

    # ---------------------------------------------------------------- analytics, completion, settings, search

    @get(
        "/analytics/",
        summary="User Analytics",
        description=(
            "Posts authored, profile views (one per viewer per day) and confirmed connections. Another user's "
            "(`user_id`) only when they enabled `show_activity`, else `{\"analytics\": \"Analytics is private for "
            "this user\"}`; unknown `user_id` → 400 `{\"error\": \"Invalid User ID\"}`." + PROFILE_READ_NOTE
        ),
        security=BEARER,
    )
    async def analytics(
        self, profile_insights: InsightsDep, me: Me, user_id: OptionalId = None
    ) -> AnalyticsRead | AnalyticsPrivateRead:
        result = await profile_insights.analytics(me.user_id, user_id)
        if result is None:
            return AnalyticsPrivateRead(analytics="Analytics is private for this user")
        return AnalyticsRead(total_posts=result.total_posts, total_views=result.total_views,
                             total_connections=result.total_connections)

    @get(
        "/completion/",
        summary="Profile Completion",
        description=(
            "Learners and mentors: profile_photo 15 (a photo other than the default), intro_video 15, experience "
            "20, certification 15, bio 15, education 20. Employers: logo, tagline, website, members (25 each)."
        ),
        security=BEARER,
    )
    async def completion(self, profile_insights: InsightsDep, me: Me) -> CompletionRead:
        result = await profile_insights.completion(me.user_id)
        return CompletionRead(completion=result.completion, incomplete_items=result.incomplete_items,
                              complete_items=result.complete_items)

    @get("/settings/", summary="Retrieve User Settings", security=BEARER)
    async def get_settings(self, profile_settings: SettingsDep, me: Me) -> SettingsRead:
        return _settings_read(await profile_settings.settings(me.user_id))

    @put(
        "/settings/",
        status_code=200,
        summary="Update User Account Settings",
        description="Partial: only the sent keys change. `timezone` must be a valid timezone.",
        security=BEARER,
    )
    async def put_settings(self, data: JSONBody[SettingsBody], profile_settings: SettingsDep, me: Me) -> SettingsRead:
        return _settings_read(await profile_settings.update_settings(me.user_id, SettingsUpdate(**_struct_dict(data))))

    @get(
        "/search/",
        summary="User Search",
        description=(
            "Case-insensitive and word-aware: every word of `keyword` must start a word of the user's name, "
            "qualification, bio, summary or company name. Ordered by user id, 4 per page (`page`); a page past "
            "the end or a non-number → 404 `{\"detail\": \"Invalid page.\"}`. Missing keyword → 400."
        ),
        security=BEARER,
    )
    async def search(
        self,
        request: Request[Any, Any, Any],
        profile_insights: InsightsDep,
        me: Me,
        site: SiteDep,
        keyword: Annotated[str | None, QueryParameter(max_length=200, pattern=NO_NUL)] = None,
        page: Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)] = None,
    ) -> SearchPageRead:
        result = await profile_insights.search(keyword, page_request(page, SEARCH_PAGE_SIZE))
        body = page_envelope(site, request, result, [_hit_read(site, h) for h in result.items])
        return SearchPageRead(**body)


class ProjectsController(Controller):
    path = "/project"
    tags = ["Portfolio"]

    @post(
        "/",
        status_code=201,
        summary="Create Project Catalogue",
        description=(
            "Multipart or JSON: `title`, `description`, optional `image` (PNG/JPEG, at most 1 MB) and "
            "`download_material` (PDF/DOC/DOCX or an image, at most 5 MB), judged by content."
            + record_cap_note("portfolio projects") + write_budget_note("portfolio projects")
        ),
        security=BEARER,
        request_max_body_size=PROJECT_MAX_BODY,
        opt={"form": (ProjectForm, _PROJECT_FILES)},
    )
    async def create(
        self, request: Request[Any, Any, Any], portfolio: PortfolioDep, me: Me, site: SiteDep
    ) -> ProjectRead:
        body = await read_body(request)
        form = convert(body.fields, ProjectForm)
        uploads = await _uploads(body.files, _PROJECT_FILES)
        item = await portfolio.add_project(
            me.user_id, ProjectInput(title=form.title, description=form.description, **uploads)
        )
        return project_read(site, item)

    @get(
        "/",
        summary="Retrieve Portfolio Projects",
        description=(
            "The caller's projects; `user_id` → that user's (unknown → 400 `{\"error\": \"Invalid User ID\"}`); "
            "`portfolio_id` → that one project (unknown → 404)." + PROFILE_READ_NOTE
        ),
        security=BEARER,
    )
    async def list_projects(
        self,
        portfolio: PortfolioDep,
        me: Me,
        site: SiteDep,
        user_id: OptionalId = None,
        portfolio_id: OptionalId = None,
    ) -> list[ProjectRead] | ProjectRead:
        if portfolio_id is not None:
            return project_read(site, await portfolio.project(portfolio_id))
        return [project_read(site, p) for p in await portfolio.projects(me.user_id, user_id)]

    @get("/{project_id:int}/", summary="Retrieve One Project", security=BEARER)
    async def get_project(
        self,
        portfolio: PortfolioDep,
        me: Me,
        site: SiteDep,
        project_id: Annotated[int, PathParameter(ge=1, le=2**63 - 1)],
    ) -> ProjectRead:
        return project_read(site, await portfolio.project(project_id))

    @delete(
        "/",
        status_code=204,
        summary="Delete Project Catalogue",
        description="Own projects only: someone else's or an unknown `portfolio_id` → 404; its files are deleted.",
        security=BEARER,
    )
    async def delete_project(self, portfolio: PortfolioDep, me: Me, portfolio_id: OptionalId = None) -> None:
        if portfolio_id is None:
            raise InvalidInput.error("No portfolio_id is provided")
        await portfolio.delete_project(me.user_id, portfolio_id)


def _struct_dict(data: msgspec.Struct) -> dict[str, Any]:
    return {f: getattr(data, f) for f in data.__struct_fields__}
