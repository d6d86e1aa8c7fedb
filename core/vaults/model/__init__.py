"""Vaults model: a mentor's earnings ledger.

A vault is one row per mentor holding the available ``balance`` (canonical currency: USD minor units), maintained
in the same transaction as every ledger entry that moves it, under a row lock. Entries are append-only: an amount
(positive minor units) and a currency, a ``kind`` and a unique ``idempotency_key``; only a withdrawal's ``status``
changes afterwards (pending → paid | failed).

- ``EARN`` (+balance): a completed paid session's price minus the platform fee;
- ``FEE`` (balance unchanged): the platform's share of that price, kept beside the earning for the books;
- ``WITHDRAW`` (−balance at request: the funds are reserved while ``pending``; ``paid`` keeps them out; ``failed``
  gives them back);
- ``REFUND`` (−balance): money returned to a mentee out of an earning (kept available; nothing writes it yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.shared.events import DomainEvent
from core.shared.model import Entity

__all__ = (
    "CANONICAL_CURRENCY",
    "COMPLETED",
    "EARN",
    "FAILED",
    "FEE",
    "KINDS",
    "PAID",
    "PENDING",
    "REFUND",
    "VISIBLE_KINDS",
    "WITHDRAW",
    "WITHDRAWAL_STATUSES",
    "CreditEarning",
    "DisplayRate",
    "Entry",
    "Vault",
    "WithdrawalRequested",
    "WithdrawalSettled",
    "split_fee",
)

CANONICAL_CURRENCY = "USD"

EARN = "EARN"
WITHDRAW = "WITHDRAW"
FEE = "FEE"
REFUND = "REFUND"
KINDS = (EARN, WITHDRAW, FEE, REFUND)
VISIBLE_KINDS = (EARN, WITHDRAW, REFUND)
"""What a mentor's transaction lists show (the FEE entries are the platform's bookkeeping)."""

COMPLETED = "completed"
PENDING = "pending"
PAID = "paid"
FAILED = "failed"
WITHDRAWAL_STATUSES = (PENDING, PAID, FAILED)


def split_fee(price: int, fee_basis_points: int) -> tuple[int, int]:
    """``(earning, fee)`` of ``price`` minor units: ``fee = price × bps // 10 000`` — rounded **down** to the minor
    unit, so a fraction of a cent goes to the mentor — and ``earning = price − fee`` (they always add up)."""
    if price < 0 or not 0 <= fee_basis_points <= 10_000:
        raise ValueError("price must be ≥ 0 and the fee between 0 and 10000 basis points")
    fee = price * fee_basis_points // 10_000
    return price - fee, fee


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditEarning:
    """The payload of the ``vaults.credit-earning`` task (contracts.md): the price of a completed paid session, in
    canonical USD minor units, and the unique id of the recorded payment."""

    mentor_id: int
    session_id: int
    session_type: str
    payment_key: str
    amount: int
    currency: str = CANONICAL_CURRENCY


@dataclass(frozen=True, slots=True)
class DisplayRate:
    """How a mentor sees amounts: ``currency`` initials and ``rate`` local units per USD as exact decimal text
    (``"1500"``); ``rate`` ``None`` shows USD."""

    currency: str = CANONICAL_CURRENCY
    rate: str | None = None


@dataclass(kw_only=True)
class Vault:
    mentor_id: int
    currency: str = CANONICAL_CURRENCY
    balance: int = 0
    updated_at: datetime


@dataclass(frozen=True, kw_only=True)
class WithdrawalRequested(DomainEvent):
    """Mentor ``mentor_id`` asked to withdraw entry ``entry_id``'s ``amount`` minor units of ``currency``."""

    mentor_id: int
    entry_id: int
    amount: int
    currency: str
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class WithdrawalSettled(DomainEvent):
    """Administrator ``actor_id`` marked withdrawal ``entry_id`` of ``mentor_id`` ``status`` (paid or failed)."""

    mentor_id: int
    entry_id: int
    actor_id: int
    status: str
    occurred_at: datetime


@dataclass(eq=False, kw_only=True)
class Entry(Entity):
    mentor_id: int
    kind: str
    amount: int
    """Positive minor units of ``currency``; the kind says which way it moves the balance."""
    currency: str = CANONICAL_CURRENCY
    idempotency_key: str
    status: str = COMPLETED
    session_id: int | None = None
    session_type: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    """A withdrawal's method and account details; a payment's key."""
    created_at: datetime
    settled_at: datetime | None = None
    settled_by: int | None = None

    def settle(self, actor_id: int, status: str, now: datetime) -> None:
        self.status = status
        self.settled_at = now
        self.settled_by = actor_id
        self.record(WithdrawalSettled(mentor_id=self.mentor_id, entry_id=self.id, actor_id=actor_id, status=status,
                                      occurred_at=now))
