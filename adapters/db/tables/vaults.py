"""Vaults tables: one vault row per mentor (the balance, under a row lock) and its append-only ledger entries
(migration 0013)."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, String, Table

from adapters.db.tables.base import ID, JSONType, UTCDateTime, metadata

__all__ = ("vault_entries", "vaults")

vaults = Table(
    "vaults",
    metadata,
    Column("mentor_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("currency", String(3), nullable=False),
    # Available minor units: earnings minus withdrawals (pending ones reserve their amount).
    Column("balance", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("balance >= 0", name="balance_not_negative"),
)

vault_entries = Table(
    "vault_entries",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("mentor_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("status", String(10), nullable=False),
    # The mentorship session an EARN/FEE entry pays for (no foreign key: another domain's table).
    Column("session_id", BigInteger, nullable=True),
    Column("session_type", String(16), nullable=True),
    Column("details", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("settled_at", UTCDateTime, nullable=True),
    Column("settled_by", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("kind IN ('EARN', 'WITHDRAW', 'FEE', 'REFUND')", name="kind"),
    CheckConstraint("status IN ('completed', 'pending', 'paid', 'failed')", name="status"),
    # A mentor's transactions newest first; the administrators' withdrawals by status, oldest first.
    Index("ix_vault_entries_mentor_id_id", "mentor_id", "id"),
    Index("ix_vault_entries_kind_status_id", "kind", "status", "id"),
)
