"""The profile permission and visibility rules (core/accounts/profiles/policies.py), tested once here; the
services and the HTTP suites (tests/e2e/test_profiles_privacy.py …) only check that they are applied."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.system.ratelimit import InMemoryRateLimiter
from core.accounts.model.portfolio import Certification, SocialStats
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User
from core.accounts.profiles.budgets import ProfileQuotas, ReadBudget
from core.accounts.profiles.policies import (
    OWNER_ONLY_FIELDS,
    email_seen_by,
    is_live,
    may_follow,
    may_message,
    may_read_analytics,
    owns,
    profile_seen_by,
    read_budget_key,
    read_is_budgeted,
    view_is_counted,
)
from core.shared.errors import RateLimited

OWNER, VIEWER = 7, 8


def owner(**flags: bool) -> User:
    return User(id=OWNER, email="owner@example.com", date_joined=datetime(2030, 1, 1, tzinfo=UTC), **flags)


def profile() -> Profile:
    return Profile(user_id=OWNER, first_name="Ada", phone_number="0801234567", resume="https://m/r.pdf",
                   location="Lagos", bio="Engines")


def test_the_owner_sees_everything() -> None:
    user = owner()
    assert profile_seen_by(OWNER, user, profile()) == profile()
    assert email_seen_by(OWNER, user) == "owner@example.com"
    assert may_read_analytics(OWNER, user)


def test_owner_only_fields_are_hidden_from_every_other_viewer_whatever_the_settings() -> None:
    everything_shown = owner(show_email=True, show_location=True, show_activity=True)
    seen = profile_seen_by(VIEWER, everything_shown, profile())
    assert OWNER_ONLY_FIELDS == ("phone_number", "resume")
    assert (seen.phone_number, seen.resume) == ("", "")  # the documented type (a string) is kept
    assert (seen.location, seen.first_name, seen.bio) == ("Lagos", "Ada", "Engines")


def test_email_and_location_follow_the_owners_settings() -> None:
    hidden = owner()  # new accounts: show_email and show_location off
    assert email_seen_by(VIEWER, hidden) is None
    assert profile_seen_by(VIEWER, hidden, profile()).location == ""
    shown = owner(show_email=True, show_location=True)
    assert email_seen_by(VIEWER, shown) == "owner@example.com"
    assert profile_seen_by(VIEWER, shown, profile()).location == "Lagos"
    assert email_seen_by(VIEWER, owner(show_location=True)) is None
    assert profile_seen_by(VIEWER, owner(show_email=True), profile()).location == ""


def test_analytics_of_others_only_with_show_activity() -> None:
    assert not may_read_analytics(VIEWER, owner())
    assert not may_read_analytics(VIEWER, owner(show_email=True, show_location=True))
    assert may_read_analytics(VIEWER, owner(show_activity=True))


def test_only_active_accounts_have_a_profile() -> None:
    assert is_live(owner())
    assert not is_live(owner(is_active=False))
    assert not is_live(None)


def test_records_belong_to_their_owner_only() -> None:
    record = Certification(id=3, user_id=OWNER, title="C", school="S")
    assert owns(record, OWNER)
    assert not owns(record, VIEWER)
    assert not owns(None, OWNER)


def test_reads_and_views_of_others_are_counted_ones_own_are_not() -> None:
    assert read_is_budgeted(VIEWER, OWNER) and view_is_counted(VIEWER, OWNER)
    assert not read_is_budgeted(OWNER, OWNER) and not view_is_counted(OWNER, OWNER)
    assert read_budget_key(VIEWER) == read_budget_key(VIEWER) != read_budget_key(OWNER)


def test_message_and_follow_are_never_offered_on_ones_own_profile() -> None:
    connected_not_following = SocialStats(connected=True, viewer_follows=False)
    assert may_message(VIEWER, OWNER, connected_not_following)
    assert may_follow(VIEWER, OWNER, connected_not_following)
    assert not may_message(OWNER, OWNER, connected_not_following)
    assert not may_follow(OWNER, OWNER, connected_not_following)
    strangers_following = SocialStats(connected=False, viewer_follows=True)
    assert not may_message(VIEWER, OWNER, strangers_following)
    assert not may_follow(VIEWER, OWNER, strangers_following)


@pytest.mark.anyio
async def test_read_budget_is_per_viewer_and_shared_by_every_target() -> None:
    budget = ReadBudget(limiter=InMemoryRateLimiter(), quotas=ProfileQuotas(reads_per_minute=2))
    await budget.spend(VIEWER, OWNER)
    await budget.spend(VIEWER, 99)  # another target, same budget
    with pytest.raises(RateLimited):
        await budget.spend(VIEWER, OWNER)
    for _ in range(5):
        await budget.spend(VIEWER, VIEWER)  # one's own reads are free
    await budget.spend(OWNER, VIEWER)  # another viewer has their own budget
