"""One contract for every ``RateLimiter``: the in-process one and the Redis one (real Redis), plus what only Redis
promises (workers share counts) and how it fails (open, onto a per-process limiter, without stalling requests).

Redis: ``CAREERNEXUS_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``); every test uses its own random key
prefix and deletes its keys. Without a reachable Redis the Redis cases are skipped, unless the variable is set.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from redis.asyncio import Redis

from adapters.system.ratelimit import InMemoryRateLimiter, NoRateLimiter, RedisRateLimiter
from ports.system import RateLimiter

pytestmark = pytest.mark.anyio

REDIS_URL = os.environ.get("CAREERNEXUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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


_REDIS_OK = _redis_reachable()
needs_redis = pytest.mark.skipif(
    not _REDIS_OK and "CAREERNEXUS_TEST_REDIS_URL" not in os.environ, reason="no Redis at " + REDIS_URL
)


class FakeTime:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@dataclass
class Subject:
    limiter: RateLimiter
    advance: Callable[[float], Awaitable[None]]


async def _redis_prefix_cleanup(prefix: str) -> None:
    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    prefix = f"careernexus-test-{uuid.uuid4().hex[:10]}:rl:"
    yield prefix
    await _redis_prefix_cleanup(prefix)


@pytest.fixture(params=["memory", pytest.param("redis", marks=needs_redis)])
async def subject(request: pytest.FixtureRequest, redis_prefix: str) -> AsyncIterator[Subject]:
    if request.param == "memory":
        clock = FakeTime()

        async def advance_clock(seconds: float) -> None:
            clock.value += seconds

        yield Subject(InMemoryRateLimiter(now=clock), advance_clock)
        return
    limiter = RedisRateLimiter.from_url(REDIS_URL, prefix=redis_prefix)

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds)

    try:
        yield Subject(limiter, sleep)
    finally:
        await limiter.aclose()


# ------------------------------------------------------------------------------------------------ contract


async def test_allows_limit_hits_then_answers_retry_after(subject: Subject) -> None:
    limiter = subject.limiter
    for _ in range(3):
        assert await limiter.hit("k", limit=3, window_seconds=60) is None
    retry = await limiter.hit("k", limit=3, window_seconds=60)
    assert retry is not None and 1 <= retry <= 60
    again = await limiter.hit("k", limit=3, window_seconds=60)
    assert again is not None and 1 <= again <= 60


async def test_keys_are_independent(subject: Subject) -> None:
    limiter = subject.limiter
    assert await limiter.hit("a", limit=1, window_seconds=60) is None
    assert await limiter.hit("a", limit=1, window_seconds=60) is not None
    assert await limiter.hit("b", limit=1, window_seconds=60) is None


async def test_reset_forgets_the_attempts(subject: Subject) -> None:
    limiter = subject.limiter
    await limiter.hit("k", limit=1, window_seconds=60)
    assert await limiter.hit("k", limit=1, window_seconds=60) is not None
    await limiter.reset("k")
    assert await limiter.hit("k", limit=1, window_seconds=60) is None
    await limiter.reset("never-seen")


async def test_the_window_expires(subject: Subject) -> None:
    limiter = subject.limiter
    assert await limiter.hit("k", limit=1, window_seconds=1) is None
    assert await limiter.hit("k", limit=1, window_seconds=1) is not None
    assert await limiter.peek("k", limit=1, window_seconds=1) is not None
    await subject.advance(1.3)
    assert await limiter.peek("k", limit=1, window_seconds=1) is None
    assert await limiter.hit("k", limit=1, window_seconds=1) is None


async def test_peek_reports_a_full_window_and_never_counts(subject: Subject) -> None:
    limiter = subject.limiter
    assert await limiter.peek("k", limit=2, window_seconds=60) is None  # unknown key
    for _ in range(10):  # peeking many times counts nothing
        assert await limiter.peek("k", limit=1, window_seconds=60) is None
    assert await limiter.hit("k", limit=2, window_seconds=60) is None
    assert await limiter.peek("k", limit=2, window_seconds=60) is None  # 1 < 2
    assert await limiter.hit("k", limit=2, window_seconds=60) is None
    retry = await limiter.peek("k", limit=2, window_seconds=60)  # 2 >= 2: the next hit would be refused
    assert retry is not None and 1 <= retry <= 60
    assert await limiter.peek("k", limit=3, window_seconds=60) is None  # 2 < 3
    # The peeks did not count: the third hit is the first one over a limit of 3.
    assert await limiter.hit("k", limit=3, window_seconds=60) is None
    assert await limiter.hit("k", limit=3, window_seconds=60) is not None
    await limiter.reset("k")
    assert await limiter.peek("k", limit=1, window_seconds=60) is None


async def test_no_rate_limiter_never_limits() -> None:
    limiter = NoRateLimiter()
    for _ in range(5):
        assert await limiter.hit("k", limit=1, window_seconds=60) is None
    assert await limiter.peek("k", limit=1, window_seconds=60) is None


# ------------------------------------------------------------------------------------------- Redis only


@needs_redis
async def test_two_workers_share_one_count(redis_prefix: str) -> None:
    first = RedisRateLimiter.from_url(REDIS_URL, prefix=redis_prefix)
    second = RedisRateLimiter.from_url(REDIS_URL, prefix=redis_prefix)
    try:
        assert await first.hit("signin:ip:203.0.113.9", limit=3, window_seconds=60) is None
        assert await second.hit("signin:ip:203.0.113.9", limit=3, window_seconds=60) is None
        assert await first.hit("signin:ip:203.0.113.9", limit=3, window_seconds=60) is None
        assert await second.peek("signin:ip:203.0.113.9", limit=3, window_seconds=60) is not None
        assert await second.hit("signin:ip:203.0.113.9", limit=3, window_seconds=60) is not None
        await first.reset("signin:ip:203.0.113.9")
        assert await second.hit("signin:ip:203.0.113.9", limit=3, window_seconds=60) is None
    finally:
        await first.aclose()
        await second.aclose()


@needs_redis
async def test_redis_keys_carry_an_expiry(redis_prefix: str) -> None:
    limiter = RedisRateLimiter.from_url(REDIS_URL, prefix=redis_prefix)
    client = Redis.from_url(REDIS_URL)
    try:
        await limiter.hit("k", limit=5, window_seconds=30)
        await limiter.hit("k", limit=5, window_seconds=30)
        ttl = await client.ttl(redis_prefix + "k")
        assert 0 < ttl <= 30
        assert int(await client.get(redis_prefix + "k")) == 2
    finally:
        await limiter.aclose()
        await client.aclose()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_redis_fails_open_onto_a_per_process_limit() -> None:
    limiter = RedisRateLimiter.from_url(f"redis://127.0.0.1:{_closed_port()}/0")
    try:
        started = time.monotonic()
        assert await limiter.hit("k", limit=2, window_seconds=60) is None
        assert await limiter.hit("k", limit=2, window_seconds=60) is None
        assert await limiter.peek("k", limit=2, window_seconds=60) is not None
        assert await limiter.hit("k", limit=2, window_seconds=60) is not None
        await limiter.reset("k")
        assert await limiter.hit("k", limit=2, window_seconds=60) is None
        # No retries with back-off: a refused connection costs milliseconds, not seconds.
        assert time.monotonic() - started < 2.0
    finally:
        await limiter.aclose()


async def test_a_silent_redis_costs_one_timeout_then_is_skipped_for_a_while() -> None:
    # A server that accepts the TCP connection and never answers (a hung Redis, a black-holed network).
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        limiter = RedisRateLimiter.from_url(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        try:
            started = time.monotonic()
            assert await limiter.hit("k", limit=100, window_seconds=60) is None
            first = time.monotonic() - started
            assert first < 2.0
            started = time.monotonic()
            for _ in range(20):
                await limiter.hit("k", limit=100, window_seconds=60)
                await limiter.peek("k", limit=100, window_seconds=60)
            # Without the breaker every call would wait for the socket timeout again (40 × 0.5 s).
            assert time.monotonic() - started < 1.0
        finally:
            await limiter.aclose()
