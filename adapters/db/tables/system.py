"""Cross-domain infrastructure tables: the mail outbox."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = ("mail_outbox",)

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("last_error", String(500), nullable=True),
    Index("ix_mail_outbox_pending", "sent_at", "next_attempt_at"),
)
