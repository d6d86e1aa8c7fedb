"""Newsletters, their one subscriber list (signed-in and anonymous subscribers alike, an address at most once),
and the record of which subscriber was sent which newsletter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = (
    "Newsletter",
    "NewsletterDelivery",
    "Subscriber",
    "SubscriberCard",
)


@dataclass(kw_only=True)
class Newsletter:
    id: int = 0
    title: str
    content: str
    image: str = ""
    created_at: datetime
    author_id: int | None = None


@dataclass(kw_only=True)
class Subscriber:
    """One address on the list; ``user_id`` when a signed-in user subscribed (or claimed the address)."""

    id: int = 0
    email: str
    user_id: int | None = None
    subscribed_at: datetime


@dataclass(kw_only=True)
class NewsletterDelivery:
    """Newsletter ``newsletter_id`` was handed to the mail outbox for ``subscriber_id`` at ``queued_at``: at most
    one per pair (a unique key), written in the transaction that stages the e-mail, so a resumed run skips it."""

    newsletter_id: int
    subscriber_id: int
    email: str
    queued_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SubscriberCard:
    """The signed-in subscriber as ``/newsletter/subscribe/`` shows them (and the address they subscribe with)."""

    id: int
    email: str
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str | None
    qualification: str


DELIVER_NEWSLETTER = "newsletter.deliver"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliverNewsletter:
    """The ``newsletter.deliver`` task's payload: stage the next batch of this newsletter's e-mails."""

    newsletter_id: int
