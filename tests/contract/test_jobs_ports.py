"""The job board's repositories and read models over the memory twin and SQL: the same answers (order, bounds,
flags, uniqueness, ranking) from both."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from core.jobs.model.board import Application, JobStatus
from core.shared.errors import InvalidInput
from tests.conftest import build_test_container, make_settings
from tests.unit.jobs.test_board_background import T0, add_user, new_job, prefer

pytestmark = [pytest.mark.anyio, pytest.mark.db]


@pytest.fixture(params=["memory", "sql"])
def c(request: pytest.FixtureRequest, tmp_path: Path) -> AppContainer:
    if request.param == "sql":
        settings = make_settings(tmp_path, request.getfixturevalue("database_url"))
    else:
        settings = make_settings(tmp_path)
    container = build_test_container(settings, request.param)
    container.platform.clock.override(providers.Object(FrozenClock(T0)))
    return container


async def test_lists_and_flags(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    seeker = await add_user(c)
    postings, seeking = c.jobs.postings(), c.jobs.seeking()
    clock = c.platform.clock()
    assert isinstance(clock, FrozenClock)
    made = []
    for n, (title, work) in enumerate([("Backend Developer", "remote"), ("Frontend Developer", "onsite"),
                                       ("Data Analyst", "hybrid")]):
        clock.advance(60)
        made.append(await postings.create(corp, new_job(title=title, work_type=work, organization=f"Org{n}")))
    draft = await postings.create(corp, new_job(status="draft"))
    posted = await postings.posted(corp, None, 1)
    assert [v.job.id for v in posted.items] == [draft.id, made[2].id, made[1].id, made[0].id][:5]
    assert posted.total == 4
    assert [v.job.id for v in (await postings.posted(corp, "draft", 1)).items] == [draft.id]
    search = await seeking.search(None, q="developer", employment_type=None, work_type=None,
                                  experience_level=None, country=None, page=1)
    assert [v.job.id for v in search.items] == [made[1].id, made[0].id] and search.total == 2
    search = await seeking.search(None, q="Developer ORG1", employment_type=None, work_type="onsite",
                                  experience_level="senior", country="Nigeria", page=1)
    assert [v.job.id for v in search.items] == [made[1].id]
    await seeking.save(seeker, made[0].id)
    await seeking.save(seeker, made[2].id)
    assert [v.job.id for v in await seeking.saved(seeker)] == [made[2].id, made[0].id]
    assert (await seeking.job(seeker, made[0].id)).is_saved
    assert not (await seeking.job(corp, made[0].id)).is_saved
    await prefer(c, seeker, "Data Analyst", work_type="hybrid", industry="health")  # two industries searched
    recommended = await seeking.recommended(seeker, 1)
    # The best match first (title, work type and the rest: 5), then the ties (2 each) newest first.
    assert [v.job.id for v in recommended.items] == [made[2].id, made[1].id, made[0].id]
    assert [v.is_saved for v in recommended.items] == [True, False, True]
    application = await seeking.apply(seeker, made[1].id)
    assert [a.job.id for a in await seeking.applied(seeker)] == [made[1].id]
    page = await postings.applicants(corp, made[1].id, 1)
    assert page.total == 1 and page.items[0].id == application.id and page.items[0].applicant.id == seeker
    assert page.items[0].applicant.first_name == "Ann"
    [recent] = await postings.recent_applicants(corp)
    assert (recent.id, recent.job_title) == (application.id, "Frontend Developer")
    with pytest.raises(InvalidInput):
        await seeking.apply(seeker, made[1].id)
    await seeking.unsave(seeker, made[0].id)
    with pytest.raises(InvalidInput):
        await seeking.unsave(seeker, made[0].id)


async def test_one_application_per_pair_in_the_repository(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    seeker = await add_user(c)
    job = await c.jobs.postings().create(corp, new_job())
    async with c.jobs.uow() as uow:
        first = Application(job_id=job.id, applicant_id=seeker, poster_id=corp, applied_at=T0)
        assert await uow.applications.add(first) and first.id > 0
        assert not await uow.applications.add(
            Application(job_id=job.id, applicant_id=seeker, poster_id=corp, applied_at=T0))
        assert await uow.applications.exists_for(job.id)
        await uow.commit()
    async with c.jobs.uow() as uow:
        stored = await uow.jobs.get(job.id)
        assert stored is not None and stored.status is JobStatus.ACTIVE
        assert stored.application_deadline == date(2030, 3, 1) and "technology" in stored.industries
        assert await uow.jobs.expired_active(date(2030, 3, 2), 10) == [stored]
        assert await uow.jobs.count_expired_active(date(2030, 3, 1)) == 0
        assert await uow.alerts.record(job.id, [seeker], T0) == [seeker]
        assert await uow.alerts.record(job.id, [seeker, corp], T0) == [corp]
