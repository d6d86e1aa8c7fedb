"""The in-memory twin of the mentorship repositories and read models, on ``adapters/db/memory.py`` (the unique
constraints — one live checkout per session, one payment per key and per checkout — come from the SQL tables)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from adapters.db.accounts import PROFILES, USERS
from adapters.db.content import RATES
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.mentorship import mentor_matches
from adapters.db.tables.mentorship import (
    mentor_ratings,
    mentorship_checkouts,
    mentorship_invitations,
    mentorship_payments,
    mentorship_refunds,
    mentorship_sessions,
    saved_mentors,
)
from core.mentorship.model import (
    Checkout,
    CheckoutStatus,
    MentorshipSession,
    Payment,
    Refund,
    SessionStatus,
)
from core.shared.pagination import Page, PageRequest
from ports.mentorship import MentorCard, MentorFilters, Person, PersonCard
from ports.readcache import ViewInvalidation
from ports.tasks import TaskKick

__all__ = ("InMemoryMentorReads", "InMemoryMentorshipUnitOfWork")


@dataclass(kw_only=True)
class _Invitation:
    id: int = 0
    session_id: int
    invitee_id: int
    position: int


@dataclass(kw_only=True)
class _Saved:
    user_id: int
    mentor_id: int
    created_at: datetime


@dataclass(kw_only=True)
class _Rating:
    mentor_id: int
    total: int
    count: int


SESSIONS = MemoryTable(mentorship_sessions, MentorshipSession)
INVITATIONS = MemoryTable(mentorship_invitations, _Invitation)
SAVED = MemoryTable(saved_mentors, _Saved)
RATINGS = MemoryTable(mentor_ratings, _Rating)
CHECKOUTS = MemoryTable(mentorship_checkouts, Checkout)
PAYMENTS = MemoryTable(mentorship_payments, Payment)
REFUNDS = MemoryTable(mentorship_refunds, Refund)


def _row(session: MentorshipSession) -> MentorshipSession:
    row = dataclasses.replace(session)
    row.pending_events = []
    return row


class _Sessions:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, session_id: int, *, for_update: bool = False) -> MentorshipSession | None:
        return self._uow.get(SESSIONS, session_id)

    async def add(self, session: MentorshipSession, invitees: list[int]) -> MentorshipSession:
        row = _row(session)
        session.id = self._uow.insert(SESSIONS, row)
        for n, invitee in enumerate(invitees):
            self._uow.insert(INVITATIONS, _Invitation(session_id=session.id, invitee_id=invitee, position=n))
        return session

    async def update(self, session: MentorshipSession) -> None:
        self._uow.patch(SESSIONS, session.id, status=session.status, is_paid=session.is_paid, rating=session.rating,
                        updated_at=session.updated_at)

    async def invitees(self, session_ids: list[int]) -> dict[int, list[int]]:
        wanted = set(session_ids)
        found: dict[int, list[int]] = {}
        for inv in sorted(self._uow.view(INVITATIONS).values(), key=lambda i: (i.session_id, i.position)):
            if inv.session_id in wanted:
                found.setdefault(inv.session_id, []).append(inv.invitee_id)
        return found

    async def listed(self, user_id: int, *, as_mentor: bool, statuses: tuple[SessionStatus, ...],
                     limit: int) -> list[MentorshipSession]:
        return self._uow.select(
            SESSIONS,
            lambda s: (s.mentor_id if as_mentor else s.mentee_id) == user_id and s.status in statuses,
            order=lambda s: (s.starts_at, s.id), limit=limit,
        )

    async def invited(self, user_id: int, statuses: tuple[SessionStatus, ...],
                      limit: int) -> list[tuple[int, MentorshipSession]]:
        sessions = self._uow.view(SESSIONS)
        found = [
            (inv.id, s) for inv in self._uow.view(INVITATIONS).values()
            if inv.invitee_id == user_id and (s := sessions.get(inv.session_id)) is not None and s.status in statuses
        ]
        found.sort(key=lambda pair: (pair[1].starts_at, pair[1].id))
        return [(i, dataclasses.replace(s)) for i, s in found[:limit]]

    async def unanswered_before(self, now: datetime, limit: int) -> list[MentorshipSession]:
        return self._uow.select(SESSIONS, lambda s: s.status is SessionStatus.PENDING and s.starts_at <= now,
                                order=lambda s: (s.starts_at, s.id), limit=limit)

    async def count_unanswered_before(self, now: datetime) -> int:
        return self._uow.count(SESSIONS, lambda s: s.status is SessionStatus.PENDING and s.starts_at <= now)


class _SavedMentors:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, user_id: int, mentor_id: int, at: datetime) -> bool:
        return self._uow.insert_or_ignore(SAVED, _Saved(user_id=user_id, mentor_id=mentor_id, created_at=at))

    async def remove(self, user_id: int, mentor_id: int) -> bool:
        return self._uow.delete(SAVED, (user_id, mentor_id))


class _Ratings:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, mentor_id: int, rating: int) -> None:
        row = self._uow.get(RATINGS, mentor_id)
        if row is None:
            self._uow.insert(RATINGS, _Rating(mentor_id=mentor_id, total=rating, count=1))
        else:
            self._uow.patch(RATINGS, mentor_id, total=row.total + rating, count=row.count + 1)


class _Checkouts:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def live_for(self, session_id: int) -> Checkout | None:
        return self._uow.find(CHECKOUTS, lambda c: c.live_session_id == session_id)

    async def by_reference(self, reference: str, *, for_update: bool = False) -> Checkout | None:
        return self._uow.find(CHECKOUTS, lambda c: c.reference == reference)

    async def by_provider_ref(self, provider: str, provider_ref: str) -> Checkout | None:
        found = self._uow.select(CHECKOUTS, lambda c: c.provider == provider and c.provider_ref == provider_ref,
                                 order=lambda c: c.id, limit=1)
        return found[0] if found else None

    async def add(self, checkout: Checkout) -> bool:
        row = dataclasses.replace(checkout)
        if not self._uow.insert_or_ignore(CHECKOUTS, row):
            return False
        checkout.id = row.id
        return True

    async def update(self, checkout: Checkout) -> None:
        self._uow.patch(CHECKOUTS, checkout.id, status=checkout.status, live_session_id=checkout.live_session_id,
                        updated_at=checkout.updated_at)

    async def open_before(self, cutoff: datetime, limit: int, after_id: int = 0) -> list[Checkout]:
        return self._uow.select(
            CHECKOUTS, lambda c: c.status is CheckoutStatus.OPEN and c.id > after_id and c.created_at < cutoff,
            order=lambda c: c.id, limit=limit,
        )


class _Payments:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, payment: Payment) -> bool:
        row = dataclasses.replace(payment)
        if not self._uow.insert_or_ignore(PAYMENTS, row):
            return False
        payment.id = row.id
        return True

    async def for_session(self, session_id: int) -> Payment | None:
        found = self._uow.select(PAYMENTS, lambda p: p.session_id == session_id, order=lambda p: p.id, limit=1)
        return found[0] if found else None


class _Refunds:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, refund: Refund) -> bool:
        row = dataclasses.replace(refund)
        if not self._uow.insert_or_ignore(REFUNDS, row):
            return False
        refund.id = row.id
        return True

    async def for_session(self, session_id: int) -> list[Refund]:
        return self._uow.select(REFUNDS, lambda r: r.session_id == session_id, order=lambda r: r.id)


class _People:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def person(self, user_id: int) -> Person | None:
        user = self._uow.view(USERS).get(user_id)
        profile = self._uow.view(PROFILES).get(user_id)
        if user is None or profile is None or not user.is_active:
            return None
        return Person(id=user.id, user_type=str(user.user_type), industry=user.industry, timezone=profile.timezone,
                      email=user.email, first_name=profile.first_name, last_name=profile.last_name,
                      profile_photo=profile.profile_photo, session_rate_minor=profile.session_rate_minor,
                      session_rate_currency=profile.session_rate_currency)

    async def existing(self, user_ids: list[int]) -> list[int]:
        users = self._uow.view(USERS)
        return sorted(i for i in set(user_ids) if (u := users.get(i)) is not None and u.is_active)

    async def cards(self, user_ids: list[int]) -> dict[int, PersonCard]:
        return _cards(self._uow.view(USERS), self._uow.view(PROFILES), user_ids)

    async def rate(self, currency: str) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        for row in sorted(self._uow.view(RATES).values(), key=lambda r: r.id):
            if row.rate.currency_initials == currency:
                return row.rate.rate
        return None


def _cards(users: Mapping[Any, Any], profiles: Mapping[Any, Any], user_ids: list[int]) -> dict[int, PersonCard]:
    found: dict[int, PersonCard] = {}
    for i in set(user_ids):
        user, profile = users.get(i), profiles.get(i)
        if user is not None and profile is not None:
            found[i] = PersonCard(id=i, first_name=profile.first_name, last_name=profile.last_name,
                                  middle_name=profile.middle_name, profile_photo=profile.profile_photo,
                                  qualification=profile.qualification, user_type=str(user.user_type))
    return found


class InMemoryMentorshipUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self, store: InMemoryStore, *, views: ViewInvalidation | None = None, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(store, views=views, task_kick=task_kick)
        self.sessions = _Sessions(self)
        self.saved = _SavedMentors(self)
        self.ratings = _Ratings(self)
        self.checkouts = _Checkouts(self)
        self.payments = _Payments(self)
        self.refunds = _Refunds(self)
        self.people = _People(self)


class InMemoryMentorReads:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _cards(self, viewer_id: int) -> list[tuple[MentorCard, str, list[str], str | None]]:
        users = self._store.committed(USERS)
        profiles = self._store.committed(PROFILES)
        ratings = self._store.committed(RATINGS)
        saved = {s.mentor_id for s in self._store.committed(SAVED).values() if s.user_id == viewer_id}
        found = []
        for user in users.values():
            profile = profiles.get(user.id)
            if profile is None or str(user.user_type) != "mentor" or not user.is_active:
                continue
            rating = ratings.get(user.id)
            card = MentorCard(
                id=user.id, first_name=profile.first_name, last_name=profile.last_name,
                middle_name=profile.middle_name, profile_photo=profile.profile_photo, current_job=profile.current_job,
                years_of_experience=profile.years_of_experience, technical_skills=tuple(profile.technical_skills),
                session_rate_minor=profile.session_rate_minor, session_rate_currency=profile.session_rate_currency,
                rating_total=rating.total if rating else 0, rating_count=rating.count if rating else 0,
                is_saved=user.id in saved,
            )
            found.append((card, profile.bio, list(profile.areas_of_expertise), profile.availability))
        return found

    async def search(self, viewer_id: int, filters: MentorFilters, limit: int) -> list[MentorCard]:
        rows = sorted(self._cards(viewer_id), key=lambda r: r[0].id, reverse=True)
        rows = [r for r in rows if r[0].id != viewer_id]
        return [c for c, bio, areas, avail in rows if mentor_matches(c, bio, areas, avail, filters)][:limit]

    async def recommended(self, viewer_id: int, page: PageRequest) -> Page[MentorCard]:
        viewer = self._store.committed(USERS).get(viewer_id)
        users = self._store.committed(USERS)
        industry = viewer.industry if viewer is not None else None
        rows = sorted((c for c, *_ in self._cards(viewer_id)
                       if c.id != viewer_id and users[c.id].industry == industry), key=lambda c: c.id)
        return Page(rows[page.offset: page.offset + page.size], len(rows), page)

    async def saved(self, viewer_id: int, limit: int) -> list[MentorCard]:
        order = {s.mentor_id: (s.created_at, s.mentor_id)
                 for s in self._store.committed(SAVED).values() if s.user_id == viewer_id}
        cards = [c for c, *_ in self._cards(viewer_id) if c.id in order]
        return sorted(cards, key=lambda c: order[c.id], reverse=True)[:limit]

    async def mentor(self, viewer_id: int, mentor_id: int) -> MentorCard | None:
        return next((c for c, *_ in self._cards(viewer_id) if c.id == mentor_id), None)
