"""Presenters tell the feed's facts in the words of behaviors §8.2 (texts, pages, routes and obj_ids verbatim),
look names up only when the text names someone, and stay quiet when there is no news."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bootstrap.domains.notifications import notification_presenters
from core.accounts.model.events import AccountRegistered
from core.feed.model.events import (
    CommentLiked,
    CommentReplied,
    ConnectionAccepted,
    ConnectionRejected,
    ConnectionRequested,
    FeedEvent,
    PostLiked,
    UserFollowed,
)
from core.jobs.model.board import JobAlerted, JobApplied
from core.messaging.model import ChatMessageMissed
from core.notifications import presenters
from core.notifications.model import Notice
from core.notifications.presenters import Presenters
from core.shared.events import DomainEvent
from tests.fakes.names import StaticNames

pytestmark = pytest.mark.anyio

AT = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
ADA, BOB, EMPLOYER = 7, 8, 9
POST, COMMENT, REPLY, CONNECTION = 21, 31, 32, 41


def names() -> StaticNames:
    return StaticNames({ADA: ("Ada", "Lovelace"), BOB: ("Bob", "Marley"), EMPLOYER: ("N/A", "N/A")})


def notice(text: str, page: str, route: str | None, obj_id: int | None, to: int = BOB) -> Notice:
    return Notice(user_id=to, text=text, page=page, route=route, obj_id=obj_id, timestamp=AT)


def _post_fact(kind: type[FeedEvent], **extra: int) -> FeedEvent:
    return kind(actor_id=ADA, recipient_id=BOB, occurred_at=AT, post_id=POST, **extra)


BEHAVIORS_8_2: list[tuple[FeedEvent, Notice]] = [
    (_post_fact(PostLiked), notice("Someone just liked your post.", "Post", "post/?post_id=21", POST)),
    (
        _post_fact(CommentReplied, comment_id=COMMENT, reply_id=REPLY),
        notice("Ada Lovelace just replied to your comment.", "Post", "post/?post_id=21", POST),
    ),
    (
        _post_fact(CommentLiked, comment_id=COMMENT),
        notice("Ada Lovelace just liked your comment.", "Post", "post/?post_id=21", POST),
    ),
    (
        UserFollowed(actor_id=ADA, recipient_id=BOB, occurred_at=AT),
        notice("Ada Lovelace just followed you.", "Profile", "/user/retrieve-profile/?user_id=7", ADA),
    ),
    (
        ConnectionRequested(actor_id=ADA, recipient_id=BOB, occurred_at=AT, connection_id=CONNECTION),
        notice("Ada Lovelace just sent you a connection request.", "Network", None, None),
    ),
    (
        ConnectionAccepted(actor_id=ADA, recipient_id=BOB, occurred_at=AT, connection_id=CONNECTION),
        notice("Ada Lovelace accepted your connection request.", "Network", None, None),
    ),
    (
        ConnectionRejected(actor_id=ADA, recipient_id=BOB, occurred_at=AT, connection_id=CONNECTION),
        notice("Ada Lovelace rejected your connection request.", "Network", None, None),
    ),
]


@pytest.mark.parametrize(("event", "expected"), BEHAVIORS_8_2, ids=lambda v: type(v).__name__)
async def test_each_event_is_told_as_behaviors_8_2_says(event: FeedEvent, expected: Notice) -> None:
    assert await notification_presenters().present(event, names()) == expected


async def test_every_feed_event_has_exactly_its_presenter() -> None:
    from core.mentorship.model import (
        SessionAccepted,
        SessionBooked,
        SessionCompleted,
        SessionExpired,
        SessionInvited,
        SessionPaid,
        SessionRejected,
    )
    from core.support.model import DisputeAnswered

    concrete = {kind for kind in _subclasses(FeedEvent) if kind is not FeedEvent}
    assert notification_presenters().event_types == concrete | {
        ChatMessageMissed,
        JobAlerted,
        JobApplied,
        DisputeAnswered,
        SessionBooked,
        SessionInvited,
        SessionAccepted,
        SessionRejected,
        SessionExpired,
        SessionPaid,
        SessionCompleted,
    }
    assert {type(event) for event, _ in BEHAVIORS_8_2} == concrete


async def test_a_missed_chat_message_links_to_its_room() -> None:
    event = ChatMessageMissed(actor_id=ADA, recipient_id=BOB, occurred_at=AT, chat_id=7, message_id=9)
    found = await notification_presenters().present(event, names())
    assert found == Notice(
        user_id=BOB,
        text="Ada Lovelace sent you a message.",
        page="Chat",
        route="chat/?chat_id=7",
        obj_id=7,
        timestamp=AT,
        kind="message",
    )
    assert await presenters.message_missed(
        ChatMessageMissed(actor_id=BOB, recipient_id=BOB, occurred_at=AT, chat_id=7, message_id=9), names()
    ) is None


async def test_job_alerts_and_applications_link_to_the_job() -> None:
    alert = JobAlerted(job_id=5, actor_id=EMPLOYER, recipient_id=BOB, occurred_at=AT)
    assert await notification_presenters().present(alert, names()) == Notice(
        user_id=BOB,
        text="A new job matching your preference was just posted. Apply now!",
        page="Job",
        route="job/?job_id=5",
        obj_id=5,
        timestamp=AT,
        kind="job",
    )
    applied = JobApplied(application_id=3, job_id=5, actor_id=ADA, recipient_id=EMPLOYER, occurred_at=AT)
    assert await notification_presenters().present(applied, names()) == Notice(
        user_id=EMPLOYER,
        text="Ada Lovelace just applied for your job.",
        page="Job",
        route="job/application/?job_id=5",
        obj_id=5,
        timestamp=AT,
    )
    own = JobAlerted(job_id=5, actor_id=BOB, recipient_id=BOB, occurred_at=AT)
    assert await presenters.job_alerted(own, names()) is None


async def test_the_post_liker_stays_anonymous_and_is_not_looked_up() -> None:
    lookup = names()
    found = await presenters.post_liked(PostLiked(actor_id=ADA, recipient_id=BOB, occurred_at=AT, post_id=POST), lookup)
    assert found is not None and "Ada" not in found.text and lookup.asked == []


async def test_named_texts_use_the_profile_names_as_they_are() -> None:
    """Employer accounts have N/A first and last names, and the original said so (behaviors §8.2)."""
    event = UserFollowed(actor_id=EMPLOYER, recipient_id=BOB, occurred_at=AT)
    found = await notification_presenters().present(event, names())
    assert found is not None and found.text == "N/A N/A just followed you."


@pytest.mark.parametrize(("event", "expected"), BEHAVIORS_8_2, ids=lambda v: type(v).__name__)
async def test_what_one_does_to_oneself_is_no_news(event: FeedEvent, expected: Notice) -> None:
    lookup = names()
    own = type(event)(**{**_fields(event), "recipient_id": event.actor_id})
    assert await notification_presenters().present(own, lookup) is None
    assert lookup.asked == []


async def test_an_actor_gone_before_the_notice_is_made_is_not_named() -> None:
    registry = notification_presenters()
    lookup = StaticNames({})
    for event, expected in BEHAVIORS_8_2:
        found = await registry.present(event, lookup)
        assert found == (expected if isinstance(event, PostLiked) else None)


async def test_events_without_a_presenter_are_told_nothing() -> None:
    event = AccountRegistered(user_id=ADA, email="ada@example.org", user_type="learner")
    assert await notification_presenters().present(event, names()) is None


def test_one_presenter_per_event_type() -> None:
    registry = Presenters()
    registry.register(PostLiked, presenters.post_liked)
    with pytest.raises(ValueError, match="PostLiked"):
        registry.register(PostLiked, presenters.post_liked)


def _fields(event: DomainEvent) -> dict[str, object]:
    return dict(vars(event))


def _subclasses(kind: type[DomainEvent]) -> set[type[DomainEvent]]:
    found = set(kind.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found | {kind}


async def test_dispute_answers_tell_the_ticket_owner() -> None:
    from core.support.model import DisputeAnswered

    registry = notification_presenters()

    def fact(**changes: object) -> DisputeAnswered:
        base: dict[str, object] = {"dispute_id": 5, "actor_id": ADA, "recipient_id": BOB, "status": "in_progress",
                                   "status_changed": True, "responded": True, "occurred_at": AT}
        return DisputeAnswered(**{**base, **changes})  # type: ignore[arg-type]

    both = await registry.present(fact(), names())
    assert both == notice("Your support ticket #5 has a response and is now in progress.", "Support",
                          "user/disputes/", 5)
    response = await registry.present(fact(status_changed=False), names())
    assert response is not None and response.text == "Your support ticket #5 has a response."
    status = await registry.present(fact(responded=False, status="resolved"), names())
    assert status is not None and status.text == "Your support ticket #5 is now resolved."
    assert await registry.present(fact(actor_id=BOB), names()) is None
