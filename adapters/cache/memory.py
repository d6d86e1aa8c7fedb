"""The in-process read cache: a byte-bounded LRU of encoded answers with per-viewer versions."""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Collection

__all__ = ("ENTRY_OVERHEAD", "BytesLru", "InProcessReadCache", "NoReadCache", "ProcessVersions")

# What an entry costs besides its key and value (the dict slot, the tuple, the bytes and str headers): counted
# so a budget of many tiny entries is still honest.
ENTRY_OVERHEAD = 200


class NoReadCache:
    """Caching off (``READ_CACHE_STALENESS_SECONDS=0``): every read is answered afresh."""

    async def stamp(self, viewer_id: int) -> str | None:
        return None

    async def get(self, key: str) -> bytes | None:
        return None

    async def put(self, key: str, value: bytes, *, viewer_id: int, stamp: str) -> None:
        return None

    async def bump(self, viewer_ids: Collection[int], *, everyone: bool = False) -> None:
        return None

    def memory_bytes(self) -> int:
        return 0


class BytesLru:
    """Values with an expiry, least recently used first out when the byte budget is exceeded."""

    __slots__ = ("_bytes", "_clock", "_entries", "max_bytes")

    def __init__(self, max_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _size(key: str, value: bytes) -> int:
        return len(key) + len(value) + ENTRY_OVERHEAD

    def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: bytes, ttl: float) -> None:
        if ttl <= 0:
            return
        size = self._size(key, value)
        if size > self.max_bytes:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = (self._clock() + ttl, value)
        self._bytes += size
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        _, value = self._entries.pop(key)
        self._bytes -= self._size(key, value)


class ProcessVersions:
    """Per-viewer versions and a global epoch held by this process.

    A bump gives the viewer a version never handed out before. A viewer's version is forgotten ``horizon``
    seconds after its bump (the table stays bounded): every entry stored under the version it replaced was
    stored before that bump (a put checks its stamp is still current) and expired ``staleness`` after it.
    """

    __slots__ = ("_bumped", "_clock", "_counter", "_epoch", "_horizon")

    def __init__(self, horizon: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._horizon = horizon
        self._clock = clock
        self._counter = itertools.count(1)
        self._epoch = 0
        self._bumped: OrderedDict[int, tuple[int, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._bumped)

    def stamp(self, viewer_id: int) -> str:
        self._forget_old()
        entry = self._bumped.get(viewer_id)
        return f"{entry[0] if entry else 0}.{self._epoch}"

    def bump(self, viewer_ids: Collection[int], *, everyone: bool = False) -> None:
        now = self._clock()
        if everyone:
            self._epoch = next(self._counter)
        for viewer_id in viewer_ids:
            self._bumped.pop(viewer_id, None)
            self._bumped[viewer_id] = (next(self._counter), now)

    def _forget_old(self) -> None:
        horizon = self._clock() - self._horizon
        while self._bumped:
            viewer_id, (_, at) = next(iter(self._bumped.items()))
            if at >= horizon:
                break
            del self._bumped[viewer_id]


class InProcessReadCache:
    """One worker's cache: right for a single process (``serve --workers 1``) or a single test app; with several
    workers use :class:`adapters.cache.redis.RedisReadCache`, whose versions every worker reads."""

    __slots__ = ("_lru", "_staleness", "_versions")

    def __init__(self, *, staleness: float, max_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._staleness = staleness
        self._lru = BytesLru(max_bytes, clock)
        self._versions = ProcessVersions(max(60.0, 10 * staleness), clock)

    async def stamp(self, viewer_id: int) -> str | None:
        return self._versions.stamp(viewer_id)

    async def get(self, key: str) -> bytes | None:
        return self._lru.get(key)

    async def put(self, key: str, value: bytes, *, viewer_id: int, stamp: str) -> None:
        if self._versions.stamp(viewer_id) == stamp:
            self._lru.put(key, value, self._staleness)

    async def bump(self, viewer_ids: Collection[int], *, everyone: bool = False) -> None:
        self._versions.bump(viewer_ids, everyone=everyone)

    def memory_bytes(self) -> int:
        return self._lru.size
