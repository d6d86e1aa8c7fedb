"""Read views of the feed: ready-made rows the read-model queries return (no entities, no events)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

__all__ = (
    "LISTED_MAX",
    "AuthorCard",
    "CommentView",
    "ConnectionSide",
    "ConnectionView",
    "Listing",
    "ParentView",
    "PostView",
    "Recommendation",
    "SharedPostView",
    "nest_thread",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorCard:
    """What the feed shows of a user. The HTTP layer decides between personal and company faces."""

    id: int
    user_type: str
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str | None
    qualification: str
    company_name: str | None = None
    logo: str | None = None
    tagline: str | None = None

    @property
    def is_employer(self) -> bool:
        return self.user_type == "employer"

    @property
    def display_name(self) -> str:
        if self.is_employer and self.company_name:
            return self.company_name
        return " ".join(p for p in (self.first_name, self.last_name) if p and p != "N/A")


@dataclass(frozen=True, slots=True, kw_only=True)
class ParentView:
    """The original a repost points at (with its id)."""

    post_id: int
    author: AuthorCard
    body: str
    pic1: str | None
    pic2: str | None
    pic3: str | None
    video: str | None
    article: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PostView:
    """A post as one viewer sees it. Flags are computed for ``viewer_id`` only (0 = anonymous)."""

    post_id: int
    author: AuthorCard
    body: str
    pic1: str | None
    pic2: str | None
    pic3: str | None
    video: str | None
    article: str | None
    created_at: datetime
    comment_count: int
    like_count: int
    share_count: int
    parent: ParentView | None
    viewer_id: int
    liked: bool
    saved: bool
    following: bool

    @property
    def is_self(self) -> bool:
        return self.author.id == self.viewer_id

    @property
    def can_like(self) -> bool:
        return not self.liked

    @property
    def can_follow(self) -> bool:
        return not self.is_self and not self.following


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentView:
    comment_id: int
    post_id: int
    commenter: AuthorCard
    body: str
    media: str | None
    parent_id: int | None
    thread_id: int | None
    likes: int
    created_at: datetime
    liked: bool
    replies: tuple[CommentView, ...] = ()

    @property
    def can_like(self) -> bool:
        return not self.liked


def nest_thread(head: CommentView, replies: Sequence[CommentView]) -> CommentView:
    """``head`` with its thread's ``replies`` (flat rows, any order) nested as they answer each other: a reply to
    a reply sits in the ``replies`` of the reply it answers, at any depth, each level oldest first. Built from
    the rows in hand (children are newer than their parent, so one pass from the newest builds every node after
    its children); a reply whose parent is not among them is listed under ``head``."""
    known = {head.comment_id, *(r.comment_id for r in replies)}
    children: dict[int, list[CommentView]] = {}
    ordered = sorted(replies, key=lambda r: r.comment_id)
    for reply in ordered:
        parent = reply.parent_id if reply.parent_id in known and reply.parent_id != reply.comment_id else None
        children.setdefault(parent if parent is not None else head.comment_id, []).append(reply)
    built: dict[int, CommentView] = {}
    for reply in reversed(ordered):
        below = tuple(built[c.comment_id] for c in children.get(reply.comment_id, ()) if c.comment_id in built)
        built[reply.comment_id] = replace(reply, replies=below)
    return replace(head, replies=tuple(built[c.comment_id] for c in children.get(head.comment_id, ())))


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectionView:
    """A connection row seen from one side: ``other`` is the other party."""

    id: int
    other: AuthorCard
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    card: AuthorCard
    followers: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedPostView:
    shared_by: AuthorCard
    post: PostView


class Listing(StrEnum):
    """The post lists (all newest first)."""

    # The main feed: today's branches (the viewer's industry, mentors' posts, people the viewer follows) plus the
    # viewer's own posts and the posts of the viewer's confirmed connections; each post once.
    FEED = "feed"
    OWN = "own"
    BY_USER = "by_user"
    MENTORS = "mentors"
    FOLLOWING = "following"


class ConnectionSide(StrEnum):
    CONFIRMED = "confirmed"  # either direction
    INCOMING = "incoming"  # pending, sent to the user
    OUTGOING = "outgoing"  # pending, sent by the user


# Lists stop at the newest LISTED_MAX items: their ``count`` is exact up to this bound and costs one bounded
# index scan instead of a COUNT(*) over the table (pages past it answer 404 "Invalid page.").
LISTED_MAX = 500
