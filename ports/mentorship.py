"""Ports of the mentorship domain: sessions, invitations, saved mentors, ratings, checkouts, payments and refunds
(one unit of work), and what mentorship reads of people (profiles, rates, exchange rates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol, Self

from core.mentorship.model import Checkout, MentorshipSession, Payment, Refund, SessionStatus
from core.shared.events import DomainEvent
from core.shared.pagination import Page, PageRequest
from ports.tasks import TaskQueue

__all__ = (
    "CheckoutRepository",
    "MentorCard",
    "MentorFilters",
    "MentorReads",
    "MentorshipPeople",
    "MentorshipUnitOfWork",
    "PaymentRepository",
    "Person",
    "PersonCard",
    "RatingRepository",
    "RefundRepository",
    "SavedMentorRepository",
    "SessionRepository",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """What mentorship needs of a user to book: type, timezone, rate and name."""

    id: int
    user_type: str
    industry: str
    timezone: str
    email: str
    first_name: str
    last_name: str
    profile_photo: str | None
    session_rate_minor: int
    session_rate_currency: str

    @property
    def is_mentor(self) -> bool:
        return self.user_type == "mentor"


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonCard:
    """The mini profile the session shapes show."""

    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str | None
    qualification: str
    user_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MentorCard:
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str | None
    current_job: str | None
    years_of_experience: int | None
    technical_skills: tuple[str, ...]
    session_rate_minor: int
    session_rate_currency: str
    rating_total: int = 0
    rating_count: int = 0
    is_saved: bool = False

    @property
    def rating(self) -> float:
        """The mean of every rating the mentor received (0 before the first)."""
        return round(self.rating_total / self.rating_count, 2) if self.rating_count else 0


@dataclass(frozen=True, slots=True, kw_only=True)
class MentorFilters:
    text: str | None = None
    years: tuple[int, int] | None = None
    skill: str | None = None
    availability: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class SessionRepository(Protocol):
    async def get(self, session_id: int, *, for_update: bool = False) -> MentorshipSession | None: ...

    async def add(self, session: MentorshipSession, invitees: list[int]) -> MentorshipSession:
        """Insert the session and its invitations; returns it with its id."""
        ...

    async def update(self, session: MentorshipSession) -> None:
        """Write status, ``is_paid``, rating and ``updated_at``."""
        ...

    async def invitees(self, session_ids: list[int]) -> dict[int, list[int]]:
        """Invitee ids of each session (one statement), in invitation order."""
        ...

    async def listed(self, user_id: int, *, as_mentor: bool, statuses: tuple[SessionStatus, ...],
                     limit: int) -> list[MentorshipSession]:
        """The user's sessions as mentor (or as mentee) in these statuses, soonest first (one statement)."""
        ...

    async def invited(self, user_id: int, statuses: tuple[SessionStatus, ...],
                      limit: int) -> list[tuple[int, MentorshipSession]]:
        """``(invitation id, session)`` of the sessions the user is invited to, soonest first (one statement)."""
        ...

    async def unanswered_before(self, now: datetime, limit: int) -> list[MentorshipSession]:
        """PENDING sessions whose start is not after ``now``, oldest first (locked on PostgreSQL)."""
        ...

    async def count_unanswered_before(self, now: datetime) -> int: ...


class SavedMentorRepository(Protocol):
    async def add(self, user_id: int, mentor_id: int, at: datetime) -> bool: ...
    async def remove(self, user_id: int, mentor_id: int) -> bool: ...


class RatingRepository(Protocol):
    async def add(self, mentor_id: int, rating: int) -> None:
        """Add one rating to the mentor's aggregate (total and count), in this transaction."""
        ...


class CheckoutRepository(Protocol):
    async def live_for(self, session_id: int) -> Checkout | None: ...

    async def by_reference(self, reference: str, *, for_update: bool = False) -> Checkout | None: ...

    async def by_provider_ref(self, provider: str, provider_ref: str) -> Checkout | None: ...

    async def add(self, checkout: Checkout) -> bool:
        """Insert; ``False`` when the session already has a live checkout (also under concurrent requests)."""
        ...

    async def update(self, checkout: Checkout) -> None:
        """Write status, ``live_session_id`` and ``updated_at``."""
        ...

    async def open_before(self, cutoff: datetime, limit: int, after_id: int = 0) -> list[Checkout]:
        """Open checkouts created before ``cutoff`` with an id above ``after_id``, by id."""
        ...


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> bool:
        """Insert; ``False`` when this payment (its key or its checkout) is recorded already."""
        ...

    async def for_session(self, session_id: int) -> Payment | None:
        """The first payment recorded for the session."""
        ...


class RefundRepository(Protocol):
    async def add(self, refund: Refund) -> bool:
        """``False`` when a refund for this payment is owed already."""
        ...

    async def for_session(self, session_id: int) -> list[Refund]: ...


class MentorshipPeople(Protocol):
    async def person(self, user_id: int) -> Person | None: ...

    async def existing(self, user_ids: list[int]) -> list[int]:
        """Those of ``user_ids`` that are active users, ascending."""
        ...

    async def cards(self, user_ids: list[int]) -> dict[int, PersonCard]:
        """Mini profiles (one statement)."""
        ...

    async def rate(self, currency: str) -> Decimal | None:
        """Units of ``currency`` per US dollar (``1`` for USD), ``None`` when unknown."""
        ...


class MentorReads(Protocol):
    async def search(self, viewer_id: int, filters: MentorFilters, limit: int) -> list[MentorCard]: ...

    async def recommended(self, viewer_id: int, page: PageRequest) -> Page[MentorCard]:
        """Mentors of the viewer's industry (not the viewer), by id."""
        ...

    async def saved(self, viewer_id: int, limit: int) -> list[MentorCard]:
        """The viewer's saved mentors, most recently saved first."""
        ...

    async def mentor(self, viewer_id: int, mentor_id: int) -> MentorCard | None: ...


class MentorshipUnitOfWork(Protocol):
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def saved(self) -> SavedMentorRepository: ...
    @property
    def ratings(self) -> RatingRepository: ...
    @property
    def checkouts(self) -> CheckoutRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def refunds(self) -> RefundRepository: ...
    @property
    def people(self) -> MentorshipPeople: ...
    @property
    def tasks(self) -> TaskQueue: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None: ...
