"""Chat tables: a room per unordered pair of users (``user_low``/``user_high``, unique: never a concatenated
string) and its messages. Each side's last-read message id is kept on the room, so unread counts are one
indexed range per room."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Table, Text, UniqueConstraint

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = ("chat_messages", "chat_rooms")

chat_rooms = Table(
    "chat_rooms",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_low", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("user_high", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("initiator_id", ID, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Bumped by every initiate and every message: the sessions list is ordered by it.
    Column("updated_at", UTCDateTime, nullable=False),
    Column("low_read_id", ID, nullable=False, default=0),
    Column("high_read_id", ID, nullable=False, default=0),
    UniqueConstraint("user_low", "user_high"),
    Index("ix_chat_rooms_low_updated", "user_low", "updated_at", "id"),
    Index("ix_chat_rooms_high_updated", "user_high", "updated_at", "id"),
    CheckConstraint("user_low < user_high", name="ordered_pair"),
)

chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("room_id", ID, ForeignKey("chat_rooms.id", ondelete="CASCADE"), nullable=False),
    Column("sender_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_chat_messages_room_id_id", "room_id", "id"),
)
