"""Feed and network events (behaviors §8.2). Each carries the recipient and the notification it stands for;
``notifies`` is False when the actor is the recipient (self-likes are facts, not news)."""

from __future__ import annotations

from dataclasses import dataclass

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
    actor_id: int
    recipient_id: int
    actor_name: str = ""

    @property
    def notifies(self) -> bool:
        return self.actor_id != self.recipient_id

    @property
    def text(self) -> str:
        raise NotImplementedError

    @property
    def page(self) -> str:
        return "Network"

    @property
    def route(self) -> str | None:
        return None

    @property
    def obj_id(self) -> int | None:
        return None


@dataclass(frozen=True, kw_only=True)
class _PostEvent(FeedEvent):
    post_id: int

    @property
    def page(self) -> str:
        return "Post"

    @property
    def route(self) -> str | None:
        return f"post/?post_id={self.post_id}"

    @property
    def obj_id(self) -> int | None:
        return self.post_id


@dataclass(frozen=True, kw_only=True)
class PostLiked(_PostEvent):
    @property
    def text(self) -> str:
        return "Someone just liked your post."


@dataclass(frozen=True, kw_only=True)
class CommentLiked(_PostEvent):
    comment_id: int

    @property
    def text(self) -> str:
        return f"{self.actor_name} just liked your comment."


@dataclass(frozen=True, kw_only=True)
class CommentReplied(_PostEvent):
    comment_id: int
    reply_id: int

    @property
    def text(self) -> str:
        return f"{self.actor_name} just replied to your comment."


@dataclass(frozen=True, kw_only=True)
class UserFollowed(FeedEvent):
    @property
    def text(self) -> str:
        return f"{self.actor_name} just followed you."

    @property
    def page(self) -> str:
        return "Profile"

    @property
    def route(self) -> str | None:
        return f"/user/retrieve-profile/?user_id={self.actor_id}"

    @property
    def obj_id(self) -> int | None:
        return self.actor_id


@dataclass(frozen=True, kw_only=True)
class ConnectionRequested(FeedEvent):
    connection_id: int

    @property
    def text(self) -> str:
        return f"{self.actor_name} just sent you a connection request."


@dataclass(frozen=True, kw_only=True)
class ConnectionAccepted(FeedEvent):
    connection_id: int

    @property
    def text(self) -> str:
        return f"{self.actor_name} accepted your connection request."


@dataclass(frozen=True, kw_only=True)
class ConnectionRejected(FeedEvent):
    connection_id: int

    @property
    def text(self) -> str:
        return f"{self.actor_name} rejected your connection request."
