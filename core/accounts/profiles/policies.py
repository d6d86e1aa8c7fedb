"""Who may see or change what of a profile: the permission and visibility rules of the profile use cases, as
named pure functions (stdlib and the accounts model only), tested once in tests/unit/accounts/test_profile_policies.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol, TypeGuard, TypeVar

from core.accounts.model.portfolio import SocialStats
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User

__all__ = (
    "OWNER_ONLY_FIELDS",
    "email_seen_by",
    "is_live",
    "may_follow",
    "may_message",
    "may_read_analytics",
    "owns",
    "profile_seen_by",
    "read_budget_key",
    "read_is_budgeted",
    "view_is_counted",
)

OWNER_ONLY_FIELDS = ("phone_number", "resume")
"""Profile fields only their owner ever sees; other viewers get ``""`` (the documented type kept)."""


class Owned(Protocol):
    @property
    def user_id(self) -> int: ...


R = TypeVar("R", bound=Owned)


def is_live(user: User | None) -> TypeGuard[User]:
    """Only an active account has a profile to show (unknown and deactivated ones look the same: not found)."""
    return user is not None and user.is_active


def owns(record: R | None, actor_id: int) -> TypeGuard[R]:
    """A record (experience, education, certification, project) may be changed or deleted by its owner only; for
    anyone else it does not exist (404, never 403, so ids are not confirmed)."""
    return record is not None and record.user_id == actor_id


def profile_seen_by(viewer_id: int, owner: User, profile: Profile) -> Profile:
    """The profile as ``viewer_id`` may see it: the owner sees everything; others never see the owner-only fields
    and see the location only when the owner enabled ``show_location``."""
    if viewer_id == owner.id:
        return profile
    seen = replace(profile, phone_number="", resume="")  # OWNER_ONLY_FIELDS
    return seen if owner.show_location else replace(seen, location="")


def email_seen_by(viewer_id: int, owner: User) -> str | None:
    """The owner's e-mail address for ``viewer_id``: always the owner's own; others only with ``show_email``."""
    return owner.email if viewer_id == owner.id or owner.show_email else None


def may_read_analytics(viewer_id: int, owner: User) -> bool:
    """One's own analytics always; another user's only when they enabled ``show_activity``."""
    return viewer_id == owner.id or owner.show_activity


def read_is_budgeted(viewer_id: int, target_id: int) -> bool:
    """Reads of someone else's profile, portfolio or analytics by id count against the viewer's read budget
    (walking ids to harvest profiles); one's own never do."""
    return target_id != viewer_id


def read_budget_key(viewer_id: int) -> str:
    """The one budget every budgeted read of ``viewer_id`` is counted on, whatever they read."""
    return f"profile-read:{viewer_id}"


def view_is_counted(viewer_id: int, target_id: int) -> bool:
    """A profile view is recorded (once per viewer and day) only when someone else looks at the profile."""
    return target_id != viewer_id


def may_message(viewer_id: int, target_id: int, stats: SocialStats) -> bool:
    """Messaging is offered between confirmed connections, never to oneself."""
    return viewer_id != target_id and stats.connected


def may_follow(viewer_id: int, target_id: int, stats: SocialStats) -> bool:
    """Following is offered when the viewer does not follow yet, never to oneself."""
    return viewer_id != target_id and not stats.viewer_follows
