"""Ports of the vaults domain: the ledger (vault rows and their entries) and who mentors are."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, Self

from core.shared.events import DomainEvent
from core.vaults.model import DisplayRate, Entry, Vault
from ports.staff import StaffDirectory

__all__ = ("Ledger", "Mentors", "StaffDirectory", "VaultsUnitOfWork")


class Ledger(Protocol):
    async def lock(self, mentor_id: int, currency: str, now: datetime) -> Vault:
        """The mentor's vault, created empty if missing, **locked** until the unit of work ends (``SELECT … FOR
        UPDATE`` on PostgreSQL; SQLite's write lock): every change to one vault is serialized here."""
        ...

    async def vault(self, mentor_id: int) -> Vault | None:
        """Read only, no lock."""
        ...

    async def by_key(self, idempotency_key: str) -> Entry | None: ...

    async def append(self, entry: Entry) -> Entry:
        """Insert an entry (sets its id); an idempotency key that exists raises ``Conflict``."""
        ...

    async def move(self, mentor_id: int, delta: int, now: datetime) -> int | None:
        """``balance += delta`` unless that would go below zero (a conditional ``UPDATE … WHERE balance + delta >=
        0``): the new balance, or ``None`` when refused."""
        ...

    async def entry(self, entry_id: int) -> Entry | None:
        """Read only, no lock."""
        ...

    async def entry_for_update(self, entry_id: int) -> Entry | None:
        """The entry, locked until the unit of work ends (PostgreSQL)."""
        ...

    async def settle(self, entry: Entry) -> None:
        """Write a withdrawal's ``status``, ``settled_at`` and ``settled_by``."""
        ...

    async def recent(self, mentor_id: int, limit: int) -> list[Entry]:
        """The mentor's visible entries (EARN, WITHDRAW, REFUND), newest first: one statement."""
        ...

    async def page(self, mentor_id: int, offset: int, limit: int) -> tuple[list[Entry], int]:
        """A page of the mentor's visible entries, newest first, and how many there are: two statements."""
        ...

    async def withdrawals(self, status: str | None, offset: int, limit: int) -> tuple[list[Entry], int]:
        """Withdrawals of every mentor (optionally of one status), oldest first: two statements."""
        ...


class Mentors(Protocol):
    async def is_mentor(self, user_id: int) -> bool:
        """An active account of type ``mentor``."""
        ...

    async def display_rate(self, user_id: int) -> DisplayRate:
        """The currency a user sees amounts in: the exchange rate of the country of their profile's phone code
        (the lowest country id among those sharing the code), USD when there is none."""
        ...


class VaultsUnitOfWork(Protocol):
    @property
    def ledger(self) -> Ledger: ...
    @property
    def mentors(self) -> Mentors: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None: ...
