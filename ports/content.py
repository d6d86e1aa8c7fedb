"""Ports of the content domain: countries, choice catalogues and exchange rates."""

from __future__ import annotations

from typing import Protocol, Self

from core.content.model import Country, ExchangeRate
from core.shared.events import DomainEvent
from ports.tasks import TaskQueue

__all__ = (
    "ChoiceRepository",
    "ContentUnitOfWork",
    "CountryRepository",
    "ExchangeRateRepository",
    "StaffDirectory",
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


class ContentUnitOfWork(Protocol):
    @property
    def countries(self) -> CountryRepository: ...
    @property
    def choices(self) -> ChoiceRepository: ...
    @property
    def rates(self) -> ExchangeRateRepository: ...
    @property
    def tasks(self) -> TaskQueue:
        """Background tasks staged with this unit of work, written by its commit (``ports/tasks.py``)."""
        ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...


class StaffDirectory(Protocol):
    async def is_staff(self, user_id: int) -> bool:
        """Whether the user exists and is an administrator."""
        ...
