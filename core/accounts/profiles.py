"""Profile use cases: the public face of a user (profile pages, sub-records, portfolio, settings, analytics,
completion, search) and the media they upload."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.accounts.mails import settings_changed_mail
from core.accounts.model.cards import cards_for
from core.accounts.model.portfolio import Certification, Education, Experience, Project, SearchHit
from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User, UserType
from core.shared.errors import InvalidInput, NotFound
from core.shared.limits import MINUTE, WriteLimits, spend, spend_write
from core.shared.links import check_web_url
from core.shared.media import JPEG, PNG, MediaKind, MediaPolicy, Upload, check_upload, new_key, sniff
from core.shared.pagination import Page, PageRequest
from ports.choices import ChoiceCatalogue
from ports.profiles import CountryCodes, CurrencyLookup, ProfilesUnitOfWork, SocialGraph, UserSearch
from ports.storage import BlobStorage
from ports.system import Clock, RateLimiter

__all__ = (
    "SEARCH_PAGE_SIZE",
    "Analytics",
    "CertificationInput",
    "Completion",
    "EducationInput",
    "ExperienceInput",
    "ProfileMediaLimits",
    "ProfilePage",
    "ProfileQuotas",
    "ProfileUpdate",
    "ProfilesService",
    "ProjectInput",
    "SettingsUpdate",
    "UserSettings",
    "format_rate",
)

SEARCH_PAGE_SIZE = 4
MAX_SEARCH_WORDS = 8
MINOR_PER_MAJOR = 100  # every currency is kept with two decimal places
MAX_SESSION_RATE = Decimal(1_000_000_000)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PHONE = re.compile(r"^[0-9][0-9 -]{3,19}$")
_WORD = re.compile(r"\w+")

@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileMediaLimits:
    """Upload size limits in bytes (settings ``MAX_IMAGE_BYTES``, ``MAX_PORTFOLIO_IMAGE_BYTES`` …)."""

    image_bytes: int = 2_000_000
    portfolio_image_bytes: int = 1_000_000
    video_bytes: int = 5_000_000
    document_bytes: int = 5_000_000

    def policy(self, name: str) -> MediaPolicy:
        photo = frozenset({PNG, JPEG})
        return {
            "profile_photo": MediaPolicy(MediaKind.IMAGE, self.image_bytes, photo),
            "cover_photo": MediaPolicy(MediaKind.IMAGE, self.image_bytes),
            "logo": MediaPolicy(MediaKind.IMAGE, self.image_bytes, photo),
            "intro_video": MediaPolicy(MediaKind.VIDEO, self.video_bytes),
            "resume": MediaPolicy(MediaKind.DOCUMENT, self.document_bytes),
            "image": MediaPolicy(MediaKind.IMAGE, self.portfolio_image_bytes, photo),
            "download_material": MediaPolicy(MediaKind.DOCUMENT, self.document_bytes),
        }[name]

    def material_image(self) -> MediaPolicy:
        """Portfolio material may also be a picture (the documented example is a PNG)."""
        return MediaPolicy(MediaKind.IMAGE, self.document_bytes)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileQuotas:
    """Per-user budgets (settings ``WRITE_LIMIT_PER_MINUTE``, ``WRITE_LIMIT_PER_DAY``, ``PROFILE_RECORDS_MAX``,
    ``PROFILE_READS_PER_MINUTE``): writes of each kind of sub-record, records of each kind a profile may hold, and
    reads of other users' profiles by id per viewer."""

    writes: WriteLimits = field(default_factory=WriteLimits)
    records_max: int = 100
    reads_per_minute: int = 120


_RECORD_NAMES = {
    "experience": "experience records",
    "education": "education records",
    "certification": "certifications",
    "portfolio": "portfolio projects",
}


_PREFIXES = {
    "profile_photo": "profile_pictures",
    "cover_photo": "cover_photos",
    "logo": "profile_photo/company_logo",
    "intro_video": "intro_videos",
    "resume": "resumes",
    "image": "portfolio/image",
    "download_material": "portfolio/material",
}


# ----------------------------------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileUpdate:
    """``PUT /user/profile-update/``: ``None`` = not sent. Mentor-only and employer-only fields are ignored for
    other user types (the original's behaviour)."""

    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    country_code: str | None = None
    phone_number: str | None = None
    qualification: str | None = None
    position: str | None = None
    location: str | None = None
    bio: str | None = None
    summary: str | None = None
    timezone: str | None = None
    industry: str | None = None
    # Mentor-only.
    years_of_experience: int | None = None
    availability: str | None = None
    current_job: str | None = None
    areas_of_expertise: list[str] | None = None
    technical_skills: list[str] | None = None
    mentorship_styles: list[str] | None = None
    session_rate: Decimal | None = None
    linkedin_url: str | None = None
    # Employer-only.
    company_name: str | None = None
    company_type: str | None = None
    company_size: str | None = None
    website: str | None = None
    tagline: str | None = None
    # Files.
    profile_photo: Upload | None = None
    cover_photo: Upload | None = None
    intro_video: Upload | None = None
    resume: Upload | None = None
    logo: Upload | None = None


_COMMON = ("first_name", "last_name", "middle_name", "country_code", "phone_number", "qualification", "position",
           "location", "bio", "summary", "timezone")
_MENTOR_ONLY = ("years_of_experience", "availability", "current_job", "areas_of_expertise", "technical_skills",
                "mentorship_styles", "linkedin_url")
_EMPLOYER_ONLY = ("company_name", "company_type", "company_size", "website", "tagline")
_LIMITS = {"first_name": 150, "last_name": 150, "middle_name": 150, "country_code": 10, "phone_number": 20,
           "timezone": 64, "bio": 5000, "summary": 5000}
_PERSON_FILES = ("profile_photo", "cover_photo", "intro_video", "resume")
_EMPLOYER_FILES = ("logo", "cover_photo")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExperienceInput:
    title: str | None = None
    organization: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    location: str | None = None
    employment_type: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EducationInput:
    course: str | None = None
    school: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    location: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificationInput:
    title: str
    school: str
    issue_date: str = ""
    cert_id: str = ""
    skills: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectInput:
    title: str
    description: str
    image: Upload | None = None
    download_material: Upload | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingsUpdate:
    email_notify: bool | None = None
    push_notify: bool | None = None
    message_notify: bool | None = None
    weekly_summary: bool | None = None
    job_alerts: bool | None = None
    marketing: bool | None = None
    show_email: bool | None = None
    show_activity: bool | None = None
    show_location: bool | None = None
    timezone: str | None = None


# ------------------------------------------------------------------------------------------- reads


@dataclass(frozen=True, slots=True, kw_only=True)
class UserSettings:
    email_notify: bool
    push_notify: bool
    message_notify: bool
    weekly_summary: bool
    job_alerts: bool
    marketing: bool
    show_email: bool
    show_activity: bool
    show_location: bool
    timezone: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfilePage:
    """A profile as one viewer may see it: privacy applied, flags computed."""

    user: User
    profile: Profile
    email: str | None
    experiences: list[Experience] = field(default_factory=list)
    educations: list[Education] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    followers: int = 0
    followings: int = 0
    members: list[MiniUser] = field(default_factory=list)
    rating: int = 0
    can_message: bool = False
    can_follow: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    completion: int
    incomplete_items: list[str]
    complete_items: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Analytics:
    total_posts: int
    total_views: int
    total_connections: int


def format_rate(minor: int, currency: str) -> str:
    """``300000, "NGN"`` → ``"3000NGN"``; fractions keep two decimals (``"12.50USD"``)."""
    major, cents = divmod(minor, MINOR_PER_MAJOR)
    return f"{major}{currency}" if cents == 0 else f"{major}.{cents:02d}{currency}"


def _text(name: str, value: str | None, max_length: int, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise InvalidInput.field(name, "This field is required.")
        return None
    value = value.strip()
    if required and not value:
        raise InvalidInput.field(name, "This field may not be blank.")
    if len(value) > max_length:
        raise InvalidInput.field(name, f"Ensure this field has no more than {max_length} characters.")
    return value


def _iso_date(name: str, value: str | None, *, required: bool) -> str | None:
    value = _text(name, value, 10, required=required)
    if not value:
        return value
    if _DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise InvalidInput.field(name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")


class ProfilesService:
    """Profiles, sub-records, portfolio and settings. Every write is checked against the caller's ownership."""

    __slots__ = ("_catalogue", "_clock", "_countries", "_currencies", "_limiter", "_media", "_quotas", "_reads",
                 "_search", "_social", "_storage", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], ProfilesUnitOfWork],
        clock: Clock,
        reads: Callable[[], ProfilesUnitOfWork] | None = None,
        storage: BlobStorage,
        catalogue: ChoiceCatalogue,
        social: SocialGraph,
        search: UserSearch,
        countries: CountryCodes,
        currencies: CurrencyLookup,
        limiter: RateLimiter,
        media: ProfileMediaLimits | None = None,
        quotas: ProfileQuotas | None = None,
    ) -> None:
        self._limiter = limiter
        self._quotas = quotas or ProfileQuotas()
        self._uow = uow
        self._reads = reads or uow
        self._clock = clock
        self._storage = storage
        self._catalogue = catalogue
        self._social = social
        self._search = search
        self._countries = countries
        self._currencies = currencies
        self._media = media or ProfileMediaLimits()

    # ------------------------------------------------------------------ helpers

    async def _choice(self, category: str, value: str, field_name: str) -> None:
        if value not in await self._catalogue.values(category):
            raise InvalidInput.field(field_name, f'"{value}" is not a valid choice.')

    @staticmethod
    async def _user_and_profile(uow: ProfilesUnitOfWork, user_id: int, missing: str = "Invalid User Id") -> tuple[
        User, Profile
    ]:
        user = await uow.users.get(user_id)
        profile = await uow.profiles.get(user_id) if user is not None else None
        if user is None or profile is None or not user.is_active:
            raise NotFound(missing)
        return user, profile

    async def _spend_write(self, kind: str, actor_id: int) -> None:
        await spend_write(self._limiter, kind, actor_id, self._quotas.writes)

    async def _spend_read(self, viewer_id: int, target_id: int) -> None:
        """Reads of someone else's profile by id are budgeted per viewer (walking ids to harvest profiles)."""
        if target_id != viewer_id:
            await spend(self._limiter, f"profile-read:{viewer_id}", limit=self._quotas.reads_per_minute,
                        window_seconds=MINUTE)

    def _check_room(self, kind: str, held: int) -> None:
        """A profile holds at most ``records_max`` records of each kind (a 400 non-field error)."""
        cap = self._quotas.records_max
        if held >= cap:
            raise InvalidInput.non_field(f"A profile can hold at most {cap} {_RECORD_NAMES[kind]}.")

    def _check_file(self, name: str, upload: Upload) -> tuple[str, str]:
        policy = self._media.policy(name)
        if name == "download_material" and sniff(upload.data) in MediaKind.IMAGE.types:
            policy = self._media.material_image()
        content_type, extension = check_upload(upload, policy, name)
        return new_key(_PREFIXES[name], upload.filename, extension), content_type

    async def _store(self, staged: dict[str, tuple[Upload, str, str]]) -> dict[str, str]:
        """Put checked uploads; on any failure remove what was stored. Returns field → URL."""
        urls: dict[str, str] = {}
        try:
            for name, (upload, key, content_type) in staged.items():
                urls[name] = await self._storage.put(key, upload.data, content_type)
        except BaseException:
            await self._discard([key for _, key, _ in staged.values()])
            raise
        return urls

    async def _discard(self, keys_or_urls: list[str | None]) -> None:
        for item in keys_or_urls:
            if not item:
                continue
            key = self._storage.key_of(item) if "://" in item else item
            if key is not None:
                with contextlib.suppress(Exception):  # an orphan object is harmless; the action succeeded
                    await self._storage.delete(key)

    # ------------------------------------------------------------------ profile

    async def retrieve(self, viewer_id: int, user_id: int | None = None) -> ProfilePage:
        """The profile of ``user_id`` (the viewer's own when omitted) as the viewer may see it.

        A constant number of statements whatever the number of sub-records. A view by another user is counted
        once per viewer and day.
        """
        target = viewer_id if user_id is None else user_id
        is_self = target == viewer_id
        await self._spend_read(viewer_id, target)
        async with self._reads() as uow:
            user, profile = await self._user_and_profile(uow, target)
            members: list[MiniUser] = []
            experiences: list[Experience] = []
            educations: list[Education] = []
            certifications: list[Certification] = []
            if user.user_type is UserType.EMPLOYER:
                members = await _mini_users(uow, await uow.members.members_of(target))
            else:
                experiences = await uow.experiences.list_for(target)
                educations = await uow.educations.list_for(target)
                certifications = await uow.certifications.list_for(target)
        if not is_self:
            # The only write of a profile read, in its own short transaction.
            async with self._uow() as uow:
                await uow.views.record(viewer_id, target, self._clock.now().date())
                await uow.commit()
        stats = await self._social.stats(target, viewer_id)
        email: str | None = user.email
        if not is_self:
            # Phone number and résumé are the owner's alone; e-mail and location follow the owner's settings.
            # Hidden values keep their documented type (strings; e-mail null).
            profile = replace(profile, phone_number="", resume="")
            if not user.show_email:
                email = None
            if not user.show_location:
                profile = replace(profile, location="")
        return ProfilePage(
            user=user,
            profile=profile,
            email=email,
            experiences=experiences,
            educations=educations,
            certifications=certifications,
            followers=stats.followers,
            followings=stats.followings,
            members=members,
            can_message=not is_self and stats.connected,
            can_follow=not is_self and not stats.viewer_follows,
        )

    async def update(self, actor_id: int, cmd: ProfileUpdate) -> tuple[User, Profile]:
        """``PUT /user/profile-update/``. New files are stored before the commit and removed if it fails; the
        replaced files are deleted after it."""
        async with self._uow() as uow:
            user, profile = await self._user_and_profile(uow, actor_id, "User not found.")
        changes: dict[str, Any] = {}
        for name in _COMMON:
            value = getattr(cmd, name)
            if value is not None:
                changes[name] = _text(name, value, _LIMITS.get(name, 500))
        if cmd.timezone is not None:
            await self._choice("timezones", cmd.timezone.strip(), "timezone")
        if cmd.country_code is not None:
            code = cmd.country_code.strip()
            if not await self._countries.is_permitted(code):
                raise InvalidInput.field("country_code", f'"{code}" is not a permitted country code.')
        if cmd.phone_number is not None and not _PHONE.match(cmd.phone_number.strip()):
            raise InvalidInput.field("phone_number", "Enter a valid phone number (digits only).")
        industry = None
        if cmd.industry is not None:
            industry = cmd.industry.strip()
            await self._choice("industry", industry, "industry")
        files = _EMPLOYER_FILES if user.user_type is UserType.EMPLOYER else _PERSON_FILES
        if user.user_type is UserType.MENTOR:
            await self._mentor_changes(cmd, profile, changes)
        if user.user_type is UserType.EMPLOYER:
            await self._employer_changes(cmd, changes)
        staged: dict[str, tuple[Upload, str, str]] = {}
        for name in files:
            upload = getattr(cmd, name)
            if upload is not None:
                key, content_type = self._check_file(name, upload)
                staged[name] = (upload, key, content_type)
        urls = await self._store(staged)
        old: list[str | None] = [getattr(profile, name) for name in urls]
        try:
            async with self._uow() as uow:
                user, profile = await self._user_and_profile(uow, actor_id, "User not found.")
                old = [getattr(profile, name) for name in urls]
                profile = replace(profile, **{**changes, **urls})
                await uow.profiles.update(profile)
                if industry is not None and industry != user.industry:
                    user.industry = industry
                    await uow.users.update(user)
                await uow.commit()
        except BaseException:
            await self._discard(list(urls.values()))
            raise
        await self._discard(old)
        return user, profile

    async def _mentor_changes(self, cmd: ProfileUpdate, profile: Profile, changes: dict[str, Any]) -> None:
        if cmd.years_of_experience is not None:
            if not 0 <= cmd.years_of_experience <= 80:
                raise InvalidInput.field("years_of_experience", "Ensure this value is between 0 and 80.")
            changes["years_of_experience"] = cmd.years_of_experience
        if cmd.availability is not None:
            await self._choice("availability", cmd.availability, "availability")
            changes["availability"] = cmd.availability
        if cmd.current_job is not None:
            changes["current_job"] = _text("current_job", cmd.current_job, 500)
        for name in ("areas_of_expertise", "technical_skills", "mentorship_styles"):
            values = getattr(cmd, name)
            if values is not None:
                cleaned = [v.strip() for v in values if v.strip()]
                if len(cleaned) > 50 or any(len(v) > 100 for v in cleaned):
                    raise InvalidInput.field(name, "At most 50 values of at most 100 characters each.")
                changes[name] = cleaned
        if cmd.linkedin_url is not None:
            changes["linkedin_url"] = check_web_url("linkedin_url", cmd.linkedin_url) or None
        if cmd.session_rate is not None:
            changes["session_rate_minor"] = _minor_units(cmd.session_rate)
            code = (cmd.country_code or profile.country_code).strip()
            changes["session_rate_currency"] = await self._currencies.currency_for(code) or "USD"

    async def _employer_changes(self, cmd: ProfileUpdate, changes: dict[str, Any]) -> None:
        if cmd.company_name is not None:
            changes["company_name"] = _text("company_name", cmd.company_name, 500, required=True)
        if cmd.company_type is not None:
            await self._choice("company_type", cmd.company_type, "company_type")
            changes["company_type"] = cmd.company_type
        if cmd.company_size is not None:
            await self._choice("company_size", cmd.company_size, "company_size")
            changes["company_size"] = cmd.company_size
        if cmd.website is not None:
            changes["website"] = check_web_url("website", cmd.website)
        if cmd.tagline is not None:
            changes["tagline"] = _text("tagline", cmd.tagline, 500)

    async def set_industry(self, actor_id: int, industry: str) -> User:
        """``PATCH /user/profile-update/``: only the industry (user types never change)."""
        industry = industry.strip()
        await self._choice("industry", industry, "industry")
        async with self._uow() as uow:
            user = await uow.users.get(actor_id)
            if user is None:
                raise NotFound("User not found.")
            user.industry = industry
            await uow.users.update(user)
            await uow.commit()
        return user

    # ------------------------------------------------------------------ experience

    async def experiences(self, actor_id: int) -> list[Experience]:
        async with self._reads() as uow:
            return await uow.experiences.list_for(actor_id)

    async def _experience_fields(self, data: ExperienceInput, *, creating: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, limit in (("title", 150), ("organization", 500), ("location", 500), ("detail", 2000)):
            value = _text(name, getattr(data, name), limit, required=creating and name in ("title", "organization"))
            if value is not None:
                out[name] = value
        start = _iso_date("start_date", data.start_date, required=creating)
        if start is not None:
            out["start_date"] = start
        end = _iso_date("end_date", data.end_date, required=False) if data.end_date != "Present" else "Present"
        if end is not None:
            out["end_date"] = end or "Present"
        if data.employment_type is not None:
            await self._choice("employment_type", data.employment_type, "employment_type")
            out["employment_type"] = data.employment_type
        elif creating:
            raise InvalidInput.field("employment_type", "This field is required.")
        start_value, end_value = out.get("start_date"), out.get("end_date")
        if start_value and end_value and end_value != "Present" and end_value < start_value:
            raise InvalidInput.field("end_date", "The end date cannot be before the start date.")
        return out

    async def add_experience(self, actor_id: int, data: ExperienceInput) -> Experience:
        values = await self._experience_fields(data, creating=True)
        await self._spend_write("experience", actor_id)
        async with self._uow() as uow:
            self._check_room("experience", await uow.experiences.lock_and_count(actor_id))
            item = await uow.experiences.add(Experience(user_id=actor_id, **values))
            await uow.commit()
        return item

    async def update_experience(self, actor_id: int, item_id: int, data: ExperienceInput) -> Experience:
        values = await self._experience_fields(data, creating=False)
        await self._spend_write("experience", actor_id)
        async with self._uow() as uow:
            item = await uow.experiences.get(item_id)
            if item is None or item.user_id != actor_id:
                raise NotFound("Experience does not exist")
            item = replace(item, **values)
            if item.end_date != "Present" and item.end_date < item.start_date:
                raise InvalidInput.field("end_date", "The end date cannot be before the start date.")
            await uow.experiences.update(item)
            await uow.commit()
        return item

    async def delete_experience(self, actor_id: int, item_id: int) -> None:
        async with self._uow() as uow:
            item = await uow.experiences.get(item_id)
            if item is None or item.user_id != actor_id:
                raise NotFound("Inexistent experience")
            await uow.experiences.delete(item_id)
            await uow.commit()

    # ------------------------------------------------------------------ education

    async def educations(self, actor_id: int) -> list[Education]:
        async with self._reads() as uow:
            return await uow.educations.list_for(actor_id)

    @staticmethod
    def _education_fields(data: EducationInput, *, creating: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, limit in (("course", 500), ("school", 500), ("start_date", 20), ("end_date", 20),
                            ("location", 500), ("detail", 2000)):
            value = _text(name, getattr(data, name), limit, required=creating and name in ("course", "school"))
            if value is not None:
                out[name] = value
        if out.get("end_date") == "":
            out["end_date"] = "Present"
        return out

    async def add_education(self, actor_id: int, data: EducationInput) -> Education:
        values = self._education_fields(data, creating=True)
        await self._spend_write("education", actor_id)
        async with self._uow() as uow:
            self._check_room("education", await uow.educations.lock_and_count(actor_id))
            item = await uow.educations.add(Education(user_id=actor_id, **values))
            await uow.commit()
        return item

    async def update_education(self, actor_id: int, item_id: int, data: EducationInput) -> Education:
        values = self._education_fields(data, creating=False)
        await self._spend_write("education", actor_id)
        async with self._uow() as uow:
            item = await uow.educations.get(item_id)
            if item is None or item.user_id != actor_id:
                raise NotFound("Education does not exist!")
            item = replace(item, **values)
            await uow.educations.update(item)
            await uow.commit()
        return item

    async def delete_education(self, actor_id: int, item_id: int) -> None:
        async with self._uow() as uow:
            item = await uow.educations.get(item_id)
            if item is None or item.user_id != actor_id:
                raise NotFound("Inexistent education")
            await uow.educations.delete(item_id)
            await uow.commit()

    # ------------------------------------------------------------------ certification

    async def certifications(self, actor_id: int) -> list[Certification]:
        async with self._reads() as uow:
            return await uow.certifications.list_for(actor_id)

    async def add_certification(self, actor_id: int, data: CertificationInput) -> Certification:
        item = Certification(
            user_id=actor_id,
            title=_text("title", data.title, 500, required=True) or "",
            school=_text("school", data.school, 500, required=True) or "",
            issue_date=_text("issue_date", data.issue_date, 20) or "",
            cert_id=_text("cert_id", data.cert_id, 1000) or "",
            skills=_text("skills", data.skills, 2000) or "",
        )
        await self._spend_write("certification", actor_id)
        async with self._uow() as uow:
            self._check_room("certification", await uow.certifications.lock_and_count(actor_id))
            item = await uow.certifications.add(item)
            await uow.commit()
        return item

    async def delete_certification(self, actor_id: int, item_id: int) -> None:
        async with self._uow() as uow:
            item = await uow.certifications.get(item_id)
            if item is None or item.user_id != actor_id:
                raise NotFound("Inexistent certification")
            await uow.certifications.delete(item_id)
            await uow.commit()

    # ------------------------------------------------------------------ portfolio

    async def add_project(self, actor_id: int, data: ProjectInput) -> Project:
        title = _text("title", data.title, 150, required=True) or ""
        description = _text("description", data.description, 5000, required=True) or ""
        staged: dict[str, tuple[Upload, str, str]] = {}
        for name in ("image", "download_material"):
            upload: Upload | None = getattr(data, name)
            if upload is not None:
                key, content_type = self._check_file(name, upload)
                staged[name] = (upload, key, content_type)
        await self._spend_write("portfolio", actor_id)
        async with self._reads() as uow:
            if await uow.users.get(actor_id) is None:
                raise NotFound("User not found.")
            self._check_room("portfolio", len(await uow.projects.list_for(actor_id)))  # before storing files
        urls = await self._store(staged)
        try:
            async with self._uow() as uow:
                self._check_room("portfolio", await uow.projects.lock_and_count(actor_id))
                project = await uow.projects.add(
                    Project(user_id=actor_id, title=title, description=description, image=urls.get("image"),
                            download_material=urls.get("download_material"))
                )
                await uow.commit()
        except BaseException:
            await self._discard(list(urls.values()))
            raise
        return project

    async def projects(self, viewer_id: int, user_id: int | None = None) -> list[Project]:
        """The portfolio of ``user_id`` (the viewer's own when omitted)."""
        user_id = viewer_id if user_id is None else user_id
        await self._spend_read(viewer_id, user_id)
        async with self._reads() as uow:
            if await uow.users.get(user_id) is None:
                raise InvalidInput.error("Invalid User ID")
            return await uow.projects.list_for(user_id)

    async def project(self, project_id: int) -> Project:
        async with self._reads() as uow:
            item = await uow.projects.get(project_id)
        if item is None:
            raise NotFound("Invalid Portfolio ID")
        return item

    async def delete_project(self, actor_id: int, project_id: int) -> None:
        async with self._uow() as uow:
            item = await uow.projects.get(project_id)
            if item is None or item.user_id != actor_id:
                raise NotFound("Invalid portfolio ID")
            await uow.projects.delete(project_id)
            await uow.commit()
        await self._discard([item.image, item.download_material])

    # ------------------------------------------------------------------ settings, analytics, completion

    async def settings(self, actor_id: int) -> UserSettings:
        async with self._reads() as uow:
            user, profile = await self._user_and_profile(uow, actor_id, "User not found.")
        return _settings(user, profile)

    async def update_settings(self, actor_id: int, cmd: SettingsUpdate) -> UserSettings:
        if cmd.timezone is not None:
            await self._choice("timezones", cmd.timezone, "timezone")
        async with self._uow() as uow:
            user, profile = await self._user_and_profile(uow, actor_id, "User not found.")
            for f in fields(cmd):
                value = getattr(cmd, f.name)
                if value is not None and f.name != "timezone":
                    setattr(user, f.name, value)
            await uow.users.update(user)
            if cmd.timezone is not None:
                profile = replace(profile, timezone=cmd.timezone)
                await uow.profiles.update(profile)
            if user.email_notify:
                # As the original: with e-mail notifications on, every settings change is confirmed by mail.
                uow.outbox.add(settings_changed_mail(user.email))
            await uow.commit()
        return _settings(user, profile)

    async def analytics(self, viewer_id: int, user_id: int | None = None) -> Analytics | None:
        """The user's numbers; ``None`` when another user's analytics are private (``show_activity`` off)."""
        target = viewer_id if user_id is None else user_id
        await self._spend_read(viewer_id, target)
        async with self._reads() as uow:
            user = await uow.users.get(target)
            if user is None or not user.is_active:
                if target == viewer_id:
                    raise NotFound("User not found.")
                raise InvalidInput.error("Invalid User ID")
            if target != viewer_id and not user.show_activity:
                return None
            views = await uow.views.count_for(target)
        return Analytics(
            total_posts=await self._social.posts_count(target),
            total_views=views,
            total_connections=await self._social.confirmed_connections(target),
        )

    async def completion(self, actor_id: int) -> Completion:
        async with self._reads() as uow:
            user, profile = await self._user_and_profile(uow, actor_id, "User not found.")
            if user.user_type is UserType.EMPLOYER:
                has_members = bool(await uow.members.members_of(actor_id))
                items = [
                    ("logo", 25, profile.logo is not None),
                    ("tagline", 25, bool(profile.tagline)),
                    ("website", 25, bool(profile.website)),
                    ("members", 25, has_members),
                ]
            else:
                items = [
                    ("profile_photo", 15, profile.profile_photo is not None),
                    ("intro_video", 15, bool(profile.intro_video)),
                    ("experience", 20, bool(await uow.experiences.list_for(actor_id))),
                    ("certification", 15, bool(await uow.certifications.list_for(actor_id))),
                    ("bio", 15, bool(profile.bio.strip())),
                    ("education", 20, bool(await uow.educations.list_for(actor_id))),
                ]
        return Completion(
            completion=sum(weight for _, weight, done in items if done),
            incomplete_items=[name for name, _, done in items if not done],
            complete_items=[name for name, _, done in items if done],
        )

    # ------------------------------------------------------------------ search

    async def search(self, keyword: str | None, page: int | PageRequest = 1) -> Page[SearchHit]:
        if keyword is None or not keyword.strip():
            raise InvalidInput.error("No keyword query param is provided")
        request = page if isinstance(page, PageRequest) else PageRequest(page, SEARCH_PAGE_SIZE)
        words = [w[:50] for w in _WORD.findall(keyword.lower())][:MAX_SEARCH_WORDS]
        if not words:
            return Page(items=[], total=0, request=request).check_in_range()
        return (await self._search.search(words, request)).check_in_range()


def _minor_units(amount: Decimal) -> int:
    try:
        if not amount.is_finite() or amount < 0 or amount > MAX_SESSION_RATE:
            raise InvalidInput.field("session_rate", "Ensure this value is a positive amount.")
        scaled = amount * MINOR_PER_MAJOR
        if scaled != scaled.to_integral_value():
            raise InvalidInput.field("session_rate", "Ensure that there are no more than 2 decimal places.")
        return int(scaled)
    except InvalidOperation:
        raise InvalidInput.field("session_rate", "A valid number is required.") from None


def _settings(user: User, profile: Profile) -> UserSettings:
    return UserSettings(
        email_notify=user.email_notify,
        push_notify=user.push_notify,
        message_notify=user.message_notify,
        weekly_summary=user.weekly_summary,
        job_alerts=user.job_alerts,
        marketing=user.marketing,
        show_email=user.show_email,
        show_activity=user.show_activity,
        show_location=user.show_location,
        timezone=profile.timezone,
    )


async def _mini_users(uow: ProfilesUnitOfWork, user_ids: list[int]) -> list[MiniUser]:
    """Cards for ``user_ids`` in that order (two statements whatever the count)."""
    if not user_ids:
        return []
    users = {u.id: u for u in await uow.users.get_many(user_ids)}
    profiles = {p.user_id: p for p in await uow.profiles.get_many(user_ids)}
    return cards_for(user_ids, users, profiles)
