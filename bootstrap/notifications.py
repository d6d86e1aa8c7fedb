"""Which presenter tells which domain event (behaviors §8.2; answered support tickets). The one place where the
feed's and support's events and the notifications domain meet; mypy checks here that each event carries every
fact its presenter reads."""

from __future__ import annotations

from core.feed.model.events import (
    CommentLiked,
    CommentReplied,
    ConnectionAccepted,
    ConnectionRejected,
    ConnectionRequested,
    PostLiked,
    UserFollowed,
)
from core.notifications import presenters as p
from core.notifications.presenters import Presenters
from core.support.model import DisputeAnswered

__all__ = ("notification_presenters",)


def notification_presenters() -> Presenters:
    registry = Presenters()
    registry.register(PostLiked, p.post_liked)
    registry.register(CommentLiked, p.comment_liked)
    registry.register(CommentReplied, p.comment_replied)
    registry.register(UserFollowed, p.user_followed)
    registry.register(ConnectionRequested, p.connection_requested)
    registry.register(ConnectionAccepted, p.connection_accepted)
    registry.register(ConnectionRejected, p.connection_rejected)
    registry.register(DisputeAnswered, p.dispute_answered)
    return registry
