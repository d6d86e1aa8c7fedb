"""The read cache: encoded answers of hot reads, per viewer, with read-your-writes.

A cached answer is keyed by what was asked, by whom, and by the viewer's *stamp*: a token naming the version of
everything that viewer may read. Every write of a viewer changes that viewer's stamp (the unit of work bumps it
after a successful commit), so the viewer's next read misses and sees the write; writes that others must never
see stale (a deleted post, a privacy change, a deleted account) change every viewer's stamp. Other people's
writes reach a viewer when the entry expires, after at most the staleness bound.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol, runtime_checkable

__all__ = ("ReadCache", "ViewInvalidation")


class ViewInvalidation(Protocol):
    async def bump(self, viewer_ids: Collection[int], *, everyone: bool = False) -> None:
        """The reads of ``viewer_ids`` (of every viewer with ``everyone``) changed: cached answers keyed by their
        old stamps are never served again. Called after a successful commit; never raises (an unreachable
        store leaves stale answers for at most the staleness bound)."""
        ...


@runtime_checkable  # injected into handlers by name: Litestar checks the instance
class ReadCache(ViewInvalidation, Protocol):
    async def stamp(self, viewer_id: int) -> str | None:
        """The viewer's current stamp; ``None`` when caching is off or unavailable (answer without the cache)."""
        ...

    async def get(self, key: str) -> bytes | None:
        """The stored answer under ``key`` (a key holds the stamp it was built with) if still fresh."""
        ...

    async def put(self, key: str, value: bytes, *, viewer_id: int, stamp: str) -> None:
        """Store ``value`` under ``key`` unless ``stamp`` is no longer the viewer's (a write overtook the read)."""
        ...

    def memory_bytes(self) -> int:
        """Bytes this process holds for the cache (keys and values, bounded by a setting)."""
        ...
