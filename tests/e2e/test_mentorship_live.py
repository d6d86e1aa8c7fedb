"""Mentorship notifications reach the participants' open sockets, through a real server (uvicorn on 127.0.0.1) and
real websocket clients: a booking pushes one frame to the mentor, the mentor's acceptance one to the mentee, and
each frame is the stored notification."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect as ws_connect

from bootstrap.asgi import create_app
from bootstrap.container import AppContainer
from tests.conftest import build_test_container, make_settings
from tests.e2e.mentorship_support import accept, book, mentor, person
from tests.e2e.realtime_support import next_frame, ready, ws_url
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration]

FRAME_KEYS = ["type", "id", "text", "message", "page", "route", "obj_id", "timestamp"]


@pytest.fixture
async def live(tmp_path: Path, database_url: str) -> AsyncIterator[tuple[LiveServer, AppContainer, httpx.AsyncClient]]:
    container = build_test_container(make_settings(tmp_path, database_url))
    with LiveServer(create_app(container)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            yield server, container, http


async def test_booking_and_acceptance_are_pushed_to_the_other_party(
    live: tuple[LiveServer, AppContainer, httpx.AsyncClient],
) -> None:
    server, container, http = live
    m = await mentor(http, container)  # type: ignore[arg-type]
    learner = await person(http, container)  # type: ignore[arg-type]
    async with ws_connect(ws_url(server.url, "/ws/notification/", m.access)) as mentor_ws, ws_connect(
        ws_url(server.url, "/ws/notification/", learner.access)
    ) as learner_ws:
        await ready(mentor_ws)
        await ready(learner_ws)
        session = await book(http, learner, m.id, when=datetime.now(UTC) + timedelta(days=2))  # type: ignore[arg-type]
        frame = await next_frame(mentor_ws)
        assert list(frame) == FRAME_KEYS and frame["type"] == "notification", frame
        stored = (await http.get("/notification-chat/notifications/", headers=m.headers)).json()["results"]
        assert [n["id"] for n in stored] == [frame["id"]]
        await accept(http, m, session["id"])  # type: ignore[arg-type]
        told = await next_frame(learner_ws)
        mine = (await http.get("/notification-chat/notifications/", headers=learner.headers)).json()["results"]
        assert told["id"] in [n["id"] for n in mine]
        assert told["text"] and told["text"] != frame["text"]
