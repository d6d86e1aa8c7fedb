"""Per-user budgets: how many records of one kind a user may write per minute and per day, and how many reads of
other people's profiles a viewer may make per minute. Counted through the ``RateLimiter`` port (in-process or
Redis); a spent budget is a ``RateLimited`` error (429 with ``Retry-After``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.shared.errors import RateLimited

__all__ = ("DAY", "MINUTE", "AttemptCounter", "WriteLimits", "spend", "spend_write")

MINUTE = 60
DAY = 86_400


class AttemptCounter(Protocol):
    """What these budgets need of ``ports.system.RateLimiter`` (structurally the same method)."""

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteLimits:
    """Records of one kind (posts, comments, reposts, experience …) a user may create or change."""

    per_minute: int = 30
    per_day: int = 500


async def spend(counter: AttemptCounter, key: str, *, limit: int, window_seconds: int) -> None:
    """Count one attempt on ``key``; past ``limit`` in the window → ``RateLimited`` with the seconds to wait."""
    retry = await counter.hit(key, limit=limit, window_seconds=window_seconds)
    if retry is not None:
        raise RateLimited(f"Request was throttled. Expected available in {retry} seconds.", retry_after=retry)


async def spend_write(counter: AttemptCounter, kind: str, user_id: int, limits: WriteLimits) -> None:
    """One write of ``kind`` by ``user_id`` against both its per-minute and its per-day budget."""
    await spend(counter, f"write:{kind}:m:{user_id}", limit=limits.per_minute, window_seconds=MINUTE)
    await spend(counter, f"write:{kind}:d:{user_id}", limit=limits.per_day, window_seconds=DAY)
