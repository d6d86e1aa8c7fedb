"""Feed repositories and unit of work over SQL (SQLite and PostgreSQL).

Uniqueness (likes, saves, shares, follows, connection pairs) is enforced by constraints and written with
``INSERT … ON CONFLICT DO NOTHING``, so concurrent duplicates end as one row and a ``False`` answer, never an
error. Counters on ``posts``/``comments`` change in the same transaction as the row they count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, RowMapping, Table, and_, delete, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.base import UTCDateTime
from adapters.db.tables.feed import (
    comment_likes,
    comments,
    connections,
    follows,
    post_industries,
    post_likes,
    post_saves,
    post_shares,
    posts,
)
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.feed.model.graph import Connection, ConnectionStatus
from core.feed.model.posts import Comment, Post
from core.feed.model.views import AuthorCard
from ports.readcache import ViewInvalidation
from ports.system import Clock

__all__ = ("CARD_COLUMNS", "SqlFeedUnitOfWork", "card_from")


def _insert_ignore(uow: SqlUnitOfWork, table: Table) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` in the dialect of the connection."""
    if uow.connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if uow.connection.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return insert(table).prefix_with("OR IGNORE")


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


CARD_COLUMNS = (
    users.c.id.label("card_id"),
    users.c.user_type.label("card_user_type"),
    profiles.c.first_name.label("card_first_name"),
    profiles.c.last_name.label("card_last_name"),
    profiles.c.middle_name.label("card_middle_name"),
    profiles.c.profile_photo.label("card_profile_photo"),
    profiles.c.qualification.label("card_qualification"),
    profiles.c.company_name.label("card_company_name"),
    profiles.c.logo.label("card_logo"),
    profiles.c.tagline.label("card_tagline"),
)


def card_from(row: RowMapping | Mapping[str, Any], prefix: str = "card_") -> AuthorCard:
    return AuthorCard(
        id=int(row[f"{prefix}id"]),
        user_type=str(row[f"{prefix}user_type"]),
        first_name=row[f"{prefix}first_name"] or "",
        last_name=row[f"{prefix}last_name"] or "",
        middle_name=row[f"{prefix}middle_name"] or "",
        profile_photo=row[f"{prefix}profile_photo"],
        qualification=row[f"{prefix}qualification"] or "",
        company_name=row[f"{prefix}company_name"],
        logo=row[f"{prefix}logo"],
        tagline=row[f"{prefix}tagline"],
    )


def _post(row: RowMapping) -> Post:
    return Post(
        id=int(row["id"]),
        author_id=int(row["author_id"]),
        body=row["body"],
        created_at=row["created_at"],
        pic1=row["pic1"],
        pic2=row["pic2"],
        pic3=row["pic3"],
        video=row["video"],
        article=row["article"],
        parent_id=row["parent_id"],
        industries=tuple(i for i in (row["industries"] or "").split(",") if i),
        by_mentor=bool(row["by_mentor"]),
    )


def _comment(row: RowMapping) -> Comment:
    return Comment(
        id=int(row["id"]),
        post_id=int(row["post_id"]),
        user_id=int(row["user_id"]),
        body=row["body"],
        created_at=row["created_at"],
        media=row["media"],
        parent_id=row["parent_id"],
        thread_id=row["thread_id"],
    )


def _connection(row: RowMapping) -> Connection:
    return Connection(
        id=int(row["id"]),
        sender_id=int(row["sender_id"]),
        receiver_id=int(row["receiver_id"]),
        status=ConnectionStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class _SqlRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow


_POST_COLUMNS = [c for c in posts.c if c.name not in ("like_count", "comment_count", "share_count")]


class SqlPostRepository(_SqlRepo):
    async def get(self, post_id: int) -> Post | None:
        row = (await self._uow.execute(select(*_POST_COLUMNS).where(posts.c.id == post_id))).mappings().first()
        return _post(row) if row else None

    async def add(self, post: Post) -> Post:
        labels = list(dict.fromkeys(post.industries)) or ["others"]
        result = await self._uow.execute(
            insert(posts)
            .values(
                author_id=post.author_id,
                body=post.body,
                pic1=post.pic1,
                pic2=post.pic2,
                pic3=post.pic3,
                video=post.video,
                article=post.article,
                parent_id=post.parent_id,
                industries=",".join(labels),
                by_mentor=post.by_mentor,
                created_at=post.created_at,
                like_count=0,
                comment_count=0,
                share_count=0,
            )
            .returning(posts.c.id)
        )
        post.id = int(result.scalar_one())
        await self._uow.execute_many(
            insert(post_industries),
            [{"post_id": post.id, "industry": label, "created_at": post.created_at} for label in labels],
        )
        self._uow.track(post)
        return post

    async def delete(self, post_id: int) -> None:
        await self._uow.execute(delete(posts).where(posts.c.id == post_id))


class SqlCommentRepository(_SqlRepo):
    async def get(self, comment_id: int) -> Comment | None:
        cols = [c for c in comments.c if c.name != "like_count"]
        row = (await self._uow.execute(select(*cols).where(comments.c.id == comment_id))).mappings().first()
        return _comment(row) if row else None

    async def add(self, comment: Comment) -> Comment:
        result = await self._uow.execute(
            insert(comments)
            .values(
                post_id=comment.post_id,
                user_id=comment.user_id,
                parent_id=comment.parent_id,
                thread_id=comment.thread_id,
                body=comment.body,
                media=comment.media,
                created_at=comment.created_at,
                like_count=0,
            )
            .returning(comments.c.id)
        )
        comment.id = int(result.scalar_one())
        if comment.parent_id is None:
            await self._uow.execute(
                update(posts).where(posts.c.id == comment.post_id).values(comment_count=posts.c.comment_count + 1)
            )
        self._uow.track(comment)
        return comment


class SqlLikeRepository(_SqlRepo):
    __slots__ = ("_clock",)

    def __init__(self, uow: SqlUnitOfWork, clock: Clock) -> None:
        super().__init__(uow)
        self._clock = clock

    async def add(self, post_id: int, user_id: int) -> bool:
        stmt = _insert_ignore(self._uow, post_likes).from_select(
            ["post_id", "user_id", "created_at"],
            select(posts.c.id, literal(user_id), literal(self._clock.now(), UTCDateTime())).where(
                posts.c.id == post_id
            ),
        )
        if not _rowcount(await self._uow.execute(stmt)):
            return False
        await self._uow.execute(
            update(posts).where(posts.c.id == post_id).values(like_count=posts.c.like_count + 1)
        )
        return True

    async def remove(self, post_id: int, user_id: int) -> bool:
        result = await self._uow.execute(
            delete(post_likes).where(post_likes.c.post_id == post_id, post_likes.c.user_id == user_id)
        )
        if not _rowcount(result):
            return False
        await self._uow.execute(
            update(posts).where(posts.c.id == post_id).values(like_count=posts.c.like_count - 1)
        )
        return True


class SqlCommentLikeRepository(_SqlRepo):
    __slots__ = ("_clock",)

    def __init__(self, uow: SqlUnitOfWork, clock: Clock) -> None:
        super().__init__(uow)
        self._clock = clock

    async def add(self, comment_id: int, user_id: int) -> bool:
        stmt = _insert_ignore(self._uow, comment_likes).from_select(
            ["comment_id", "user_id", "created_at"],
            select(comments.c.id, literal(user_id), literal(self._clock.now(), UTCDateTime())).where(
                comments.c.id == comment_id
            ),
        )
        if not _rowcount(await self._uow.execute(stmt)):
            return False
        await self._uow.execute(
            update(comments).where(comments.c.id == comment_id).values(like_count=comments.c.like_count + 1)
        )
        return True

    async def remove(self, comment_id: int, user_id: int) -> bool:
        result = await self._uow.execute(
            delete(comment_likes).where(comment_likes.c.comment_id == comment_id, comment_likes.c.user_id == user_id)
        )
        if not _rowcount(result):
            return False
        await self._uow.execute(
            update(comments).where(comments.c.id == comment_id).values(like_count=comments.c.like_count - 1)
        )
        return True


class SqlSaveRepository(_SqlRepo):
    async def add(self, user_id: int, post_id: int, at: datetime) -> bool:
        stmt = _insert_ignore(self._uow, post_saves).values(user_id=user_id, post_id=post_id, created_at=at)
        return bool(_rowcount(await self._uow.execute(stmt)))

    async def remove(self, user_id: int, post_id: int) -> bool:
        result = await self._uow.execute(
            delete(post_saves).where(post_saves.c.user_id == user_id, post_saves.c.post_id == post_id)
        )
        return bool(_rowcount(result))


class SqlShareRepository(_SqlRepo):
    async def share(self, post_id: int, user_id: int, new_hash: str, at: datetime) -> str:
        stmt = _insert_ignore(self._uow, post_shares).values(
            post_id=post_id, user_id=user_id, hash=new_hash, created_at=at
        )
        if _rowcount(await self._uow.execute(stmt)):
            await self._uow.execute(
                update(posts).where(posts.c.id == post_id).values(share_count=posts.c.share_count + 1)
            )
            return new_hash
        found = await self._uow.execute(
            select(post_shares.c.hash).where(post_shares.c.post_id == post_id, post_shares.c.user_id == user_id)
        )
        return str(found.scalar_one())


class SqlFollowRepository(_SqlRepo):
    async def add(self, follower_id: int, followed_id: int, at: datetime) -> bool:
        stmt = _insert_ignore(self._uow, follows).values(
            follower_id=follower_id, followed_id=followed_id, created_at=at
        )
        return bool(_rowcount(await self._uow.execute(stmt)))

    async def remove(self, follower_id: int, followed_id: int) -> bool:
        result = await self._uow.execute(
            delete(follows).where(follows.c.follower_id == follower_id, follows.c.followed_id == followed_id)
        )
        return bool(_rowcount(result))


class SqlConnectionRepository(_SqlRepo):
    async def get(self, connection_id: int) -> Connection | None:
        row = (await self._uow.execute(select(connections).where(connections.c.id == connection_id))).mappings().first()
        return _connection(row) if row else None

    async def between(self, a: int, b: int) -> Connection | None:
        low, high = min(a, b), max(a, b)
        stmt = select(connections).where(connections.c.user_low == low, connections.c.user_high == high)
        row = (await self._uow.execute(stmt)).mappings().first()
        return _connection(row) if row else None

    async def add(self, connection: Connection) -> bool:
        values = {
            "sender_id": connection.sender_id,
            "receiver_id": connection.receiver_id,
            "user_low": min(connection.sender_id, connection.receiver_id),
            "user_high": max(connection.sender_id, connection.receiver_id),
            "status": str(connection.status),
            "created_at": connection.created_at,
            "updated_at": connection.updated_at,
        }
        result = await self._uow.execute(
            _insert_ignore(self._uow, connections).values(**values).returning(connections.c.id)
        )
        new_id = result.scalar()
        if new_id is None:
            return False
        connection.id = int(new_id)
        self._uow.track(connection)
        return True

    async def update(self, connection: Connection) -> None:
        await self._uow.execute(
            update(connections)
            .where(connections.c.id == connection.id)
            .values(
                sender_id=connection.sender_id,
                receiver_id=connection.receiver_id,
                status=str(connection.status),
                updated_at=connection.updated_at,
            )
        )
        self._uow.track(connection)

    async def delete(self, connection_id: int) -> None:
        await self._uow.execute(delete(connections).where(connections.c.id == connection_id))


class SqlPeopleDirectory(_SqlRepo):
    async def card(self, user_id: int) -> AuthorCard | None:
        stmt = select(*CARD_COLUMNS).select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
        row = (await self._uow.execute(stmt.where(users.c.id == user_id))).mappings().first()
        return card_from(row) if row else None

    async def exists(self, user_id: int) -> bool:
        stmt = select(users.c.id).where(and_(users.c.id == user_id, users.c.is_active.is_(True)))
        return (await self._uow.execute(stmt)).first() is not None


class SqlFeedUnitOfWork(SqlUnitOfWork):
    __slots__ = (
        "_comment_likes",
        "_comments",
        "_connections",
        "_follows",
        "_likes",
        "_people",
        "_posts",
        "_saves",
        "_shares",
    )

    def __init__(
        self,
        engine: AsyncEngine,
        after_commit: Callable[[], None] | None = None,
        *,
        clock: Clock,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(engine, after_commit, views=views, task_kick=task_kick)
        self._posts = SqlPostRepository(self)
        self._comments = SqlCommentRepository(self)
        self._likes = SqlLikeRepository(self, clock)
        self._comment_likes = SqlCommentLikeRepository(self, clock)
        self._saves = SqlSaveRepository(self)
        self._shares = SqlShareRepository(self)
        self._follows = SqlFollowRepository(self)
        self._connections = SqlConnectionRepository(self)
        self._people = SqlPeopleDirectory(self)

    @property
    def posts(self) -> SqlPostRepository:
        return self._posts

    @property
    def comments(self) -> SqlCommentRepository:
        return self._comments

    @property
    def likes(self) -> SqlLikeRepository:
        return self._likes

    @property
    def comment_likes(self) -> SqlCommentLikeRepository:
        return self._comment_likes

    @property
    def saves(self) -> SqlSaveRepository:
        return self._saves

    @property
    def shares(self) -> SqlShareRepository:
        return self._shares

    @property
    def follows(self) -> SqlFollowRepository:
        return self._follows

    @property
    def connections(self) -> SqlConnectionRepository:
        return self._connections

    @property
    def people(self) -> SqlPeopleDirectory:
        return self._people
