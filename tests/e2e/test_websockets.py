"""The websockets through a real server (uvicorn on 127.0.0.1) and real websocket clients (``websockets``):
refusals (4401), notification pushes for each event of behaviors §8.2 that exists, ping/pong, settings, chat
between connected users (stored before delivery, history), refusals for unconnected users, heartbeat timeouts
and cleanup on disconnect."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from adapters.identity.jwt_tokens import JwtTokens
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer
from tests.conftest import TEST_SECRET, SignedUp, bearer, build_test_container, make_settings
from tests.e2e.realtime_support import connect, new_post, next_frame, person, ready, set_flags, ws_url
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration]

FRAME_KEYS = ["type", "id", "text", "message", "page", "route", "obj_id", "timestamp"]
CHAT_KEYS = ["type", "id", "chat_id", "user_id", "person", "message", "timestamp"]


class Live:
    def __init__(self, server: LiveServer, container: AppContainer, http: httpx.AsyncClient) -> None:
        self.server = server
        self.container = container
        self.http = http

    def url(self, path: str, token: str | None) -> str:
        return ws_url(self.server.url, path, token)


@contextlib.asynccontextmanager
async def served(tmp_path: Path, database_url: str, **settings: Any) -> AsyncIterator[Live]:
    container = build_test_container(make_settings(tmp_path, database_url, **settings))
    with LiveServer(create_app(container)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            yield Live(server, container, http)


@pytest.fixture
async def live(tmp_path: Path, database_url: str) -> AsyncIterator[Live]:
    async with served(tmp_path, database_url) as running:
        yield running


async def closed_with(url: str) -> int:
    """The close code the server sends right after the handshake."""
    async with ws_connect(url) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


def _expired(access: str) -> str:
    claims = jwt.decode(access, options={"verify_signature": False})
    past = datetime.now(UTC) - timedelta(hours=7)
    return JwtTokens(TEST_SECRET).issue(claims["user_id"], claims["sid"], past).access


async def test_sockets_refuse_missing_bad_expired_refresh_and_revoked_tokens(live: Live) -> None:
    ada = await person(live.http, live.container)
    bob = await person(live.http, live.container)
    revoked = await person(live.http, live.container)
    signed_out = await live.http.post("/user/signout/", json={"refresh": revoked.refresh}, headers=revoked.headers)
    assert signed_out.status_code == 202, signed_out.text
    paths = ["/ws/notification/", "/ws/notification/jobs/", f"/ws/chat/{bob.id}/"]
    for path in paths:
        for token in (None, "", "garbage", ada.refresh, _expired(ada.access), revoked.access):
            assert await closed_with(live.url(path, token)) == 4401, (path, token)


async def test_ping_pong_and_every_event_of_behaviors_8_2_is_pushed(live: Live) -> None:
    http, container = live.http, live.container
    ada = await person(http, container, "Ada", "Lovelace")
    bob = await person(http, container, "Bob", "Builder")
    post = await new_post(http, ada)
    comment = await http.post("/post/comment/", json={"post": post, "body": "hi"}, headers=ada.headers)
    comment_id = comment.json()["comment_id"]
    async with ws_connect(live.url("/ws/notification/", ada.access)) as ada_ws, ws_connect(
        live.url("/ws/notification/", bob.access)
    ) as bob_ws:
        await ready(ada_ws)
        await ready(bob_ws)
        steps: list[tuple[str, dict[str, Any], SignedUp, str, str, str | None, str | None]] = [
            ("/post/like/", {"post": post}, bob, "Someone just liked your post.", "Post", f"post/?post_id={post}",
             str(post)),
            ("/post/like/comment/", {"comment": comment_id}, bob, "Bob Builder just liked your comment.", "Post",
             f"post/?post_id={post}", str(post)),
            ("/post/reply/", {"parent": comment_id, "body": "yo"}, bob, "Bob Builder just replied to your comment.",
             "Post", f"post/?post_id={post}", str(post)),
            ("/follow/", {"user_following": ada.id}, bob, "Bob Builder just followed you.", "Profile",
             f"/user/retrieve-profile/?user_id={bob.id}", str(bob.id)),
            ("/connection/", {"connection": ada.id}, bob, "Bob Builder just sent you a connection request.",
             "Network", None, None),
        ]  # fmt: skip
        for path, body, actor, text, page, route, obj_id in steps:
            response = await http.post(path, json=body, headers=actor.headers)
            assert response.status_code in (200, 201), response.text
            frame = await next_frame(ada_ws)
            assert list(frame) == FRAME_KEYS
            assert frame["type"] == "notification"
            assert (frame["text"], frame["message"], frame["page"], frame["route"], frame["obj_id"]) == (
                text, text, page, route, obj_id,
            )  # fmt: skip
        pending = (await http.get("/connection/pending/", headers=ada.headers)).json()["pending_requests"]
        connection_id = pending[0]["id"] if "id" in pending[0] else pending[0]["connection_id"]
        answer = {"connection_id": connection_id, "status": "Accept"}
        assert (await http.post("/connection/status/", json=answer, headers=ada.headers)).status_code == 200
        frame = await next_frame(bob_ws)
        assert frame["text"] == "Ada Lovelace accepted your connection request." and frame["page"] == "Network"
        # A pushed frame is the stored notification.
        stored = (await http.get("/notification-chat/notifications/", headers=bob.headers)).json()["results"][0]
        assert stored["id"] == frame["id"] and stored["text"] == frame["text"]


async def test_push_notify_off_stores_without_pushing(live: Live) -> None:
    http, container = live.http, live.container
    ada = await person(http, container)
    bob = await person(http, container)
    await set_flags(container, ada.id, push_notify=False)
    post = await new_post(http, ada)
    async with ws_connect(live.url("/ws/notification/", ada.access)) as ws:
        await ready(ws)
        assert (await http.post("/post/like/", json={"post": post}, headers=bob.headers)).status_code == 201
        # The push would have been queued before the like answered: the next frame is the pong of a new ping.
        await ws.send(json.dumps({"type": "ping"}))
        assert await next_frame(ws, skip_pongs=False) == {"type": "pong"}
    assert (await http.get("/notification-chat/notifications/", headers=ada.headers)).json()["count"] == 1


async def test_chat_between_connected_users_is_stored_then_delivered_to_both(live: Live) -> None:
    http, container = live.http, live.container
    ada = await person(http, container, "Ada", "Lovelace")
    bob = await person(http, container, "Bob", "Builder")
    await connect(http, ada, bob)
    async with ws_connect(live.url(f"/ws/chat/{bob.id}/", ada.access)) as ada_ws, ws_connect(
        live.url(f"/ws/chat/{ada.id}/", bob.access)
    ) as bob_ws:
        await ready(ada_ws)
        await ready(bob_ws)
        await ada_ws.send(json.dumps({"type": "chat_message", "message": "Hello friend"}))
        to_bob = await next_frame(bob_ws)
        to_ada = await next_frame(ada_ws)
        assert to_bob == to_ada
        assert list(to_bob) == CHAT_KEYS
        assert to_bob["type"] == "chat_message" and to_bob["message"] == "Hello friend"
        assert to_bob["user_id"] == ada.id and to_bob["person"]["first_name"] == "Ada"
        assert "email" not in json.dumps(to_bob)
        await bob_ws.send(json.dumps({"message": "What's good"}))
        assert (await next_frame(ada_ws))["message"] == "What's good"
        assert (await next_frame(bob_ws))["message"] == "What's good"  # the sender's own sockets see it too
        await bob_ws.send(json.dumps({"text": "no message key"}))
        assert (await next_frame(bob_ws)) == {"type": "error", "error": {"message": ["This field is required."]}}
        await bob_ws.send(json.dumps({"message": "   "}))
        assert (await next_frame(bob_ws))["type"] == "error"
        chat_id = to_bob["chat_id"]
    history = await http.get(f"/notification-chat/chat/messages/?chat_id={chat_id}", headers=bob.headers)
    assert [(m["person"]["id"], m["message"]) for m in history.json()] == [
        (ada.id, "Hello friend"),
        (bob.id, "What's good"),
    ]
    assert history.json()[0]["id"] == to_bob["id"]
    # Both were online: no "sent you a message" notification.
    for who in (ada, bob):
        listed = (await http.get("/notification-chat/notifications/", headers=who.headers)).json()["results"]
        assert not [n for n in listed if n["page"] == "Chat"]


async def test_chat_is_refused_without_a_confirmed_connection(live: Live) -> None:
    http, container = live.http, live.container
    ada = await person(http, container)
    bob = await person(http, container)
    assert await closed_with(live.url(f"/ws/chat/{bob.id}/", ada.access)) == 4403
    assert await closed_with(live.url(f"/ws/chat/{ada.id}/", ada.access)) == 4400
    assert await closed_with(live.url("/ws/chat/999999/", ada.access)) == 4404
    asked = await http.post("/connection/", json={"connection": bob.id}, headers=ada.headers)
    assert asked.status_code == 201
    assert await closed_with(live.url(f"/ws/chat/{bob.id}/", ada.access)) == 4403  # pending is not enough


async def test_an_offline_recipient_is_notified_when_message_notify_is_on(live: Live) -> None:
    http, container = live.http, live.container
    ada = await person(http, container, "Ada", "Lovelace")
    bob = await person(http, container, "Bob", "Builder")
    cat = await person(http, container, "Cat", "Stevens")
    await connect(http, ada, bob)
    await connect(http, ada, cat)
    await set_flags(container, bob.id, message_notify=True)  # cat keeps the default (off)
    async with ws_connect(live.url("/ws/notification/", bob.access)) as bob_notes:
        await ready(bob_notes)
        async with ws_connect(live.url(f"/ws/chat/{bob.id}/", ada.access)) as ada_ws:
            await ready(ada_ws)
            await ada_ws.send(json.dumps({"message": "are you there?"}))
            own = await next_frame(ada_ws)
            frame = await next_frame(bob_notes)
            assert frame["text"] == "Ada Lovelace sent you a message."
            assert frame["page"] == "Chat" and frame["route"] == f"chat/?chat_id={own['chat_id']}"
        async with ws_connect(live.url(f"/ws/chat/{cat.id}/", ada.access)) as ada_ws:
            await ready(ada_ws)
            await ada_ws.send(json.dumps({"message": "and you?"}))
            await next_frame(ada_ws)
    listed = (await http.get("/notification-chat/notifications/", headers=cat.headers)).json()["results"]
    assert not [n for n in listed if n["page"] == "Chat"]
    sessions = (await http.get("/notification-chat/chats/", headers=bob.headers)).json()
    assert sessions[0]["unread"] == 1 and sessions[0]["last_message"]["message"] == "are you there?"


async def test_silent_sockets_time_out_and_closed_sockets_are_forgotten(tmp_path: Path, database_url: str) -> None:
    async with served(tmp_path, database_url, realtime_heartbeat_seconds=0.5) as live:
        ada = await person(live.http, live.container)
        hub = live.container.platform.realtime_hub()
        assert await closed_with(live.url("/ws/notification/", ada.access)) == 4408
        async with ws_connect(live.url("/ws/notification/", ada.access)) as ws:
            await ready(ws)
            assert hub.listeners() == 1
        deadline = time.monotonic() + 10
        while hub.listeners():
            assert time.monotonic() < deadline, "the closed socket stayed subscribed"
            await asyncio.sleep(0.02)


async def test_headers_are_not_a_way_in(live: Live) -> None:
    """Only ``?token=`` authenticates a socket (an Authorization header alone is refused)."""
    ada = await person(live.http, live.container)
    async with ws_connect(live.url("/ws/notification/", None), additional_headers=bearer(ada.access)) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
