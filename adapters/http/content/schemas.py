"""Wire shapes of the info endpoints (spec: Valid Choice, Get Country Phone Codes, Alter Country Permissions;
behaviors §7.1 and §9)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from adapters.http.wire import NO_NUL

__all__ = (
    "ChoiceBody",
    "ChoiceFieldRead",
    "ChoiceFieldsRead",
    "ChoiceStatusRead",
    "CountryPermitBody",
    "CountryPermitRead",
    "CountryRead",
    "ExchangeRateBody",
    "ExchangeRateRead",
    "SetRead",
)

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Short = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)]


class _In(msgspec.Struct, kw_only=True):
    pass


class _Out(msgspec.Struct, kw_only=True):
    pass


class ChoiceBody(_In):
    field_name: Short
    value: Short


class CountryPermitBody(_In):
    country: Id
    status: Short


class ExchangeRateBody(_In):
    country: Id
    currency_name: Short
    currency_initials: Short
    exchange_rate: Annotated[Decimal, msgspec.Meta(description="Local currency units per US dollar")]


class ChoiceFieldsRead(_Out):
    field_names: list[str]


class ChoiceFieldRead(_Out):
    field_name: str
    valid_options: list[str] = msgspec.field(name="Valid options")


class ChoiceStatusRead(_Out):
    status: str
    message: str | msgspec.UnsetType = msgspec.UNSET


class CountryRead(_Out):
    id: int
    country: str
    code: str


class CountryPermitRead(_Out):
    country: str
    permitted: bool


class ExchangeRateRead(_Out):
    country_id: int
    country: str
    code: str
    currency_name: str
    currency_initials: str
    exchange_rate: str


class SetRead(_Out):
    status: str = "Set"
