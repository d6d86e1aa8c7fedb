"""Ports of the feed domain: write repositories and unit of work, and the read-model queries of the lists."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, Self

from core.feed.model.graph import Connection
from core.feed.model.posts import Comment, Post
from core.feed.model.views import (
    AuthorCard,
    CommentView,
    ConnectionSide,
    ConnectionView,
    Listing,
    PostView,
    Recommendation,
    SharedPostView,
)
from core.shared.events import DomainEvent
from core.shared.pagination import Page, PageRequest
from ports.tasks import TaskQueue

__all__ = (
    "CommentLikeRepository",
    "CommentRepository",
    "ConnectionRepository",
    "FeedReads",
    "FeedUnitOfWork",
    "FollowRepository",
    "LikeRepository",
    "PeopleDirectory",
    "PostRepository",
    "SaveRepository",
    "ShareRepository",
)


class PostRepository(Protocol):
    async def get(self, post_id: int) -> Post | None: ...

    async def add(self, post: Post) -> Post:
        """Insert the post and its industry tags; returns it with its new id."""
        ...

    async def delete(self, post_id: int) -> None:
        """Delete the post; its reposts, comments, likes, saves and shares go with it."""
        ...


class CommentRepository(Protocol):
    async def get(self, comment_id: int) -> Comment | None: ...

    async def add(self, comment: Comment) -> Comment:
        """Insert; a top-level comment also counts on its post's ``comment_count``."""
        ...


class LikeRepository(Protocol):
    async def add(self, post_id: int, user_id: int) -> bool:
        """Like once; ``False`` when already liked (also under concurrent requests). Keeps ``like_count``."""
        ...

    async def remove(self, post_id: int, user_id: int) -> bool: ...


class CommentLikeRepository(Protocol):
    async def add(self, comment_id: int, user_id: int) -> bool: ...

    async def remove(self, comment_id: int, user_id: int) -> bool: ...


class SaveRepository(Protocol):
    async def add(self, user_id: int, post_id: int, at: datetime) -> bool: ...

    async def remove(self, user_id: int, post_id: int) -> bool: ...


class ShareRepository(Protocol):
    async def share(self, post_id: int, user_id: int, new_hash: str, at: datetime) -> str:
        """The sharer's hash for the post: the existing one, else ``new_hash`` (then ``share_count`` grows)."""
        ...


class FollowRepository(Protocol):
    async def add(self, follower_id: int, followed_id: int, at: datetime) -> bool:
        """``False`` when already followed (also under concurrent requests)."""
        ...

    async def remove(self, follower_id: int, followed_id: int) -> bool: ...


class ConnectionRepository(Protocol):
    async def get(self, connection_id: int) -> Connection | None: ...

    async def between(self, a: int, b: int) -> Connection | None:
        """The row of this pair, whichever direction."""
        ...

    async def add(self, connection: Connection) -> bool:
        """Insert; ``False`` when the pair already has a row (also under concurrent requests)."""
        ...

    async def update(self, connection: Connection) -> None: ...

    async def delete(self, connection_id: int) -> None: ...


class PeopleDirectory(Protocol):
    """The little the feed needs to know about users."""

    async def card(self, user_id: int) -> AuthorCard | None: ...

    async def exists(self, user_id: int) -> bool: ...


class FeedUnitOfWork(Protocol):
    @property
    def posts(self) -> PostRepository: ...
    @property
    def comments(self) -> CommentRepository: ...
    @property
    def likes(self) -> LikeRepository: ...
    @property
    def comment_likes(self) -> CommentLikeRepository: ...
    @property
    def saves(self) -> SaveRepository: ...
    @property
    def shares(self) -> ShareRepository: ...
    @property
    def follows(self) -> FollowRepository: ...
    @property
    def connections(self) -> ConnectionRepository: ...
    @property
    def people(self) -> PeopleDirectory: ...
    @property
    def tasks(self) -> TaskQueue:
        """Background tasks staged with this unit of work, written by its commit (``ports/tasks.py``)."""
        ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None: ...
    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None:
        """Cached reads of ``viewer_ids`` (of everyone) are out of date once this unit of work commits."""
        ...


class FeedReads(Protocol):
    """Read models: every method costs a fixed number of SQL statements whatever the size of its answer,
    and every per-viewer flag is computed for the viewer passed in (no shared caches)."""

    async def posts(
        self, viewer_id: int, listing: Listing, page: PageRequest, subject_id: int | None = None
    ) -> Page[PostView]:
        """A page of a post list (``subject_id`` is the author for ``BY_USER``); raises ``NotFound`` for a
        page past the last one. ``BY_USER`` with an unknown user raises ``InvalidInput``."""
        ...

    async def post(self, viewer_id: int, post_id: int) -> PostView | None: ...

    async def saved(self, viewer_id: int, limit: int) -> list[PostView]:
        """The viewer's saved posts, most recently saved first."""
        ...

    async def comments(
        self, viewer_id: int, post_id: int, page: PageRequest, replies_per_thread: int
    ) -> list[CommentView] | None:
        """Top-level comments, oldest first, each with the replies of its thread; ``None`` if no such post."""
        ...

    async def shared(self, share_hash: str) -> SharedPostView | None: ...

    async def followings(self, user_id: int, limit: int) -> list[AuthorCard]: ...

    async def followers(self, user_id: int, limit: int) -> list[AuthorCard]: ...

    async def following_count(self, user_id: int) -> int: ...

    async def followers_count(self, user_id: int) -> int: ...

    async def connections(self, user_id: int, side: ConnectionSide, limit: int) -> list[ConnectionView]: ...

    async def connections_count(self, user_id: int) -> int: ...

    async def follow_recommendations(self, viewer_id: int, page: PageRequest) -> Page[Recommendation]: ...

    async def connection_recommendations(
        self, viewer_id: int, criteria: str, page: PageRequest
    ) -> Page[Recommendation]:
        """``criteria`` is ``industry`` or ``location``."""
        ...
