"""JobHax compatibility and e-mail import tables (migration 0015): OAuth clients (secrets hashed), username
aliases, the server-side Gmail link of a user, imported e-mails (unique per owner and provider message id) and
mail sync runs (the status a client polls)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = ("account_usernames", "inbound_emails", "mail_links", "mail_syncs", "oauth_clients")

oauth_clients = Table(
    "oauth_clients",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("client_id", String(100), nullable=False, unique=True),
    # sha256 of the secret (secrets are long random strings: a fast digest is enough, nothing to brute-force).
    Column("secret_digest", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

account_usernames = Table(
    "account_usernames",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # Lower-cased: one alias per account, unique whatever its case.
    Column("username", String(150), nullable=False, unique=True),
)

mail_links = Table(
    "mail_links",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("provider", String(20), nullable=False),
    # The Gmail access token: kept server-side only, never returned by any endpoint.
    Column("access_token", Text, nullable=False),
    Column("read_ok", Boolean, nullable=False),
    Column("last_synced_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

inbound_emails = Table(
    "inbound_emails",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("owner_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", String(255), nullable=False),
    Column("source", String(40), nullable=False),
    Column("sender", String(320), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("body", Text, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    # The Date header's own offset (minutes east of UTC), kept so the original local time can be shown.
    Column("utc_offset_minutes", Integer, nullable=False),
    Column("job_title", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("tracked_id", ID, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner_id", "message_id", name="uq_inbound_emails_owner_id_message_id"),
    # The owner's list, newest first.
    Index("ix_inbound_emails_owner_id_received_at", "owner_id", "received_at"),
)

mail_syncs = Table(
    "mail_syncs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("owner_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("status", String(10), nullable=False),
    Column("imported", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("error", String(300), nullable=False),
    # An uploaded .eml/.mbox file until its sync ran (then cleared).
    Column("upload", LargeBinary, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Index("ix_mail_syncs_owner_id_id", "owner_id", "id"),
)
