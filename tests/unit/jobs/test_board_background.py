"""Job alerts and expiry over both profiles (memory twin and SQL): publishing enqueues alert matching in the same
transaction, the task alerts exactly the matching users once per (job, user) whatever the batching or re-runs, a draft
enqueues nothing, and ``close-expired-jobs`` closes what is past its deadline, idempotently."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from bootstrap.tasks import build_runner
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType
from core.jobs.board.alerts import AlertMatching
from core.jobs.board.postings import NewJob
from core.jobs.board.seeking import SetPreference
from core.jobs.board.tasks import ALERT_TASK, MatchAlerts
from core.jobs.model.board import JobAlerted, JobStatus
from core.shared.errors import NotFound, PermissionDenied
from tests.conftest import build_test_container, make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.db]

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
_seq = itertools.count(1)


@pytest.fixture(params=["memory", "sql"])
def c(request: pytest.FixtureRequest, tmp_path: Path) -> AppContainer:
    if request.param == "sql":
        settings = make_settings(tmp_path, request.getfixturevalue("database_url"))
    else:
        settings = make_settings(tmp_path)
    container = build_test_container(settings, request.param)
    container.platform.clock.override(providers.Object(FrozenClock(T0)))
    return container


def clock(c: AppContainer) -> FrozenClock:
    found = c.platform.clock()
    assert isinstance(found, FrozenClock)
    return found


async def add_user(c: AppContainer, *, employer: bool = False, industry: str = "technology",
                   job_alerts: bool = True) -> int:
    async with c.accounts.uow() as uow:
        user = await uow.users.add(User(
            email=f"b{next(_seq)}@example.com", date_joined=T0, industry=industry, job_alerts=job_alerts,
            user_type=UserType.EMPLOYER if employer else UserType.LEARNER,
        ))
        await uow.profiles.add(Profile(user_id=user.id, first_name="Ann", last_name="Doe"))
        await uow.commit()
    return user.id


async def prefer(c: AppContainer, user_id: int, title: str = "Backend Developer", **changes: str) -> None:
    values = {"employment_type": "full_time", "work_type": "remote", "industry": "technology",
              "experience_level": "senior", **changes}
    await c.jobs.seeking().set_preference(user_id, SetPreference(title=title, **values))


def new_job(**changes: Any) -> NewJob:
    values: dict[str, Any] = {
        "title": "Senior Backend Engineer", "organization": "Acme", "employment_type": "full_time",
        "work_type": "remote", "country": "Nigeria", "salary": "1", "experience_level": "senior",
        "overview": "Backend software engineering: APIs, databases and cloud servers.",
        "description": "Programming in Python for our software platform.", "application_deadline": date(2030, 3, 1),
    }
    values.update(changes)
    return NewJob(**values)


def alerted(c: AppContainer) -> list[tuple[int, int]]:
    events = c.platform.event_bus().published
    assert events is not None
    return sorted((e.job_id, e.recipient_id) for e in events if isinstance(e, JobAlerted))


async def alert_tasks(c: AppContainer) -> list[Any]:
    return await c.platform.task_store().list(name=ALERT_TASK)


async def test_publishing_enqueues_matching_and_a_draft_enqueues_nothing(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    draft = await c.jobs.postings().create(corp, new_job(status="draft"))
    assert await alert_tasks(c) == []
    job = await c.jobs.postings().create(corp, new_job())
    [task] = await alert_tasks(c)
    assert json.loads(task.payload) == {"job_id": job.id} and task.status == "queued"
    await c.jobs.postings().set_status(corp, draft.id, "active")
    assert len(await alert_tasks(c)) == 2
    await c.jobs.postings().set_status(corp, draft.id, "closed")
    assert len(await alert_tasks(c)) == 2


async def test_the_task_alerts_exactly_the_matching_users_once(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    fits = await add_user(c)
    await prefer(c, fits)
    near = await add_user(c)  # one criterion differs: still a match
    await prefer(c, near, "Backend Lead", work_type="onsite")
    far = await add_user(c)  # two differ
    await prefer(c, far, work_type="onsite", experience_level="entry")
    other_title = await add_user(c)
    await prefer(c, other_title, "Nurse")
    other_industry = await add_user(c)
    await prefer(c, other_industry, industry="health")
    muted = await add_user(c, job_alerts=False)
    await prefer(c, muted)
    await prefer(c, corp)  # the poster is never alerted about its own job
    job = await c.jobs.postings().create(corp, new_job())
    outcomes = await build_runner(c).run_due(10)
    assert [o.status for o in outcomes] == ["done"]
    assert alerted(c) == [(job.id, fits), (job.id, near)]
    # Run again, re-publish: nobody is alerted twice.
    assert await c.jobs.alerts().run(MatchAlerts(job_id=job.id)) == 0
    await c.jobs.postings().set_status(corp, job.id, "closed")
    clock(c).advance(60)
    await c.jobs.postings().set_status(corp, job.id, "active")
    assert [o.status for o in await build_runner(c).run_due(10)] == ["done"]
    assert alerted(c) == [(job.id, fits), (job.id, near)]


async def test_matching_in_small_batches_alerts_everyone_once(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    users = [await add_user(c) for _ in range(5)]
    for u in users:
        await prefer(c, u)
    job = await c.jobs.postings().create(corp, new_job())
    matching = AlertMatching(uow=c.jobs.uow, events=c.platform.event_bus(), clock=c.platform.clock(), batch=2)
    assert await matching.run(MatchAlerts(job_id=job.id)) == 5
    assert await matching.run(MatchAlerts(job_id=job.id)) == 0
    assert alerted(c) == [(job.id, u) for u in users]


async def test_a_job_closed_before_its_task_ran_alerts_nobody(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    seeker = await add_user(c)
    await prefer(c, seeker)
    job = await c.jobs.postings().create(corp, new_job())
    await c.jobs.postings().set_status(corp, job.id, "closed")
    await build_runner(c).run_due(10)
    assert alerted(c) == []
    assert await c.jobs.alerts().run(MatchAlerts(job_id=999_999)) == 0


async def test_close_expired_jobs_is_idempotent(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    seeker = await add_user(c)
    soon = await c.jobs.postings().create(corp, new_job(application_deadline=date(2030, 1, 2)))
    later = await c.jobs.postings().create(corp, new_job(application_deadline=date(2030, 6, 1)))
    await c.jobs.postings().create(corp, new_job(application_deadline=date(2030, 1, 2), status="draft"))
    expiry = c.jobs.expiry()
    assert await expiry.remaining() == 0 and await expiry.step() == 0
    # Applying on the deadline day is allowed; the day after it is not.
    clock(c).advance(86400)
    await c.jobs.seeking().apply(seeker, soon.id)
    clock(c).advance(86400)
    assert [v.job.id for v in (await c.jobs.seeking().recommended(seeker, 1)).items] == [later.id]
    assert await expiry.remaining() == 1
    assert await expiry.step() == 1 and await expiry.step() == 0
    assert expiry.summary(1) == "closed 1 expired job(s)"
    view = await c.jobs.seeking().job(corp, soon.id)
    assert view.job.status is JobStatus.CLOSED
    with pytest.raises(NotFound):
        await c.jobs.seeking().job(seeker, soon.id)
    # A job past its deadline cannot be activated again.
    with pytest.raises(Exception) as raised:
        await c.jobs.postings().set_status(corp, soon.id, "active")
    assert "deadline" in str(getattr(raised.value, "body", raised.value))


async def test_organization_members_manage_the_poster_s_jobs(c: AppContainer) -> None:
    corp = await add_user(c, employer=True)
    member = await add_user(c)
    stranger = await add_user(c)
    async with c.accounts.uow() as uow:
        assert await uow.members.add(corp, member)
        await uow.commit()
    draft = await c.jobs.postings().create(corp, new_job(status="draft"))
    edited = await c.jobs.postings().set_status(member, draft.id, "active")
    assert edited.job.status is JobStatus.ACTIVE
    with pytest.raises(PermissionDenied):
        await c.jobs.postings().set_status(stranger, draft.id, "closed")
    assert (await c.jobs.postings().applicants(member, draft.id, 1)).total == 0
