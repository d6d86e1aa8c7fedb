"""Wire shapes of the feed and network endpoints (spec: Retrieve Posts … Connection Recommendation).

Absent media render as ``"N/A"``; ``post_id`` is the last key of a post; a repost's ``parent`` carries the
original's ``post_id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from adapters.http.wire import NO_NUL

__all__ = (
    "CommentBody",
    "CommentCreatedRead",
    "CommentForm",
    "CommentLikedRead",
    "CommentRead",
    "CommenterRead",
    "ConnectBody",
    "ConnectionCardRead",
    "ConnectionCreatedRead",
    "ConnectionItemRead",
    "ConnectionStatusBody",
    "ConnectionsCountRead",
    "FollowBody",
    "FollowRead",
    "FollowersCountRead",
    "FollowingCountRead",
    "LikedRead",
    "MiniProfileRead",
    "ParentRead",
    "PendingRead",
    "PersonRead",
    "PostBody",
    "PostCreatedRead",
    "PostForm",
    "PostProfileRead",
    "PostRead",
    "RecommendationRead",
    "ReplyBody",
    "ReplyCreatedRead",
    "RepostBody",
    "RepostRead",
    "SavedItemRead",
    "SavedRead",
    "SentRead",
    "ShareRead",
    "SharedPostRead",
    "SharedRead",
    "StatusRead",
)

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Text = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=20_000)]


class _In(msgspec.Struct, kw_only=True):
    """Request bodies: unknown keys are ignored."""


class _Out(msgspec.Struct, kw_only=True):
    pass


# ------------------------------------------------------------------------------------------- requests


class PostForm(_In):
    """``POST /post/`` fields (JSON, or multipart with files ``pic1..pic3`` and ``video``)."""

    body: Text | None = None
    article: Text | None = None


class PostBody(_In):
    post: Id


class CommentForm(_In):
    post: Id
    body: Text | None = None


class CommentBody(_In):
    comment: Id


class ReplyBody(_In):
    parent: Id
    body: Text | None = None


class RepostBody(_In):
    parent: Id
    body: Text | None = None


class FollowBody(_In):
    user_following: Id


class ConnectBody(_In):
    connection: Id


class ConnectionStatusBody(_In):
    connection_id: Id
    status: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=20)]


# ------------------------------------------------------------------------------------------- answers


class MiniProfileRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str


class PostProfileRead(MiniProfileRead, kw_only=True):
    user_type: str


class _AuthoredPost(_Out):
    """The author card and content every post shape starts with (``post_id`` always comes last)."""

    profile: PostProfileRead
    body: str
    pic1: str
    pic2: str
    pic3: str
    video: str
    article: str
    time_stamp: datetime


class ParentRead(_AuthoredPost, kw_only=True):
    post_id: int


class PostRead(_AuthoredPost, kw_only=True):
    comment_count: int
    like_count: int
    share_count: int
    parent: ParentRead | None
    can_like: bool
    can_follow: bool
    is_self: bool
    is_saved: bool
    post_id: int


class PostPageRead(_Out):
    """A DRF page of posts."""

    count: int
    next: str | None
    previous: str | None
    results: list[PostRead]


class FeedPageRead(PostPageRead):
    """A DRF page of posts with the absolute link of the ``last_page``."""

    last_page: str


class PostCreatedRead(_Out):
    body: str
    pic1: str
    pic2: str
    pic3: str
    video: str
    article: str
    time_stamp: datetime
    post_id: int


class RepostRead(_Out):
    profile: PostProfileRead
    body: str
    pic1: str
    pic2: str
    pic3: str
    video: str
    media: str
    article: str
    time_stamp: datetime
    parent: ParentRead | None
    post_id: int


class CommentCreatedRead(_Out):
    user: MiniProfileRead
    body: str
    media: str
    time_stamp: datetime
    comment_id: int


class ReplyCreatedRead(_Out):
    user: MiniProfileRead
    body: str
    parent: int
    time_stamp: datetime
    comment_id: int


class CommenterRead(_Out):
    first_name: str
    last_name: str
    middle_name: str
    profile_picture: str


class CommentRead(_Out):
    post: int
    commenter: CommenterRead
    body: str
    media: str
    parent: int | None
    replies: list[CommentRead]
    likes: int
    time_stamp: datetime
    can_like: bool
    comment_id: int


class LikedRead(_Out):
    post: int


class StatusRead(_Out):
    status: str


class CommentLikedRead(_Out):
    comment_id: int
    user_id: int
    status: str = "Liked Comment"


class SavedRead(_Out):
    post_id: int


class SavedItemRead(_Out):
    post: PostRead


class ShareRead(_Out):
    post_hash: str


class SharedPostRead(_Out):
    profile: PostProfileRead
    body: str
    pic1: str
    pic2: str
    pic3: str
    video: str
    article: str
    parent: ParentRead | None
    like_count: int
    comment_count: int
    share_count: int
    time_stamp: datetime
    post_id: int


class SharedRead(_Out):
    shared_by: MiniProfileRead
    post: SharedPostRead


class FollowRead(_Out):
    follower: int
    following: int


class PersonRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str


class FollowingCountRead(_Out):
    following_count: int


class FollowersCountRead(_Out):
    followers_count: int = msgspec.field(name="followers count")


class RecommendationRead(_Out):
    id: int
    name: str
    qualification: str
    profile_photo: str
    followers: int


class RecommendationPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[RecommendationRead]


class ConnectionRecommendationPageRead(RecommendationPageRead):
    last_page: str


class ConnectionCreatedRead(_Out):
    user: int
    connection: int
    status: str
    id: int


class ConnectionCardRead(_Out):
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str
    user_type: str
    status: str
    user_id: int


class ConnectionItemRead(_Out):
    id: int
    connection: ConnectionCardRead


class PendingRead(_Out):
    pending_requests: list[ConnectionItemRead]
    count: int


class SentRead(_Out):
    connection_requests: list[ConnectionItemRead]
    count: int


class ConnectionsCountRead(_Out):
    connections_count: int
