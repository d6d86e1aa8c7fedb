"""Helpers of the job board tests: people, employers and jobs made through the API."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.testing import AsyncTestClient

from adapters.db.engine import StatementCounter
from bootstrap.container import AppContainer
from core.jobs.board.tasks import ALERT_TASK
from core.jobs.tracker.tasks import MOVE_TASK
from tests.conftest import SignedUp, sign_up
from tests.e2e.feed_support import ours
from tests.e2e.profiles_support import direct, employer

__all__ = ("JOB", "JOB_KEYS", "PAGE_KEYS", "alerts_settled", "make_employer", "make_job", "measured", "person")

_seq = itertools.count(1)

JOB: dict[str, Any] = {
    "title": "Backend Developer",
    "organization": "Sterling Technologies",
    "employment_type": "full_time",
    "work_type": "remote",
    "country": "Nigeria",
    "salary": "200,000NGN",
    "overview": "A skilled backend developer building software, APIs and databases",
    "description": "Design, implement and optimise the servers, programming and cloud systems of our software.",
    "experience_level": "senior",
    "application_deadline": "2099-12-31",
}
JOB_KEYS = {
    "id", "title", "organization", "employment_type", "work_type", "country", "salary", "overview", "description",
    "industry", "experience_level", "time_stamp", "application_deadline", "status", "is_saved",
}
PAGE_KEYS = {"count", "next", "previous", "results"}


async def person(client: AsyncTestClient[Any], container: AppContainer, industry: str | None = None) -> SignedUp:
    return await sign_up(client, container, f"jobs{next(_seq)}@example.com", industry=industry)


async def make_employer(client: AsyncTestClient[Any], container: AppContainer) -> tuple[SignedUp, SignedUp]:
    """A person and the corporate account they created (signed in as it)."""
    owner = await person(client, container)
    return owner, await employer(client, container, owner)


async def make_job(client: AsyncTestClient[Any], who: SignedUp, **changes: Any) -> dict[str, Any]:
    r = await client.post("/job/", json={**JOB, **changes}, headers=who.headers)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def measured(container: AppContainer, call: Callable[[], Awaitable[Any]]) -> tuple[Any, list[str]]:
    """The answer of ``call()`` and the SQL statements it ran (without the task worker's, which is idle first)."""
    await alerts_settled(container)
    counter = StatementCounter()
    engine = container.platform.engine()
    counter.attach(engine)
    try:
        with counter.measure() as seen:
            answer = await call()
    finally:
        counter.detach(engine)
    return answer, ours(seen)


async def alerts_settled(container: AppContainer, timeout: float = 10.0) -> None:
    """Wait until no alert-matching or tracker move task is queued or running (the inline worker runs them in
    the background)."""
    async with direct(container) as side:  # the app's engine lives on the test client's loop
        store = side.platform.task_store()
        async with asyncio.timeout(timeout):
            while await store.has_active(ALERT_TASK) or await store.has_active(MOVE_TASK):
                await asyncio.sleep(0.02)
