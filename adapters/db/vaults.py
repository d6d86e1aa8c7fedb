"""Vaults ledger and unit of work: SQL and in-memory twins.

Every change to a vault happens under its row lock: ``lock`` creates the row if missing (``INSERT … ON CONFLICT
DO NOTHING``) then takes ``SELECT … FOR UPDATE`` on PostgreSQL (SQLite's writers already hold the database write
lock from ``BEGIN IMMEDIATE``). Balances move with a conditional ``UPDATE … WHERE balance + :delta >= 0``, and the
``CHECK (balance >= 0)`` constraint stands behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, Table, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import PROFILES, USERS
from adapters.db.content import COUNTRIES, RATES
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.content import countries, exchange_rates
from adapters.db.tables.vaults import vault_entries, vaults
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.shared.errors import Conflict
from core.vaults.model import VISIBLE_KINDS, WITHDRAW, DisplayRate, Entry, Vault
from ports.readcache import ViewInvalidation

__all__ = ("ENTRIES", "VAULTS", "InMemoryVaultsUnitOfWork", "SqlVaultsUnitOfWork")

ENTRY_TAKEN = "This ledger entry already exists."
_COLUMNS = ("mentor_id", "kind", "amount", "currency", "idempotency_key", "status", "session_id", "session_type",
            "details", "created_at", "settled_at", "settled_by")


def _entry(r: Any) -> Entry:
    values = {c: r[c] for c in _COLUMNS}
    values["details"] = dict(values["details"] or {})
    return Entry(id=int(r["id"]), **values)


def _vault(r: Any) -> Vault:
    return Vault(mentor_id=int(r["mentor_id"]), currency=r["currency"], balance=int(r["balance"]),
                 updated_at=r["updated_at"])


def _insert_ignore(uow: SqlUnitOfWork, table: Table) -> Insert:
    if uow.connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if uow.connection.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return insert(table).prefix_with("OR IGNORE")


class SqlLedger:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _locking(self) -> bool:
        return self._uow.connection.dialect.name == "postgresql"

    async def lock(self, mentor_id: int, currency: str, now: datetime) -> Vault:
        await self._uow.execute(
            _insert_ignore(self._uow, vaults).values(mentor_id=mentor_id, currency=currency, balance=0,
                                                     updated_at=now)
        )
        stmt = select(vaults).where(vaults.c.mentor_id == mentor_id)
        if self._locking():
            stmt = stmt.with_for_update()
        return _vault((await self._uow.execute(stmt)).mappings().one())

    async def vault(self, mentor_id: int) -> Vault | None:
        row = (await self._uow.execute(select(vaults).where(vaults.c.mentor_id == mentor_id))).mappings().first()
        return _vault(row) if row else None

    async def by_key(self, idempotency_key: str) -> Entry | None:
        stmt = select(vault_entries).where(vault_entries.c.idempotency_key == idempotency_key)
        row = (await self._uow.execute(stmt)).mappings().first()
        return _entry(row) if row else None

    async def append(self, entry: Entry) -> Entry:
        values = {c: getattr(entry, c) for c in _COLUMNS}
        try:
            async with self._uow.connection.begin_nested():
                result = await self._uow.execute(
                    insert(vault_entries).values(**values).returning(vault_entries.c.id)
                )
        except IntegrityError as exc:
            raise Conflict(ENTRY_TAKEN) from exc
        entry.id = int(result.scalar_one())
        return entry

    async def move(self, mentor_id: int, delta: int, now: datetime) -> int | None:
        stmt = (
            update(vaults)
            .where(vaults.c.mentor_id == mentor_id, vaults.c.balance + delta >= 0)
            .values(balance=vaults.c.balance + delta, updated_at=now)
            .returning(vaults.c.balance)
        )
        value = (await self._uow.execute(stmt)).scalar()
        return int(value) if value is not None else None

    async def entry(self, entry_id: int) -> Entry | None:
        row = (await self._uow.execute(select(vault_entries).where(vault_entries.c.id == entry_id))).mappings().first()
        return _entry(row) if row else None

    async def entry_for_update(self, entry_id: int) -> Entry | None:
        stmt = select(vault_entries).where(vault_entries.c.id == entry_id)
        if self._locking():
            stmt = stmt.with_for_update()
        row = (await self._uow.execute(stmt)).mappings().first()
        return _entry(row) if row else None

    async def settle(self, entry: Entry) -> None:
        await self._uow.execute(
            update(vault_entries)
            .where(vault_entries.c.id == entry.id)
            .values(status=entry.status, settled_at=entry.settled_at, settled_by=entry.settled_by)
        )

    async def recent(self, mentor_id: int, limit: int) -> list[Entry]:
        stmt = (
            select(vault_entries)
            .where(vault_entries.c.mentor_id == mentor_id, vault_entries.c.kind.in_(VISIBLE_KINDS))
            .order_by(vault_entries.c.id.desc())
            .limit(limit)
        )
        return [_entry(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def page(self, mentor_id: int, offset: int, limit: int) -> tuple[list[Entry], int]:
        where = (vault_entries.c.mentor_id == mentor_id, vault_entries.c.kind.in_(VISIBLE_KINDS))
        total = (await self._uow.execute(select(func.count()).select_from(vault_entries).where(*where))).scalar_one()
        stmt = select(vault_entries).where(*where).order_by(vault_entries.c.id.desc()).offset(offset).limit(limit)
        return [_entry(r) for r in (await self._uow.execute(stmt)).mappings().all()], int(total)

    async def withdrawals(self, status: str | None, offset: int, limit: int) -> tuple[list[Entry], int]:
        where = [vault_entries.c.kind == WITHDRAW]
        if status is not None:
            where.append(vault_entries.c.status == status)
        total = (await self._uow.execute(select(func.count()).select_from(vault_entries).where(*where))).scalar_one()
        stmt = select(vault_entries).where(*where).order_by(vault_entries.c.id).offset(offset).limit(limit)
        return [_entry(r) for r in (await self._uow.execute(stmt)).mappings().all()], int(total)


class SqlMentors:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def is_mentor(self, user_id: int) -> bool:
        stmt = select(users.c.id).where(users.c.id == user_id, users.c.user_type == "mentor",
                                        users.c.is_active.is_(True))
        return (await self._uow.execute(stmt)).first() is not None

    async def display_rate(self, user_id: int) -> DisplayRate:
        stmt = (
            select(exchange_rates.c.currency_initials, exchange_rates.c.rate)
            .select_from(profiles)
            .join(countries, countries.c.code == profiles.c.country_code)
            .join(exchange_rates, exchange_rates.c.country_id == countries.c.id)
            .where(profiles.c.user_id == user_id)
            .order_by(countries.c.id)
            .limit(1)
        )
        row = (await self._uow.execute(stmt)).mappings().first()
        return DisplayRate(str(row["currency_initials"]), str(row["rate"])) if row else DisplayRate()


class SqlVaultsUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_ledger", "_mentors")

    def __init__(
        self,
        engine: AsyncEngine,
        after_commit: Callable[[], None] | None = None,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(engine, after_commit, views=views, task_kick=task_kick)
        self._ledger = SqlLedger(self)
        self._mentors = SqlMentors(self)

    @property
    def ledger(self) -> SqlLedger:
        return self._ledger

    @property
    def mentors(self) -> SqlMentors:
        return self._mentors


# ------------------------------------------------------------------------------------------ memory

VAULTS = MemoryTable(vaults, Vault)
ENTRIES = MemoryTable(vault_entries, Entry, conflict=ENTRY_TAKEN)


class InMemoryLedger:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def lock(self, mentor_id: int, currency: str, now: datetime) -> Vault:
        # The in-memory unit of work holds the store's lock for its whole life: every writer is serialized.
        self._uow.insert_or_ignore(VAULTS, Vault(mentor_id=mentor_id, currency=currency, balance=0, updated_at=now))
        vault = self._uow.get(VAULTS, mentor_id)
        assert vault is not None
        return vault

    async def vault(self, mentor_id: int) -> Vault | None:
        return self._uow.get(VAULTS, mentor_id)

    async def by_key(self, idempotency_key: str) -> Entry | None:
        return self._uow.find(ENTRIES, lambda e: e.idempotency_key == idempotency_key)

    async def append(self, entry: Entry) -> Entry:
        if entry.amount <= 0:
            raise ValueError("CHECK amount > 0")  # what the SQL constraint refuses
        entry.id = self._uow.insert(ENTRIES, entry)
        return entry

    async def move(self, mentor_id: int, delta: int, now: datetime) -> int | None:
        vault = self._uow.get(VAULTS, mentor_id)
        if vault is None or vault.balance + delta < 0:
            return None
        self._uow.patch(VAULTS, mentor_id, balance=vault.balance + delta, updated_at=now)
        return vault.balance + delta

    async def entry(self, entry_id: int) -> Entry | None:
        return self._uow.get(ENTRIES, entry_id)

    async def entry_for_update(self, entry_id: int) -> Entry | None:
        return self._uow.get(ENTRIES, entry_id)

    async def settle(self, entry: Entry) -> None:
        self._uow.patch(ENTRIES, entry.id, status=entry.status, settled_at=entry.settled_at,
                        settled_by=entry.settled_by)

    async def recent(self, mentor_id: int, limit: int) -> list[Entry]:
        return self._uow.select(ENTRIES, lambda e: e.mentor_id == mentor_id and e.kind in VISIBLE_KINDS,
                                order=lambda e: -e.id, limit=limit)

    async def page(self, mentor_id: int, offset: int, limit: int) -> tuple[list[Entry], int]:
        rows = self._uow.select(ENTRIES, lambda e: e.mentor_id == mentor_id and e.kind in VISIBLE_KINDS,
                                order=lambda e: -e.id)
        return rows[offset : offset + limit], len(rows)

    async def withdrawals(self, status: str | None, offset: int, limit: int) -> tuple[list[Entry], int]:
        rows = self._uow.select(
            ENTRIES, lambda e: e.kind == WITHDRAW and (status is None or e.status == status), order=lambda e: e.id
        )
        return rows[offset : offset + limit], len(rows)


class InMemoryMentors:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def is_mentor(self, user_id: int) -> bool:
        user = self._uow.view(USERS).get(user_id)
        return user is not None and user.is_active and str(user.user_type) == "mentor"

    async def display_rate(self, user_id: int) -> DisplayRate:
        profile = self._uow.view(PROFILES).get(user_id)
        if profile is None:
            return DisplayRate()
        ids = sorted(c.id for c in self._uow.view(COUNTRIES).values() if c.code == profile.country_code)
        rates = {r.country_id: r for r in self._uow.view(RATES).values()}
        for country_id in ids:
            if country_id in rates:
                rate = rates[country_id].rate
                return DisplayRate(rate.currency_initials, str(rate.rate))
        return DisplayRate()


class InMemoryVaultsUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self,
        store: InMemoryStore,
        after_commit: Callable[[], None] | None = None,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(store, after_commit, views=views, task_kick=task_kick)
        self._ledger = InMemoryLedger(self)
        self._mentors = InMemoryMentors(self)

    @property
    def ledger(self) -> InMemoryLedger:
        return self._ledger

    @property
    def mentors(self) -> InMemoryMentors:
        return self._mentors

