"""The profile use-case services and ContentService on the memory profile."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bootstrap.container import AppContainer
from core.accounts.model.portfolio import Experience
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType
from core.accounts.profiles.edit import ProfileUpdate, format_rate
from core.accounts.profiles.portfolio import ProjectInput
from core.accounts.profiles.records import CertificationInput, ExperienceInput
from core.accounts.profiles.settings import SettingsUpdate
from core.content.service import SetExchangeRate
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from core.shared.media import Upload
from tests.e2e.profiles_support import png

pytestmark = pytest.mark.anyio

NOW = datetime(2030, 1, 1, tzinfo=UTC)


async def add_user(c: AppContainer, email: str, user_type: UserType = UserType.LEARNER, **profile: object) -> int:
    async with c.accounts.profiles_uow() as uow:
        user = await uow.users.add(User(email=email, date_joined=NOW, user_type=user_type))
        await uow.profiles.add(Profile(user_id=user.id, **profile))  # type: ignore[arg-type]
        await uow.commit()
    return user.id


def test_format_rate() -> None:
    assert format_rate(300000, "NGN") == "3000NGN"
    assert format_rate(1250, "USD") == "12.50USD"
    assert format_rate(0, "USD") == "0USD"


async def test_views_counted_once_per_day_and_never_for_self(memory_container: AppContainer) -> None:
    pages, insights = memory_container.accounts.profile_pages(), memory_container.accounts.profile_insights()
    owner = await add_user(memory_container, "o@example.com")
    viewer = await add_user(memory_container, "v@example.com")
    for who in (viewer, viewer, owner):
        await pages.retrieve(who, owner)
    analytics = await insights.analytics(owner)
    assert analytics is not None and analytics.total_views == 1
    page = await pages.retrieve(owner, owner)
    assert page.can_follow is False and page.can_message is False
    with pytest.raises(NotFound):
        await pages.retrieve(owner, 999)


async def test_privacy_flags(memory_container: AppContainer) -> None:
    pages, settings = memory_container.accounts.profile_pages(), memory_container.accounts.profile_settings()
    insights = memory_container.accounts.profile_insights()
    owner = await add_user(memory_container, "o@example.com", location="Lagos")
    viewer = await add_user(memory_container, "v@example.com")
    page = await pages.retrieve(viewer, owner)
    assert page.email is None and page.profile.location == ""  # defaults: show_email off, location off
    await settings.update_settings(owner, SettingsUpdate(show_email=True, show_location=True))
    page = await pages.retrieve(viewer, owner)
    assert page.email == "o@example.com" and page.profile.location == "Lagos"
    await settings.update_settings(owner, SettingsUpdate(show_email=False))
    assert (await pages.retrieve(viewer, owner)).email is None
    assert await insights.analytics(viewer, owner) is None
    await settings.update_settings(owner, SettingsUpdate(show_activity=True))
    assert await insights.analytics(viewer, owner) is not None


async def test_session_rate_uses_the_mentors_currency(memory_container: AppContainer) -> None:
    profiles, content = memory_container.accounts.profile_edit(), memory_container.content.service()
    admin = await add_user(memory_container, "a@example.com")
    async with memory_container.accounts.profiles_uow() as uow:
        user = await uow.users.get(admin)
        assert user is not None
        user.is_staff = True
        await uow.users.update(user)
        await uow.commit()
    nigeria = next(c for c in await content.countries() if c.country == "Nigeria")
    await content.set_rate(
        admin,
        SetExchangeRate(
            country=nigeria.id, currency_name="Naira", currency_initials="ngn", exchange_rate=Decimal("1500")
        ),
    )
    mentor = await add_user(memory_container, "m@example.com", UserType.MENTOR)
    _, profile = await profiles.update(mentor, ProfileUpdate(country_code="+234", session_rate=Decimal("2500.5")))
    assert (profile.session_rate_minor, profile.session_rate_currency) == (250050, "NGN")
    _, profile = await profiles.update(mentor, ProfileUpdate(bio="again"))
    assert profile.session_rate_minor == 250050
    with pytest.raises(InvalidInput):
        await profiles.update(mentor, ProfileUpdate(session_rate=Decimal("1.001")))
    learner = await add_user(memory_container, "l@example.com")
    _, profile = await profiles.update(learner, ProfileUpdate(session_rate=Decimal(10), technical_skills=["x"]))
    assert profile.session_rate_minor == 0 and profile.technical_skills == []


async def test_upload_failure_leaves_nothing(memory_container: AppContainer) -> None:
    profiles, portfolio = memory_container.accounts.profile_edit(), memory_container.accounts.portfolio()
    storage = memory_container.platform.storage()
    me = await add_user(memory_container, "me@example.com")
    with pytest.raises(InvalidInput):
        await profiles.update(
            me, ProfileUpdate(profile_photo=Upload("a.png", png()), intro_video=Upload("v.mp4", b"not a video"))
        )
    assert storage.objects == {}
    _, profile = await profiles.update(me, ProfileUpdate(profile_photo=Upload("a.png", png())))
    assert profile.profile_photo is not None and len(storage.objects) == 1
    with pytest.raises(InvalidInput):
        await portfolio.add_project(me, ProjectInput(title="", description="d", image=Upload("a.png", png())))
    assert len(storage.objects) == 1


async def test_ownership_of_records(memory_container: AppContainer) -> None:
    records, portfolio = memory_container.accounts.profile_records(), memory_container.accounts.portfolio()
    a = await add_user(memory_container, "a@example.com")
    b = await add_user(memory_container, "b@example.com")
    item = await records.add_experience(
        a, ExperienceInput(title="T", organization="O", start_date="2020-01-01", employment_type="Onsite")
    )
    assert isinstance(item, Experience) and item.end_date == "Present"
    with pytest.raises(NotFound):
        await records.update_experience(b, item.id, ExperienceInput(title="x"))
    with pytest.raises(NotFound):
        await records.delete_experience(b, item.id)
    cert = await records.add_certification(a, CertificationInput(title="C", school="S"))
    with pytest.raises(NotFound):
        await records.delete_certification(b, cert.id)
    project = await portfolio.add_project(a, ProjectInput(title="P", description="D"))
    with pytest.raises(NotFound):
        await portfolio.delete_project(b, project.id)
    await portfolio.delete_project(a, project.id)


async def test_employer_completion(memory_container: AppContainer) -> None:
    insights = memory_container.accounts.profile_insights()
    org = await add_user(memory_container, "o@example.com", UserType.EMPLOYER, tagline="T", website="https://x")
    result = await insights.completion(org)
    assert (result.completion, result.complete_items) == (50, ["tagline", "website"])


async def test_search_memory(memory_container: AppContainer) -> None:
    insights = memory_container.accounts.profile_insights()
    ids = [
        await add_user(memory_container, f"u{i}@example.com", first_name="Backend", last_name=str(i)) for i in range(5)
    ]
    page = await insights.search("BACKEND", 2)
    assert page.total == 5 and [h.id for h in page.items] == [ids[4]]
    with pytest.raises(InvalidInput):
        await insights.search("  ")
    with pytest.raises(NotFound):
        await insights.search("backend", 3)
    assert (await insights.search("!!!")).total == 0


async def test_content_admin_rules(memory_container: AppContainer) -> None:
    content = memory_container.content.service()
    someone = await add_user(memory_container, "s@example.com")
    with pytest.raises(PermissionDenied):
        await content.add_choice(someone, "industry", "x")
    with pytest.raises(PermissionDenied):
        await content.set_country_permission(someone, 1, "disable")
    with pytest.raises(PermissionDenied):
        await content.set_rate(
            someone, SetExchangeRate(country=1, currency_name="A", currency_initials="AAA", exchange_rate=Decimal(1))
        )
    assert len(await content.countries("ENABLE")) == 239
    with pytest.raises(InvalidInput):
        await content.countries("sometimes")
    assert "industry" in await content.choices()
    with pytest.raises(InvalidInput):
        await content.choice_values("nope")


async def test_settings_changes_are_mailed_when_email_notifications_are_on(memory_container: AppContainer) -> None:
    from adapters.db.outbox import InMemoryMailOutboxStore

    settings = memory_container.accounts.profile_settings()
    outbox = memory_container.platform.outbox_store()
    assert isinstance(outbox, InMemoryMailOutboxStore)
    me = await add_user(memory_container, "n@example.com")
    await settings.update_settings(me, SettingsUpdate(marketing=True))  # notifications off by default
    assert [m for m in outbox.pending() if m.subject == "Account Settings"] == []
    await settings.update_settings(me, SettingsUpdate(email_notify=True))
    await settings.update_settings(me, SettingsUpdate(weekly_summary=True))
    mails = [m for m in outbox.pending() if m.subject == "Account Settings"]
    assert [m.to for m in mails] == ["n@example.com", "n@example.com"]
    assert mails[0].text and mails[0].html
