"""Prices: integer minor units and exchange rates as exact decimals (units of a currency per US dollar)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ("format_amount", "from_usd", "to_usd")


def to_usd(minor: int, rate: Decimal) -> int:
    """``minor`` units of a currency worth ``rate`` per dollar, in US cents (half up)."""
    return int((Decimal(minor) / rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_usd(cents: int, rate: Decimal) -> int:
    return int((Decimal(cents) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_amount(minor: int, currency: str) -> str:
    """``300000, "NGN"`` → ``"3000NGN"``; fractions keep two decimals (``"12.50USD"``)."""
    major, cents = divmod(minor, 100)
    return f"{major}{currency}" if cents == 0 else f"{major}.{cents:02d}{currency}"
