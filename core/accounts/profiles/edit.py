"""Editing the profile itself: its fields (per user type), its media, and the user's industry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType
from core.accounts.profiles.common import check_choice, live_user_and_profile, text_field
from core.accounts.profiles.media import ProfileMedia
from core.shared.errors import InvalidInput, NotFound
from core.shared.links import check_web_url
from core.shared.media import Upload
from ports.choices import ChoiceCatalogue
from ports.profiles import CountryCodes, CurrencyLookup, ProfilesUnitOfWork

__all__ = ("MINOR_PER_MAJOR", "ProfileEditService", "ProfileUpdate", "format_rate")

MINOR_PER_MAJOR = 100  # every currency is kept with two decimal places
MAX_SESSION_RATE = Decimal(1_000_000_000)
_PHONE = re.compile(r"^[0-9][0-9 -]{3,19}$")


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
_LIMITS = {"first_name": 150, "last_name": 150, "middle_name": 150, "country_code": 10, "phone_number": 20,
           "timezone": 64, "bio": 5000, "summary": 5000}
_PERSON_FILES = ("profile_photo", "cover_photo", "intro_video", "resume")
_EMPLOYER_FILES = ("logo", "cover_photo")


def format_rate(minor: int, currency: str) -> str:
    """``300000, "NGN"`` → ``"3000NGN"``; fractions keep two decimals (``"12.50USD"``)."""
    major, cents = divmod(minor, MINOR_PER_MAJOR)
    return f"{major}{currency}" if cents == 0 else f"{major}.{cents:02d}{currency}"


class ProfileEditService:
    """``PUT``/``PATCH /user/profile-update/``: the caller's own profile and industry, nobody else's."""

    __slots__ = ("_catalogue", "_countries", "_currencies", "_media", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], ProfilesUnitOfWork],
        catalogue: ChoiceCatalogue,
        countries: CountryCodes,
        currencies: CurrencyLookup,
        media: ProfileMedia,
    ) -> None:
        self._uow = uow
        self._catalogue = catalogue
        self._countries = countries
        self._currencies = currencies
        self._media = media

    async def update(self, actor_id: int, cmd: ProfileUpdate) -> tuple[User, Profile]:
        """``PUT /user/profile-update/``. New files are stored before the commit and removed if it fails; the
        replaced files are deleted after it."""
        async with self._uow() as uow:
            user, profile = await live_user_and_profile(uow, actor_id, "User not found.")
        changes: dict[str, Any] = {}
        for name in _COMMON:
            value = getattr(cmd, name)
            if value is not None:
                changes[name] = text_field(name, value, _LIMITS.get(name, 500))
        if cmd.timezone is not None:
            await check_choice(self._catalogue, "timezones", cmd.timezone.strip(), "timezone")
        if cmd.country_code is not None:
            code = cmd.country_code.strip()
            if not await self._countries.is_permitted(code):
                raise InvalidInput.field("country_code", f'"{code}" is not a permitted country code.')
        if cmd.phone_number is not None and not _PHONE.match(cmd.phone_number.strip()):
            raise InvalidInput.field("phone_number", "Enter a valid phone number (digits only).")
        industry = None
        if cmd.industry is not None:
            industry = cmd.industry.strip()
            await check_choice(self._catalogue, "industry", industry, "industry")
        files = _EMPLOYER_FILES if user.user_type is UserType.EMPLOYER else _PERSON_FILES
        if user.user_type is UserType.MENTOR:
            await self._mentor_changes(cmd, profile, changes)
        if user.user_type is UserType.EMPLOYER:
            await self._employer_changes(cmd, changes)
        urls = await self._media.store(self._media.check_all(cmd, files))
        old: list[str | None] = [getattr(profile, name) for name in urls]
        try:
            async with self._uow() as uow:
                user, profile = await live_user_and_profile(uow, actor_id, "User not found.")
                old = [getattr(profile, name) for name in urls]
                profile = replace(profile, **{**changes, **urls})
                await uow.profiles.update(profile)
                if industry is not None and industry != user.industry:
                    user.industry = industry
                    await uow.users.update(user)
                uow.views_changed(actor_id)
                await uow.commit()
        except BaseException:
            await self._media.discard(list(urls.values()))
            raise
        await self._media.discard(old)
        return user, profile

    async def _mentor_changes(self, cmd: ProfileUpdate, profile: Profile, changes: dict[str, Any]) -> None:
        if cmd.years_of_experience is not None:
            if not 0 <= cmd.years_of_experience <= 80:
                raise InvalidInput.field("years_of_experience", "Ensure this value is between 0 and 80.")
            changes["years_of_experience"] = cmd.years_of_experience
        if cmd.availability is not None:
            await check_choice(self._catalogue, "availability", cmd.availability, "availability")
            changes["availability"] = cmd.availability
        if cmd.current_job is not None:
            changes["current_job"] = text_field("current_job", cmd.current_job, 500)
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
            changes["company_name"] = text_field("company_name", cmd.company_name, 500, required=True)
        if cmd.company_type is not None:
            await check_choice(self._catalogue, "company_type", cmd.company_type, "company_type")
            changes["company_type"] = cmd.company_type
        if cmd.company_size is not None:
            await check_choice(self._catalogue, "company_size", cmd.company_size, "company_size")
            changes["company_size"] = cmd.company_size
        if cmd.website is not None:
            changes["website"] = check_web_url("website", cmd.website)
        if cmd.tagline is not None:
            changes["tagline"] = text_field("tagline", cmd.tagline, 500)

    async def set_industry(self, actor_id: int, industry: str) -> User:
        """``PATCH /user/profile-update/``: only the industry (user types never change)."""
        industry = industry.strip()
        await check_choice(self._catalogue, "industry", industry, "industry")
        async with self._uow() as uow:
            user = await uow.users.get(actor_id)
            if user is None:
                raise NotFound("User not found.")
            user.industry = industry
            await uow.users.update(user)
            uow.views_changed(actor_id)
            await uow.commit()
        return user


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
