"""In-memory twins of the feed adapters: the unit of work and its repositories, the read models, and the
social graph the profiles read. They mirror ``adapters/db/feed.py`` and ``adapters/db/feed_queries.py`` row for
row: the same uniqueness answers ("insert or ignore" → ``False``), counters kept on the post and comment rows,
orderings, list bounds (``LISTED_MAX``) and per-viewer flags; the same contract tests run over both.

Rows are private dataclasses in :class:`~adapters.db.memory.MemoryTable` twins of ``adapters/db/tables/feed.py``
(keys, unique constraints and ``ON DELETE CASCADE`` chains come from the SQL tables); callers only ever get fresh
domain objects or frozen views. The user-deletion hook keeps the counters of the surviving posts and comments
right (see ``docs/conventions.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.db.accounts import PROFILES, USERS
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables import feed as t
from adapters.db.uow import TaskKick
from core.accounts.model.portfolio import SocialStats
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User
from core.feed.model.graph import Connection, ConnectionStatus
from core.feed.model.posts import Comment, Post
from core.feed.model.views import (
    LISTED_MAX,
    AuthorCard,
    CommentView,
    ConnectionSide,
    ConnectionView,
    Listing,
    ParentView,
    PostView,
    Recommendation,
    SharedPostView,
    nest_thread,
)
from core.shared.errors import InvalidInput, NotFound
from core.shared.pagination import Page, PageRequest
from ports.readcache import ViewInvalidation
from ports.system import Clock

__all__ = (
    "InMemoryFeedReads",
    "InMemoryFeedUnitOfWork",
    "InMemorySocialGraph",
    "forget_user_in_memory_feed",
)

Tables = dict[str, dict[Any, Any]]


# ------------------------------------------------------------------------------------------ rows


@dataclass(kw_only=True)
class _PostRow:
    id: int = 0
    author_id: int
    body: str
    created_at: datetime
    pic1: str | None
    pic2: str | None
    pic3: str | None
    video: str | None
    article: str | None
    parent_id: int | None
    industries: tuple[str, ...]
    by_mentor: bool
    like_count: int = 0
    comment_count: int = 0
    share_count: int = 0


@dataclass(kw_only=True)
class _CommentRow:
    id: int = 0
    post_id: int
    user_id: int
    parent_id: int | None
    thread_id: int | None
    body: str
    media: str | None
    created_at: datetime
    like_count: int = 0


@dataclass(kw_only=True)
class _LikeRow:
    post_id: int
    user_id: int
    created_at: datetime


@dataclass(kw_only=True)
class _CommentLikeRow:
    comment_id: int
    user_id: int
    created_at: datetime


@dataclass(kw_only=True)
class _SaveRow:
    user_id: int
    post_id: int
    created_at: datetime


@dataclass(kw_only=True)
class _ShareRow:
    id: int = 0
    post_id: int
    user_id: int
    hash: str
    created_at: datetime


@dataclass(kw_only=True)
class _FollowRow:
    id: int = 0
    follower_id: int
    followed_id: int
    created_at: datetime


# ``post_industries`` is not a table here: a post row carries its industries.
POSTS = MemoryTable(t.posts, _PostRow)
COMMENTS = MemoryTable(t.comments, _CommentRow)
LIKES = MemoryTable(t.post_likes, _LikeRow)
COMMENT_LIKES = MemoryTable(t.comment_likes, _CommentLikeRow)
SAVES = MemoryTable(t.post_saves, _SaveRow)
SHARES = MemoryTable(t.post_shares, _ShareRow)
FOLLOWS = MemoryTable(t.follows, _FollowRow)
CONNECTIONS = MemoryTable(
    t.connections,
    Connection,
    computed={
        "user_low": lambda c: min(c.sender_id, c.receiver_id),
        "user_high": lambda c: max(c.sender_id, c.receiver_id),
    },
)


def forget_user_in_memory_feed(uow: InMemoryUnitOfWork, user_id: int) -> None:
    """Before a user's rows go: take their likes, top-level comments and shares off the counters of the posts
    and comments that stay (the twin of ``adapters.db.feed_deletion.forget_user_in_feed``)."""
    posts, comments = uow.rows(POSTS), uow.rows(COMMENTS)
    for like in uow.view(LIKES).values():
        if like.user_id == user_id and like.post_id in posts:
            posts[like.post_id].like_count -= 1
    for share in uow.view(SHARES).values():
        if share.user_id == user_id and share.post_id in posts:
            posts[share.post_id].share_count -= 1
    for comment in comments.values():
        if comment.user_id == user_id and comment.parent_id is None and comment.post_id in posts:
            posts[comment.post_id].comment_count -= 1
    for clike in uow.view(COMMENT_LIKES).values():
        if clike.user_id == user_id and clike.comment_id in comments:
            comments[clike.comment_id].like_count -= 1


def _post(row: _PostRow) -> Post:
    return Post(
        id=row.id,
        author_id=row.author_id,
        body=row.body,
        created_at=row.created_at,
        pic1=row.pic1,
        pic2=row.pic2,
        pic3=row.pic3,
        video=row.video,
        article=row.article,
        parent_id=row.parent_id,
        industries=row.industries,
        by_mentor=row.by_mentor,
    )


def _comment(row: _CommentRow) -> Comment:
    return Comment(
        id=row.id,
        post_id=row.post_id,
        user_id=row.user_id,
        body=row.body,
        created_at=row.created_at,
        media=row.media,
        parent_id=row.parent_id,
        thread_id=row.thread_id,
    )


def _card(users: Mapping[int, User], profiles: Mapping[int, Profile], user_id: int) -> AuthorCard | None:
    """``users LEFT JOIN profiles`` as ``card_from`` maps it."""
    user = users.get(user_id)
    if user is None:
        return None
    profile = profiles.get(user_id)
    if profile is None:
        return AuthorCard(
            id=user.id, user_type=str(user.user_type), first_name="", last_name="", middle_name="",
            profile_photo=None, qualification="",
        )
    return AuthorCard(
        id=user.id,
        user_type=str(user.user_type),
        first_name=profile.first_name or "",
        last_name=profile.last_name or "",
        middle_name=profile.middle_name or "",
        profile_photo=profile.profile_photo,
        qualification=profile.qualification or "",
        company_name=profile.company_name,
        logo=profile.logo,
        tagline=profile.tagline,
    )


# ------------------------------------------------------------------------------------------ repositories


class _MemRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def _bump(self, table: MemoryTable[Any], key: int, counter: str, by: int) -> None:
        """``UPDATE … SET counter = counter + by WHERE id = key`` on the staged row."""
        row = self._uow.rows(table).get(key)
        if row is not None:
            setattr(row, counter, getattr(row, counter) + by)


class InMemoryPostRepository(_MemRepo):
    async def get(self, post_id: int) -> Post | None:
        row = self._uow.view(POSTS).get(post_id)
        return _post(row) if row else None

    async def add(self, post: Post) -> Post:
        labels = tuple(dict.fromkeys(post.industries)) or ("others",)
        row = _PostRow(
            author_id=post.author_id,
            body=post.body,
            created_at=post.created_at,
            pic1=post.pic1,
            pic2=post.pic2,
            pic3=post.pic3,
            video=post.video,
            article=post.article,
            parent_id=post.parent_id,
            industries=tuple(i for i in labels if i),
            by_mentor=post.by_mentor,
        )
        post.id = self._uow.insert(POSTS, row)
        self._uow.track(post)
        return post

    async def delete(self, post_id: int) -> None:
        self._uow.delete(POSTS, post_id)


class InMemoryCommentRepository(_MemRepo):
    async def get(self, comment_id: int) -> Comment | None:
        row = self._uow.view(COMMENTS).get(comment_id)
        return _comment(row) if row else None

    async def add(self, comment: Comment) -> Comment:
        row = _CommentRow(
            post_id=comment.post_id,
            user_id=comment.user_id,
            parent_id=comment.parent_id,
            thread_id=comment.thread_id,
            body=comment.body,
            media=comment.media,
            created_at=comment.created_at,
        )
        comment.id = self._uow.insert(COMMENTS, row)
        if comment.parent_id is None:
            self._bump(POSTS, comment.post_id, "comment_count", 1)
        self._uow.track(comment)
        return comment


class InMemoryLikeRepository(_MemRepo):
    __slots__ = ("_clock",)

    def __init__(self, uow: InMemoryUnitOfWork, clock: Clock) -> None:
        super().__init__(uow)
        self._clock = clock

    async def add(self, post_id: int, user_id: int) -> bool:
        if post_id not in self._uow.view(POSTS):  # ``INSERT … SELECT`` from the post: nothing without one
            return False
        row = _LikeRow(post_id=post_id, user_id=user_id, created_at=self._clock.now())
        if not self._uow.insert_or_ignore(LIKES, row):
            return False
        self._bump(POSTS, post_id, "like_count", 1)
        return True

    async def remove(self, post_id: int, user_id: int) -> bool:
        if not self._uow.delete(LIKES, (post_id, user_id)):
            return False
        self._bump(POSTS, post_id, "like_count", -1)
        return True


class InMemoryCommentLikeRepository(_MemRepo):
    __slots__ = ("_clock",)

    def __init__(self, uow: InMemoryUnitOfWork, clock: Clock) -> None:
        super().__init__(uow)
        self._clock = clock

    async def add(self, comment_id: int, user_id: int) -> bool:
        if comment_id not in self._uow.view(COMMENTS):
            return False
        row = _CommentLikeRow(comment_id=comment_id, user_id=user_id, created_at=self._clock.now())
        if not self._uow.insert_or_ignore(COMMENT_LIKES, row):
            return False
        self._bump(COMMENTS, comment_id, "like_count", 1)
        return True

    async def remove(self, comment_id: int, user_id: int) -> bool:
        if not self._uow.delete(COMMENT_LIKES, (comment_id, user_id)):
            return False
        self._bump(COMMENTS, comment_id, "like_count", -1)
        return True


class InMemorySaveRepository(_MemRepo):
    async def add(self, user_id: int, post_id: int, at: datetime) -> bool:
        return self._uow.insert_or_ignore(SAVES, _SaveRow(user_id=user_id, post_id=post_id, created_at=at))

    async def remove(self, user_id: int, post_id: int) -> bool:
        return self._uow.delete(SAVES, (user_id, post_id))


class InMemoryShareRepository(_MemRepo):
    async def share(self, post_id: int, user_id: int, new_hash: str, at: datetime) -> str:
        row = _ShareRow(post_id=post_id, user_id=user_id, hash=new_hash, created_at=at)
        if self._uow.insert_or_ignore(SHARES, row):
            self._bump(POSTS, post_id, "share_count", 1)
            return new_hash
        mine = self._uow.find(SHARES, lambda r: r.post_id == post_id and r.user_id == user_id)
        if mine is None:  # the unique hash: SQL ignores the insert, finds none
            raise LookupError("share hash collision")
        return mine.hash


class InMemoryFollowRepository(_MemRepo):
    async def add(self, follower_id: int, followed_id: int, at: datetime) -> bool:
        row = _FollowRow(follower_id=follower_id, followed_id=followed_id, created_at=at)
        return self._uow.insert_or_ignore(FOLLOWS, row)

    async def remove(self, follower_id: int, followed_id: int) -> bool:
        return bool(
            self._uow.delete_where(FOLLOWS, lambda r: r.follower_id == follower_id and r.followed_id == followed_id)
        )


class InMemoryConnectionRepository(_MemRepo):
    async def get(self, connection_id: int) -> Connection | None:
        return self._uow.get(CONNECTIONS, connection_id)

    async def between(self, a: int, b: int) -> Connection | None:
        return self._uow.find(CONNECTIONS, lambda r: {r.sender_id, r.receiver_id} == {a, b})

    async def add(self, connection: Connection) -> bool:
        connection.id = 0
        if not self._uow.insert_or_ignore(CONNECTIONS, connection):
            return False
        self._uow.track(connection)
        return True

    async def update(self, connection: Connection) -> None:
        self._uow.update(CONNECTIONS, connection, keep=("created_at",))
        self._uow.track(connection)

    async def delete(self, connection_id: int) -> None:
        self._uow.delete(CONNECTIONS, connection_id)


class InMemoryPeopleDirectory(_MemRepo):
    async def card(self, user_id: int) -> AuthorCard | None:
        return _card(self._uow.view(USERS), self._uow.view(PROFILES), user_id)

    async def exists(self, user_id: int) -> bool:
        user = self._uow.view(USERS).get(user_id)
        return user is not None and user.is_active


class InMemoryFeedUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self,
        store: InMemoryStore,
        after_commit: Callable[[], None] | None = None,
        *,
        clock: Clock,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(store, after_commit, views=views, task_kick=task_kick)
        store.on_delete("users", "feed", forget_user_in_memory_feed)
        self._posts = InMemoryPostRepository(self)
        self._comments = InMemoryCommentRepository(self)
        self._likes = InMemoryLikeRepository(self, clock)
        self._comment_likes = InMemoryCommentLikeRepository(self, clock)
        self._saves = InMemorySaveRepository(self)
        self._shares = InMemoryShareRepository(self)
        self._follows = InMemoryFollowRepository(self)
        self._connections = InMemoryConnectionRepository(self)
        self._people = InMemoryPeopleDirectory(self)

    @property
    def posts(self) -> InMemoryPostRepository:
        return self._posts

    @property
    def comments(self) -> InMemoryCommentRepository:
        return self._comments

    @property
    def likes(self) -> InMemoryLikeRepository:
        return self._likes

    @property
    def comment_likes(self) -> InMemoryCommentLikeRepository:
        return self._comment_likes

    @property
    def saves(self) -> InMemorySaveRepository:
        return self._saves

    @property
    def shares(self) -> InMemoryShareRepository:
        return self._shares

    @property
    def follows(self) -> InMemoryFollowRepository:
        return self._follows

    @property
    def connections(self) -> InMemoryConnectionRepository:
        return self._connections

    @property
    def people(self) -> InMemoryPeopleDirectory:
        return self._people


# ------------------------------------------------------------------------------------------ read models


def _newest(rows: Iterable[_PostRow], limit: int) -> list[_PostRow]:
    return sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)[:limit]


class _Snapshot:
    """The committed tables at one instant (a commit swaps ``store.tables`` whole)."""

    __slots__ = ("tables",)

    def __init__(self, store: InMemoryStore) -> None:
        self.tables: Tables = store.tables

    def t(self, name: str) -> dict[Any, Any]:
        return self.tables.get(name, {})

    @property
    def posts(self) -> dict[int, _PostRow]:
        return self.t("posts")

    @property
    def users(self) -> dict[int, User]:
        return self.t("users")

    def card(self, user_id: int) -> AuthorCard | None:
        return _card(self.t("users"), self.t("profiles"), user_id)

    def followed_by(self, viewer_id: int) -> set[int]:
        return {r.followed_id for r in self.t("follows").values() if r.follower_id == viewer_id}

    def connected_to(self, viewer_id: int) -> set[int]:
        rows: Iterable[Connection] = self.t("connections").values()
        return {c.other(viewer_id) for c in rows if c.status is ConnectionStatus.CONFIRMED and c.involves(viewer_id)}

    def post_view(self, row: _PostRow, viewer_id: int) -> PostView | None:
        author = self.card(row.author_id)
        if author is None:
            return None
        parent = None
        original = self.posts.get(row.parent_id) if row.parent_id is not None else None
        if original is not None:
            parent_card = self.card(original.author_id)
            if parent_card is not None:
                parent = ParentView(
                    post_id=original.id,
                    author=parent_card,
                    body=original.body,
                    pic1=original.pic1,
                    pic2=original.pic2,
                    pic3=original.pic3,
                    video=original.video,
                    article=original.article,
                    created_at=original.created_at,
                )
        return PostView(
            post_id=row.id,
            author=author,
            body=row.body,
            pic1=row.pic1,
            pic2=row.pic2,
            pic3=row.pic3,
            video=row.video,
            article=row.article,
            created_at=row.created_at,
            comment_count=row.comment_count,
            like_count=row.like_count,
            share_count=row.share_count,
            parent=parent,
            viewer_id=viewer_id,
            liked=(row.id, viewer_id) in self.t("post_likes"),
            saved=(viewer_id, row.id) in self.t("post_saves"),
            following=any(
                r.follower_id == viewer_id and r.followed_id == row.author_id for r in self.t("follows").values()
            ),
        )

    def views(self, rows: Iterable[_PostRow], viewer_id: int) -> list[PostView]:
        return [v for v in (self.post_view(r, viewer_id) for r in rows) if v is not None]

    def comment_view(self, row: _CommentRow, viewer_id: int, replies: tuple[CommentView, ...] = ()) -> CommentView:
        commenter = self.card(row.user_id)
        assert commenter is not None  # comments cascade with their author
        return CommentView(
            comment_id=row.id,
            post_id=row.post_id,
            commenter=commenter,
            body=row.body,
            media=row.media,
            parent_id=row.parent_id,
            thread_id=row.thread_id,
            likes=row.like_count,
            created_at=row.created_at,
            liked=(row.id, viewer_id) in self.t("comment_likes"),
            replies=replies,
        )

    def profile(self, user_id: int) -> Profile | None:
        found: Profile | None = self.t("profiles").get(user_id)
        return found


class InMemoryFeedReads:
    """``FeedReads`` over the committed in-memory tables, with the SQL read models' rules."""

    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _snap(self) -> _Snapshot:
        return _Snapshot(self._store)

    # ------------------------------------------------------------------ posts

    @staticmethod
    def _candidates(s: _Snapshot, viewer_id: int, listing: Listing, subject_id: int | None) -> set[int]:
        rows = s.posts.values()
        if listing is Listing.OWN:
            chosen = _newest((r for r in rows if r.author_id == viewer_id), LISTED_MAX)
        elif listing is Listing.BY_USER:
            chosen = _newest((r for r in rows if r.author_id == (subject_id or 0)), LISTED_MAX)
        elif listing is Listing.MENTORS:
            chosen = _newest((r for r in rows if r.by_mentor), LISTED_MAX)
        elif listing is Listing.FOLLOWING:
            followed = s.followed_by(viewer_id)
            chosen = _newest((r for r in rows if r.author_id in followed), LISTED_MAX)
        else:
            # The viewer, whom the viewer follows and the viewer's confirmed connections (as the SQL ``people``).
            people = s.followed_by(viewer_id) | s.connected_to(viewer_id)
            if viewer_id in s.users:
                people.add(viewer_id)
            chosen = _newest((r for r in rows if r.author_id in people), LISTED_MAX)
            viewer = s.users.get(viewer_id)
            if viewer is not None:
                industry = viewer.industry.lower() or "others"
                chosen += _newest((r for r in rows if industry in r.industries), LISTED_MAX)
            chosen += _newest((r for r in rows if r.by_mentor), LISTED_MAX)
        return {r.id for r in chosen}

    async def posts(
        self, viewer_id: int, listing: Listing, page: PageRequest, subject_id: int | None = None
    ) -> Page[PostView]:
        if page.offset >= LISTED_MAX:
            raise NotFound("Invalid page.")
        s = self._snap()
        ids = self._candidates(s, viewer_id, listing, subject_id)
        ordered = _newest((s.posts[i] for i in ids), len(ids))
        items = s.views(ordered[page.offset:page.offset + page.size], viewer_id)
        if not items:
            if listing is Listing.BY_USER and (subject_id or 0) not in s.users:
                raise InvalidInput.error("Invalid user_id")
            if page.number > 1:
                raise NotFound("Invalid page.")
            return Page(items=[], total=0, request=page)
        return Page(items=items, total=min(len(ids), LISTED_MAX), request=page)

    async def post(self, viewer_id: int, post_id: int) -> PostView | None:
        s = self._snap()
        row = s.posts.get(post_id)
        return s.post_view(row, viewer_id) if row else None

    async def saved(self, viewer_id: int, limit: int) -> list[PostView]:
        s = self._snap()
        saves: list[_SaveRow] = [r for r in s.t("post_saves").values() if r.user_id == viewer_id]
        saves.sort(key=lambda r: (r.created_at, r.post_id), reverse=True)
        return s.views((s.posts[r.post_id] for r in saves[:limit] if r.post_id in s.posts), viewer_id)

    async def shared(self, share_hash: str) -> SharedPostView | None:
        s = self._snap()
        share = next((r for r in s.t("post_shares").values() if r.hash == share_hash), None)
        if share is None:
            return None
        sharer = s.card(share.user_id)
        row = s.posts.get(share.post_id)
        post = s.post_view(row, 0) if row else None
        return SharedPostView(shared_by=sharer, post=post) if sharer and post else None

    # ------------------------------------------------------------------ comments

    async def comments(
        self, viewer_id: int, post_id: int, page: PageRequest, replies_per_thread: int
    ) -> list[CommentView] | None:
        s = self._snap()
        rows: list[_CommentRow] = sorted(
            (r for r in s.t("comments").values() if r.post_id == post_id), key=lambda r: r.id
        )
        heads = [r for r in rows if r.thread_id is None][page.offset:page.offset + page.size]
        if not heads:
            return [] if post_id in s.posts else None
        by_thread: dict[int, list[CommentView]] = {}
        for r in rows:
            if r.thread_id is not None:
                thread = by_thread.setdefault(r.thread_id, [])
                if len(thread) < replies_per_thread:
                    thread.append(s.comment_view(r, viewer_id))
        return [nest_thread(s.comment_view(h, viewer_id), by_thread.get(h.id, ())) for h in heads]

    # ------------------------------------------------------------------ follows

    def _follow_cards(self, user_id: int, limit: int, *, followers: bool) -> list[AuthorCard]:
        s = self._snap()
        rows: list[_FollowRow] = sorted(s.t("follows").values(), key=lambda r: r.id, reverse=True)
        if followers:
            ids = [r.follower_id for r in rows if r.followed_id == user_id]
        else:
            ids = [r.followed_id for r in rows if r.follower_id == user_id]
        return [c for c in (s.card(i) for i in ids) if c is not None][:limit]

    async def followings(self, user_id: int, limit: int) -> list[AuthorCard]:
        return self._follow_cards(user_id, limit, followers=False)

    async def followers(self, user_id: int, limit: int) -> list[AuthorCard]:
        return self._follow_cards(user_id, limit, followers=True)

    async def following_count(self, user_id: int) -> int:
        return sum(1 for r in self._snap().t("follows").values() if r.follower_id == user_id)

    async def followers_count(self, user_id: int) -> int:
        return sum(1 for r in self._snap().t("follows").values() if r.followed_id == user_id)

    # ------------------------------------------------------------------ connections

    async def connections(self, user_id: int, side: ConnectionSide, limit: int) -> list[ConnectionView]:
        s = self._snap()
        found: list[ConnectionView] = []
        rows: list[Connection] = sorted(s.t("connections").values(), key=lambda r: r.id)
        for c in rows:
            if side is ConnectionSide.INCOMING:
                match, other = c.receiver_id == user_id and c.status is ConnectionStatus.PENDING, c.sender_id
            elif side is ConnectionSide.OUTGOING:
                match, other = c.sender_id == user_id and c.status is ConnectionStatus.PENDING, c.receiver_id
            else:
                match, other = c.involves(user_id) and c.status is ConnectionStatus.CONFIRMED, c.other(user_id)
            card = s.card(other) if match else None
            if card is not None:
                found.append(ConnectionView(id=c.id, other=card, status=str(c.status)))
        return found[:limit]

    async def connections_count(self, user_id: int) -> int:
        rows: Iterable[Connection] = self._snap().t("connections").values()
        return sum(1 for c in rows if c.involves(user_id) and c.status is ConnectionStatus.CONFIRMED)

    # ------------------------------------------------------------------ recommendations

    @staticmethod
    def _recommend(
        s: _Snapshot, keep: Callable[[User, Profile | None], bool], page: PageRequest
    ) -> Page[Recommendation]:
        if page.offset >= LISTED_MAX:
            raise NotFound("Invalid page.")
        cand = [uid for uid in sorted(s.users) if s.users[uid].is_active and keep(s.users[uid], s.profile(uid))]
        cand = cand[:LISTED_MAX]
        items = []
        for uid in cand[page.offset:page.offset + page.size]:
            card = s.card(uid)
            assert card is not None
            followers = sum(1 for r in s.t("follows").values() if r.followed_id == uid)
            items.append(Recommendation(card=card, followers=followers))
        if not items:
            if page.number > 1:
                raise NotFound("Invalid page.")
            return Page(items=[], total=0, request=page)
        return Page(items=items, total=len(cand), request=page)

    @staticmethod
    def _me(s: _Snapshot, viewer_id: int) -> tuple[str, str]:
        user = s.users.get(viewer_id)
        if user is None:
            return "", ""
        profile = s.profile(viewer_id)
        return user.industry or "", (profile.location or "").strip() if profile else ""

    async def follow_recommendations(self, viewer_id: int, page: PageRequest) -> Page[Recommendation]:
        s = self._snap()
        industry, location = self._me(s, viewer_id)
        needle = location.lower()
        near = {r.followed_id for r in s.t("follows").values() if r.follower_id == viewer_id}
        near |= {r.follower_id for r in s.t("follows").values() if r.followed_id == viewer_id}

        def keep(user: User, profile: Profile | None) -> bool:
            similar = user.industry == industry or bool(
                needle and profile is not None and needle in (profile.location or "").lower()
            )
            return similar and user.id != viewer_id and user.id not in near

        return self._recommend(s, keep, page)

    async def connection_recommendations(
        self, viewer_id: int, criteria: str, page: PageRequest
    ) -> Page[Recommendation]:
        s = self._snap()
        industry, location = self._me(s, viewer_id)
        needle = location.lower()
        rows: Iterable[Connection] = s.t("connections").values()
        linked = {c.other(viewer_id) for c in rows if c.involves(viewer_id)}

        def keep(user: User, profile: Profile | None) -> bool:
            if criteria == "industry":
                similar = user.industry == industry
            else:
                similar = bool(needle and profile is not None and needle in (profile.location or "").lower())
            return similar and user.id != viewer_id and user.id not in linked

        return self._recommend(s, keep, page)


# ------------------------------------------------------------------------------------------ social graph


class InMemorySocialGraph:
    """``ports.profiles.SocialGraph`` over the in-memory feed tables (the twin of ``SqlSocialGraph``)."""

    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def stats(self, user_id: int, viewer_id: int) -> SocialStats:
        tables = self._store.tables
        follows: Iterable[_FollowRow] = list(tables.get("follows", {}).values())
        connections: Iterable[Connection] = tables.get("connections", {}).values()
        return SocialStats(
            followers=sum(1 for r in follows if r.followed_id == user_id),
            followings=sum(1 for r in follows if r.follower_id == user_id),
            viewer_follows=any(r.follower_id == viewer_id and r.followed_id == user_id for r in follows),
            connected=any(
                c.status is ConnectionStatus.CONFIRMED and {c.sender_id, c.receiver_id} == {user_id, viewer_id}
                for c in connections
            ),
        )

    async def confirmed_connections(self, user_id: int) -> int:
        rows: Iterable[Connection] = self._store.tables.get("connections", {}).values()
        return sum(1 for c in rows if c.status is ConnectionStatus.CONFIRMED and c.involves(user_id))

    async def posts_count(self, user_id: int) -> int:
        rows: Iterable[_PostRow] = self._store.tables.get("posts", {}).values()
        return sum(1 for r in rows if r.author_id == user_id)
