"""Field validation, choice checks and the profile lookup shared by the profile use cases."""

from __future__ import annotations

import re
from datetime import date

from core.accounts.model.profiles import Profile
from core.accounts.model.users import User
from core.accounts.profiles.policies import is_live
from core.shared.errors import InvalidInput, NotFound
from ports.choices import ChoiceCatalogue
from ports.profiles import ProfilesUnitOfWork

__all__ = ("check_choice", "iso_date", "live_user_and_profile", "text_field")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def text_field(name: str, value: str | None, max_length: int, *, required: bool = False) -> str | None:
    """``value`` stripped and length-checked (400 naming the field); ``None`` when not sent and not required."""
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


def iso_date(name: str, value: str | None, *, required: bool) -> str | None:
    """A ``YYYY-MM-DD`` calendar date (400 naming the field otherwise)."""
    value = text_field(name, value, 10, required=required)
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


async def check_choice(catalogue: ChoiceCatalogue, category: str, value: str, field_name: str) -> None:
    """``value`` must be one of the catalogue's values of ``category`` (400 naming the field)."""
    if value not in await catalogue.values(category):
        raise InvalidInput.field(field_name, f'"{value}" is not a valid choice.')


async def live_user_and_profile(
    uow: ProfilesUnitOfWork, user_id: int, missing: str = "Invalid User Id"
) -> tuple[User, Profile]:
    """The active user ``user_id`` and their profile, else ``NotFound(missing)``."""
    user = await uow.users.get(user_id)
    profile = await uow.profiles.get(user_id) if user is not None else None
    if not is_live(user) or profile is None:
        raise NotFound(missing)
    return user, profile
