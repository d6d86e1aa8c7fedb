"""Helpers of the notification and chat tests: users, confirmed connections, posts, and real websocket clients."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from sqlalchemy import update

from adapters.db.tables.accounts import users
from bootstrap.container import AppContainer
from tests.conftest import SignedUp, sign_up
from tests.e2e.feed_support import direct, set_name

_seq = itertools.count(1)


async def person(client: Any, container: AppContainer, first: str = "", last: str = "") -> SignedUp:
    """A signed-up user (``client`` is the test client or an ``httpx.AsyncClient`` on a live server)."""
    who = await sign_up(client, container, f"rt{next(_seq)}@example.com")
    if first or last:
        await set_name(container, who.id, first, last)
    return who


async def set_flags(container: AppContainer, user_id: int, **flags: bool) -> None:
    async with direct(container) as conn:
        await conn.execute(update(users).where(users.c.id == user_id).values(**flags))


async def connect(client: Any, a: SignedUp, b: SignedUp) -> None:
    """A confirmed connection between a and b (a asks, b accepts)."""
    asked = await client.post("/connection/", json={"connection": b.id}, headers=a.headers)
    assert asked.status_code == 201, asked.text
    answered = await client.post(
        "/connection/status/", json={"connection_id": asked.json()["id"], "status": "Accept"}, headers=b.headers
    )
    assert answered.status_code == 200, answered.text


async def new_post(client: Any, who: SignedUp, body: str = "Farming with drones and soil data") -> int:
    response = await client.post("/post/", json={"body": body}, headers=who.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["post_id"])


def ws_url(base: str, path: str, token: str | None) -> str:
    url = base.replace("http://", "ws://") + path
    return url if token is None else f"{url}?token={token}"


async def next_frame(ws: Any, timeout: float = 10.0, *, skip_pongs: bool = True) -> dict[str, Any]:
    """The next JSON frame (pongs skipped unless asked for)."""
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        frame: dict[str, Any] = json.loads(raw)
        if skip_pongs and frame.get("type") == "pong":
            continue
        return frame


async def ready(ws: Any) -> None:
    """Round-trip a ping: once the pong is back, the server has subscribed the socket."""
    await ws.send(json.dumps({"type": "ping"}))
    assert await next_frame(ws, skip_pongs=False) == {"type": "pong"}
