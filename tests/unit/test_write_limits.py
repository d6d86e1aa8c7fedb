"""The production defaults of issue 16 rules 7 and 12, on the memory profile with default settings: 30 writes a
minute per user and kind, 100 records of each kind per profile, 120 reads of other profiles a minute per viewer;
and the settings that change them."""

from __future__ import annotations

from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.system.ratelimit import NoRateLimiter
from bootstrap.container import AppContainer, build_container
from bootstrap.domains.accounts import AccountsSettings
from bootstrap.settings import Settings, load_settings
from core.accounts.profiles.records import CertificationInput, EducationInput
from core.feed.service import CreatePost
from core.shared.errors import InvalidInput, RateLimited
from tests.conftest import make_settings
from tests.unit.feed.conftest import add_user

pytestmark = pytest.mark.anyio


@pytest.fixture
def c(tmp_path: Path) -> AppContainer:
    return build_container(make_settings(tmp_path), "memory")


def test_defaults_and_environment() -> None:
    defaults = Settings()
    assert (defaults.limits.write_limit_per_minute, defaults.limits.write_limit_per_day) == (30, 500)
    profiles = defaults.section(AccountsSettings)
    assert (profiles.profile_records_max, profiles.profile_reads_per_minute) == (100, 120)
    loaded = load_settings(
        {
            "CAREERNEXUS_SECRET_KEY": "k" * 40,
            "CAREERNEXUS_WRITE_LIMIT_PER_MINUTE": "3",
            "CAREERNEXUS_WRITE_LIMIT_PER_DAY": "7",
            "CAREERNEXUS_PROFILE_RECORDS_MAX": "9",
            "CAREERNEXUS_PROFILE_READS_PER_MINUTE": "11",
        }
    )
    assert (loaded.limits.write_limit_per_minute, loaded.limits.write_limit_per_day) == (3, 7)
    profiles = loaded.section(AccountsSettings)
    assert (profiles.profile_records_max, profiles.profile_reads_per_minute) == (9, 11)


async def test_thirty_posts_comments_and_reposts_a_minute(c: AppContainer) -> None:
    feed = c.feed.service()
    me, other = await add_user(c), await add_user(c)
    posts = [(await feed.create_post(me, CreatePost(body=f"post {i}"))).id for i in range(30)]
    with pytest.raises(RateLimited) as spent:
        await feed.create_post(me, CreatePost(body="one more"))
    assert 1 <= spent.value.retry_after <= 60
    await feed.create_post(other, CreatePost(body="others are not affected"))
    for i in range(15):
        comment, _ = await feed.comment(me, posts[0], f"comment {i}")
        await feed.reply(me, comment.id, f"reply {i}")
    with pytest.raises(RateLimited):
        await feed.reply(me, comment.id, "one more")
    for _ in range(30):
        await feed.repost(me, posts[1], None)
    with pytest.raises(RateLimited):
        await feed.repost(me, posts[1], None)


async def test_thirty_profile_records_a_minute(c: AppContainer) -> None:
    records = c.accounts.profile_records()
    me = await add_user(c)
    for _ in range(30):
        await records.add_certification(me, CertificationInput(title="C", school="S"))
    with pytest.raises(RateLimited):
        await records.add_certification(me, CertificationInput(title="C", school="S"))


async def test_one_hundred_records_of_a_kind(c: AppContainer) -> None:
    """The default cap (every kind is checked with a low cap in tests/e2e/test_write_limits.py)."""
    c.platform.limiter.override(providers.Object(NoRateLimiter()))  # the cap alone, without the write budget
    records = c.accounts.profile_records()
    me = await add_user(c)
    for _ in range(100):
        await records.add_certification(me, CertificationInput(title="C", school="S"))
    with pytest.raises(InvalidInput) as full:
        await records.add_certification(me, CertificationInput(title="C", school="S"))
    assert full.value.body == {"non_field_errors": ["A profile can hold at most 100 certifications."]}
    await records.add_education(me, EducationInput(course="C", school="S"))  # another kind has its own room


async def test_one_hundred_twenty_profile_reads_a_minute_per_viewer(c: AppContainer) -> None:
    pages, insights, portfolio = c.accounts.profile_pages(), c.accounts.profile_insights(), c.accounts.portfolio()
    viewer, owner, other_viewer = await add_user(c), await add_user(c), await add_user(c)
    for _ in range(120):
        await pages.retrieve(viewer, owner)
    with pytest.raises(RateLimited):
        await pages.retrieve(viewer, owner)
    with pytest.raises(RateLimited):
        await insights.analytics(viewer, owner)
    with pytest.raises(RateLimited):
        await portfolio.projects(viewer, owner)
    await pages.retrieve(viewer)  # one's own profile is not budgeted
    await pages.retrieve(viewer, viewer)
    await pages.retrieve(other_viewer, owner)
