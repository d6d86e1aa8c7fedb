"""Fan-out across processes through Redis pub/sub: app processes started with ``careernexus serve`` share a
database and a Redis; a chat message written on a socket held by one process reaches the socket held by the
other, and a notification made by a request to one process reaches a socket held by the other. Also
``serve --workers 2``: every socket gets the frame whichever worker holds it.

Needs Redis (``CAREERNEXUS_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/0``; skipped without one). Marked
``db``: CI's PostgreSQL phase runs it against PostgreSQL too."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from websockets.asyncio.client import connect as ws_connect

from adapters.ws.hub import RedisHub
from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import TEST_SECRET, make_settings
from tests.e2e.realtime_support import connect, new_post, next_frame, person, ready

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration, pytest.mark.slow]

REDIS_URL = os.environ.get("CAREERNEXUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CLI = str(Path(sys.executable).with_name("careernexus"))


def _redis_reachable() -> bool:
    async def ping() -> bool:
        client = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(await client.ping())
        except Exception:
            return False
        finally:
            await client.aclose()

    return asyncio.run(ping())


needs_redis = pytest.mark.skipif(not _redis_reachable(), reason="no Redis at " + REDIS_URL)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(tmp_path: Path, database_url: str, prefix: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    env.update(
        {
            "CAREERNEXUS_DATABASE_URL": database_url,
            "CAREERNEXUS_SECRET_KEY": TEST_SECRET,
            "CAREERNEXUS_VAR_DIR": str(tmp_path / "var"),
            "CAREERNEXUS_MEDIA_ROOT": str(tmp_path / "media"),
            "CAREERNEXUS_PASSWORD_HASH": "cheap",
            "CAREERNEXUS_EMAIL_BACKEND": "console",
            "CAREERNEXUS_REDIS_URL": REDIS_URL,
            "CAREERNEXUS_REALTIME_CHANNEL_PREFIX": prefix,
            "CAREERNEXUS_AUTH_CACHE_SECONDS": "0",
        }
    )
    return env


@contextlib.contextmanager
def _serving(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [CLI, "serve", "--port", str(port), "--workers", str(workers), "--no-access-log", "--no-migrate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "serve died"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ws(base: str, path: str, token: str) -> str:
    return base.replace("http://", "ws://") + f"{path}?token={token}"


async def _people(tmp_path: Path, database_url: str) -> tuple[Any, Any]:
    """Two users with a confirmed connection, made through an in-process app on the same database."""
    container = build_container(make_settings(tmp_path, database_url))
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        ada = await person(client, container, "Ada", "Lovelace")
        bob = await person(client, container, "Bob", "Builder")
        await connect(client, ada, bob)
    return ada, bob


@needs_redis
async def test_two_processes_deliver_chat_and_notifications_to_each_other(tmp_path: Path, database_url: str) -> None:
    ada, bob = await _people(tmp_path, database_url)
    env = _env(tmp_path, database_url, f"test-{uuid.uuid4().hex}")
    with _serving(env) as one, _serving(env) as two:
        async with ws_connect(_ws(one, f"/ws/chat/{bob.id}/", ada.access)) as ada_chat, ws_connect(
            _ws(two, f"/ws/chat/{ada.id}/", bob.access)
        ) as bob_chat, ws_connect(_ws(one, "/ws/notification/", ada.access)) as ada_notes:
            for ws in (ada_chat, bob_chat, ada_notes):
                await ready(ws)
            await ada_chat.send(json.dumps({"message": "across processes"}))
            on_two = await next_frame(bob_chat)
            assert on_two["message"] == "across processes" and on_two["user_id"] == ada.id
            assert (await next_frame(ada_chat))["id"] == on_two["id"]
            await bob_chat.send(json.dumps({"message": "and back"}))
            assert (await next_frame(ada_chat))["message"] == "and back"
            # A request to process two makes a notification; process one holds the recipient's socket.
            async with httpx.AsyncClient(base_url=two, timeout=30) as http:
                post = await new_post(http, ada)
                liked = await http.post("/post/like/", json={"post": post}, headers=bob.headers)
                assert liked.status_code == 201, liked.text
                frame = await next_frame(ada_notes)
                assert frame["text"] == "Someone just liked your post." and frame["obj_id"] == str(post)
                history = await http.get(f"/notification-chat/chat/messages/?chat_id={on_two['chat_id']}",
                                         headers=ada.headers)  # fmt: skip
            assert [m["message"] for m in history.json()] == ["across processes", "and back"]


@needs_redis
async def test_serve_with_two_workers_delivers_to_every_socket(tmp_path: Path, database_url: str) -> None:
    """Eight sockets of one user on a server with two workers (the kernel spreads them): each gets the message
    written on a socket of the other user, whichever worker holds it."""
    ada, bob = await _people(tmp_path, database_url)
    env = _env(tmp_path, database_url, f"test-{uuid.uuid4().hex}")
    with _serving(env, workers=2) as base:
        async with contextlib.AsyncExitStack() as stack:
            bobs = [await stack.enter_async_context(ws_connect(_ws(base, f"/ws/chat/{ada.id}/", bob.access)))
                    for _ in range(8)]  # fmt: skip
            ada_chat = await stack.enter_async_context(ws_connect(_ws(base, f"/ws/chat/{bob.id}/", ada.access)))
            for ws in [*bobs, ada_chat]:
                await ready(ws)
            await ada_chat.send(json.dumps({"message": "to every tab"}))
            frames = await asyncio.gather(*(next_frame(ws) for ws in bobs))
            assert {f["message"] for f in frames} == {"to every tab"}


@needs_redis
async def test_the_redis_hub_counts_processes_and_forgets_empty_channels() -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    one, two = RedisHub(REDIS_URL, prefix=prefix), RedisHub(REDIS_URL, prefix=prefix)
    got: asyncio.Queue[bytes] = asyncio.Queue()
    try:
        leave_a = await one.subscribe("c:1:2", got.put_nowait)
        leave_b = await one.subscribe("c:1:2", got.put_nowait)  # a second tab in the same process
        assert await two.publish("c:1:2", b"hello") == 1  # one process listens
        assert [await asyncio.wait_for(got.get(), 5) for _ in range(2)] == [b"hello", b"hello"]
        await leave_a()
        assert await two.publish("c:1:2", b"again") == 1
        assert await asyncio.wait_for(got.get(), 5) == b"again"
        await leave_b()
        assert one.listeners() == 0
        # Unsubscribed from Redis with the last sink: the UNSUBSCRIBE is sent, not awaited, so another
        # connection's PUBLISH may still reach it for a moment.
        async with asyncio.timeout(5):
            while await two.publish("c:1:2", b"nobody") != 0:
                await asyncio.sleep(0.02)
    finally:
        await one.aclose()
        await two.aclose()
