"""Content use cases: the choice catalogue, countries with their phone codes, exchange rates.

Reading is open (choices to signed-in users, countries and rates to everyone); changing is for administrators.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.content.model import Country, ExchangeRate
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from ports.content import ContentUnitOfWork, StaffDirectory

__all__ = ("ContentService", "SetExchangeRate")

_INITIALS = re.compile(r"^[A-Z]{3}$")
MAX_RATE = Decimal(10) ** 12


@dataclass(frozen=True, slots=True, kw_only=True)
class SetExchangeRate:
    country: int
    currency_name: str
    currency_initials: str
    exchange_rate: Decimal


class ContentService:
    __slots__ = ("_staff", "_uow")

    def __init__(self, *, uow: Callable[[], ContentUnitOfWork], staff: StaffDirectory) -> None:
        self._uow = uow
        self._staff = staff

    async def _require_staff(self, actor_id: int) -> None:
        if not await self._staff.is_staff(actor_id):
            raise PermissionDenied("You do not have permission to perform this action.")

    # ------------------------------------------------------------------ choices

    async def choices(self) -> dict[str, list[str]]:
        async with self._uow() as uow:
            return await uow.choices.all()

    async def choice_values(self, field_name: str) -> list[str]:
        catalogue = await self.choices()
        if field_name not in catalogue:
            raise InvalidInput({"error": "Invalid field name.", "Avalable_names": list(catalogue)})
        return catalogue[field_name]

    async def _check_field(self, uow: ContentUnitOfWork, field_name: str, value: str) -> str:
        if field_name not in await uow.choices.all():
            raise NotFound("Invalid field name")
        value = value.strip()
        if not value or len(value) > 100:
            raise InvalidInput.field("value", "A value of 1 to 100 characters is required.")
        return value

    async def add_choice(self, actor_id: int, field_name: str, value: str) -> str:
        await self._require_staff(actor_id)
        async with self._uow() as uow:
            value = await self._check_field(uow, field_name, value)
            if not await uow.choices.add(field_name, value):
                raise InvalidInput.error("Existent value in field options")
            await uow.commit()
        return value

    async def remove_choice(self, actor_id: int, field_name: str, value: str) -> str:
        await self._require_staff(actor_id)
        async with self._uow() as uow:
            value = await self._check_field(uow, field_name, value)
            if not await uow.choices.remove(field_name, value):
                raise InvalidInput.error("Inexistent value in field options")
            await uow.commit()
        return value

    # ------------------------------------------------------------------ countries

    async def countries(self, status: str | None = None) -> list[Country]:
        """All countries, or ``status=enable|disable`` (any case); ``exempted`` (the frontend's default) = all."""
        wanted = (status or "").strip().lower()
        if wanted not in ("", "enable", "disable", "exempted"):
            raise InvalidInput.error("Invalid Query Parameter")
        permitted = {"enable": True, "disable": False}.get(wanted)
        async with self._uow() as uow:
            return await uow.countries.list(permitted)

    async def set_country_permission(self, actor_id: int, country_id: int, status: str) -> Country:
        await self._require_staff(actor_id)
        wanted = status.strip().lower()
        if wanted not in ("enable", "disable"):
            raise InvalidInput.field("status", f'"{status}" is not a valid choice.')
        permitted = wanted == "enable"
        async with self._uow() as uow:
            country = await uow.countries.get(country_id)
            if country is None:
                raise InvalidInput.field("country", f'Invalid pk "{country_id}" - object does not exist.')
            if country.permitted == permitted:
                state = "permitted" if permitted else "unpermitted"
                raise InvalidInput.non_field(f"Country already {state}.")
            await uow.countries.set_permitted(country_id, permitted)
            await uow.commit()
        country.permitted = permitted
        return country

    # ------------------------------------------------------------------ exchange rates

    async def rates(self) -> list[ExchangeRate]:
        async with self._uow() as uow:
            return await uow.rates.list()

    async def set_rate(self, actor_id: int, cmd: SetExchangeRate) -> ExchangeRate:
        await self._require_staff(actor_id)
        initials = cmd.currency_initials.strip().upper()
        if not _INITIALS.match(initials):
            raise InvalidInput.field("currency_initials", "Enter a three-letter ISO 4217 currency code.")
        name = cmd.currency_name.strip()
        if not name or len(name) > 100:
            raise InvalidInput.field("currency_name", "A name of 1 to 100 characters is required.")
        rate = cmd.exchange_rate
        if not rate.is_finite() or rate <= 0 or rate > MAX_RATE:
            raise InvalidInput.field("exchange_rate", "Ensure this value is a positive number.")
        if rate.as_tuple().exponent < -6:  # type: ignore[operator]
            raise InvalidInput.field("exchange_rate", "Ensure that there are no more than 6 decimal places.")
        async with self._uow() as uow:
            country = await uow.countries.get(cmd.country)
            if country is None:
                raise InvalidInput.field("country", f'Invalid pk "{cmd.country}" - object does not exist.')
            item = ExchangeRate(country_id=country.id, currency_name=name, currency_initials=initials,
                                rate=Decimal(int(rate)) if rate == rate.to_integral_value() else rate,
                                country=country.country, code=country.code)
            await uow.rates.put(item)
            await uow.commit()
        return item
