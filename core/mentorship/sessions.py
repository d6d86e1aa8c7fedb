"""Session use cases: book, list, answer (accept/reject), cancel, annotate (complete and rate) and join.

Times: a booking's ``date`` and ``time`` are read in the booker's profile timezone and stored in UTC; lists show
them in the viewer's timezone. A session lasts ``duration`` (the ``MENTORSHIP_SESSION_MINUTES`` setting) from its
start; it can be joined from ``join_early`` before its start until its end."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.mentorship.model import (
    MAX_INVITEES,
    MentorshipSession,
    Refund,
    SessionBooked,
    SessionInvited,
    SessionStatus,
    SessionType,
)
from core.mentorship.money import to_usd
from core.mentorship.tasks import VAULT_CREDIT_TASK, credit_payload
from core.shared.errors import InvalidInput, NotFound
from ports.events import EventPublisher
from ports.meetings import MeetingPass, MeetingTokens
from ports.mentorship import MentorshipUnitOfWork, Person, PersonCard
from ports.system import Clock

__all__ = ("LIST_MAX", "Booking", "JoinPass", "SessionService", "SessionView")

LIST_MAX = 200
DISCOURSE_MAX = 1000
INVITEES_MAX_GIVEN = 100  # ids a group booking may list (the first MAX_INVITEES are kept)
LIST_STATUSES = ("requested", "accepted", "scheduled", "completed")
_LISTED = (SessionStatus.PENDING, SessionStatus.ACCEPTED)


@dataclass(frozen=True, slots=True, kw_only=True)
class Booking:
    mentor: int
    session_type: str
    invitees: object = None
    date: str
    time: str
    discourse: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionView:
    session: MentorshipSession
    mentor: PersonCard | None
    mentee: PersonCard | None
    invitees: list[PersonCard] = field(default_factory=list)
    join: bool = False
    timezone: str = "UTC"

    @property
    def local_start(self) -> datetime:
        return self.session.starts_at.astimezone(_zone(self.timezone, strict=False))


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinPass:
    session_id: int
    room_name: str
    token: str


def _zone(name: str, *, strict: bool = True) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if strict:
            raise InvalidInput.non_field("User Profile has an Invalid timezone.") from None
        return ZoneInfo("UTC")


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.field(
            "date", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
        ) from None


def _parse_time(value: str) -> time:
    try:
        parsed = time.fromisoformat(value.strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is not None:
        raise InvalidInput.field(
            "time", "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."
        )
    return parsed.replace(microsecond=0)


class SessionService:
    __slots__ = ("_clock", "_duration", "_early", "_events", "_meetings", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], MentorshipUnitOfWork],
        events: EventPublisher,
        clock: Clock,
        meetings: MeetingTokens,
        duration: timedelta = timedelta(minutes=60),
        join_early: timedelta = timedelta(minutes=10),
    ) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._meetings = meetings
        self._duration = duration
        self._early = join_early

    def joinable(self, session: MentorshipSession, now: datetime) -> bool:
        return (
            session.status is SessionStatus.ACCEPTED
            and session.is_paid
            and session.starts_at - self._early <= now < session.ends_at
        )

    async def _finish(self, uow: MentorshipUnitOfWork, *viewers: int) -> None:
        uow.views_changed(*viewers)
        await uow.commit()
        await self._events.publish(*uow.collect_events())

    # ------------------------------------------------------------------ booking

    async def book(self, actor_id: int, cmd: Booking) -> SessionView:
        try:
            kind = SessionType(cmd.session_type.strip().lower())
        except ValueError:
            raise InvalidInput.field("session_type", f'"{cmd.session_type}" is not a valid choice.') from None
        discourse = cmd.discourse.strip()
        if not discourse:
            raise InvalidInput.field("discourse", "This field may not be blank.")
        if len(discourse) > DISCOURSE_MAX:
            raise InvalidInput.field("discourse", f"Ensure this field has no more than {DISCOURSE_MAX} characters.")
        day, at = _parse_date(cmd.date), _parse_time(cmd.time)
        wanted: list[int] = []
        if kind is SessionType.GROUP:
            raw = cmd.invitees
            if raw is None or raw == []:
                raise InvalidInput.non_field("Invitees must be provided in group sessions.")
            if isinstance(raw, list) and len(raw) > INVITEES_MAX_GIVEN:
                raise InvalidInput.field("invitees", f"Ensure this list has at most {INVITEES_MAX_GIVEN} ids.")
            if not isinstance(raw, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in raw):
                raise InvalidInput.field("invitees", "invitees must be a list of valid user ids.")
            wanted = list(dict.fromkeys(raw))
        now = self._clock.now()
        async with self._uow() as uow:
            me = await uow.people.person(actor_id)
            mentor = await uow.people.person(cmd.mentor)
            if me is None:
                raise NotFound("User not found.")
            if mentor is None or not mentor.is_mentor:
                raise InvalidInput.field("mentor", "This User is not a mentor.")
            if mentor.id == actor_id:
                raise InvalidInput.non_field("Cannot schedule a mentorship session with yourself.")
            invitees: list[int] = []
            if wanted:
                found = set(await uow.people.existing([i for i in wanted if 0 < i < 2**63]))
                missing = [i for i in wanted if i not in found or i == actor_id]
                if missing:
                    raise InvalidInput.field("invitees", f"No user(s) with ids {missing}")
                invitees = wanted[:MAX_INVITEES]  # the first ten, in the order given
            try:
                starts = datetime.combine(day, at, _zone(me.timezone)).astimezone(now.tzinfo)
                ends = starts + self._duration
            except OverflowError:  # the first or last day a datetime can hold, in the booker's time zone
                raise InvalidInput.field("date", "Enter a valid date.") from None
            if starts < now:
                raise InvalidInput.non_field("Cannot set a mentorship date in the past.")
            price, currency = mentor.session_rate_minor, mentor.session_rate_currency
            usd = await self._usd(uow, price, currency)
            session = MentorshipSession(
                mentor_id=mentor.id, mentee_id=actor_id, session_type=kind,
                room_name=f"Room_{actor_id}_{mentor.id}_{uuid.uuid4()}", starts_at=starts,
                ends_at=ends, discourse=discourse, price_minor=price, price_currency=currency,
                price_usd_minor=usd, created_at=now, updated_at=now, is_paid=price == 0,
            )
            await uow.sessions.add(session, invitees)
            session.record(SessionBooked(session_id=session.id, actor_id=actor_id, recipient_id=mentor.id,
                                         occurred_at=now))
            for invitee in invitees:
                session.record(SessionInvited(session_id=session.id, actor_id=actor_id, recipient_id=invitee,
                                              occurred_at=now))
            uow.track(session)
            cards = await uow.people.cards([mentor.id, actor_id, *invitees])
            await self._finish(uow, actor_id, mentor.id, *invitees)
        return self._view(session, cards, invitees, me.timezone, now)

    @staticmethod
    async def _usd(uow: MentorshipUnitOfWork, price: int, currency: str) -> int:
        if price == 0 or currency == "USD":
            return price
        rate = await uow.people.rate(currency)
        if rate is None or rate <= 0:
            raise InvalidInput.non_field("This mentor's session rate cannot be converted to USD.")
        return to_usd(price, rate)

    def _view(self, session: MentorshipSession, cards: dict[int, PersonCard], invitees: list[int], tz: str,
              now: datetime) -> SessionView:
        return SessionView(
            session=session, mentor=cards.get(session.mentor_id), mentee=cards.get(session.mentee_id),
            invitees=[cards[i] for i in invitees if i in cards], join=self.joinable(session, now), timezone=tz,
        )

    # ------------------------------------------------------------------ lists

    async def listed(self, actor_id: int, status: str | None) -> list[SessionView]:
        """``GET /mentor/sessions/?status=``: four statements whatever the number of sessions."""
        if status is None or not status.strip():
            raise InvalidInput.error("No query parameter is provided for this request.")
        wanted = status.strip().lower()
        if wanted not in LIST_STATUSES:
            raise InvalidInput.error(
                "Invalid query parameter. Parameter can only be ['requested', 'accepted', 'scheduled', 'completed']"
            )
        async with self._uow() as uow:
            me = await self._me(uow, actor_id)
            if wanted == "scheduled" and not me.is_mentor:
                raise InvalidInput.error("Scheduled sessions are only available to mentors")
            as_mentor, state = {
                "requested": (me.is_mentor, SessionStatus.PENDING),
                "accepted": (False, SessionStatus.ACCEPTED),
                "scheduled": (True, SessionStatus.ACCEPTED),
                "completed": (me.is_mentor, SessionStatus.COMPLETED),
            }[wanted]
            sessions = await uow.sessions.listed(actor_id, as_mentor=as_mentor, statuses=(state,), limit=LIST_MAX)
            return await self._views(uow, sessions, me.timezone)

    async def invited(self, actor_id: int) -> list[tuple[int, SessionView]]:
        async with self._uow() as uow:
            me = await self._me(uow, actor_id)
            found = await uow.sessions.invited(actor_id, _LISTED, LIST_MAX)
            views = await self._views(uow, [s for _, s in found], me.timezone)
        return [(invitation, view) for (invitation, _), view in zip(found, views, strict=True)]

    async def _views(self, uow: MentorshipUnitOfWork, sessions: list[MentorshipSession],
                     tz: str) -> list[SessionView]:
        if not sessions:
            return []
        invitees = await uow.sessions.invitees([s.id for s in sessions])
        ids = {i for s in sessions for i in (s.mentor_id, s.mentee_id, *invitees.get(s.id, ()))}
        cards = await uow.people.cards(sorted(ids))
        now = self._clock.now()
        return [self._view(s, cards, invitees.get(s.id, []), tz, now) for s in sessions]

    @staticmethod
    async def _me(uow: MentorshipUnitOfWork, actor_id: int) -> Person:
        me = await uow.people.person(actor_id)
        if me is None:
            raise NotFound("User not found.")
        return me

    # ------------------------------------------------------------------ answers

    async def _session(self, uow: MentorshipUnitOfWork, session_id: int) -> MentorshipSession:
        session = await uow.sessions.get(session_id, for_update=True)
        if session is None:
            raise InvalidInput.field("session", f'Invalid pk "{session_id}" - object does not exist.')
        return session

    async def answer(self, actor_id: int, session_id: int, action: str) -> str:
        """Accept or reject a request (the session's mentor only); the past-tense action."""
        if action not in ("Accept", "Reject"):
            raise InvalidInput.field("action", f'"{action}" is not a valid choice.')
        now = self._clock.now()
        async with self._uow() as uow:
            session = await self._session(uow, session_id)
            if session.mentor_id != actor_id:
                raise InvalidInput.non_field("This session was not initiated for you.")
            if action == "Accept":
                session.accept(now)
            else:
                session.reject(now)
            await uow.sessions.update(session)
            uow.track(session)
            await self._finish(uow, session.mentor_id, session.mentee_id,
                               *(await uow.sessions.invitees([session.id])).get(session.id, []))
        return f"{action}ed"

    async def cancel(self, actor_id: int, session_id: int) -> None:
        """The mentee or the mentor cancels a pending or accepted session, paid or not (a paid one records a
        refund owed of its payment)."""
        now = self._clock.now()
        async with self._uow() as uow:
            session = await self._session(uow, session_id)
            if actor_id not in (session.mentee_id, session.mentor_id):
                raise InvalidInput.field("session", "Only this session's mentee or mentor can cancel this session.")
            owed = session.cancel(now)
            await uow.sessions.update(session)
            if owed:
                payment = await uow.payments.for_session(session.id)
                if payment is not None:
                    await uow.refunds.add(Refund(session_id=session.id, payment_id=payment.id, amount=payment.amount,
                                                 currency=payment.currency, reason="cancelled", created_at=now))
            uow.track(session)
            await self._finish(uow, session.mentor_id, session.mentee_id,
                               *(await uow.sessions.invitees([session.id])).get(session.id, []))

    async def annotate(self, actor_id: int, session_id: int, mark_completed: bool, rating: int) -> SessionView:
        """The mentee completes an accepted, paid session whose start has passed and rates the mentor (1–5); a
        paid (not free) session's earning goes to the mentor's vault as a task of this same transaction."""
        now = self._clock.now()
        async with self._uow() as uow:
            me = await self._me(uow, actor_id)
            session = await self._session(uow, session_id)
            if session.mentee_id != actor_id:
                raise InvalidInput.field("session", "This session was not initiated by you.")
            if not mark_completed:
                raise InvalidInput.field("mark_completed",
                                         "The session mark_completed must be True to annotate a session")
            if not 1 <= rating <= 5:
                raise InvalidInput.field("rating", "A rating can only range from 1 to 5")
            session.complete(rating, now)
            await uow.sessions.update(session)
            await uow.ratings.add(session.mentor_id, rating)
            if not session.is_free:
                payment = await uow.payments.for_session(session.id)
                if payment is not None:
                    uow.tasks.enqueue(
                        VAULT_CREDIT_TASK,
                        credit_payload(mentor_id=session.mentor_id, session_id=session.id,
                                       session_type=str(session.session_type), payment_key=payment.payment_key,
                                       amount=session.price_usd_minor),
                        dedupe_key=f"vault-earn:{payment.payment_key}",
                    )
            uow.track(session)
            invitees = (await uow.sessions.invitees([session.id])).get(session.id, [])
            cards = await uow.people.cards([session.mentor_id, session.mentee_id, *invitees])
            await self._finish(uow, session.mentor_id, session.mentee_id, *invitees)
        return self._view(session, cards, invitees, me.timezone, now)

    # ------------------------------------------------------------------ join

    async def join(self, actor_id: int, session_id: int | None) -> JoinPass:
        if session_id is None:
            raise InvalidInput.error("A session query parameter is required for this request")
        now = self._clock.now()
        async with self._uow() as uow:
            session = await uow.sessions.get(session_id)
            invitees = (await uow.sessions.invitees([session_id])).get(session_id, []) if session else []
            if session is None or actor_id not in session.participants(invitees):
                raise InvalidInput.field("session", "You are not a participant in this session.")
            me = await self._me(uow, actor_id)
        if session.status is SessionStatus.COMPLETED:
            raise InvalidInput.field("session", "This session has already been completed.")
        if session.status is not SessionStatus.ACCEPTED:
            raise InvalidInput.field("session", "This session has not been accepted.")
        if not session.is_paid:
            raise InvalidInput.field("session", "This session has not yet been paid for.")
        opens = session.starts_at - self._early
        if now < opens:
            raise InvalidInput.field("session", "Not yet time for this session.")
        if now >= session.ends_at:
            raise InvalidInput.field("session", "This session has ended.")
        token = self._meetings.issue(MeetingPass(
            room=session.room_name, user_id=actor_id, name=f"{me.first_name} {me.last_name}", email=me.email,
            avatar=me.profile_photo or "", moderator=actor_id == session.mentor_id, not_before=opens,
            expires_at=session.ends_at,
        ))
        return JoinPass(session_id=session.id, room_name=session.room_name, token=token)
