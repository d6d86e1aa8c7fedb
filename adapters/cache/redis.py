"""The read cache shared by every worker and host through Redis, with an in-process LRU in front.

Per request: one round trip (``MGET`` of the viewer's version and the global epoch) gives the stamp, so a write
on one worker (which bumps the version in Redis after its commit) is seen by every worker on the very next read.
An answer is looked up in the local LRU first, then in Redis. Entries carry the wall-clock time they were built:
the local copy of an answer fetched from Redis lives only for what remains of its staleness budget, so an
answer is never older than the bound whichever layer serves it.

Redis unreachable or slow (the client's short timeouts): no caching at all on this worker for
``max(retry_after_failure, staleness)`` seconds. A bump that could not reach Redis therefore leaves entries that
all expire before this worker caches again; other workers may serve them until they expire (the bound).
"""

from __future__ import annotations

import logging
import secrets
import struct
import time
from collections.abc import Callable, Collection

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from adapters.cache.memory import BytesLru

__all__ = ("RedisReadCache",)

logger = logging.getLogger("careernexus.cache")

_HEADER = struct.Struct(">d")
# A viewer's version lives this long after their last write (far beyond any request and the staleness bound).
VERSION_TTL_SECONDS = 86_400


class RedisReadCache:
    __slots__ = ("_clock", "_down_until", "_local", "_prefix", "_redis", "_retry_after", "_staleness", "_wall")

    def __init__(
        self,
        redis: Redis,
        *,
        staleness: float,
        max_bytes: int,
        prefix: str = "careernexus:rc:",
        retry_after_failure: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._staleness = staleness
        self._prefix = prefix
        self._retry_after = max(retry_after_failure, staleness)
        self._clock = clock
        self._wall = wall
        self._local = BytesLru(max_bytes, clock)
        self._down_until = 0.0

    @classmethod
    def from_url(cls, url: str, *, staleness: float, max_bytes: int, timeout: float = 0.5) -> RedisReadCache:
        """A cache on a client with short timeouts and no retries (a cache must never stall a request)."""
        client = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        return cls(client, staleness=staleness, max_bytes=max_bytes)

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def clear(self) -> None:
        """Delete every key under this cache's prefix (versions, epoch, answers) and the local layer."""
        keys = [k async for k in self._redis.scan_iter(match=self._prefix + "*")]
        if keys:
            await self._redis.delete(*keys)
        self._local = BytesLru(self._local.max_bytes, self._clock)

    def _up(self) -> bool:
        return self._clock() >= self._down_until

    def _failed(self, exc: BaseException) -> None:
        logger.warning("read cache: Redis unavailable (%s); not caching for %.0f s", exc, self._retry_after)
        self._down_until = self._clock() + self._retry_after

    async def stamp(self, viewer_id: int) -> str | None:
        if not self._up():
            return None
        try:
            version, epoch = await self._redis.mget(f"{self._prefix}v:{viewer_id}", f"{self._prefix}epoch")
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return None
        return f"{_text(version)}.{_text(epoch)}"

    async def get(self, key: str) -> bytes | None:
        value = self._local.get(key)
        if value is not None or not self._up():
            return value
        try:
            stored = await self._redis.get(self._prefix + key)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return None
        if not isinstance(stored, bytes) or len(stored) < _HEADER.size:
            return None
        (built,) = _HEADER.unpack_from(stored)
        left = built + self._staleness - self._wall()
        if left <= 0:
            return None
        body = stored[_HEADER.size :]
        self._local.put(key, body, left)
        return body

    async def put(self, key: str, value: bytes, *, viewer_id: int, stamp: str) -> None:
        # A write that overtook this read bumped the viewer's version: nobody asks for this key any more, and it
        # expires with the bound. Checking the stamp again would cost a second round trip.
        if not self._up():
            return
        self._local.put(key, value, self._staleness)
        try:
            await self._redis.set(
                self._prefix + key, _HEADER.pack(self._wall()) + value, px=max(1, int(self._staleness * 1000))
            )
        except (RedisError, OSError) as exc:
            self._failed(exc)

    async def bump(self, viewer_ids: Collection[int], *, everyone: bool = False) -> None:
        if not viewer_ids and not everyone:
            return
        if not self._up():
            return  # this worker caches nothing until every entry older than the write has expired
        token = secrets.token_hex(8)  # never handed out before: an old version never comes back
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for viewer_id in viewer_ids:
                    _ = pipe.set(f"{self._prefix}v:{viewer_id}", token, ex=VERSION_TTL_SECONDS)
                if everyone:
                    _ = pipe.set(f"{self._prefix}epoch", token)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed(exc)

    def memory_bytes(self) -> int:
        return self._local.size


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    return "0" if value is None else str(value)
