"""Clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ("FrozenClock", "SystemClock")


class SystemClock:
    __slots__ = ()

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A settable clock for tests."""

    __slots__ = ("current",)

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime.now(UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
