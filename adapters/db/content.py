"""Content repositories (countries, choice options, exchange rates) and unit of work, the staff directory, and the
phone-code and currency look-ups profiles use: SQL and in-memory twins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Self

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.content_pages import (
    InMemoryDeliveryRepository,
    InMemoryLibraryRepository,
    InMemoryNewsletterRepository,
    InMemoryPageRepository,
    InMemorySubscriberRepository,
    SqlDeliveryRepository,
    SqlLibraryRepository,
    SqlNewsletterRepository,
    SqlPageRepository,
    SqlSubscriberRepository,
    seed_memory_pages,
)
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.outbox import InMemoryMailOutbox, SqlMailOutbox
from adapters.db.seed import load_seed
from adapters.db.staff import InMemoryStaffDirectory, SqlStaffDirectory
from adapters.db.tables.content import choice_options, countries, exchange_rates
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.content.model import Country, ExchangeRate

__all__ = (
    "InMemoryContentUnitOfWork",
    "InMemoryCountryCodes",
    "InMemoryCurrencyLookup",
    "InMemoryStaffDirectory",
    "SqlContentUnitOfWork",
    "SqlCountryCodes",
    "SqlCurrencyLookup",
    "SqlStaffDirectory",
    "seed_memory_content",
)


# --------------------------------------------------------------------------------------------- SQL


class SqlCountryRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def list(self, permitted: bool | None = None) -> list[Country]:
        stmt = select(countries).order_by(countries.c.id)
        if permitted is not None:
            stmt = stmt.where(countries.c.permitted == permitted)
        rows = (await self._uow.execute(stmt)).mappings().all()
        return [Country(id=r["id"], country=r["country"], code=r["code"], permitted=bool(r["permitted"])) for r in rows]

    async def get(self, country_id: int) -> Country | None:
        row = (await self._uow.execute(select(countries).where(countries.c.id == country_id))).mappings().first()
        if row is None:
            return None
        return Country(id=row["id"], country=row["country"], code=row["code"], permitted=bool(row["permitted"]))

    async def set_permitted(self, country_id: int, permitted: bool) -> None:
        await self._uow.execute(update(countries).where(countries.c.id == country_id).values(permitted=permitted))


class SqlChoiceRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def all(self) -> dict[str, list[str]]:
        return await read_choices(self._uow)

    async def add(self, category: str, value: str) -> bool:
        exists = select(choice_options.c.id).where(
            choice_options.c.category == category, choice_options.c.value == value
        )
        if (await self._uow.execute(exists)).first() is not None:
            return False
        last = select(func.max(choice_options.c.position)).where(choice_options.c.category == category)
        position = (await self._uow.execute(last)).scalar()
        await self._uow.execute(
            insert(choice_options).values(category=category, value=value, position=(position or 0) + 1)
        )
        return True

    async def remove(self, category: str, value: str) -> bool:
        result = await self._uow.execute(
            delete(choice_options).where(choice_options.c.category == category, choice_options.c.value == value)
        )
        return bool(getattr(result, "rowcount", 0))


async def read_choices(uow: SqlUnitOfWork) -> dict[str, list[str]]:
    """The whole catalogue in one statement; categories in the order of their first row."""
    stmt = select(choice_options.c.id, choice_options.c.category, choice_options.c.value).order_by(
        choice_options.c.position, choice_options.c.id
    )
    rows = (await uow.execute(stmt)).mappings().all()
    first: dict[str, int] = {}
    for row in rows:
        first[row["category"]] = min(first.get(row["category"], row["id"]), row["id"])
    out: dict[str, list[str]] = {c: [] for c in sorted(first, key=lambda c: first[c])}
    for row in rows:
        out[row["category"]].append(row["value"])
    return out


class SqlExchangeRateRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def list(self) -> list[ExchangeRate]:
        stmt = (
            select(exchange_rates, countries.c.country, countries.c.code)
            .join(countries, countries.c.id == exchange_rates.c.country_id)
            .order_by(exchange_rates.c.country_id)
        )
        return [
            ExchangeRate(
                country_id=r["country_id"],
                currency_name=r["currency_name"],
                currency_initials=r["currency_initials"],
                rate=Decimal(r["rate"]),
                country=r["country"],
                code=r["code"],
            )
            for r in (await self._uow.execute(stmt)).mappings().all()
        ]

    async def put(self, rate: ExchangeRate) -> None:
        values = {
            "currency_name": rate.currency_name,
            "currency_initials": rate.currency_initials,
            "rate": str(rate.rate),
            "updated_at": datetime.now(UTC),
        }
        result = await self._uow.execute(
            update(exchange_rates).where(exchange_rates.c.country_id == rate.country_id).values(**values)
        )
        if not getattr(result, "rowcount", 0):
            await self._uow.execute(insert(exchange_rates).values(country_id=rate.country_id, **values))


class SqlContentUnitOfWork(SqlUnitOfWork):
    __slots__ = (
        "_choices",
        "_countries",
        "_deliveries",
        "_library",
        "_newsletters",
        "_outbox",
        "_pages",
        "_rates",
        "_subscribers",
    )

    def __init__(
        self, engine: AsyncEngine, after_commit: Callable[[], None] | None = None, *, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(engine, after_commit, task_kick=task_kick)
        self._countries = SqlCountryRepository(self)
        self._choices = SqlChoiceRepository(self)
        self._rates = SqlExchangeRateRepository(self)
        self._pages = SqlPageRepository(self)
        self._library = SqlLibraryRepository(self)
        self._newsletters = SqlNewsletterRepository(self)
        self._subscribers = SqlSubscriberRepository(self)
        self._deliveries = SqlDeliveryRepository(self)
        self._outbox = SqlMailOutbox(self)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._outbox = SqlMailOutbox(self)
        return self

    async def commit(self) -> None:
        await self._outbox.flush(datetime.now(UTC))
        await super().commit()

    @property
    def pages(self) -> SqlPageRepository:
        return self._pages

    @property
    def library(self) -> SqlLibraryRepository:
        return self._library

    @property
    def newsletters(self) -> SqlNewsletterRepository:
        return self._newsletters

    @property
    def subscribers(self) -> SqlSubscriberRepository:
        return self._subscribers

    @property
    def deliveries(self) -> SqlDeliveryRepository:
        return self._deliveries

    @property
    def outbox(self) -> SqlMailOutbox:
        return self._outbox

    @property
    def countries(self) -> SqlCountryRepository:
        return self._countries

    @property
    def choices(self) -> SqlChoiceRepository:
        return self._choices

    @property
    def rates(self) -> SqlExchangeRateRepository:
        return self._rates


class SqlCountryCodes:
    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def is_permitted(self, code: str) -> bool:
        stmt = select(countries.c.id).where(countries.c.code == code, countries.c.permitted.is_(True)).limit(1)
        async with self._engine.connect() as conn:
            return (await conn.execute(stmt)).first() is not None


class SqlCurrencyLookup:
    """Several countries share a phone code: the rate of the lowest country id wins (deterministic)."""

    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def currency_for(self, country_code: str) -> str | None:
        stmt = (
            select(exchange_rates.c.currency_initials)
            .join(countries, countries.c.id == exchange_rates.c.country_id)
            .where(countries.c.code == country_code)
            .order_by(countries.c.id)
            .limit(1)
        )
        async with self._engine.connect() as conn:
            value = (await conn.execute(stmt)).scalar()
        return str(value) if value is not None else None


# ------------------------------------------------------------------------------------------ memory


@dataclass(kw_only=True)
class _Choice:
    id: int = 0
    category: str
    value: str
    position: int


@dataclass(kw_only=True)
class _Rate:
    id: int = 0
    country_id: int
    rate: ExchangeRate


COUNTRIES = MemoryTable(countries, Country)
CHOICES = MemoryTable(choice_options, _Choice)
RATES = MemoryTable(exchange_rates, _Rate)


def seed_memory_content(store: InMemoryStore) -> None:
    """Fill the in-memory ``countries`` and ``choice_options`` tables from the seed files, once."""
    store.seed(
        COUNTRIES,
        (
            Country(id=0, country=c["country"], code=c["code"], permitted=bool(c["permitted"]))
            for c in load_seed("countries")
        ),
    )
    store.seed(
        CHOICES,
        (
            _Choice(category=category, value=value, position=position)
            for category, values in load_seed("valid_options").items()
            for position, value in enumerate(values)
        ),
    )


class _MemRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow


class InMemoryCountryRepository(_MemRepo):
    async def list(self, permitted: bool | None = None) -> list[Country]:
        return self._uow.select(
            COUNTRIES, lambda c: permitted is None or c.permitted == permitted, order=lambda c: c.id
        )

    async def get(self, country_id: int) -> Country | None:
        return self._uow.get(COUNTRIES, country_id)

    async def set_permitted(self, country_id: int, permitted: bool) -> None:
        self._uow.patch(COUNTRIES, country_id, permitted=permitted)


class InMemoryChoiceRepository(_MemRepo):
    async def all(self) -> dict[str, list[str]]:
        rows = self._uow.view(CHOICES).values()
        out: dict[str, list[str]] = {row.category: [] for row in sorted(rows, key=lambda r: r.id)}
        for row in sorted(rows, key=lambda r: (r.position, r.id)):
            out[row.category].append(row.value)
        return out

    async def add(self, category: str, value: str) -> bool:
        last = max((r.position for r in self._uow.view(CHOICES).values() if r.category == category), default=0)
        return self._uow.insert_or_ignore(CHOICES, _Choice(category=category, value=value, position=last + 1))

    async def remove(self, category: str, value: str) -> bool:
        return bool(self._uow.delete_where(CHOICES, lambda r: r.category == category and r.value == value))


class InMemoryExchangeRateRepository(_MemRepo):
    async def list(self) -> list[ExchangeRate]:
        by_country = self._uow.view(COUNTRIES)
        out: list[ExchangeRate] = []
        for row in self._uow.select(RATES, order=lambda r: r.country_id):
            country = by_country.get(row.country_id)
            if country is not None:
                row.rate.country, row.rate.code = country.country, country.code
            out.append(row.rate)
        return out

    async def put(self, rate: ExchangeRate) -> None:
        self._uow.upsert(RATES, _Rate(country_id=rate.country_id, rate=rate), on=("country_id",))


class InMemoryContentUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self, store: InMemoryStore, after_commit: Callable[[], None] | None = None, *, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(store, after_commit, task_kick=task_kick)
        seed_memory_content(store)
        seed_memory_pages(store)
        self._countries = InMemoryCountryRepository(self)
        self._choices = InMemoryChoiceRepository(self)
        self._rates = InMemoryExchangeRateRepository(self)
        self._pages = InMemoryPageRepository(self)
        self._library = InMemoryLibraryRepository(self)
        self._newsletters = InMemoryNewsletterRepository(self)
        self._subscribers = InMemorySubscriberRepository(self)
        self._deliveries = InMemoryDeliveryRepository(self)
        self._outbox = InMemoryMailOutbox(self)

    @property
    def pages(self) -> InMemoryPageRepository:
        return self._pages

    @property
    def library(self) -> InMemoryLibraryRepository:
        return self._library

    @property
    def newsletters(self) -> InMemoryNewsletterRepository:
        return self._newsletters

    @property
    def subscribers(self) -> InMemorySubscriberRepository:
        return self._subscribers

    @property
    def deliveries(self) -> InMemoryDeliveryRepository:
        return self._deliveries

    @property
    def outbox(self) -> InMemoryMailOutbox:
        return self._outbox

    @property
    def countries(self) -> InMemoryCountryRepository:
        return self._countries

    @property
    def choices(self) -> InMemoryChoiceRepository:
        return self._choices

    @property
    def rates(self) -> InMemoryExchangeRateRepository:
        return self._rates


class InMemoryCountryCodes:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def is_permitted(self, code: str) -> bool:
        seed_memory_content(self._store)
        return any(c.code == code and c.permitted for c in self._store.committed(COUNTRIES).values())


class InMemoryCurrencyLookup:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def currency_for(self, country_code: str) -> str | None:
        seed_memory_content(self._store)
        by_country = self._store.committed(COUNTRIES)
        for row in sorted(self._store.committed(RATES).values(), key=lambda r: r.country_id):
            country = by_country.get(row.country_id)
            if country is not None and country.code == country_code:
                return row.rate.currency_initials
        return None
