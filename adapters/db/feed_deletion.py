"""What the feed does when a user is deleted (SQL): before the ``DELETE FROM users`` cascades the user's likes,
top-level comments, shares and comment likes away, take them off the counters kept on the posts and comments
that stay. Runs inside the deleting unit of work's transaction (see ``docs/conventions.md``)."""

from __future__ import annotations

from sqlalchemy import and_, func, select, update

from adapters.db.tables.accounts import users
from adapters.db.tables.feed import comment_likes, comments, post_likes, post_shares, posts
from adapters.db.uow import SqlUnitOfWork

__all__ = ("forget_user_in_feed",)

_top_level = comments.c.parent_id.is_(None)


async def forget_user_in_feed(uow: SqlUnitOfWork, user_id: int) -> None:
    # Lock the user row first (PostgreSQL): a like or comment racing the deletion waits on its foreign-key
    # check, then fails, instead of slipping in between these updates and the cascade.
    await uow.execute(select(users.c.id).where(users.c.id == user_id).with_for_update())
    others = posts.c.author_id != user_id  # the user's own posts go whole
    liked = select(post_likes.c.post_id).where(post_likes.c.user_id == user_id)
    await uow.execute(update(posts).where(posts.c.id.in_(liked), others).values(like_count=posts.c.like_count - 1))
    shared = select(post_shares.c.post_id).where(post_shares.c.user_id == user_id)
    await uow.execute(
        update(posts).where(posts.c.id.in_(shared), others).values(share_count=posts.c.share_count - 1)
    )
    commented = select(comments.c.post_id).where(comments.c.user_id == user_id, _top_level)
    mine_here = (
        select(func.count())
        .select_from(comments)
        .where(and_(comments.c.post_id == posts.c.id, comments.c.user_id == user_id, _top_level))
        .scalar_subquery()
    )
    await uow.execute(
        update(posts)
        .where(posts.c.id.in_(commented), others)
        .values(comment_count=posts.c.comment_count - mine_here)
    )
    comment_liked = select(comment_likes.c.comment_id).where(comment_likes.c.user_id == user_id)
    await uow.execute(
        update(comments)
        .where(comments.c.id.in_(comment_liked), comments.c.user_id != user_id)
        .values(like_count=comments.c.like_count - 1)
    )
