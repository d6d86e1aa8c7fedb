"""Mentorship repositories, unit of work and read models over SQL (SQLite and PostgreSQL).

Every uniqueness rule is a constraint written with ``INSERT … ON CONFLICT DO NOTHING`` (one live checkout per
session, one payment per provider payment and per checkout, one refund per payment, one save per pair), so
concurrent duplicates end as one row and a ``False`` answer. ``for_update`` locks rows on PostgreSQL (SQLite
serialises writers)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Insert, RowMapping, Table, and_, delete, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.content import exchange_rates
from adapters.db.tables.mentorship import (
    mentor_ratings,
    mentorship_checkouts,
    mentorship_invitations,
    mentorship_payments,
    mentorship_refunds,
    mentorship_sessions,
    saved_mentors,
)
from adapters.db.uow import SqlUnitOfWork
from core.mentorship.model import (
    Checkout,
    CheckoutStatus,
    MentorshipSession,
    Payment,
    Refund,
    SessionStatus,
    SessionType,
)
from core.shared.pagination import Page, PageRequest
from ports.mentorship import MentorCard, MentorFilters, Person, PersonCard
from ports.readcache import ViewInvalidation
from ports.tasks import TaskKick

__all__ = ("SEARCH_WALK", "SqlMentorReads", "SqlMentorshipUnitOfWork", "mentor_matches")

SEARCH_WALK = 1000
"""Mentor search reads mentors in batches of this many, newest first, until enough match the list rules."""


def _insert_ignore(uow: SqlUnitOfWork, table: Table) -> Insert:
    if uow.connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def session_from(row: RowMapping | Mapping[str, Any]) -> MentorshipSession:
    return MentorshipSession(
        id=row["id"], mentor_id=row["mentor_id"], mentee_id=row["mentee_id"],
        session_type=SessionType(row["session_type"]), room_name=row["room_name"], starts_at=row["starts_at"],
        ends_at=row["ends_at"], discourse=row["discourse"], price_minor=row["price_minor"],
        price_currency=row["price_currency"], price_usd_minor=row["price_usd_minor"],
        created_at=row["created_at"], updated_at=row["updated_at"], status=SessionStatus(row["status"]),
        is_paid=bool(row["is_paid"]), rating=row["rating"],
    )


def checkout_from(row: RowMapping | Mapping[str, Any]) -> Checkout:
    return Checkout(
        id=row["id"], session_id=row["session_id"], payer_id=row["payer_id"], provider=row["provider"],
        reference=row["reference"], provider_ref=row["provider_ref"], url=row["url"], amount=row["amount"],
        currency=row["currency"], status=CheckoutStatus(row["status"]), created_at=row["created_at"],
        updated_at=row["updated_at"], live_session_id=row["live_session_id"], expires_at=row["expires_at"],
    )


def payment_from(row: RowMapping | Mapping[str, Any]) -> Payment:
    return Payment(
        id=row["id"], session_id=row["session_id"], checkout_id=row["checkout_id"], provider=row["provider"],
        provider_payment_id=row["provider_payment_id"], payment_key=row["payment_key"], amount=row["amount"],
        currency=row["currency"], usd_amount=row["usd_amount"], paid_at=row["paid_at"],
    )


def mentor_matches(card: MentorCard, bio: str, areas: list[str], availability: str | None,
                   filters: MentorFilters) -> bool:
    """The search rule (behaviors §6.2): every given filter holds. ``text``: a case-insensitive part of a name or
    the bio, or exactly one of the areas of expertise or technical skills; ``years``: the experience range;
    ``skill``: exactly one of the technical skills; ``availability``: exact."""
    if filters.text is not None:
        needle = filters.text.casefold()
        names = (card.first_name, card.middle_name, card.last_name, bio)
        if not any(needle in n.casefold() for n in names) and filters.text not in (*areas, *card.technical_skills):
            return False
    if filters.years is not None:
        low, high = filters.years
        if card.years_of_experience is None or not low <= card.years_of_experience <= high:
            return False
    if filters.skill is not None and filters.skill not in card.technical_skills:
        return False
    return filters.availability is None or availability == filters.availability


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


class SqlSessionRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def get(self, session_id: int, *, for_update: bool = False) -> MentorshipSession | None:
        stmt = select(mentorship_sessions).where(mentorship_sessions.c.id == session_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._uow.execute(stmt)).mappings().first()
        return session_from(row) if row is not None else None

    async def add(self, session: MentorshipSession, invitees: list[int]) -> MentorshipSession:
        values = {
            "mentor_id": session.mentor_id, "mentee_id": session.mentee_id,
            "session_type": str(session.session_type), "room_name": session.room_name,
            "starts_at": session.starts_at, "ends_at": session.ends_at, "discourse": session.discourse,
            "price_minor": session.price_minor, "price_currency": session.price_currency,
            "price_usd_minor": session.price_usd_minor, "status": str(session.status), "is_paid": session.is_paid,
            "rating": session.rating, "created_at": session.created_at, "updated_at": session.updated_at,
        }
        result = await self._uow.execute(
            insert(mentorship_sessions).values(**values).returning(mentorship_sessions.c.id))
        session.id = int(result.scalar_one())
        if invitees:
            await self._uow.execute(insert(mentorship_invitations).values([
                {"session_id": session.id, "invitee_id": invitee, "position": n}
                for n, invitee in enumerate(invitees)
            ]))
        return session

    async def update(self, session: MentorshipSession) -> None:
        await self._uow.execute(
            update(mentorship_sessions).where(mentorship_sessions.c.id == session.id).values(
                status=str(session.status), is_paid=session.is_paid, rating=session.rating,
                updated_at=session.updated_at,
            ))

    async def invitees(self, session_ids: list[int]) -> dict[int, list[int]]:
        if not session_ids:
            return {}
        stmt = (
            select(mentorship_invitations.c.session_id, mentorship_invitations.c.invitee_id)
            .where(mentorship_invitations.c.session_id.in_(session_ids))
            .order_by(mentorship_invitations.c.session_id, mentorship_invitations.c.position)
        )
        found: dict[int, list[int]] = {}
        for row in (await self._uow.execute(stmt)).mappings().all():
            found.setdefault(int(row["session_id"]), []).append(int(row["invitee_id"]))
        return found

    async def listed(self, user_id: int, *, as_mentor: bool, statuses: tuple[SessionStatus, ...],
                     limit: int) -> list[MentorshipSession]:
        who = mentorship_sessions.c.mentor_id if as_mentor else mentorship_sessions.c.mentee_id
        stmt = (
            select(mentorship_sessions)
            .where(who == user_id, mentorship_sessions.c.status.in_([str(s) for s in statuses]))
            .order_by(mentorship_sessions.c.starts_at, mentorship_sessions.c.id)
            .limit(limit)
        )
        return [session_from(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def invited(self, user_id: int, statuses: tuple[SessionStatus, ...],
                      limit: int) -> list[tuple[int, MentorshipSession]]:
        stmt = (
            select(mentorship_invitations.c.id.label("invitation_id"), mentorship_sessions)
            .join(mentorship_sessions, mentorship_sessions.c.id == mentorship_invitations.c.session_id)
            .where(mentorship_invitations.c.invitee_id == user_id,
                   mentorship_sessions.c.status.in_([str(s) for s in statuses]))
            .order_by(mentorship_sessions.c.starts_at, mentorship_sessions.c.id)
            .limit(limit)
        )
        return [(int(r["invitation_id"]), session_from(r)) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def unanswered_before(self, now: datetime, limit: int) -> list[MentorshipSession]:
        stmt = (
            select(mentorship_sessions)
            .where(mentorship_sessions.c.status == str(SessionStatus.PENDING), mentorship_sessions.c.starts_at <= now)
            .order_by(mentorship_sessions.c.starts_at, mentorship_sessions.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [session_from(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def count_unanswered_before(self, now: datetime) -> int:
        stmt = select(func.count()).select_from(mentorship_sessions).where(
            mentorship_sessions.c.status == str(SessionStatus.PENDING), mentorship_sessions.c.starts_at <= now)
        return int((await self._uow.execute(stmt)).scalar_one())


class SqlSavedMentorRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, user_id: int, mentor_id: int, at: datetime) -> bool:
        result = await self._uow.execute(
            _insert_ignore(self._uow, saved_mentors).values(user_id=user_id, mentor_id=mentor_id, created_at=at))
        return bool(getattr(result, "rowcount", 0))

    async def remove(self, user_id: int, mentor_id: int) -> bool:
        result = await self._uow.execute(delete(saved_mentors).where(
            saved_mentors.c.user_id == user_id, saved_mentors.c.mentor_id == mentor_id))
        return bool(getattr(result, "rowcount", 0))


class SqlRatingRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, mentor_id: int, rating: int) -> None:
        dialect = postgresql if self._uow.connection.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(mentor_ratings).values(mentor_id=mentor_id, total=rating, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[mentor_ratings.c.mentor_id],
            set_={"total": mentor_ratings.c.total + rating, "count": mentor_ratings.c.count + 1},
        )
        await self._uow.execute(stmt)


class SqlCheckoutRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def _one(self, *where: Any, for_update: bool = False) -> Checkout | None:
        stmt = select(mentorship_checkouts).where(*where).order_by(mentorship_checkouts.c.id).limit(1)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._uow.execute(stmt)).mappings().first()
        return checkout_from(row) if row is not None else None

    async def live_for(self, session_id: int) -> Checkout | None:
        return await self._one(mentorship_checkouts.c.live_session_id == session_id)

    async def by_reference(self, reference: str, *, for_update: bool = False) -> Checkout | None:
        return await self._one(mentorship_checkouts.c.reference == reference, for_update=for_update)

    async def by_provider_ref(self, provider: str, provider_ref: str) -> Checkout | None:
        return await self._one(mentorship_checkouts.c.provider == provider,
                               mentorship_checkouts.c.provider_ref == provider_ref)

    async def add(self, checkout: Checkout) -> bool:
        values = {
            "session_id": checkout.session_id, "payer_id": checkout.payer_id, "provider": checkout.provider,
            "reference": checkout.reference, "provider_ref": checkout.provider_ref, "url": checkout.url,
            "amount": checkout.amount, "currency": checkout.currency, "status": str(checkout.status),
            "live_session_id": checkout.live_session_id, "created_at": checkout.created_at,
            "updated_at": checkout.updated_at, "expires_at": checkout.expires_at,
        }
        result = await self._uow.execute(
            _insert_ignore(self._uow, mentorship_checkouts).values(**values).returning(mentorship_checkouts.c.id))
        new_id = result.scalar()
        if new_id is None:
            return False
        checkout.id = int(new_id)
        return True

    async def update(self, checkout: Checkout) -> None:
        await self._uow.execute(
            update(mentorship_checkouts).where(mentorship_checkouts.c.id == checkout.id).values(
                status=str(checkout.status), live_session_id=checkout.live_session_id, updated_at=checkout.updated_at,
            ))

    async def open_before(self, cutoff: datetime, limit: int, after_id: int = 0) -> list[Checkout]:
        stmt = (
            select(mentorship_checkouts)
            .where(mentorship_checkouts.c.status == str(CheckoutStatus.OPEN), mentorship_checkouts.c.id > after_id,
                   mentorship_checkouts.c.created_at < cutoff)
            .order_by(mentorship_checkouts.c.id)
            .limit(limit)
        )
        return [checkout_from(r) for r in (await self._uow.execute(stmt)).mappings().all()]


class SqlPaymentRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, payment: Payment) -> bool:
        values = {
            "session_id": payment.session_id, "checkout_id": payment.checkout_id, "provider": payment.provider,
            "provider_payment_id": payment.provider_payment_id, "payment_key": payment.payment_key,
            "amount": payment.amount, "currency": payment.currency, "usd_amount": payment.usd_amount,
            "paid_at": payment.paid_at,
        }
        result = await self._uow.execute(
            _insert_ignore(self._uow, mentorship_payments).values(**values).returning(mentorship_payments.c.id))
        new_id = result.scalar()
        if new_id is None:
            return False
        payment.id = int(new_id)
        return True

    async def for_session(self, session_id: int) -> Payment | None:
        stmt = (select(mentorship_payments).where(mentorship_payments.c.session_id == session_id)
                .order_by(mentorship_payments.c.id).limit(1))
        row = (await self._uow.execute(stmt)).mappings().first()
        return payment_from(row) if row is not None else None


class SqlRefundRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, refund: Refund) -> bool:
        result = await self._uow.execute(
            _insert_ignore(self._uow, mentorship_refunds).values(
                session_id=refund.session_id, payment_id=refund.payment_id, amount=refund.amount,
                currency=refund.currency, reason=refund.reason, status=refund.status, created_at=refund.created_at,
            ).returning(mentorship_refunds.c.id))
        new_id = result.scalar()
        if new_id is None:
            return False
        refund.id = int(new_id)
        return True

    async def for_session(self, session_id: int) -> list[Refund]:
        stmt = select(mentorship_refunds).where(mentorship_refunds.c.session_id == session_id).order_by(
            mentorship_refunds.c.id)
        return [
            Refund(id=r["id"], session_id=r["session_id"], payment_id=r["payment_id"], amount=r["amount"],
                   currency=r["currency"], reason=r["reason"], created_at=r["created_at"], status=r["status"])
            for r in (await self._uow.execute(stmt)).mappings().all()
        ]


class SqlMentorshipPeople:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def person(self, user_id: int) -> Person | None:
        stmt = (
            select(users.c.id, users.c.user_type, users.c.industry, users.c.email, profiles.c.timezone,
                   profiles.c.first_name, profiles.c.last_name, profiles.c.profile_photo,
                   profiles.c.session_rate_minor, profiles.c.session_rate_currency)
            .join(profiles, profiles.c.user_id == users.c.id)
            .where(users.c.id == user_id, users.c.is_active.is_(True))
        )
        r = (await self._uow.execute(stmt)).mappings().first()
        if r is None:
            return None
        return Person(id=r["id"], user_type=r["user_type"], industry=r["industry"], timezone=r["timezone"],
                      email=r["email"], first_name=r["first_name"], last_name=r["last_name"],
                      profile_photo=r["profile_photo"], session_rate_minor=r["session_rate_minor"],
                      session_rate_currency=r["session_rate_currency"])

    async def existing(self, user_ids: list[int]) -> list[int]:
        if not user_ids:
            return []
        stmt = select(users.c.id).where(users.c.id.in_(user_ids), users.c.is_active.is_(True)).order_by(users.c.id)
        return [int(r[0]) for r in (await self._uow.execute(stmt)).all()]

    async def cards(self, user_ids: list[int]) -> dict[int, PersonCard]:
        if not user_ids:
            return {}
        stmt = (
            select(users.c.id, users.c.user_type, profiles.c.first_name, profiles.c.last_name,
                   profiles.c.middle_name, profiles.c.profile_photo, profiles.c.qualification)
            .join(profiles, profiles.c.user_id == users.c.id)
            .where(users.c.id.in_(sorted(set(user_ids))))
        )
        return {
            int(r["id"]): PersonCard(id=r["id"], first_name=r["first_name"], last_name=r["last_name"],
                                     middle_name=r["middle_name"], profile_photo=r["profile_photo"],
                                     qualification=r["qualification"], user_type=r["user_type"])
            for r in (await self._uow.execute(stmt)).mappings().all()
        }

    async def rate(self, currency: str) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        stmt = (select(exchange_rates.c.rate).where(exchange_rates.c.currency_initials == currency)
                .order_by(exchange_rates.c.id).limit(1))
        value = (await self._uow.execute(stmt)).scalar()
        try:
            return Decimal(str(value)) if value is not None else None
        except InvalidOperation:
            return None


class SqlMentorshipUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_checkouts", "_payments", "_people", "_ratings", "_refunds", "_saved", "_sessions")

    def __init__(
        self, engine: AsyncEngine, *, views: ViewInvalidation | None = None, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(engine, views=views, task_kick=task_kick)
        self._sessions = SqlSessionRepository(self)
        self._saved = SqlSavedMentorRepository(self)
        self._ratings = SqlRatingRepository(self)
        self._checkouts = SqlCheckoutRepository(self)
        self._payments = SqlPaymentRepository(self)
        self._refunds = SqlRefundRepository(self)
        self._people = SqlMentorshipPeople(self)

    @property
    def sessions(self) -> SqlSessionRepository:
        return self._sessions

    @property
    def saved(self) -> SqlSavedMentorRepository:
        return self._saved

    @property
    def ratings(self) -> SqlRatingRepository:
        return self._ratings

    @property
    def checkouts(self) -> SqlCheckoutRepository:
        return self._checkouts

    @property
    def payments(self) -> SqlPaymentRepository:
        return self._payments

    @property
    def refunds(self) -> SqlRefundRepository:
        return self._refunds

    @property
    def people(self) -> SqlMentorshipPeople:
        return self._people


# ------------------------------------------------------------------------------------------ read models


def _mentor_columns(viewer_id: int) -> list[Any]:
    mine = saved_mentors.alias("viewer_saves")
    saved = (
        select(literal(1)).select_from(mine)
        .where(mine.c.user_id == viewer_id, mine.c.mentor_id == users.c.id).correlate(users).exists()
    )
    return [
        users.c.id, profiles.c.first_name, profiles.c.last_name, profiles.c.middle_name, profiles.c.profile_photo,
        profiles.c.current_job, profiles.c.years_of_experience, profiles.c.technical_skills,
        profiles.c.areas_of_expertise, profiles.c.availability, profiles.c.bio, profiles.c.session_rate_minor,
        profiles.c.session_rate_currency, func.coalesce(mentor_ratings.c.total, 0).label("rating_total"),
        func.coalesce(mentor_ratings.c.count, 0).label("rating_count"), saved.label("is_saved"),
    ]


def _mentor_from(r: RowMapping) -> MentorCard:
    return MentorCard(
        id=r["id"], first_name=r["first_name"], last_name=r["last_name"], middle_name=r["middle_name"],
        profile_photo=r["profile_photo"], current_job=r["current_job"], years_of_experience=r["years_of_experience"],
        technical_skills=tuple(_strings(r["technical_skills"])), session_rate_minor=r["session_rate_minor"],
        session_rate_currency=r["session_rate_currency"], rating_total=int(r["rating_total"]),
        rating_count=int(r["rating_count"]), is_saved=bool(r["is_saved"]),
    )


def _mentors_from() -> Any:
    return users.join(profiles, profiles.c.user_id == users.c.id).outerjoin(
        mentor_ratings, mentor_ratings.c.mentor_id == users.c.id)


class SqlMentorReads:
    """Discovery reads: one statement each (recommendations: two, the page and its count)."""

    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def search(self, viewer_id: int, filters: MentorFilters, limit: int) -> list[MentorCard]:
        """Newest mentors first. The scalar filters (experience range, availability) are SQL conditions; the rules
        on JSON lists and substrings of names (``mentor_matches``) are applied to the rows in walks of
        ``SEARCH_WALK`` along the primary key until ``limit`` match or no mentor is left: no mentor is skipped,
        and a search that matches early costs one statement."""
        where = [users.c.user_type == "mentor", users.c.is_active.is_(True), users.c.id != viewer_id]
        if filters.years is not None:
            where.append(profiles.c.years_of_experience.between(*filters.years))
        if filters.availability is not None:
            where.append(profiles.c.availability == filters.availability)
        found: list[MentorCard] = []
        before: int | None = None
        async with self._engine.connect() as conn:
            while len(found) < limit:
                stmt = select(*_mentor_columns(viewer_id)).select_from(_mentors_from()).where(*where)
                if before is not None:
                    stmt = stmt.where(users.c.id < before)
                rows = (await conn.execute(stmt.order_by(users.c.id.desc()).limit(SEARCH_WALK))).mappings().all()
                found.extend(
                    card for r in rows
                    if mentor_matches(card := _mentor_from(r), r["bio"] or "", _strings(r["areas_of_expertise"]),
                                      r["availability"], filters)
                )
                if len(rows) < SEARCH_WALK:
                    break
                before = int(rows[-1]["id"])
        return found[:limit]

    async def recommended(self, viewer_id: int, page: PageRequest) -> Page[MentorCard]:
        industry = select(users.c.industry).where(users.c.id == viewer_id).scalar_subquery()
        where = and_(users.c.user_type == "mentor", users.c.is_active.is_(True), users.c.id != viewer_id,
                     users.c.industry == industry)
        stmt = (select(*_mentor_columns(viewer_id), func.count().over().label("total")).select_from(_mentors_from())
                .where(where).order_by(users.c.id).offset(page.offset).limit(page.size))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
            if rows:
                total = int(rows[0]["total"])
            else:
                total = int((await conn.execute(
                    select(func.count()).select_from(users).where(where))).scalar_one())
        return Page([_mentor_from(r) for r in rows], total, page)

    async def saved(self, viewer_id: int, limit: int) -> list[MentorCard]:
        stmt = (
            select(*_mentor_columns(viewer_id))
            .select_from(_mentors_from().join(saved_mentors, and_(saved_mentors.c.mentor_id == users.c.id,
                                                                  saved_mentors.c.user_id == viewer_id)))
            .order_by(saved_mentors.c.created_at.desc(), users.c.id.desc()).limit(limit)
        )
        async with self._engine.connect() as conn:
            return [_mentor_from(r) for r in (await conn.execute(stmt)).mappings().all()]

    async def mentor(self, viewer_id: int, mentor_id: int) -> MentorCard | None:
        stmt = select(*_mentor_columns(viewer_id)).select_from(_mentors_from()).where(users.c.id == mentor_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).mappings().first()
        return _mentor_from(row) if row is not None else None
