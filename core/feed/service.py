"""Feed use cases: posts, reposts, comments and replies, likes, saves, shares, and the post lists."""

from __future__ import annotations

import contextlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from core.feed.model.events import CommentLiked, CommentReplied, PostLiked
from core.feed.model.posts import (
    ARTICLE_MAX,
    BODY_MAX,
    COMMENT_MAX,
    REPOST_MAX,
    Comment,
    Post,
    check_text,
)
from core.feed.model.views import AuthorCard, CommentView, Listing, PostView, SharedPostView
from core.shared.errors import InvalidInput, NotFound, PermissionDenied, Unauthenticated
from core.shared.limits import WriteLimits, spend_write
from core.shared.media import JPEG, MP4, PNG, WEBM, MediaKind, MediaPolicy, Upload, check_upload, new_key
from core.shared.pagination import Page, PageRequest
from ports.classifier import IndustryClassifier
from ports.events import EventPublisher
from ports.feed import FeedReads, FeedUnitOfWork
from ports.storage import BlobStorage
from ports.system import Clock, RateLimiter

__all__ = ("CreatePost", "FeedLimits", "FeedService", "invalid_pk")

POST_PAGE_SIZE = 5


def invalid_pk(field: str, value: int) -> InvalidInput:
    return InvalidInput.field(field, f'Invalid pk "{value}" - object does not exist.')


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedLimits:
    """Upload limits of posts and comments (behaviors §3.3, §3.6) and list bounds."""

    image_bytes: int = 1_000_000
    video_bytes: int = 5_000_000
    comments_per_page: int = 50
    replies_per_thread: int = 50
    saved_max: int = 200

    @property
    def image(self) -> MediaPolicy:
        return MediaPolicy(MediaKind.IMAGE, self.image_bytes, frozenset({PNG, JPEG}))

    @property
    def video(self) -> MediaPolicy:
        return MediaPolicy(MediaKind.VIDEO, self.video_bytes, frozenset({MP4, WEBM}))


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatePost:
    body: str | None
    article: str | None = None
    pic1: Upload | None = None
    pic2: Upload | None = None
    pic3: Upload | None = None
    video: Upload | None = None


class FeedService:
    __slots__ = ("_classifier", "_clock", "_events", "_limiter", "_limits", "_reads", "_storage", "_uow", "_writes")

    def __init__(
        self,
        *,
        uow: Callable[[], FeedUnitOfWork],
        reads: FeedReads,
        events: EventPublisher,
        clock: Clock,
        classifier: IndustryClassifier,
        storage: BlobStorage,
        limiter: RateLimiter,
        limits: FeedLimits | None = None,
        writes: WriteLimits | None = None,
    ) -> None:
        """``writes``: posts, comments (replies included) and reposts each user may write per minute and day."""
        self._limiter = limiter
        self._writes = writes or WriteLimits()
        self._uow = uow
        self._reads = reads
        self._events = events
        self._clock = clock
        self._classifier = classifier
        self._storage = storage
        self._limits = limits or FeedLimits()

    async def _finish(self, uow: FeedUnitOfWork, actor_id: int, *, everyone: bool = False) -> None:
        """Commit, then publish the events; the actor's cached reads (everyone's, with ``everyone``) are stale."""
        uow.views_changed(actor_id, everyone=everyone)
        await uow.commit()
        await self._events.publish(*uow.collect_events())

    @staticmethod
    async def _actor(uow: FeedUnitOfWork, user_id: int) -> AuthorCard:
        card = await uow.people.card(user_id)
        if card is None:
            raise Unauthenticated("User not found")
        return card

    async def _store(self, uploads: dict[str, tuple[Upload, MediaPolicy]], prefix: str) -> dict[str, str]:
        """Check every upload first, then store them; returns field → URL."""
        checked = {name: (up, check_upload(up, policy, name)) for name, (up, policy) in uploads.items()}
        urls: dict[str, str] = {}
        try:
            for name, (up, (content_type, ext)) in checked.items():
                urls[name] = await self._storage.put(new_key(prefix, up.filename, ext), up.data, content_type)
        except BaseException:
            await self._discard(list(urls.values()))
            raise
        return urls

    async def _spend(self, kind: str, user_id: int) -> None:
        await spend_write(self._limiter, kind, user_id, self._writes)

    async def _discard(self, urls: list[str]) -> None:
        for url in urls:
            key = self._storage.key_of(url)
            if key is not None:
                with contextlib.suppress(Exception):  # best effort: an orphan object is harmless
                    await self._storage.delete(key)

    # ------------------------------------------------------------------ posts

    async def create_post(self, user_id: int, cmd: CreatePost) -> Post:
        body = check_text(cmd.body, "body", BODY_MAX)
        article = check_text(cmd.article, "article", ARTICLE_MAX, required=False) or None
        uploads: dict[str, tuple[Upload, MediaPolicy]] = {}
        for name, up in (("pic1", cmd.pic1), ("pic2", cmd.pic2), ("pic3", cmd.pic3)):
            if up is not None:
                uploads[name] = (up, self._limits.image)
        if cmd.video is not None:
            uploads["video"] = (cmd.video, self._limits.video)
        await self._spend("post", user_id)
        industries = tuple(self._classifier.classify(body))
        urls = await self._store(uploads, "posts/media")
        try:
            async with self._uow() as uow:
                author = await self._actor(uow, user_id)
                post = Post(
                    author_id=user_id,
                    body=body,
                    created_at=self._clock.now(),
                    pic1=urls.get("pic1"),
                    pic2=urls.get("pic2"),
                    pic3=urls.get("pic3"),
                    video=urls.get("video"),
                    article=article,
                    industries=industries,
                    by_mentor=author.user_type == "mentor",
                )
                await uow.posts.add(post)
                await self._finish(uow, user_id)
        except BaseException:
            await self._discard(list(urls.values()))
            raise
        return post

    async def repost(self, user_id: int, parent_id: int, body: str | None) -> PostView:
        text = check_text(body, "body", REPOST_MAX, required=False)
        await self._spend("repost", user_id)
        async with self._uow() as uow:
            author = await self._actor(uow, user_id)
            target = await uow.posts.get(parent_id)
            if target is None:
                raise invalid_pk("parent", parent_id)
            root = target if target.parent_id is None else await uow.posts.get(target.root_id)
            if root is None:  # the root vanished meanwhile
                raise invalid_pk("parent", parent_id)
            labels = list(root.industries)
            if text.strip():
                labels += [i for i in self._classifier.classify(text) if i not in labels]
                if len(labels) > 1 and "others" in labels:
                    labels.remove("others")
            post = Post(
                author_id=user_id,
                body=text,
                created_at=self._clock.now(),
                parent_id=root.id,
                industries=tuple(labels) or ("others",),
                by_mentor=author.user_type == "mentor",
            )
            await uow.posts.add(post)
            await self._finish(uow, user_id)
        view = await self._reads.post(user_id, post.id)
        if view is None:  # deleted between commit and read
            raise NotFound("Inexistent Post")
        return view

    async def delete_post(self, user_id: int, post_id: int) -> None:
        async with self._uow() as uow:
            post = await uow.posts.get(post_id)
            if post is None:
                raise InvalidInput.error("Invalid Post ID")
            if post.author_id != user_id:
                raise PermissionDenied("Can't delete another users post")
            await uow.posts.delete(post_id)
            # A deleted post must not be served from anyone's cached pages.
            await self._finish(uow, user_id, everyone=True)
        await self._discard(post.media_urls)

    async def post(self, viewer_id: int, post_id: int) -> PostView:
        view = await self._reads.post(viewer_id, post_id)
        if view is None:
            raise NotFound("Inexistent Post")
        return view

    async def posts(
        self, viewer_id: int, listing: Listing, page: int = 1, subject_id: int | None = None
    ) -> Page[PostView]:
        return await self._reads.posts(viewer_id, listing, PageRequest(page, POST_PAGE_SIZE), subject_id)

    # ------------------------------------------------------------------ comments

    async def comment(
        self, user_id: int, post_id: int, body: str | None, media: Upload | None = None
    ) -> tuple[Comment, AuthorCard]:
        text = check_text(body, "body", COMMENT_MAX)
        await self._spend("comment", user_id)
        urls = await self._store({"media": (media, self._limits.image)} if media else {}, "comments/media")
        try:
            async with self._uow() as uow:
                card = await self._actor(uow, user_id)
                if await uow.posts.get(post_id) is None:
                    raise invalid_pk("post", post_id)
                comment = Comment(
                    post_id=post_id, user_id=user_id, body=text, created_at=self._clock.now(), media=urls.get("media")
                )
                await uow.comments.add(comment)
                await self._finish(uow, user_id)
        except BaseException:
            await self._discard(list(urls.values()))
            raise
        return comment, card

    async def reply(self, user_id: int, parent_id: int, body: str | None) -> tuple[Comment, AuthorCard]:
        text = check_text(body, "body", COMMENT_MAX)
        await self._spend("comment", user_id)
        async with self._uow() as uow:
            card = await self._actor(uow, user_id)
            parent = await uow.comments.get(parent_id)
            if parent is None:
                raise invalid_pk("parent", parent_id)
            reply = Comment(
                post_id=parent.post_id,
                user_id=user_id,
                body=text,
                created_at=self._clock.now(),
                parent_id=parent.id,
                thread_id=parent.thread_id or parent.id,
            )
            await uow.comments.add(reply)
            if parent.user_id != user_id:
                reply.record(
                    CommentReplied(
                        actor_id=user_id,
                        recipient_id=parent.user_id,
                        occurred_at=reply.created_at,
                        post_id=parent.post_id,
                        comment_id=parent.id,
                        reply_id=reply.id,
                    )
                )
                uow.track(reply)
            await self._finish(uow, user_id)
        return reply, card

    async def comments(self, viewer_id: int, post_id: int, page: int = 1) -> list[CommentView]:
        request = PageRequest(page, self._limits.comments_per_page)
        found = await self._reads.comments(viewer_id, post_id, request, self._limits.replies_per_thread)
        if found is None:
            raise InvalidInput.error("Inexistent post")
        return found

    # ------------------------------------------------------------------ likes

    async def like(self, user_id: int, post_id: int) -> None:
        async with self._uow() as uow:
            post = await uow.posts.get(post_id)
            if post is None:
                raise invalid_pk("post", post_id)
            if not await uow.likes.add(post_id, user_id):
                raise InvalidInput({"error": ["Post Already Liked"]})
            post.record(
                PostLiked(actor_id=user_id, recipient_id=post.author_id, occurred_at=self._clock.now(), post_id=post_id)
            )
            uow.track(post)
            await self._finish(uow, user_id)

    async def unlike(self, user_id: int, post_id: int) -> None:
        async with self._uow() as uow:
            if not await uow.likes.remove(post_id, user_id):
                if await uow.posts.get(post_id) is None:
                    raise invalid_pk("post", post_id)
                raise InvalidInput.non_field("Post is yet to be liked")
            await self._finish(uow, user_id)

    async def like_comment(self, user_id: int, comment_id: int) -> None:
        async with self._uow() as uow:
            comment = await uow.comments.get(comment_id)
            if comment is None:
                raise invalid_pk("comment", comment_id)
            if not await uow.comment_likes.add(comment_id, user_id):
                raise InvalidInput.non_field("Comment already liked.")
            comment.record(
                CommentLiked(
                    actor_id=user_id,
                    recipient_id=comment.user_id,
                    occurred_at=self._clock.now(),
                    post_id=comment.post_id,
                    comment_id=comment_id,
                )
            )
            uow.track(comment)
            await self._finish(uow, user_id)

    async def unlike_comment(self, user_id: int, comment_id: int) -> None:
        async with self._uow() as uow:
            if not await uow.comment_likes.remove(comment_id, user_id):
                if await uow.comments.get(comment_id) is None:
                    raise invalid_pk("comment", comment_id)
                raise InvalidInput.non_field("Comment has not been previously liked.")
            await self._finish(uow, user_id)

    # ------------------------------------------------------------------ saves and shares

    async def save(self, user_id: int, post_id: int) -> None:
        """Idempotent: saving a saved post answers as the first time did."""
        async with self._uow() as uow:
            if await uow.posts.get(post_id) is None:
                raise invalid_pk("post", post_id)
            await uow.saves.add(user_id, post_id, self._clock.now())
            await self._finish(uow, user_id)

    async def unsave(self, user_id: int, post_id: int) -> None:
        async with self._uow() as uow:
            if not await uow.saves.remove(user_id, post_id):
                raise NotFound("This post is not saved.")
            await self._finish(uow, user_id)

    async def saved(self, viewer_id: int) -> list[PostView]:
        return await self._reads.saved(viewer_id, self._limits.saved_max)

    async def share(self, user_id: int, post_id: int) -> str:
        async with self._uow() as uow:
            if await uow.posts.get(post_id) is None:
                raise invalid_pk("post", post_id)
            fresh = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
            share_hash = await uow.shares.share(post_id, user_id, fresh, self._clock.now())
            await self._finish(uow, user_id)
        return share_hash

    async def shared(self, share_hash: str | None) -> SharedPostView:
        if not share_hash:
            raise InvalidInput.error("A hash query parameter is required for this request.")
        view = await self._reads.shared(share_hash.strip()[:64])
        if view is None:
            raise InvalidInput.error("Invalid Share Hash")
        return view
