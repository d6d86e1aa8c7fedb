"""The one session status machine: every transition, allowed and refused."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from core.mentorship.model import (
    MentorshipSession,
    SessionAccepted,
    SessionCompleted,
    SessionExpired,
    SessionRejected,
    SessionStatus,
    SessionType,
    transition_allowed,
)
from core.shared.errors import InvalidInput

S = SessionStatus
NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
ALLOWED = {
    (S.PENDING, S.ACCEPTED), (S.PENDING, S.REJECTED), (S.PENDING, S.CANCELLED), (S.PENDING, S.EXPIRED),
    (S.ACCEPTED, S.COMPLETED), (S.ACCEPTED, S.CANCELLED),
}


@pytest.mark.parametrize(("current", "wanted"), list(itertools.product(S, S)))
def test_the_transition_table(current: SessionStatus, wanted: SessionStatus) -> None:
    assert transition_allowed(current, wanted, is_paid=True) is ((current, wanted) in ALLOWED)
    # COMPLETED needs a paid (or free) session; nothing else depends on payment.
    expected_unpaid = (current, wanted) in ALLOWED and wanted is not S.COMPLETED
    assert transition_allowed(current, wanted, is_paid=False) is expected_unpaid


def session(status: SessionStatus = S.PENDING, *, paid: bool = False, price: int = 2000,
            starts: datetime = NOW + timedelta(hours=1)) -> MentorshipSession:
    return MentorshipSession(
        id=7, mentor_id=1, mentee_id=2, session_type=SessionType.INDIVIDUAL, room_name="Room_2_1_x", starts_at=starts,
        ends_at=starts + timedelta(hours=1), discourse="d", price_minor=price, price_currency="USD",
        price_usd_minor=price, created_at=NOW, updated_at=NOW, status=status, is_paid=paid,
    )


def test_accept_and_reject_a_pending_request() -> None:
    s = session()
    s.accept(NOW)
    assert s.status is S.ACCEPTED and isinstance(s.pending_events[-1], SessionAccepted)
    with pytest.raises(InvalidInput) as refused:
        s.accept(NOW)
    assert refused.value.body == {"session": ["This session has already been accepted"]}
    with pytest.raises(InvalidInput):
        s.reject(NOW)
    r = session()
    r.reject(NOW)
    assert r.status is S.REJECTED and isinstance(r.pending_events[-1], SessionRejected)


def test_a_request_past_its_start_cannot_be_accepted_but_expires() -> None:
    s = session(starts=NOW - timedelta(minutes=1))
    with pytest.raises(InvalidInput) as refused:
        s.accept(NOW)
    assert refused.value.body == {"session": ["This session request has expired."]}
    s.expire(NOW)
    assert s.status is S.EXPIRED and isinstance(s.pending_events[-1], SessionExpired)


@pytest.mark.parametrize("terminal", [S.REJECTED, S.CANCELLED, S.EXPIRED, S.COMPLETED])
def test_nothing_leaves_a_terminal_status(terminal: SessionStatus) -> None:
    for move in ("accept", "reject", "cancel", "expire"):
        s = session(terminal, paid=True, starts=NOW - timedelta(hours=2))
        with pytest.raises(InvalidInput):
            getattr(s, move)(NOW)
        assert s.status is terminal
    s = session(terminal, paid=True, starts=NOW - timedelta(hours=2))
    with pytest.raises(InvalidInput):
        s.complete(5, NOW)


def test_an_accepted_session_cannot_expire() -> None:
    with pytest.raises(InvalidInput):
        session(S.ACCEPTED).expire(NOW)


def test_completion_needs_payment_and_a_started_session() -> None:
    s = session(S.ACCEPTED, paid=False, starts=NOW - timedelta(minutes=5))
    with pytest.raises(InvalidInput) as refused:
        s.complete(4, NOW)
    assert refused.value.body == {"session": ["Cannot annotate a session that has not been paid for."]}
    s = session(S.ACCEPTED, paid=True)
    with pytest.raises(InvalidInput) as refused:
        s.complete(4, NOW)
    assert refused.value.body == {"session": ["This session has not been Completed."]}
    with pytest.raises(InvalidInput):
        session(S.PENDING, paid=True, starts=NOW - timedelta(minutes=5)).complete(4, NOW)
    s = session(S.ACCEPTED, paid=True, starts=NOW - timedelta(minutes=5))
    s.complete(4, NOW)
    assert s.status is S.COMPLETED and s.rating == 4
    told = {e.recipient_id for e in s.pending_events if isinstance(e, SessionCompleted)}
    assert told == {1, 2}


def test_cancelling_a_paid_session_owes_a_refund_and_a_free_one_does_not() -> None:
    assert session(S.ACCEPTED, paid=True).cancel(NOW) is True
    assert session(S.ACCEPTED, paid=True, price=0).cancel(NOW) is False
    assert session(S.PENDING).cancel(NOW) is False
