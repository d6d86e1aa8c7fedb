"""Feed and network events: facts only (who did what to whom, to which object, when).

How a fact is told to a person (the notification's text, page and route, behaviors §8.2), and whether it is
news at all (self-likes are not), is decided by the presenters of ``core.notifications``; names are looked up
there too, so a batch job or another frontend can present the same facts differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.shared.events import DomainEvent

__all__ = (
    "CommentLiked",
    "CommentReplied",
    "ConnectionAccepted",
    "ConnectionRejected",
    "ConnectionRequested",
    "FeedEvent",
    "PostLiked",
    "UserFollowed",
)


@dataclass(frozen=True, kw_only=True)
class FeedEvent(DomainEvent):
    """``actor_id`` did something to ``recipient_id`` (the author of the liked post or comment, the author of
    the comment replied to, the followed user, the other side of a connection request) at ``occurred_at``."""

    actor_id: int
    recipient_id: int
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class PostLiked(FeedEvent):
    post_id: int


@dataclass(frozen=True, kw_only=True)
class CommentLiked(FeedEvent):
    post_id: int
    comment_id: int


@dataclass(frozen=True, kw_only=True)
class CommentReplied(FeedEvent):
    post_id: int
    comment_id: int
    reply_id: int


@dataclass(frozen=True, kw_only=True)
class UserFollowed(FeedEvent):
    """The actor now follows the recipient."""


@dataclass(frozen=True, kw_only=True)
class ConnectionRequested(FeedEvent):
    """The actor asked the recipient to connect."""

    connection_id: int


@dataclass(frozen=True, kw_only=True)
class ConnectionAccepted(FeedEvent):
    """The actor accepted the recipient's connection request."""

    connection_id: int


@dataclass(frozen=True, kw_only=True)
class ConnectionRejected(FeedEvent):
    """The actor rejected the recipient's connection request."""

    connection_id: int
