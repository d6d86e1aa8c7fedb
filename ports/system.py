"""Shared system ports: time and rate limiting."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ("Clock", "RateLimiter")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class RateLimiter(Protocol):
    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        """Count one attempt for ``key``.

        Returns ``None`` while at most ``limit`` attempts fell in the current window, else the number of
        seconds until the window resets.
        """
        ...

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        """Look without counting: the seconds until ``key``'s window resets when its count in the current window
        is already ``>= limit``, else ``None``. Never increments."""
        ...

    async def reset(self, key: str) -> None:
        """Forget the attempts counted for ``key``."""
        ...
