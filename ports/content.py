"""Ports of the content domain: countries, choice catalogues, exchange rates, content pages, the library,
newsletters with their one subscriber list and the record of deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, Self

from core.content.model import Country, ExchangeRate
from core.content.model.library import LibraryItem, LibraryQuery
from core.content.model.newsletters import Newsletter, NewsletterDelivery, Subscriber, SubscriberCard
from core.content.model.pages import ContentPage
from core.shared.events import DomainEvent
from ports.email import MailOutbox
from ports.staff import StaffDirectory
from ports.tasks import TaskQueue

__all__ = (
    "ChoiceRepository",
    "ContentUnitOfWork",
    "CountryRepository",
    "DeliveryRepository",
    "ExchangeRateRepository",
    "LibraryRepository",
    "MemberCards",
    "NewsletterRepository",
    "PageRepository",
    "StaffDirectory",
    "SubscriberRepository",
)


class CountryRepository(Protocol):
    async def list(self, permitted: bool | None = None) -> list[Country]:
        """All countries in seed order, or only the (un)permitted ones."""
        ...

    async def get(self, country_id: int) -> Country | None: ...

    async def set_permitted(self, country_id: int, permitted: bool) -> None: ...


class ChoiceRepository(Protocol):
    async def all(self) -> dict[str, list[str]]:
        """Every category with its values, categories and values in catalogue order."""
        ...

    async def add(self, category: str, value: str) -> bool:
        """Append ``value`` at the end of ``category``; ``False`` if it is there already."""
        ...

    async def remove(self, category: str, value: str) -> bool:
        """``False`` if the value is not in the category."""
        ...


class ExchangeRateRepository(Protocol):
    async def list(self) -> list[ExchangeRate]:
        """Every rate with its country name and code, by country id."""
        ...

    async def put(self, rate: ExchangeRate) -> None:
        """Insert or replace the rate of ``rate.country_id``."""
        ...


class PageRepository(Protocol):
    async def titles(self) -> list[str]:
        """Every page title, alphabetically."""
        ...

    async def get(self, title: str) -> ContentPage | None: ...

    async def add(self, page: ContentPage) -> ContentPage:
        """Insert; a title that exists raises ``Conflict``."""
        ...

    async def update(self, page: ContentPage) -> None: ...

    async def delete(self, page_id: int) -> None: ...


class LibraryRepository(Protocol):
    async def add(self, item: LibraryItem) -> LibraryItem:
        """Insert the item and its tags; a title that exists (in any case) raises ``Conflict``."""
        ...

    async def title_taken(self, title: str) -> bool:
        """Whether an item has this title, compared case-insensitively."""
        ...

    async def get(self, item_id: int) -> LibraryItem | None: ...

    async def search(self, query: LibraryQuery, limit: int) -> list[LibraryItem]:
        """Items matching ``query``, newest first, at most ``limit``: two statements whatever the count."""
        ...

    async def delete(self, item_id: int) -> None: ...


class NewsletterRepository(Protocol):
    async def add(self, newsletter: Newsletter) -> Newsletter: ...

    async def get(self, newsletter_id: int) -> Newsletter | None: ...

    async def ids(self) -> list[int]:
        """Every newsletter id, oldest first."""
        ...

    async def page(self, offset: int, limit: int) -> tuple[list[Newsletter], int]:
        """Newsletters newest first from ``offset``, and how many there are."""
        ...


class SubscriberRepository(Protocol):
    async def by_email(self, email: str) -> Subscriber | None: ...

    async def by_user(self, user_id: int) -> Subscriber | None: ...

    async def get(self, subscriber_id: int) -> Subscriber | None: ...

    async def add(self, subscriber: Subscriber) -> Subscriber:
        """Insert; an address or user already on the list raises ``Conflict``."""
        ...

    async def claim(self, subscriber_id: int, user_id: int) -> None:
        """Attach an anonymous subscription of the user's own address to the user."""
        ...

    async def delete(self, subscriber_id: int) -> None: ...

    async def count_after(self, subscriber_id: int, subscribed_by: datetime) -> int:
        """How many subscribers ``after`` would still hand out (a run's remaining work)."""
        ...

    async def after(self, subscriber_id: int, subscribed_by: datetime, limit: int) -> list[Subscriber]:
        """Subscribers with an id above ``subscriber_id`` who subscribed by ``subscribed_by``, by id, at most
        ``limit`` (a delivery's batch)."""
        ...


class DeliveryRepository(Protocol):
    async def sent_to(self, newsletter_id: int, subscriber_ids: Sequence[int]) -> set[int]:
        """Which of ``subscriber_ids`` already have a delivery of the newsletter (one statement)."""
        ...

    async def record(self, deliveries: Sequence[NewsletterDelivery]) -> None:
        """Insert the delivery records; a pair already recorded raises ``Conflict`` (the transaction fails)."""
        ...

    async def last_subscriber(self, newsletter_id: int) -> int:
        """The highest subscriber id the newsletter was delivered to (0 for none): where a run resumes."""
        ...

    async def count(self, newsletter_id: int) -> int: ...


class MemberCards(Protocol):
    async def card(self, user_id: int) -> SubscriberCard | None:
        """The signed-in user's address and profile card, or ``None`` when the account is gone."""
        ...


class ContentUnitOfWork(Protocol):
    @property
    def countries(self) -> CountryRepository: ...
    @property
    def choices(self) -> ChoiceRepository: ...
    @property
    def rates(self) -> ExchangeRateRepository: ...
    @property
    def pages(self) -> PageRepository: ...
    @property
    def library(self) -> LibraryRepository: ...
    @property
    def newsletters(self) -> NewsletterRepository: ...
    @property
    def subscribers(self) -> SubscriberRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def outbox(self) -> MailOutbox: ...
    @property
    def tasks(self) -> TaskQueue:
        """Background tasks staged with this unit of work, written by its commit (``ports/tasks.py``)."""
        ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
