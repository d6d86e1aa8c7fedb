"""Mentorship sessions, their one status machine, the payment records and the domain events (facts only).

Status machine (issue 23): ``PENDING → ACCEPTED | REJECTED | CANCELLED | EXPIRED``; ``ACCEPTED → COMPLETED`` (only once
paid: free sessions are paid by definition) ``| CANCELLED``. Nothing leaves ``REJECTED``, ``CANCELLED``, ``EXPIRED``
or ``COMPLETED``. Sessions are never deleted: the documented lists leave the terminal failures out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.shared.errors import InvalidInput
from core.shared.events import DomainEvent
from core.shared.model import Entity

__all__ = (
    "MAX_INVITEES",
    "Checkout",
    "CheckoutStatus",
    "MentorshipSession",
    "Payment",
    "Refund",
    "SessionAccepted",
    "SessionBooked",
    "SessionCompleted",
    "SessionExpired",
    "SessionInvited",
    "SessionPaid",
    "SessionRejected",
    "SessionStatus",
    "SessionType",
    "transition_allowed",
)

MAX_INVITEES = 10


class SessionStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    COMPLETED = "COMPLETED"


class SessionType(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"


_TRANSITIONS: dict[SessionStatus, frozenset[SessionStatus]] = {
    SessionStatus.PENDING: frozenset(
        {SessionStatus.ACCEPTED, SessionStatus.REJECTED, SessionStatus.CANCELLED, SessionStatus.EXPIRED}
    ),
    SessionStatus.ACCEPTED: frozenset({SessionStatus.COMPLETED, SessionStatus.CANCELLED}),
    SessionStatus.REJECTED: frozenset(),
    SessionStatus.CANCELLED: frozenset(),
    SessionStatus.EXPIRED: frozenset(),
    SessionStatus.COMPLETED: frozenset(),
}


def transition_allowed(current: SessionStatus, wanted: SessionStatus, *, is_paid: bool) -> bool:
    """The one rule set: the table above, and COMPLETED only for a paid (or free) session."""
    if wanted not in _TRANSITIONS[current]:
        return False
    return wanted is not SessionStatus.COMPLETED or is_paid


# ------------------------------------------------------------------------------------------------ events


@dataclass(frozen=True, kw_only=True)
class SessionBooked(DomainEvent):
    """``actor_id`` (the mentee) booked ``session_id`` with the mentor ``recipient_id``."""

    session_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class SessionInvited(DomainEvent):
    """``actor_id`` (the mentee) invited ``recipient_id`` to the group session ``session_id``."""

    session_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class SessionAccepted(DomainEvent):
    """The mentor ``actor_id`` accepted the request of ``recipient_id`` (the mentee)."""

    session_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class SessionRejected(DomainEvent):
    session_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class SessionExpired(DomainEvent):
    """Nobody answered the request of ``recipient_id`` to the mentor ``actor_id`` before its time."""

    session_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class SessionPaid(DomainEvent):
    """The payment of ``session_id`` by ``actor_id`` (the mentee) was recorded; told to ``recipient_id`` (one
    event per participant told: the mentee and the mentor)."""

    session_id: int
    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class SessionCompleted(DomainEvent):
    """The mentee ``actor_id`` marked ``session_id`` completed; told to ``recipient_id`` (the mentee and the mentor)."""

    session_id: int
    actor_id: int
    recipient_id: int
    rating: int
    occurred_at: datetime


# ------------------------------------------------------------------------------------------------ entities


@dataclass(eq=False, kw_only=True)
class MentorshipSession(Entity):
    mentor_id: int
    mentee_id: int
    session_type: SessionType
    room_name: str
    starts_at: datetime
    ends_at: datetime
    discourse: str
    price_minor: int
    """The mentor's rate when booked, in ``price_currency`` minor units."""
    price_currency: str
    price_usd_minor: int
    """The same price in US cents (the canonical amount: Stripe charges it, the vault is credited from it)."""
    created_at: datetime
    updated_at: datetime
    status: SessionStatus = SessionStatus.PENDING
    is_paid: bool = False
    rating: int = 0

    @property
    def is_free(self) -> bool:
        return self.price_minor == 0

    def participants(self, invitees: list[int]) -> set[int]:
        return {self.mentor_id, self.mentee_id, *invitees}

    def _move(self, wanted: SessionStatus, now: datetime, message: str) -> None:
        if not transition_allowed(self.status, wanted, is_paid=self.is_paid):
            raise InvalidInput.field("session", message)
        self.status = wanted
        self.updated_at = now

    def accept(self, now: datetime) -> None:
        if self.status is SessionStatus.ACCEPTED:
            raise InvalidInput.field("session", "This session has already been accepted")
        if self.status is SessionStatus.PENDING and now >= self.starts_at:
            raise InvalidInput.field("session", "This session request has expired.")
        self._move(SessionStatus.ACCEPTED, now, f"A {self.status.lower()} session cannot be accepted.")
        self.record(SessionAccepted(session_id=self.id, actor_id=self.mentor_id, recipient_id=self.mentee_id,
                                    occurred_at=now))

    def reject(self, now: datetime) -> None:
        if self.status is SessionStatus.ACCEPTED:
            raise InvalidInput.field("session", "This session has already been accepted")
        self._move(SessionStatus.REJECTED, now, f"A {self.status.lower()} session cannot be rejected.")
        self.record(SessionRejected(session_id=self.id, actor_id=self.mentor_id, recipient_id=self.mentee_id,
                                    occurred_at=now))

    def cancel(self, now: datetime) -> bool:
        """Cancel; ``True`` when money was paid for it (a refund is owed)."""
        self._move(SessionStatus.CANCELLED, now, f"A {self.status.lower()} session cannot be cancelled.")
        return self.is_paid and not self.is_free

    def expire(self, now: datetime) -> None:
        self._move(SessionStatus.EXPIRED, now, f"A {self.status.lower()} session cannot expire.")
        self.record(SessionExpired(session_id=self.id, actor_id=self.mentor_id, recipient_id=self.mentee_id,
                                   occurred_at=now))

    def mark_paid(self, now: datetime) -> None:
        self.is_paid = True
        self.updated_at = now
        for told in (self.mentee_id, self.mentor_id):
            self.record(SessionPaid(session_id=self.id, actor_id=self.mentee_id, recipient_id=told, occurred_at=now))

    def complete(self, rating: int, now: datetime) -> None:
        if self.status is SessionStatus.COMPLETED:
            raise InvalidInput.field("session", "This session has been completed.")
        if not self.is_paid:
            raise InvalidInput.field("session", "Cannot annotate a session that has not been paid for.")
        if self.status is not SessionStatus.ACCEPTED or now < self.starts_at:
            raise InvalidInput.field("session", "This session has not been Completed.")
        self._move(SessionStatus.COMPLETED, now, "This session has not been Completed.")
        self.rating = rating
        for told in (self.mentee_id, self.mentor_id):
            self.record(SessionCompleted(session_id=self.id, actor_id=self.mentee_id, recipient_id=told,
                                         rating=rating, occurred_at=now))


class CheckoutStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    FAILED = "failed"
    SUPERSEDED = "superseded"


@dataclass(kw_only=True)
class Checkout:
    """One hosted checkout we opened for a session. ``live_session_id`` is the session's id while the checkout is
    open (unique: at most one live checkout per session), ``None`` afterwards."""

    id: int = 0
    session_id: int
    payer_id: int
    provider: str
    reference: str
    provider_ref: str
    url: str
    amount: int
    currency: str
    status: CheckoutStatus
    created_at: datetime
    updated_at: datetime
    live_session_id: int | None = None
    expires_at: datetime | None = None


@dataclass(kw_only=True)
class Payment:
    """A payment recorded once (unique ``payment_key`` = ``"<provider>:<provider payment id>"`` and one per
    checkout)."""

    id: int = 0
    session_id: int
    checkout_id: int
    provider: str
    provider_payment_id: str
    payment_key: str
    amount: int
    currency: str
    usd_amount: int
    paid_at: datetime


@dataclass(kw_only=True)
class Refund:
    """A refund owed: a paid session was cancelled, or a payment arrived for a session already paid or closed."""

    id: int = 0
    session_id: int
    payment_id: int
    amount: int
    currency: str
    reason: str
    created_at: datetime
    status: str = "owed"
