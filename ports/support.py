"""Ports of the support domain: dispute tickets and corporate leads."""

from __future__ import annotations

from typing import Protocol, Self

from core.shared.events import DomainEvent
from core.support.model import Dispute, DisputeFilter, Lead
from ports.email import MailOutbox
from ports.staff import StaffDirectory

__all__ = ("DisputeRepository", "LeadRepository", "People", "StaffDirectory", "SupportUnitOfWork")


class DisputeRepository(Protocol):
    async def add(self, dispute: Dispute) -> Dispute: ...

    async def get(self, dispute_id: int) -> Dispute | None: ...

    async def update(self, dispute: Dispute) -> None: ...

    async def page(self, where: DisputeFilter, offset: int, limit: int) -> tuple[list[Dispute], int]:
        """Tickets matching ``where``, newest first, and how many match: two statements on an index."""
        ...

    async def counts(self) -> dict[tuple[str, str], int]:
        """Tickets per ``(category, status)``: one grouped statement."""
        ...


class LeadRepository(Protocol):
    async def add(self, lead: Lead) -> Lead:
        """Insert; an address that exists raises ``Conflict``."""
        ...

    async def email_taken(self, email: str) -> bool:
        """Whether a lead has this address, compared case-insensitively."""
        ...

    async def page(self, offset: int, limit: int) -> tuple[list[Lead], int]:
        """Leads oldest first, and how many there are."""
        ...


class People(Protocol):
    async def email(self, user_id: int) -> str | None:
        """The account's address (where a ticket's owner is told about an answer), ``None`` when it is gone."""
        ...


class SupportUnitOfWork(Protocol):
    @property
    def disputes(self) -> DisputeRepository: ...
    @property
    def leads(self) -> LeadRepository: ...
    @property
    def people(self) -> People: ...
    @property
    def outbox(self) -> MailOutbox: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
