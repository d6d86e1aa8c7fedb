"""Read caches (``ports.readcache``): the in-process LRU and the Redis-shared cache pass the same contract.

Redis: ``CAREERNEXUS_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``); each test uses its own key prefix.
Skipped cleanly without a reachable Redis (unless the variable is set: then a missing Redis fails).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.cache.memory import ENTRY_OVERHEAD, BytesLru, InProcessReadCache, NoReadCache, ProcessVersions
from adapters.cache.redis import RedisReadCache
from ports.readcache import ReadCache
from tests.contract.test_rate_limiters import REDIS_URL, needs_redis

pytestmark = pytest.mark.anyio


class FakeTime:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


async def _forget(cache: RedisReadCache) -> None:
    """Delete the test's keys (versions live a day) and close the client."""
    await cache.clear()
    await cache.aclose()


def _redis_cache(time: FakeTime, *, url: str = REDIS_URL, prefix: str | None = None) -> RedisReadCache:
    client = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return RedisReadCache(
        client,
        staleness=2.0,
        max_bytes=100_000,
        prefix=prefix or f"test:{secrets.token_hex(6)}:",
        clock=time,
        wall=time,
    )


@pytest.fixture(params=["memory", pytest.param("redis", marks=needs_redis)])
async def subject(request: pytest.FixtureRequest) -> AsyncIterator[tuple[ReadCache, FakeTime]]:
    time = FakeTime()
    if request.param == "memory":
        yield InProcessReadCache(staleness=2.0, max_bytes=100_000, clock=time), time
        return
    cache = _redis_cache(time)
    yield cache, time
    await _forget(cache)


async def _fill(cache: ReadCache, viewer: int, body: bytes) -> str:
    stamp = await cache.stamp(viewer)
    assert stamp is not None
    key = f"{viewer}:{stamp}:GET /post/?"
    await cache.put(key, body, viewer_id=viewer, stamp=stamp)
    return key


async def test_a_stored_answer_is_served_until_the_bound(subject: tuple[ReadCache, FakeTime]) -> None:
    cache, time = subject
    key = await _fill(cache, 1, b"page")
    assert await cache.get(key) == b"page"
    time.value += 1.99
    assert await cache.get(key) == b"page"
    time.value += 0.02
    assert await cache.get(key) is None


async def test_a_bump_changes_the_viewers_stamp_only(subject: tuple[ReadCache, FakeTime]) -> None:
    cache, _ = subject
    mine, theirs = await cache.stamp(1), await cache.stamp(2)
    await cache.bump({1})
    assert await cache.stamp(1) != mine
    assert await cache.stamp(2) == theirs
    await cache.bump((), everyone=True)
    assert await cache.stamp(2) != theirs


async def test_a_put_overtaken_by_a_write_is_not_served(subject: tuple[ReadCache, FakeTime]) -> None:
    cache, _ = subject
    stamp = await cache.stamp(1)
    assert stamp is not None
    await cache.bump({1})  # the viewer wrote while the read was being answered
    key = f"1:{stamp}:GET /post/?"
    await cache.put(key, b"old", viewer_id=1, stamp=stamp)
    assert await cache.stamp(1) != stamp  # nobody asks for that key again


@needs_redis
async def test_redis_versions_are_shared_between_workers() -> None:
    time = FakeTime()
    prefix = f"test:{secrets.token_hex(6)}:"
    a, b = _redis_cache(time, prefix=prefix), _redis_cache(time, prefix=prefix)
    try:
        key = await _fill(a, 7, b"page")
        assert await b.get(key) == b"page"  # from Redis, into b's local layer
        await a.bump({7})
        assert await b.stamp(7) != key.split(":")[1]
        time.value += 1.5  # an answer fetched late from Redis lives only for what is left of its bound
        key2 = await _fill(a, 8, b"other")
        time.value += 1.0
        assert await b.get(key2) == b"other"
        time.value += 1.01
        assert await b.get(key2) is None
    finally:
        await _forget(a)
        await b.aclose()


async def test_an_unreachable_redis_means_no_caching() -> None:
    time = FakeTime()
    cache = _redis_cache(time, url="redis://127.0.0.1:1/0")
    try:
        assert await cache.stamp(1) is None
        await cache.bump({1})  # never raises
        await cache.put("k", b"v", viewer_id=1, stamp="0.0")
        assert await cache.get("k") is None
        assert cache.memory_bytes() == 0
    finally:
        await cache.aclose()


async def test_cache_off() -> None:
    cache = NoReadCache()
    assert await cache.stamp(1) is None
    await cache.put("k", b"v", viewer_id=1, stamp="0.0")
    assert await cache.get("k") is None


def test_the_lru_keeps_to_its_byte_budget() -> None:
    time = FakeTime()
    entry = 100 + 1 + ENTRY_OVERHEAD
    lru = BytesLru(3 * entry, time)
    for name in "abc":
        lru.put(name, b"x" * 100, 10)
    assert lru.get("a") is not None  # a is now the most recent
    lru.put("d", b"x" * 100, 10)
    assert lru.get("b") is None and lru.get("a") is not None and lru.get("d") is not None
    assert lru.size <= 3 * entry
    lru.put("huge", b"x" * 10 * entry, 10)  # larger than the budget: not stored, nothing evicted
    assert lru.get("huge") is None and len(lru) == 3


def test_process_versions_forget_old_bumps() -> None:
    time = FakeTime()
    versions = ProcessVersions(60.0, time)
    versions.bump({1, 2})
    assert len(versions) == 2
    time.value += 61
    versions.stamp(3)
    assert len(versions) == 0
