"""A user's notification and privacy settings (what other viewers may see is decided by ``policies``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from core.accounts.mails import settings_changed_mail
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User
from core.accounts.profiles.common import check_choice, live_user_and_profile
from ports.choices import ChoiceCatalogue
from ports.profiles import ProfilesUnitOfWork

__all__ = ("ProfileSettingsService", "SettingsUpdate", "UserSettings")


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


class ProfileSettingsService:
    """``/user/settings/``: the caller's own settings."""

    __slots__ = ("_catalogue", "_reads", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], ProfilesUnitOfWork],
        catalogue: ChoiceCatalogue,
        reads: Callable[[], ProfilesUnitOfWork] | None = None,
    ) -> None:
        self._uow = uow
        self._reads = reads or uow
        self._catalogue = catalogue

    async def settings(self, actor_id: int) -> UserSettings:
        async with self._reads() as uow:
            user, profile = await live_user_and_profile(uow, actor_id, "User not found.")
        return _settings(user, profile)

    async def update_settings(self, actor_id: int, cmd: SettingsUpdate) -> UserSettings:
        if cmd.timezone is not None:
            await check_choice(self._catalogue, "timezones", cmd.timezone, "timezone")
        async with self._uow() as uow:
            user, profile = await live_user_and_profile(uow, actor_id, "User not found.")
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
            # Privacy (``show_email``, ``show_location``) decides what every other viewer may see: never stale.
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        return _settings(user, profile)


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
