"""The issue's end-to-end job alert through a real server (uvicorn on 127.0.0.1) and real websocket clients: a learner
sets a job preference and holds the jobs socket (and the general one) open, an employer publishes a matching job →
exactly one alert frame (``"type": "job"``) on each socket and one stored notification (page ``Job``, routed to the
job); a draft triggers nothing; ``job_alerts`` off stores and pushes nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect as ws_connect

from bootstrap.asgi import create_app
from bootstrap.container import AppContainer
from tests.conftest import SignedUp, build_test_container, make_settings
from tests.e2e.jobs_support import JOB, alerts_settled
from tests.e2e.realtime_support import next_frame, person, ready, set_flags, ws_url
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration]

FRAME_KEYS = ["type", "id", "text", "message", "page", "route", "obj_id", "timestamp"]
PREFERENCE = {"title": "Backend Developer", "employment_type": "full_time", "work_type": "remote",
              "industry": "technology", "experience_level": "senior"}


class Live:
    def __init__(self, server: LiveServer, container: AppContainer, http: httpx.AsyncClient) -> None:
        self.server = server
        self.container = container
        self.http = http

    def url(self, path: str, token: str | None) -> str:
        return ws_url(self.server.url, path, token)


@pytest.fixture
async def live(tmp_path: Path, database_url: str) -> AsyncIterator[Live]:
    container = build_test_container(make_settings(tmp_path, database_url))
    with LiveServer(create_app(container)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            yield Live(server, container, http)


async def employer_of(live: Live) -> SignedUp:
    owner = await person(live.http, live.container)
    n = owner.id
    created = await live.http.post("/user/corporate/signup/", json={
        "company_name": f"Hiring {n}", "company_email": f"hiring{n}@example.com", "company_type": "private",
        "company_size": "1-10", "industry": "technology", "website": "https://h.example", "location": "Lagos",
        "tagline": "We hire",
    }, headers=owner.headers)
    assert created.status_code == 201, created.text
    switched = await live.http.post("/user/switch-account/", json={"account": created.json()["id"]},
                                    headers=owner.headers)
    assert switched.status_code == 200, switched.text
    body = switched.json()
    return SignedUp(id=created.json()["id"], email=body["email"], access=body["access"], refresh=body["refresh"])


async def quiet(ws: Any) -> None:
    """Nothing else is waiting on ``ws``: a ping's pong is the next frame."""
    await ws.send(json.dumps({"type": "ping"}))
    assert await next_frame(ws, skip_pongs=False) == {"type": "pong"}


async def notifications(live: Live, who: SignedUp) -> list[dict[str, Any]]:
    r = await live.http.get("/notification-chat/notifications/", headers=who.headers)
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    return results


async def test_a_matching_job_alerts_once_on_both_sockets_and_a_draft_nothing(live: Live) -> None:
    http = live.http
    learner = await person(http, live.container)
    assert (await http.put("/job/preference/", json=PREFERENCE, headers=learner.headers)).status_code == 200
    corp = await employer_of(live)
    async with ws_connect(live.url("/ws/notification/jobs/", learner.access)) as jobs_ws, ws_connect(
        live.url("/ws/notification/", learner.access)
    ) as general_ws:
        await ready(jobs_ws)
        await ready(general_ws)
        # A draft triggers nothing.
        draft = await http.post("/job/", json={**JOB, "status": "draft"}, headers=corp.headers)
        assert draft.status_code == 201, draft.text
        await alerts_settled(live.container)
        await quiet(jobs_ws)
        await quiet(general_ws)
        assert await notifications(live, learner) == []
        # A matching job, published: one frame on each socket, one stored notification.
        created = await http.post("/job/", json=JOB, headers=corp.headers)
        assert created.status_code == 201, created.text
        job_id = created.json()["id"]
        frame = await next_frame(jobs_ws)
        assert list(frame) == FRAME_KEYS and frame["type"] == "job"
        assert (frame["page"], frame["route"], frame["obj_id"]) == ("Job", f"job/?job_id={job_id}", str(job_id))
        assert await next_frame(general_ws) == frame
        await alerts_settled(live.container)
        await quiet(jobs_ws)
        await quiet(general_ws)
        stored = await notifications(live, learner)
        assert len(stored) == 1 and stored[0]["id"] == frame["id"] and stored[0]["page"] == "Job"
        # Re-publishing the same job alerts nobody twice.
        for status in ("closed", "active"):
            r = await http.put("/job/status/update/", json={"job": job_id, "status": status}, headers=corp.headers)
            assert r.status_code == 200, r.text
        await alerts_settled(live.container)
        await quiet(jobs_ws)
        assert len(await notifications(live, learner)) == 1


async def test_job_alerts_off_stores_and_pushes_nothing(live: Live) -> None:
    http = live.http
    learner = await person(http, live.container)
    assert (await http.put("/job/preference/", json=PREFERENCE, headers=learner.headers)).status_code == 200
    await set_flags(live.container, learner.id, job_alerts=False)
    corp = await employer_of(live)
    async with ws_connect(live.url("/ws/notification/jobs/", learner.access)) as jobs_ws:
        await ready(jobs_ws)
        assert (await http.post("/job/", json=JOB, headers=corp.headers)).status_code == 201
        await alerts_settled(live.container)
        await quiet(jobs_ws)
    assert await notifications(live, learner) == []
