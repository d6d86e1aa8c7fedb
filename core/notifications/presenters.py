"""A presenter per event type: facts in, the notification a person reads out (behaviors §8.2, texts verbatim).

Each presenter is a pure async function of the fact and a ``PersonNames`` lookup; it answers None when the
fact is no news to anyone (the actor is the recipient: self-likes are facts, not news) or when the actor it
would name no longer exists. ``Presenters`` maps event types to presenters; ``bootstrap`` fills it, because only
there may the events of other domains and this domain meet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from core.notifications.model import (
    JOB,
    MESSAGE,
    Activity,
    ChatActivity,
    JobActivity,
    Notice,
    PostActivity,
    SessionActivity,
    TicketActivity,
)
from core.shared.events import DomainEvent
from ports.notifications import PersonNames

__all__ = (
    "CHAT_PAGE",
    "JOB_PAGE",
    "MENTORSHIP_PAGE",
    "NETWORK_PAGE",
    "POST_PAGE",
    "PROFILE_PAGE",
    "SUPPORT_PAGE",
    "Presenter",
    "Presenters",
    "comment_liked",
    "comment_replied",
    "connection_accepted",
    "connection_rejected",
    "connection_requested",
    "dispute_answered",
    "job_alerted",
    "job_applied",
    "message_missed",
    "post_liked",
    "session_accepted",
    "session_booked",
    "session_completed",
    "session_expired",
    "session_invited",
    "session_paid",
    "session_rejected",
    "user_followed",
)

SUPPORT_PAGE = "Support"
POST_PAGE = "Post"
PROFILE_PAGE = "Profile"
NETWORK_PAGE = "Network"
CHAT_PAGE = "Chat"
JOB_PAGE = "Job"

E = TypeVar("E", bound=DomainEvent)
Presenter = Callable[[E, PersonNames], Awaitable[Notice | None]]


def _post_notice(fact: PostActivity, text: str) -> Notice:
    return Notice(
        user_id=fact.recipient_id,
        text=text,
        page=POST_PAGE,
        route=f"post/?post_id={fact.post_id}",
        obj_id=fact.post_id,
        timestamp=fact.occurred_at,
    )


def _network_notice(fact: Activity, text: str) -> Notice:
    return Notice(
        user_id=fact.recipient_id, text=text, page=NETWORK_PAGE, route=None, obj_id=None, timestamp=fact.occurred_at
    )


async def _actor_name(fact: Activity, names: PersonNames) -> str | None:
    """The actor's "<First> <Last>", or None when there is nobody to tell or nobody to name."""
    if fact.actor_id == fact.recipient_id:
        return None
    name = await names.name(fact.actor_id)
    return None if name is None else name.full


async def post_liked(fact: PostActivity, names: PersonNames) -> Notice | None:
    """To the post's author; the liker stays anonymous."""
    if fact.actor_id == fact.recipient_id:
        return None
    return _post_notice(fact, "Someone just liked your post.")


async def comment_liked(fact: PostActivity, names: PersonNames) -> Notice | None:
    """To the comment's (or reply's) author."""
    name = await _actor_name(fact, names)
    return None if name is None else _post_notice(fact, f"{name} just liked your comment.")


async def comment_replied(fact: PostActivity, names: PersonNames) -> Notice | None:
    """To the author of the comment replied to."""
    name = await _actor_name(fact, names)
    return None if name is None else _post_notice(fact, f"{name} just replied to your comment.")


async def user_followed(fact: Activity, names: PersonNames) -> Notice | None:
    """To the followed user; links to the follower's profile (the route keeps its leading slash)."""
    name = await _actor_name(fact, names)
    if name is None:
        return None
    return Notice(
        user_id=fact.recipient_id,
        text=f"{name} just followed you.",
        page=PROFILE_PAGE,
        route=f"/user/retrieve-profile/?user_id={fact.actor_id}",
        obj_id=fact.actor_id,
        timestamp=fact.occurred_at,
    )


async def connection_requested(fact: Activity, names: PersonNames) -> Notice | None:
    """To the user asked to connect."""
    name = await _actor_name(fact, names)
    return None if name is None else _network_notice(fact, f"{name} just sent you a connection request.")


async def connection_accepted(fact: Activity, names: PersonNames) -> Notice | None:
    """To the requester."""
    name = await _actor_name(fact, names)
    return None if name is None else _network_notice(fact, f"{name} accepted your connection request.")


async def connection_rejected(fact: Activity, names: PersonNames) -> Notice | None:
    """To the requester."""
    name = await _actor_name(fact, names)
    return None if name is None else _network_notice(fact, f"{name} rejected your connection request.")


async def message_missed(fact: ChatActivity, names: PersonNames) -> Notice | None:
    """To a chat participant who had no socket open on the room when the message arrived (not in the original:
    its chat had no offline delivery). Sent only to users with ``message_notify`` on."""
    name = await _actor_name(fact, names)
    if name is None:
        return None
    return Notice(
        user_id=fact.recipient_id,
        text=f"{name} sent you a message.",
        page=CHAT_PAGE,
        route=f"chat/?chat_id={fact.chat_id}",
        obj_id=fact.chat_id,
        timestamp=fact.occurred_at,
        kind=MESSAGE,
    )


async def job_alerted(fact: JobActivity, names: PersonNames) -> Notice | None:
    """To a user whose job preference matches a job that was just published (not in the original as a stored
    notification: its alerts were socket messages only). Pushed on the jobs socket and the general one as a
    ``"type": "job"`` frame; sent only to users with ``job_alerts`` on (the matching leaves the others out)."""
    if fact.actor_id == fact.recipient_id:
        return None
    return Notice(
        user_id=fact.recipient_id,
        text="A new job matching your preference was just posted. Apply now!",
        page=JOB_PAGE,
        route=f"job/?job_id={fact.job_id}",
        obj_id=fact.job_id,
        timestamp=fact.occurred_at,
        kind=JOB,
    )


async def job_applied(fact: JobActivity, names: PersonNames) -> Notice | None:
    """To the poster of a job someone applied for (the original told nobody); links to the job's applications."""
    name = await _actor_name(fact, names)
    if name is None:
        return None
    return Notice(
        user_id=fact.recipient_id,
        text=f"{name} just applied for your job.",
        page=JOB_PAGE,
        route=f"job/application/?job_id={fact.job_id}",
        obj_id=fact.job_id,
        timestamp=fact.occurred_at,
    )


class Presenters:
    """Event type → presenter. ``register`` is typed so that an event lacking a fact its presenter reads is a
    type error where the pair is made."""

    __slots__ = ("_by_type",)

    def __init__(self) -> None:
        self._by_type: dict[type[DomainEvent], Callable[[Any, PersonNames], Awaitable[Notice | None]]] = {}

    def register(self, event_type: type[E], presenter: Presenter[E]) -> None:
        if event_type in self._by_type:
            raise ValueError(f"{event_type.__name__} already has a presenter")
        self._by_type[event_type] = presenter

    @property
    def event_types(self) -> frozenset[type[DomainEvent]]:
        return frozenset(self._by_type)

    async def present(self, event: DomainEvent, names: PersonNames) -> Notice | None:
        """The notification ``event`` stands for, or None (no presenter for its type, or no news)."""
        presenter = self._by_type.get(type(event))
        return None if presenter is None else await presenter(event, names)


async def dispute_answered(fact: TicketActivity, names: PersonNames) -> Notice | None:
    """To the ticket's owner (an administrator answering their own ticket is no news); the support team stays
    unnamed. Links to the owner's ticket list."""
    if fact.actor_id == fact.recipient_id:
        return None
    status = fact.status.replace("_", " ")
    if fact.responded and fact.status_changed:
        text = f"Your support ticket #{fact.dispute_id} has a response and is now {status}."
    elif fact.responded:
        text = f"Your support ticket #{fact.dispute_id} has a response."
    else:
        text = f"Your support ticket #{fact.dispute_id} is now {status}."
    return Notice(user_id=fact.recipient_id, text=text, page=SUPPORT_PAGE, route="user/disputes/",
                  obj_id=fact.dispute_id, timestamp=fact.occurred_at)


# ------------------------------------------------------------------ mentorship (issue 23)

MENTORSHIP_PAGE = "Mentorship Sessions"


def _session_notice(fact: SessionActivity, text: str) -> Notice:
    return Notice(user_id=fact.recipient_id, text=text, page=MENTORSHIP_PAGE, route=None, obj_id=None,
                  timestamp=fact.occurred_at)


async def session_booked(fact: SessionActivity, names: PersonNames) -> Notice | None:
    """To the mentor (behaviors §8.2)."""
    name = await _actor_name(fact, names)
    return None if name is None else _session_notice(fact, f"{name} requested a mentorship session from you.")


async def session_invited(fact: SessionActivity, names: PersonNames) -> Notice | None:
    """To each invitee of a group session (the original told nobody)."""
    name = await _actor_name(fact, names)
    return None if name is None else _session_notice(fact, f"{name} invited you to a group mentorship session.")


async def session_accepted(fact: SessionActivity, names: PersonNames) -> Notice | None:
    """To the mentee (behaviors §8.2)."""
    name = await _actor_name(fact, names)
    return None if name is None else _session_notice(fact, f"Mentor {name} accepted your mentorship request.")


async def session_rejected(fact: SessionActivity, names: PersonNames) -> Notice | None:
    """To the mentee (behaviors §8.2)."""
    name = await _actor_name(fact, names)
    return None if name is None else _session_notice(fact, f"Mentor {name} rejected your mentorship request.")


async def session_expired(fact: SessionActivity, names: PersonNames) -> Notice | None:
    """To the mentee whose request was never answered before its time (the actor is the mentor)."""
    name = await _actor_name(fact, names)
    if name is None:
        return None
    return _session_notice(fact, f"Your mentorship request to {name} expired without an answer.")


async def session_paid(fact: SessionActivity, names: PersonNames) -> Notice | None:
    """To the mentee (who paid) and to the mentor."""
    if fact.actor_id == fact.recipient_id:
        return _session_notice(fact, "Your payment for your mentorship session was received.")
    name = await _actor_name(fact, names)
    return None if name is None else _session_notice(fact, f"{name} paid for your mentorship session.")


async def session_completed(fact: SessionActivity, names: PersonNames) -> Notice | None:
    """To the mentee (who completed it) and to the mentor."""
    if fact.actor_id == fact.recipient_id:
        return _session_notice(fact, "Your mentorship session was marked as completed.")
    name = await _actor_name(fact, names)
    return None if name is None else _session_notice(fact, f"{name} marked your mentorship session as completed.")
