"""Wire shapes of the info endpoints (spec: Valid Choice, Get Country Phone Codes, Alter Country Permissions;
behaviors §7.1 and §9)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from adapters.http.wire import NO_INVISIBLE, NO_NUL

__all__ = (
    "ChoiceBody",
    "ChoiceFieldRead",
    "ChoiceFieldsRead",
    "ChoiceStatusRead",
    "CountryPermitBody",
    "CountryPermitRead",
    "CountryRead",
    "EmailSubscribeBody",
    "ExchangeRateBody",
    "ExchangeRateRead",
    "LibraryForm",
    "LibraryRead",
    "NewsletterArchiveRead",
    "NewsletterForm",
    "NewsletterPageRead",
    "NewsletterRead",
    "PageBody",
    "PageChangeBody",
    "PageContentRead",
    "PageCreatedRead",
    "PageMissingRead",
    "PageRead",
    "PageUpdatedRead",
    "SetRead",
    "StatusRead",
    "SubscriberMiniRead",
    "SubscriptionRead",
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


# ---------------------------------------------------------------- content pages, library, newsletters

Text = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100_000)]
Title = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=500)]
Items = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100_000)] | list[
    Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=1000)]
]
Email = Annotated[str, msgspec.Meta(pattern=NO_INVISIBLE, max_length=254)]


class PageBody(_In):
    title: Title
    content: Text
    items: Items | None = None


class PageChangeBody(_In):
    title: Title | None = None
    content: Text | None = None
    items: Items | None = None


class PageContentRead(_Out):
    title: str
    content: str
    items: list[str] | None
    updated: date


class PageRead(_Out):
    status: str
    content: PageContentRead
    available_titles: list[str] = msgspec.field(name="Available_titles")


class PageMissingRead(_Out):
    status: str = msgspec.field(name="Status")
    message: str = msgspec.field(name="Message")
    available_titles: list[str] = msgspec.field(name="Available_titles")


class PageCreatedRead(_Out):
    title: str
    content: str
    items: list[str] | None


class PageUpdatedRead(_Out):
    status: str
    title: str
    content: str
    items: list[str] | None
    updated: date


class LibraryForm(_In):
    title: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=250)]
    description: Text
    tags: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=5000)] | list[
        Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)]
    ] = msgspec.field(default_factory=list)


class LibraryRead(_Out):
    id: int
    title: str
    description: str
    tags: list[str]
    file: str


class NewsletterForm(_In):
    title: Title
    content: Text


class NewsletterRead(_Out):
    id: int
    title: str
    content: str
    image: str
    timestamp: datetime


class NewsletterArchiveRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[NewsletterRead]


class NewsletterPageRead(_Out):
    recent: NewsletterRead | None
    archive: NewsletterArchiveRead
    subscribed: bool


class SubscriberMiniRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str


class SubscriptionRead(_Out):
    subscriber: SubscriberMiniRead
    subscribed_at: datetime


class StatusRead(_Out):
    status: str


class EmailSubscribeBody(_In):
    email: Email
