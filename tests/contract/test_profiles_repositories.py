"""Profile and content repositories, user search and look-ups: one contract over the in-memory and SQL adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from adapters.db.content import (
    InMemoryContentUnitOfWork,
    InMemoryCountryCodes,
    InMemoryCurrencyLookup,
    InMemoryStaffDirectory,
    SqlContentUnitOfWork,
    SqlCountryCodes,
    SqlCurrencyLookup,
    SqlStaffDirectory,
)
from adapters.db.engine import make_engine, write_engine
from adapters.db.memory import InMemoryStore
from adapters.db.profiles import InMemoryProfilesUnitOfWork, InMemoryUserSearch, SqlProfilesUnitOfWork, SqlUserSearch
from adapters.db.seed import load_seed
from core.accounts.model.portfolio import Certification, Education, Experience, Project
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType
from core.content.model import ExchangeRate
from core.shared.pagination import PageRequest
from ports.content import ContentUnitOfWork, StaffDirectory
from ports.profiles import CountryCodes, CurrencyLookup, ProfilesUnitOfWork, UserSearch

pytestmark = pytest.mark.anyio

NOW = datetime(2030, 5, 1, 10, 0, tzinfo=UTC)


@dataclass
class Backend:
    uow: Callable[[], ProfilesUnitOfWork]
    content: Callable[[], ContentUnitOfWork]
    search: UserSearch
    staff: StaffDirectory
    codes: CountryCodes
    currencies: CurrencyLookup


@pytest.fixture(params=["memory", pytest.param("sql", marks=pytest.mark.db)])
def backend_url(request: pytest.FixtureRequest) -> str | None:
    if request.param == "memory":
        return None
    url: str = request.getfixturevalue("database_url")
    return url


@pytest.fixture
async def backend(backend_url: str | None) -> AsyncIterator[Backend]:
    if backend_url is None:
        store = InMemoryStore()
        yield Backend(
            uow=lambda: InMemoryProfilesUnitOfWork(store),
            content=lambda: InMemoryContentUnitOfWork(store),
            search=InMemoryUserSearch(store),
            staff=InMemoryStaffDirectory(store),
            codes=InMemoryCountryCodes(store),
            currencies=InMemoryCurrencyLookup(store),
        )
        return
    engine = make_engine(backend_url)
    writer = write_engine(engine)
    try:
        yield Backend(
            uow=lambda: SqlProfilesUnitOfWork(writer, clock=lambda: NOW),
            content=lambda: SqlContentUnitOfWork(writer),
            search=SqlUserSearch(engine),
            staff=SqlStaffDirectory(engine),
            codes=SqlCountryCodes(engine),
            currencies=SqlCurrencyLookup(engine),
        )
    finally:
        await engine.dispose()


async def add_user(b: Backend, email: str, *, user_type: UserType = UserType.LEARNER, **profile: Any) -> int:
    async with b.uow() as uow:
        user = await uow.users.add(User(email=email, date_joined=NOW, user_type=user_type))
        await uow.profiles.add(Profile(user_id=user.id, **profile))
        await uow.commit()
    return user.id


async def test_sub_records_round_trip_order_and_cascade(backend: Backend) -> None:
    uid = await add_user(backend, "a@example.com")
    async with backend.uow() as uow:
        old = await uow.experiences.add(Experience(user_id=uid, title="Old", organization="O", start_date="2019-01-01"))
        new = await uow.experiences.add(
            Experience(
                user_id=uid,
                title="New",
                organization="O",
                start_date="2023-01-01",
                end_date="2024-01-01",
                employment_type="Remote",
            )
        )
        await uow.educations.add(Education(user_id=uid, course="C", school="S", start_date="2013"))
        await uow.certifications.add(Certification(user_id=uid, title="T", school="S", issue_date="2020"))
        await uow.certifications.add(Certification(user_id=uid, title="T2", school="S", issue_date="2022"))
        await uow.projects.add(Project(user_id=uid, title="P", description="D"))
        await uow.commit()
    async with backend.uow() as uow:
        assert [e.title for e in await uow.experiences.list_for(uid)] == ["New", "Old"]
        got = await uow.experiences.get(new.id)
        assert got is not None and got.end_date == "2024-01-01" and got.employment_type == "Remote"
        got.title = "Newer"
        await uow.experiences.update(got)
        await uow.experiences.delete(old.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert [e.title for e in await uow.experiences.list_for(uid)] == ["Newer"]
        assert [c.title for c in await uow.certifications.list_for(uid)] == ["T2", "T"]
        assert [e.course for e in await uow.educations.list_for(uid)] == ["C"]
        assert [p.title for p in await uow.projects.list_for(uid)] == ["P"]
    async with backend.uow() as uow:
        await uow.users.delete(uid)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.experiences.list_for(uid) == []
        assert await uow.projects.list_for(uid) == []


async def test_lock_and_count_counts_each_kind_per_user(backend: Backend) -> None:
    a = await add_user(backend, "a@example.com")
    b = await add_user(backend, "b@example.com")
    async with backend.uow() as uow:
        for _ in range(3):
            await uow.experiences.add(Experience(user_id=a, title="T", organization="O", start_date="2020-01-01"))
        await uow.educations.add(Education(user_id=a, course="C", school="S"))
        await uow.projects.add(Project(user_id=b, title="P", description="D"))
        # Counts see the transaction's own writes.
        assert await uow.experiences.lock_and_count(a) == 3
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.experiences.lock_and_count(a) == 3
        assert await uow.educations.lock_and_count(a) == 1
        assert await uow.certifications.lock_and_count(a) == 0
        assert await uow.projects.lock_and_count(a) == 0
        assert await uow.projects.lock_and_count(b) == 1
        assert await uow.experiences.lock_and_count(b) == 0


async def test_uncommitted_writes_are_discarded(backend: Backend) -> None:
    uid = await add_user(backend, "a@example.com")
    async with backend.uow() as uow:
        await uow.projects.add(Project(user_id=uid, title="P", description="D"))
    async with backend.uow() as uow:
        assert await uow.projects.list_for(uid) == []


async def test_profile_views_are_unique_per_viewer_and_day(backend: Backend) -> None:
    a = await add_user(backend, "a@example.com")
    b = await add_user(backend, "b@example.com")
    c = await add_user(backend, "c@example.com")
    async with backend.uow() as uow:
        for viewer, day in ((b, date(2030, 1, 1)), (b, date(2030, 1, 1)), (c, date(2030, 1, 1)), (b, date(2030, 1, 2))):
            await uow.views.record(viewer, a, day)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.views.count_for(a) == 3
        assert await uow.views.count_for(b) == 0


async def test_user_search(backend: Backend) -> None:
    ids = [
        await add_user(
            backend, "a@example.com", first_name="Ada", last_name="Lovelace", qualification="Backend Developer"
        ),
        await add_user(backend, "b@example.com", first_name="Bob", bio="backend developer and chef"),
        await add_user(backend, "c@example.com", first_name="Cid", summary="frontend"),
        await add_user(
            backend,
            "d@example.com",
            user_type=UserType.EMPLOYER,
            company_name="Backend Corp",
            tagline="Developers",
            logo="http://x/logo.png",
        ),
    ]
    page = await backend.search.search(["backend", "dev"], PageRequest(1, 4))
    assert page.total == 2 and [h.id for h in page.items] == ids[:2]
    corp = await backend.search.search(["corp"], PageRequest(1, 4))
    assert [(h.id, h.user_type, h.company_name, h.tagline) for h in corp.items] == [
        (ids[3], "employer", "Backend Corp", "Developers")
    ]
    back = await backend.search.search(["back"], PageRequest(2, 2))
    assert back.total == 3 and [h.id for h in back.items] == [ids[3]]
    async with backend.uow() as uow:
        profile = await uow.profiles.get(ids[2])
        assert profile is not None
        profile.summary = "backend developer"
        await uow.profiles.update(profile)
        await uow.commit()
    assert (await backend.search.search(["backend", "developer"], PageRequest(1, 4))).total == 3
    assert (await backend.search.search(["frontend"], PageRequest(1, 4))).total == 0


async def test_content_catalogues(backend: Backend) -> None:
    seed = load_seed("valid_options")
    async with backend.content() as uow:
        choices = await uow.choices.all()
        assert choices == seed
        assert await uow.choices.add("industry", "aerospace")
        assert not await uow.choices.add("industry", "aerospace")
        await uow.commit()
    async with backend.content() as uow:
        assert (await uow.choices.all())["industry"][-1] == "aerospace"
        assert await uow.choices.remove("industry", "aerospace")
        assert not await uow.choices.remove("industry", "aerospace")
        await uow.commit()
        countries = await uow.countries.list()
        assert len(countries) == 239
        ghana = next(c for c in countries if c.country == "Ghana")
        await uow.countries.set_permitted(ghana.id, False)
        await uow.commit()
    try:
        assert not await backend.codes.is_permitted(ghana.code)
        assert await backend.codes.is_permitted("+234")
        async with backend.content() as uow:
            assert [c.id for c in await uow.countries.list(False)] == [ghana.id]
    finally:
        async with backend.content() as uow:
            await uow.countries.set_permitted(ghana.id, True)
            await uow.commit()


async def test_exchange_rates_and_currency_lookup(backend: Backend) -> None:
    assert await backend.currencies.currency_for("+234") is None
    async with backend.content() as uow:
        nigeria = next(c for c in await uow.countries.list() if c.country == "Nigeria")
        await uow.rates.put(
            ExchangeRate(country_id=nigeria.id, currency_name="Naira", currency_initials="NGN", rate=Decimal("1500.5"))
        )
        await uow.rates.put(
            ExchangeRate(country_id=nigeria.id, currency_name="Naira", currency_initials="NGN", rate=Decimal("1600.25"))
        )
        await uow.commit()
    async with backend.content() as uow:
        rates = await uow.rates.list()
    assert [(r.country, r.code, r.rate) for r in rates] == [("Nigeria", "+234", Decimal("1600.25"))]
    assert await backend.currencies.currency_for("+234") == "NGN"


async def test_staff_directory(backend: Backend) -> None:
    uid = await add_user(backend, "a@example.com")
    assert not await backend.staff.is_staff(uid)
    assert not await backend.staff.is_staff(999_999)
    async with backend.uow() as uow:
        user = await uow.users.get(uid)
        assert user is not None
        user.is_staff = True
        await uow.users.update(user)
        await uow.commit()
    assert await backend.staff.is_staff(uid)
