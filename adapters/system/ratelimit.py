"""Fixed-window rate limiters: per process in memory, or shared across workers in Redis."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

__all__ = ("InMemoryRateLimiter", "NoRateLimiter", "RedisRateLimiter")

# Expired windows dropped from the front of a table per hit: more than the one a hit can add, so expiry keeps up
# with any flood, and a hit never does more than this much cleaning.
_EXPIRE_PER_HIT = 4


class InMemoryRateLimiter:
    """Per-process fixed windows, O(1) per call whatever the number of keys.

    One insertion-ordered table per window length, ordered by window start (a key whose window restarts moves to
    the end), so the front of each table is the next to expire: every hit drops a few expired windows from the
    front of its table. Above ``max_keys`` windows the one closest to its end is evicted (which forgets its
    count: an attacker able to send ``max_keys`` distinct keys within a window could make the limiter forget an
    earlier key; with ``REDIS_URL`` there is no cap but Redis' memory).
    """

    __slots__ = ("_max_keys", "_now", "_size", "_tables")

    def __init__(self, now: Callable[[], float] = time.monotonic, *, max_keys: int = 100_000) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be positive")
        self._tables: dict[int, OrderedDict[str, tuple[float, int]]] = {}
        self._now = now
        self._max_keys = max_keys
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def _expire_front(self, table: OrderedDict[str, tuple[float, int]], window_seconds: int, now: float) -> None:
        for _ in range(_EXPIRE_PER_HIT):
            if not table:
                return
            key = next(iter(table))
            if now - table[key][0] < window_seconds:
                return
            del table[key]
            self._size -= 1

    def _evict_one(self) -> None:
        victim: tuple[float, int, str] | None = None
        for window, table in self._tables.items():
            if table:
                key = next(iter(table))
                ends = table[key][0] + window
                if victim is None or ends < victim[0]:
                    victim = (ends, window, key)
        if victim is not None:
            del self._tables[victim[1]][victim[2]]
            self._size -= 1

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        now = self._now()
        table = self._tables.get(window_seconds)
        if table is None:
            table = self._tables[window_seconds] = OrderedDict()
        self._expire_front(table, window_seconds, now)
        entry = table.get(key)
        if entry is None or now - entry[0] >= window_seconds:
            if entry is None:
                self._size += 1
            else:
                table.move_to_end(key)
            start, count = now, 1
        else:
            start, count = entry[0], entry[1] + 1
        table[key] = (start, count)
        while self._size > self._max_keys:
            self._evict_one()
        if count > limit:
            return max(1, math.ceil(window_seconds - (now - start)))
        return None

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        table = self._tables.get(window_seconds)
        entry = table.get(key) if table is not None else None
        if entry is None:
            return None
        elapsed = self._now() - entry[0]
        if elapsed >= window_seconds or entry[1] < limit:
            return None
        return max(1, math.ceil(window_seconds - elapsed))

    async def reset(self, key: str) -> None:
        for table in self._tables.values():
            if table.pop(key, None) is not None:
                self._size -= 1


class NoRateLimiter:
    """Never limits (batch jobs)."""

    __slots__ = ()

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        return None

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        return None

    async def reset(self, key: str) -> None:
        return None


class RedisRateLimiter:
    """``INCR`` + ``EXPIRE`` per window in one transaction, so every worker shares one count.

    Fails open onto a per-process limiter when Redis is unreachable or slow (``OSError``/``RedisError``, the
    client's socket timeouts), and then leaves Redis alone for ``retry_after_failure`` seconds, so a hung Redis
    costs one timeout, not one per request.
    """

    __slots__ = ("_clock", "_down_until", "_fallback", "_prefix", "_redis", "_retry_after_failure")

    def __init__(
        self,
        redis: Redis,
        prefix: str = "careernexus:rl:",
        *,
        retry_after_failure: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._fallback = InMemoryRateLimiter()
        self._retry_after_failure = retry_after_failure
        self._clock = clock
        self._down_until = 0.0

    @classmethod
    def from_url(cls, url: str, prefix: str = "careernexus:rl:", *, timeout: float = 0.5) -> RedisRateLimiter:
        """A limiter on a client with short timeouts and no retries (a rate check must not stall a request)."""
        client = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        return cls(client, prefix)

    async def aclose(self) -> None:
        await self._redis.aclose()

    def _up(self) -> bool:
        return self._clock() >= self._down_until

    def _failed(self) -> None:
        self._down_until = self._clock() + self._retry_after_failure

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        if not self._up():
            return await self._fallback.hit(key, limit=limit, window_seconds=window_seconds)
        full = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                _ = pipe.incr(full)
                _ = pipe.expire(full, window_seconds, nx=True)
                _ = pipe.ttl(full)
                count, _, ttl = await pipe.execute()
        except (RedisError, OSError):
            self._failed()
            return await self._fallback.hit(key, limit=limit, window_seconds=window_seconds)
        if int(count) > limit:
            return max(1, int(ttl))
        return None

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        if not self._up():
            return await self._fallback.peek(key, limit=limit, window_seconds=window_seconds)
        full = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                _ = pipe.get(full)
                _ = pipe.ttl(full)
                count, ttl = await pipe.execute()
        except (RedisError, OSError):
            self._failed()
            return await self._fallback.peek(key, limit=limit, window_seconds=window_seconds)
        if count is None or int(count) < limit or int(ttl) == -2:  # -2: expired between the two reads
            return None
        return max(1, int(ttl)) if int(ttl) > 0 else window_seconds

    async def reset(self, key: str) -> None:
        await self._fallback.reset(key)
        if not self._up():
            return
        try:
            await self._redis.delete(self._prefix + key)
        except (RedisError, OSError):
            self._failed()
