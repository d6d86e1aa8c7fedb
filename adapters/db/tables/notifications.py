"""Notifications tables: one row per notification a user received (behaviors §8.1), with a ``read`` flag.

The list (newest first, by user) and the unread count read one index each: ``(user_id, id)`` and
``(user_id, is_read)``."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = ("notifications",)

notifications = Table(
    "notifications",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False, default="notification"),
    Column("text", String(1500), nullable=False),
    Column("page", String(64), nullable=True),
    Column("route", String(500), nullable=True),
    Column("obj_id", String(64), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("is_read", Boolean, nullable=False, default=False),
    Index("ix_notifications_user_id_id", "user_id", "id"),
    Index("ix_notifications_user_unread", "user_id", "is_read"),
)
