"""``RateLimiter.peek``: the retry-after when a key's count in its window already reached the limit, never counting.

Memory, no-op and Redis (db 1, keys under an ``auth-test`` prefix, removed afterwards; skipped without Redis)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.system.ratelimit import InMemoryRateLimiter, NoRateLimiter, RedisRateLimiter

pytestmark = pytest.mark.anyio


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_peek_never_counts_and_follows_the_window() -> None:
    ticks = Ticks()
    limiter = InMemoryRateLimiter(now=ticks)
    for _ in range(10):
        assert await limiter.peek("k", limit=2, window_seconds=60) is None  # looking counts nothing
    assert await limiter.hit("k", limit=2, window_seconds=60) is None
    assert await limiter.peek("k", limit=2, window_seconds=60) is None  # 1 < 2
    assert await limiter.hit("k", limit=2, window_seconds=60) is None
    ticks.now += 20
    assert await limiter.peek("k", limit=2, window_seconds=60) == 40  # 2 >= 2: the seconds left
    assert await limiter.peek("k", limit=3, window_seconds=60) is None
    assert await limiter.hit("k", limit=2, window_seconds=60) == 40  # peeking did not count: this is the 3rd
    ticks.now += 40
    assert await limiter.peek("k", limit=2, window_seconds=60) is None  # a new window


async def test_no_limiter_peek() -> None:
    assert await NoRateLimiter().peek("k", limit=0, window_seconds=1) is None


@pytest.fixture
async def redis_limiter() -> AsyncIterator[RedisRateLimiter]:
    client = Redis.from_url("redis://127.0.0.1:6379/1", socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        await client.ping()
    except (RedisError, OSError):
        await client.aclose()
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = "auth-test:rl:"
    yield RedisRateLimiter(client, prefix=prefix)
    keys = [k async for k in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_redis_peek_never_counts(redis_limiter: RedisRateLimiter) -> None:
    assert await redis_limiter.peek("k", limit=1, window_seconds=60) is None
    assert await redis_limiter.hit("k", limit=2, window_seconds=60) is None
    assert await redis_limiter.peek("k", limit=2, window_seconds=60) is None
    assert await redis_limiter.hit("k", limit=2, window_seconds=60) is None
    retry = await redis_limiter.peek("k", limit=2, window_seconds=60)
    assert retry is not None and 0 < retry <= 60
    assert await redis_limiter.peek("k", limit=2, window_seconds=60) is not None
    assert await redis_limiter.hit("k", limit=2, window_seconds=60) is not None  # the 3rd: peeks did not count
