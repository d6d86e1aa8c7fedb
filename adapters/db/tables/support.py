"""Support tables: dispute tickets and corporate leads (migration 0011)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text

from adapters.db.tables.base import ID, JSONType, UTCDateTime, metadata

__all__ = ("disputes", "leads")

disputes = Table(
    "disputes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("category", String(20), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("admin_response", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # The owner's list (optionally by status), and the admin list filtered by each of its filters, newest first.
    Index("ix_disputes_user_id_id", "user_id", "id"),
    Index("ix_disputes_user_id_status_id", "user_id", "status", "id"),
    Index("ix_disputes_status_id", "status", "id"),
    Index("ix_disputes_priority_id", "priority", "id"),
    Index("ix_disputes_category_id", "category", "id"),
)

leads = Table(
    "leads",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("full_name", String(200), nullable=False),
    Column("email_address", String(254), nullable=False, unique=True),
    Column("phone_number", String(32), nullable=False),
    Column("interested_services", JSONType, nullable=False),
    Column("package", String(20), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)
