"""Info endpoints: the choice catalogue, countries with phone codes, exchange rates."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.content.schemas import (
    ChoiceBody,
    ChoiceFieldRead,
    ChoiceFieldsRead,
    ChoiceStatusRead,
    CountryPermitBody,
    CountryPermitRead,
    CountryRead,
    ExchangeRateBody,
    ExchangeRateRead,
    SetRead,
)
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL
from core.content.service import ContentService, SetExchangeRate

__all__ = ("ContentController",)

# Named ``info``, not ``content``: a dependency name must not be a body field name (pages have ``content``).
Content = NamedDependency[ContentService]
Me = NamedDependency[Principal]

ADMIN_ONLY = (
    "Administrators only; others get 403 `{\"detail\": \"You do not have permission to perform this action.\"}`."
)


class ContentController(Controller):
    path = "/info"
    tags = ["Info"]

    @get(
        "/choice-data/",
        summary="Valid Choice",
        description="Without `field_name`: the choice field names; with it: that field's valid options.",
        security=BEARER,
    )
    async def choice_data(
        self,
        info: Content,
        me: Me,
        field_name: Annotated[str | None, QueryParameter(max_length=100, pattern=NO_NUL)] = None,
    ) -> ChoiceFieldsRead | ChoiceFieldRead:
        if field_name is None:
            return ChoiceFieldsRead(field_names=list(await info.choices()))
        return ChoiceFieldRead(field_name=field_name, valid_options=await info.choice_values(field_name))

    @post("/choice-data/", status_code=200, summary="Add Valid Choice", description=ADMIN_ONLY, security=BEARER)
    async def add_choice(self, data: JSONBody[ChoiceBody], info: Content, me: Me) -> ChoiceStatusRead:
        value = await info.add_choice(me.user_id, data.field_name, data.value)
        return ChoiceStatusRead(status="success", message=f"Added value '{value}' to field name '{data.field_name}'")

    @delete("/choice-data/", status_code=200, summary="Delete Valid Choice", description=ADMIN_ONLY, security=BEARER)
    async def delete_choice(self, data: JSONBody[ChoiceBody], info: Content, me: Me) -> ChoiceStatusRead:
        value = await info.remove_choice(me.user_id, data.field_name, data.value)
        return ChoiceStatusRead(status=f"Deleted {value} from choice list")

    @get(
        "/country-permit/",
        summary="Get Country Phone Codes",
        description="Public. `status=enable|disable` (any case) filters by permission; absent or `exempted` = all.",
    )
    async def countries(
        self, info: Content, status: Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)] = None
    ) -> list[CountryRead]:
        return [CountryRead(id=c.id, country=c.country, code=c.code) for c in await info.countries(status)]

    @put(
        "/country-permit/",
        status_code=200,
        summary="Alter Country Permissions",
        description="`status`: enable|disable. Unpermitted codes are refused in profile `country_code`. " + ADMIN_ONLY,
        security=BEARER,
    )
    async def set_country(self, data: JSONBody[CountryPermitBody], info: Content, me: Me) -> CountryPermitRead:
        country = await info.set_country_permission(me.user_id, data.country, data.status)
        return CountryPermitRead(country=country.country, permitted=country.permitted)

    @get(
        "/exchange-rate/",
        summary="List Exchange Rates",
        description="Public. `exchange_rate` is local currency units per US dollar, as exact decimal text.",
    )
    async def rates(self, info: Content) -> list[ExchangeRateRead]:
        return [
            ExchangeRateRead(country_id=r.country_id, country=r.country, code=r.code, currency_name=r.currency_name,
                             currency_initials=r.currency_initials, exchange_rate=str(r.rate))
            for r in await info.rates()
        ]

    @post(
        "/exchange-rate/set/",
        status_code=200,
        summary="Set Exchange Rate",
        description="Insert or replace a country's rate (`exchange_rate` a positive number, at most 6 decimals). "
        + ADMIN_ONLY,
        security=BEARER,
    )
    async def set_rate(self, data: JSONBody[ExchangeRateBody], info: Content, me: Me) -> SetRead:
        await info.set_rate(
            me.user_id,
            SetExchangeRate(country=data.country, currency_name=data.currency_name,
                            currency_initials=data.currency_initials, exchange_rate=data.exchange_rate),
        )
        return SetRead()
