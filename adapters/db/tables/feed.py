"""Feed tables: posts with maintained counters, industry tags, comments, likes, saves, shares, follows,
connections. Every list filter and ordering has an index; every uniqueness rule a constraint."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = (
    "comment_likes",
    "comments",
    "connections",
    "follows",
    "post_industries",
    "post_likes",
    "post_saves",
    "post_shares",
    "posts",
)

posts = Table(
    "posts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("author_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Column("pic1", String(1000), nullable=True),
    Column("pic2", String(1000), nullable=True),
    Column("pic3", String(1000), nullable=True),
    Column("video", String(1000), nullable=True),
    Column("article", Text, nullable=True),
    Column("parent_id", ID, ForeignKey("posts.id", ondelete="CASCADE"), nullable=True),
    Column("industries", String(500), nullable=False, default="others"),
    Column("by_mentor", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Counters kept in the transaction of the write that changes them.
    Column("like_count", Integer, nullable=False, default=0),
    Column("comment_count", Integer, nullable=False, default=0),
    Column("share_count", Integer, nullable=False, default=0),
    Index("ix_posts_created_at_id", "created_at", "id"),
    Index("ix_posts_author_created", "author_id", "created_at", "id"),
    Index("ix_posts_mentor_created", "by_mentor", "created_at", "id"),
    Index("ix_posts_parent_id", "parent_id"),
)

post_industries = Table(
    "post_industries",
    metadata,
    Column("post_id", ID, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("industry", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("post_id", "industry"),
    Index("ix_post_industries_feed", "industry", "created_at", "post_id"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("post_id", ID, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("parent_id", ID, ForeignKey("comments.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("thread_id", ID, ForeignKey("comments.id", ondelete="CASCADE"), nullable=True),
    Column("body", Text, nullable=False),
    Column("media", String(1000), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("like_count", Integer, nullable=False, default=0),
    Index("ix_comments_post_thread", "post_id", "thread_id", "id"),
    Index("ix_comments_thread_id", "thread_id", "id"),
)

post_likes = Table(
    "post_likes",
    metadata,
    Column("post_id", ID, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("post_id", "user_id"),
)

comment_likes = Table(
    "comment_likes",
    metadata,
    Column("comment_id", ID, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("comment_id", "user_id"),
)

post_saves = Table(
    "post_saves",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("post_id", ID, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "post_id"),
    Index("ix_post_saves_user_created", "user_id", "created_at"),
)

post_shares = Table(
    "post_shares",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("post_id", ID, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("post_id", "user_id"),
)

follows = Table(
    "follows",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("follower_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("followed_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("follower_id", "followed_id"),
    Index("ix_follows_followed_follower", "followed_id", "follower_id"),
    CheckConstraint("follower_id <> followed_id", name="not_self"),
)

# One row per pair of users whichever direction: ``user_low``/``user_high`` are the pair in id order, so the
# unique constraint stops duplicate and crossing requests alike. A rejection is kept (status REJECTED).
connections = Table(
    "connections",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("sender_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("receiver_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("user_low", ID, nullable=False),
    Column("user_high", ID, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_low", "user_high"),
    Index("ix_connections_sender_status", "sender_id", "status"),
    Index("ix_connections_receiver_status", "receiver_id", "status"),
    CheckConstraint("status IN ('PENDING', 'CONFIRMED', 'REJECTED')", name="status"),
    CheckConstraint("sender_id <> receiver_id", name="not_self"),
)
