"""Fixed-window rate limiters: per process in memory, or shared across workers in Redis."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ("InMemoryRateLimiter", "NoRateLimiter", "RedisRateLimiter")


class InMemoryRateLimiter:
    __slots__ = ("_now", "_windows")

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._now = now

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        now = self._now()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= window_seconds:
            start, count = now, 0
        count += 1
        self._windows[key] = (start, count)
        if len(self._windows) > 100_000:
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < 3600}
        if count > limit:
            return max(1, math.ceil(window_seconds - (now - start)))
        return None

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        now = self._now()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= window_seconds or count < limit:
            return None
        return max(1, math.ceil(window_seconds - (now - start)))

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)


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
    """``INCR`` + ``EXPIRE`` per window in one pipeline; fails open when Redis is unreachable."""

    __slots__ = ("_fallback", "_prefix", "_redis")

    def __init__(self, redis: Redis, prefix: str = "careernexus:rl:") -> None:
        self._redis = redis
        self._prefix = prefix
        self._fallback = InMemoryRateLimiter()

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        full = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                _ = pipe.incr(full)
                _ = pipe.expire(full, window_seconds, nx=True)
                _ = pipe.ttl(full)
                count, _, ttl = await pipe.execute()
        except (RedisError, OSError):
            return await self._fallback.hit(key, limit=limit, window_seconds=window_seconds)
        if int(count) > limit:
            return max(1, int(ttl))
        return None

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        full = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                _ = pipe.get(full)
                _ = pipe.ttl(full)
                count, ttl = await pipe.execute()
        except (RedisError, OSError):
            return await self._fallback.peek(key, limit=limit, window_seconds=window_seconds)
        if count is None or int(count) < limit:
            return None
        return max(1, int(ttl))

    async def reset(self, key: str) -> None:
        try:
            await self._redis.delete(self._prefix + key)
        except (RedisError, OSError):
            await self._fallback.reset(key)
