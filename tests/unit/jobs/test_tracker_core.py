"""The tracker core over both profiles (memory twin and SQL): metrics against hand-computed expectations on a fixed
data set that spans a year boundary, holds a deleted row and today's application, for owners in two time zones;
the board's apply → tracked application flow; the ``tracker.board-application-moved`` handler for each move,
idempotent."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from bootstrap.tasks import build_runner
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType
from core.jobs.board.postings import NewJob
from core.jobs.model.tracker import APPLIED, OFFER, ONSITE_INTERVIEW, PHONE_SCREEN, TO_APPLY
from core.jobs.tracker.applications import ApplicationChanges, NewApplication
from core.jobs.tracker.records import PrefsChanges, SiteFields
from core.jobs.tracker.tasks import MOVE_TASK, BoardApplicationMoved
from core.shared.errors import InvalidInput, NotFound
from core.shared.pagination import PageRequest
from ports.tracker import ApplicationFilters
from tests.conftest import build_test_container, make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.db]

# 03:00 UTC on 1 January 2026: still 31 December 2025 in Los Angeles, already 1 January 2026 in Tokyo.
NOW = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
_seq = itertools.count(1)


@pytest.fixture(params=["memory", "sql"])
def c(request: pytest.FixtureRequest, tmp_path: Path) -> AppContainer:
    if request.param == "sql":
        settings = make_settings(tmp_path, request.getfixturevalue("database_url"))
    else:
        settings = make_settings(tmp_path)
    container = build_test_container(settings, request.param)
    container.platform.clock.override(providers.Object(FrozenClock(NOW)))
    return container


async def add_user(c: AppContainer, tz: str = "UTC", *, employer: bool = False) -> int:
    async with c.accounts.uow() as uow:
        user = await uow.users.add(User(
            email=f"t{next(_seq)}@example.com", date_joined=NOW, industry="technology",
            user_type=UserType.EMPLOYER if employer else UserType.LEARNER,
        ))
        await uow.profiles.add(Profile(user_id=user.id, first_name="Ann", last_name="Doe", timezone=tz))
        await uow.commit()
    return user.id


async def track(c: AppContainer, owner: int, **fields: object) -> int:
    values: dict[str, object] = {"title": "Engineer", "company": "Globex", **fields}
    app = await c.tracker.tracker().create(owner, NewApplication(**values))  # type: ignore[arg-type]
    return app.id


async def la_data_set(c: AppContainer) -> tuple[int, dict[str, int]]:
    """The owner in Los Angeles (today: 2025-12-31; the 12 months: January … December 2025)."""
    a = await add_user(c, "America/Los_Angeles")
    site = await c.tracker.records().add_site(a, SiteFields(name="LinkedIn Jobs"))
    ids = {
        # 2026-01-01 02:00 UTC is 2025-12-31 18:00 in Los Angeles: today, in December.
        "today": await track(c, a, company="Initech", source="LinkedIn", applied_at=datetime(2026, 1, 1, 2, tzinfo=UTC),
                             site_id=site.id),
        "dec": await track(c, a, company="Initech ", source="LinkedIn", applied_on=date(2025, 12, 15),
                           status_id=PHONE_SCREEN, site_id=site.id),
        "jan": await track(c, a, source="Indeed", applied_on=date(2025, 1, 5)),
        "old": await track(c, a, source="Indeed", applied_on=date(2024, 12, 31)),
        "jun": await track(c, a, company="Umbrella", source="linkedin", applied_on=date(2025, 6, 10)),
        "gone": await track(c, a, company=" acme  corp", title="Backend Engineer", source="Referral",
                            applied_on=date(2025, 11, 20)),
        "nov": await track(c, a, company="ACME Corp", title="Backend Engineer", source="Referral",
                           applied_on=date(2025, 11, 21), status_id=OFFER, rejected=True),
        "mar": await track(c, a, company="Acme corp", title="Data Analyst", source="Hired.com",
                           applied_on=date(2025, 3, 3), status_id=TO_APPLY),
        "jul": await track(c, a, source="", applied_on=date(2025, 7, 1)),
    }
    await c.tracker.tracker().delete(a, [ids["gone"]])
    return a, ids


async def test_metrics_match_hand_computed_expectations(c: AppContainer) -> None:
    a, ids = await la_data_set(c)
    metrics = c.tracker.metrics()
    assert await metrics.today(a) == date(2025, 12, 31)
    assert await metrics.total(a) == 8  # the deleted row is left out

    monthly = await metrics.by_month(a, with_total=True)
    assert monthly.months == [date(2025, m, 1) for m in range(1, 13)]
    z = [0] * 12

    def at(**months: int) -> list[int]:
        out = list(z)
        for name, n in months.items():
            out[["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(name)] = n
        return out

    assert monthly.series == [
        ("LinkedIn", at(jun=1, dec=2)),  # "linkedin" is the same source; today's application is in
        ("Hired.com", at(mar=1)),
        ("Indeed", at(jan=1)),  # 2024-12-31 is outside the window
        ("Referral", at(nov=1)),  # the deleted one is not counted
        ("Others", at(jul=1)),
        ("Total", at(jan=1, mar=1, jun=1, jul=1, nov=1, dec=2)),
    ]
    plain = await metrics.by_month(a)
    assert [name for name, _ in plain.series] == ["LinkedIn", "Hired.com", "Indeed", "Referral", "Others"]
    fixed = await metrics.by_month(a, sources=("Hired.com", "LinkedIn", "Indeed", "Vettery"))
    assert fixed.series == [("Hired.com", at(mar=1)), ("LinkedIn", at(jun=1, dec=2)), ("Indeed", at(jan=1)),
                            ("Vettery", z), ("Others", at(jul=1, nov=1))]

    assert [(s.name, n) for s, n in await metrics.by_status(a)] == [
        ("TO APPLY", 1), ("APPLIED", 5), ("PHONE SCREEN", 1), ("ONSITE INTERVIEW", 0), ("OFFER", 1)]
    assert [(x.company, x.count) for x in await metrics.by_company(a)] == [
        ("Globex", 3), ("ACME Corp", 2), ("Initech", 2), ("Umbrella", 1)]

    titles = await metrics.by_title_status(a)
    assert titles.titles == ["Engineer", "Backend Engineer", "Data Analyst"]
    assert [(s.name, counts) for s, counts in titles.data] == [
        ("TO APPLY", [0, 0, 1]), ("APPLIED", [5, 0, 0]), ("PHONE SCREEN", [1, 0, 0]),
        ("ONSITE INTERVIEW", [0, 0, 0]), ("OFFER", [0, 1, 0])]

    weeks = await metrics.per_week(a, date(2025, 12, 1))
    assert [(w.monday, w.year, w.week, w.count) for w in weeks] == [
        (date(2025, 12, 15), 2025, 51, 1), (date(2025, 12, 29), 2026, 1, 1)]  # ISO week 1 of 2026
    postings = await metrics.postings(a, date(2025, 11, 1))
    assert [p.id for p in postings] == [ids["today"], ids["dec"], ids["nov"]]
    assert postings[0].site_name == "LinkedIn Jobs" and postings[2].site_name == ""
    sites = await metrics.per_site(a, None)
    assert [(name, n) for _, name, n in sites] == [("", 6), ("LinkedIn Jobs", 2)]
    assert [(name, n) for _, name, n in await metrics.per_site(a, date(2025, 12, 1))] == [("LinkedIn Jobs", 2)]

    await c.tracker.records().set_prefs(a, PrefsChanges(dashboard_first_date=date(2025, 6, 1),
                                                        dashboard_second_date=date(2025, 12, 1)))
    rows = await metrics.dashboard(a)
    assert [(r.start, r.end, r.total, r.responded) for r in rows] == [
        (date(2025, 6, 1), None, 5, 2), (date(2025, 6, 1), date(2025, 12, 1), 3, 1), (date(2025, 12, 1), None, 2, 1)]


async def test_metrics_follow_each_owners_time_zone(c: AppContainer) -> None:
    a, _ = await la_data_set(c)
    b = await add_user(c, "Asia/Tokyo")
    # The same instants fall on other days in Tokyo: 2026-01-01 11:00 (today) and 2025-02-01 01:00.
    await track(c, b, source="LinkedIn", applied_at=datetime(2026, 1, 1, 2, tzinfo=UTC))
    await track(c, b, source="LinkedIn", applied_at=datetime(2025, 1, 31, 16, tzinfo=UTC))
    metrics = c.tracker.metrics()
    assert await metrics.today(b) == date(2026, 1, 1)
    monthly = await metrics.by_month(b, with_total=True)
    assert monthly.months[0] == date(2025, 2, 1) and monthly.months[-1] == date(2026, 1, 1)
    assert monthly.series[0] == ("LinkedIn", [1] + [0] * 10 + [1])
    assert await metrics.total(b) == 2 and await metrics.total(a) == 8
    weeks = await metrics.per_week(b, None)
    assert [(w.year, w.week) for w in weeks] == [(2025, 5), (2026, 1)]


async def test_metrics_cost_a_fixed_number_of_statements(c: AppContainer) -> None:
    if c.platform.profile() != "sql":
        pytest.skip("statements are SQL's")
    from adapters.db.engine import StatementCounter

    a, _ = await la_data_set(c)
    metrics = c.tracker.metrics()
    counts = []
    engines = {c.platform.engine(), c.platform.writer()}
    for extra in (0, 25):
        for _ in range(extra):
            await track(c, a, title=f"T{next(_seq)}", company=f"C{next(_seq)}", source=f"S{next(_seq)}",
                        applied_on=date(2025, 4, 2))
        counter = StatementCounter()
        for engine in engines:
            counter.attach(engine)
        try:
            await metrics.total(a)
            await metrics.by_month(a, with_total=True)
            await metrics.by_status(a)
            await metrics.by_company(a)
            await metrics.by_title_status(a)
            await metrics.postings(a, None)
            await metrics.per_site(a, None)
            await metrics.per_week(a, None)
            await metrics.dashboard(a)
        finally:
            for engine in engines:
                counter.detach(engine)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 15  # nine metrics: one statement each, plus the time zone and settings


async def test_applications_crud_filters_history_and_owner_only(c: AppContainer) -> None:
    a = await add_user(c)
    b = await add_user(c)
    service = c.tracker.tracker()
    first = await track(c, a, title="Python Developer", company="Acme", source="LinkedIn")
    second = await track(c, a, title="Go Developer", company="Initech", source="Indeed", status_id=TO_APPLY)
    page = await service.applications(a, ApplicationFilters(q="python"), PageRequest(1, 20))
    assert [x.id for x in page.items] == [first] and page.total == 1
    assert (await service.applications(a, ApplicationFilters(status_id=TO_APPLY), PageRequest(1, 20))).total == 1
    assert (await service.applications(b, ApplicationFilters(), PageRequest(1, 20))).total == 0
    with pytest.raises(NotFound):
        await service.get(b, first)
    with pytest.raises(NotFound):
        await service.set_status(b, [first], status_id=OFFER)
    with pytest.raises(InvalidInput):
        await service.set_status(a, [second], rejected=True)  # TO APPLY is not rejectable
    await service.set_status(a, [first, second], status_id=PHONE_SCREEN)
    await service.set_status(a, [first], rejected=True)
    await service.set_status(a, [first], rejected=True)  # nothing changes: no event
    history = await service.history(a, first)
    assert [(e.kind, e.from_status_id, e.to_status_id) for e in history] == [
        ("created", None, APPLIED), ("status_changed", APPLIED, PHONE_SCREEN), ("rejected", PHONE_SCREEN, PHONE_SCREEN)]
    note = await service.add_note(a, first, "Called the recruiter", "call")
    with pytest.raises(NotFound):
        await service.edit_note(b, note.id, "mine now")
    await service.edit_note(a, note.id, "Called twice")
    assert [n.body for n in await service.notes(a, first)] == ["Called twice"]
    assert await service.delete(a, [first, second]) == 2
    with pytest.raises(NotFound):
        await service.get(a, first)
    with pytest.raises(NotFound):
        await service.notes(a, first)


async def _board_application(c: AppContainer, applicant: int) -> tuple[int, int]:
    corp = await add_user(c, employer=True)
    job = await c.jobs.postings().create(corp, NewJob(
        title="Senior Backend Engineer", organization="Acme", employment_type="full_time", work_type="remote",
        country="Nigeria", salary="1", experience_level="senior", overview="APIs and databases.",
        description="Python.", application_deadline=date(2026, 3, 1),
    ))
    application = await c.jobs.seeking().apply(applicant, job.id)
    return job.id, application.id


async def test_applying_on_the_board_tracks_the_application(c: AppContainer) -> None:
    applicant = await add_user(c, "Asia/Tokyo")
    job_id, application_id = await _board_application(c, applicant)
    clock = c.platform.clock()
    assert isinstance(clock, FrozenClock)
    clock.advance(5 * 366 * 86400)  # past the tasks' creation time (written with the wall clock)
    outcomes = await build_runner(c).run_due(20)
    assert "dead" not in [o.status for o in outcomes], outcomes
    assert MOVE_TASK in [o.name for o in outcomes], outcomes
    page = await c.tracker.tracker().applications(applicant, ApplicationFilters(), PageRequest(1, 20))
    [app] = page.items
    assert (app.title, app.company, app.source, app.status_id) == ("Senior Backend Engineer", "Acme",
                                                                    "Career Nexus", APPLIED)
    assert (app.job_id, app.application_id, app.applied_on) == (job_id, application_id, date(2026, 1, 1))
    assert [(e.kind, e.origin) for e in await c.tracker.tracker().history(applicant, app.id)] == [("created", "board")]


async def test_applying_links_a_to_apply_item_for_the_same_job(c: AppContainer) -> None:
    applicant = await add_user(c)
    corp = await add_user(c, employer=True)
    job = await c.jobs.postings().create(corp, NewJob(
        title="Data Engineer", organization="Acme", employment_type="full_time", work_type="remote",
        country="Kenya", salary="1", experience_level="mid", overview="Pipelines.", description="SQL.",
        application_deadline=date(2026, 3, 1),
    ))
    planned = await track(c, applicant, title="Data Engineer (planned)", company="Acme", status_id=TO_APPLY,
                          job_id=job.id)
    application = await c.jobs.seeking().apply(applicant, job.id)
    await c.tracker.moves().run(BoardApplicationMoved(user_id=applicant, job_id=job.id,
                                                      application_id=application.id, move="applied",
                                                      at=NOW.isoformat()))
    app = await c.tracker.tracker().get(applicant, planned)
    assert (app.status_id, app.application_id, app.title) == (APPLIED, application.id, "Data Engineer (planned)")
    assert (await c.tracker.metrics().total(applicant)) == 1


async def test_each_move_and_idempotency(c: AppContainer) -> None:
    applicant = await add_user(c)
    job_id, application_id = await _board_application(c, applicant)
    moves = c.tracker.moves()

    def move(name: str) -> BoardApplicationMoved:
        return BoardApplicationMoved(user_id=applicant, job_id=job_id, application_id=application_id, move=name,
                                     at=NOW.isoformat())

    assert await moves.run(move("applied")) is True
    assert await moves.run(move("applied")) is False  # delivered twice: one application, one event
    assert await moves.run(move("assessment")) is True
    assert await moves.run(move("video_interview")) is False  # already PHONE SCREEN
    app = (await c.tracker.tracker().applications(applicant, ApplicationFilters(), PageRequest(1, 5))).items[0]
    assert app.status_id == PHONE_SCREEN
    await c.tracker.tracker().set_status(applicant, [app.id], status_id=ONSITE_INTERVIEW)
    assert await moves.run(move("assessment")) is False  # moves never go backwards
    assert await moves.run(move("hired")) is True
    assert await moves.run(move("rejected")) is True
    assert await moves.run(move("rejected")) is False
    assert await moves.run(move("bogus")) is False
    app = await c.tracker.tracker().get(applicant, app.id)
    assert (app.status_id, app.is_rejected) == (OFFER, True)
    history = await c.tracker.tracker().history(applicant, app.id)
    assert [(e.kind, e.to_status_id, e.origin) for e in history] == [
        ("created", APPLIED, "board"), ("status_changed", PHONE_SCREEN, "ats"),
        ("status_changed", ONSITE_INTERVIEW, "user"), ("status_changed", OFFER, "ats"), ("rejected", OFFER, "ats")]
    # The task is registered under the contract's name.
    from bootstrap.domains import tracker as wiring

    assert MOVE_TASK in wiring.DOMAIN.tasks


async def test_notes_given_with_an_application_are_written_with_it_or_not_at_all(c: AppContainer) -> None:
    """A face sending the notes with the application (job-search-tracker ``comments``): one transaction, so a
    refused note leaves no application behind, and an edit's notes replace the old ones with the changes."""
    owner = await add_user(c)
    tracker = c.tracker.tracker()
    with pytest.raises(InvalidInput):
        await tracker.create(owner, NewApplication(title="Engineer", company="Acme",
                                                   notes=[("general", "ok", None), ("gossip", "no", None)]))
    assert (await tracker.applications(owner, ApplicationFilters(), PageRequest(1, 10))).total == 0
    app = await tracker.create(owner, NewApplication(title="Engineer", company="Acme",
                                                     notes=[("general", "first", None)]))
    assert [n.body for n in await tracker.notes(owner, app.id)] == ["first"]
    with pytest.raises(InvalidInput):
        await tracker.edit(owner, app.id, ApplicationChanges(title="Changed", notes=[("gossip", "x", None)]))
    assert (await tracker.get(owner, app.id)).title == "Engineer"
    await tracker.edit(owner, app.id, ApplicationChanges(title="Changed", notes=[("general", "second", None)]))
    assert [n.body for n in await tracker.notes(owner, app.id)] == ["second"]
    assert (await tracker.get(owner, app.id)).title == "Changed"
