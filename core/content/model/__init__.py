"""Content domain model: countries with phone codes, choice catalogues, exchange rates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ("Country", "ExchangeRate")


@dataclass(kw_only=True)
class Country:
    id: int
    country: str
    code: str
    permitted: bool = True


@dataclass(kw_only=True)
class ExchangeRate:
    """Local currency units per one US dollar, exact (never a float)."""

    country_id: int
    currency_name: str
    currency_initials: str
    rate: Decimal
    country: str = ""
    code: str = ""
