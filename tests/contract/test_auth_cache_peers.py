"""``RedisAuthCachePeers``: what one process publishes, another's listener applies; a down Redis neither raises
nor stalls a publish (the cache's time bound covers the lost message)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Sequence

import pytest

from adapters.system.auth_peers import RedisAuthCachePeers
from tests.integration.scale.processes import REDIS_URL, needs_redis

pytestmark = [pytest.mark.anyio, pytest.mark.integration]


class Drops:
    def __init__(self) -> None:
        self.users: list[list[int]] = []
        self.sessions: list[tuple[int, str]] = []
        self.clears = 0
        self.changed = asyncio.Event()

    def drop_users(self, user_ids: Sequence[int]) -> None:
        self.users.append(list(user_ids))
        self.changed.set()

    def drop_session(self, user_id: int, session_id: str) -> None:
        self.sessions.append((user_id, session_id))
        self.changed.set()

    def clear(self) -> None:
        self.clears += 1


@needs_redis
async def test_peers_apply_what_another_process_publishes() -> None:
    channel = f"test-auth-cache-{uuid.uuid4().hex}"
    sender, receiver = RedisAuthCachePeers(REDIS_URL, channel=channel), RedisAuthCachePeers(REDIS_URL, channel=channel)
    drops = Drops()
    listening = asyncio.create_task(
        receiver.listen(drop_users=drops.drop_users, drop_session=drops.drop_session, clear=drops.clear)
    )
    try:
        await asyncio.wait_for(receiver.subscribed.wait(), 5)
        assert drops.clears == 1  # emptied on subscribing
        await sender.forget_users([3, 4])
        await asyncio.wait_for(drops.changed.wait(), 5)
        drops.changed.clear()
        await sender.forget_session(5, "abc:def")
        await asyncio.wait_for(drops.changed.wait(), 5)
        assert drops.users == [[3, 4]] and drops.sessions == [(5, "abc:def")]
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        await sender.aclose()
        await receiver.aclose()


@pytest.mark.skipif(os.name != "posix", reason="needs a closed local port")
async def test_a_down_redis_neither_raises_nor_stalls() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    peers = RedisAuthCachePeers(f"redis://127.0.0.1:{port}/0", timeout=0.5)
    drops = Drops()
    listening = asyncio.create_task(
        peers.listen(
            drop_users=drops.drop_users, drop_session=drops.drop_session, clear=drops.clear, reconnect_seconds=0.05
        )
    )
    try:
        started = time.monotonic()
        await peers.forget_users([1])
        await peers.forget_session(1, "s")  # Redis left alone after the first failure
        assert time.monotonic() - started < 2
        await asyncio.sleep(0.2)
        assert not peers.subscribed.is_set() and drops.clears == 0
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        await peers.aclose()
