"""Mentorship tables (migration 0012): sessions (never deleted: the status machine keeps them), invitations,
saved mentors, the mentors' rating aggregate, and the payment orchestration's checkouts, payments and refunds owed.

Uniqueness carries the money rules: one live checkout per session (``live_session_id``, NULL once the checkout is
closed), one payment per provider payment (``payment_key``) and per checkout, one refund per payment."""

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
    "mentor_ratings",
    "mentorship_checkouts",
    "mentorship_invitations",
    "mentorship_payments",
    "mentorship_refunds",
    "mentorship_sessions",
    "saved_mentors",
)

mentorship_sessions = Table(
    "mentorship_sessions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("mentor_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("mentee_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("session_type", String(10), nullable=False),
    Column("room_name", String(120), nullable=False, unique=True),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("discourse", Text, nullable=False),
    Column("price_minor", ID, nullable=False),
    Column("price_currency", String(3), nullable=False),
    Column("price_usd_minor", ID, nullable=False),
    Column("status", String(10), nullable=False),
    Column("is_paid", Boolean, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_mentorship_sessions_mentor_status_starts", "mentor_id", "status", "starts_at", "id"),
    Index("ix_mentorship_sessions_mentee_status_starts", "mentee_id", "status", "starts_at", "id"),
    Index("ix_mentorship_sessions_status_starts", "status", "starts_at", "id"),
    CheckConstraint("status IN ('PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'COMPLETED')",
                    name="status"),
    CheckConstraint("session_type IN ('individual', 'group')", name="session_type"),
    CheckConstraint("rating BETWEEN 0 AND 5", name="rating"),
    CheckConstraint("price_minor >= 0 AND price_usd_minor >= 0", name="price"),
)

mentorship_invitations = Table(
    "mentorship_invitations",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("session_id", ID, ForeignKey("mentorship_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("invitee_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    UniqueConstraint("session_id", "invitee_id"),
    Index("ix_mentorship_invitations_invitee_session", "invitee_id", "session_id"),
)

saved_mentors = Table(
    "saved_mentors",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("mentor_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "mentor_id"),
    Index("ix_saved_mentors_user_created", "user_id", "created_at"),
)

mentor_ratings = Table(
    "mentor_ratings",
    metadata,
    Column("mentor_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("total", ID, nullable=False),
    Column("count", ID, nullable=False),
)

mentorship_checkouts = Table(
    "mentorship_checkouts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("session_id", ID, ForeignKey("mentorship_sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("payer_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("provider", String(20), nullable=False),
    Column("reference", String(80), nullable=False, unique=True),
    Column("provider_ref", String(255), nullable=False),
    Column("url", Text, nullable=False),
    Column("amount", ID, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(12), nullable=False),
    # The session's id while this checkout is open, NULL once closed: at most one live checkout per session.
    Column("live_session_id", ID, nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Index("ix_mentorship_checkouts_provider_ref", "provider", "provider_ref"),
    Index("ix_mentorship_checkouts_status_id", "status", "id"),
    CheckConstraint("status IN ('open', 'paid', 'failed', 'superseded')", name="status"),
    CheckConstraint("amount >= 0", name="amount"),
)

mentorship_payments = Table(
    "mentorship_payments",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("session_id", ID, ForeignKey("mentorship_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("checkout_id", ID, ForeignKey("mentorship_checkouts.id", ondelete="CASCADE"), nullable=False,
           unique=True),
    Column("provider", String(20), nullable=False),
    Column("provider_payment_id", String(255), nullable=False),
    Column("payment_key", String(300), nullable=False, unique=True),
    Column("amount", ID, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("usd_amount", ID, nullable=False),
    Column("paid_at", UTCDateTime, nullable=False),
    Index("ix_mentorship_payments_session_id", "session_id", "id"),
)

mentorship_refunds = Table(
    "mentorship_refunds",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("session_id", ID, ForeignKey("mentorship_sessions.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("payment_id", ID, ForeignKey("mentorship_payments.id", ondelete="CASCADE"), nullable=False,
           unique=True),
    Column("amount", ID, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
