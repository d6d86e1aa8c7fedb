"""Accounts tables."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from adapters.db.tables.base import ID, JSONType, UTCDateTime, metadata

__all__ = (
    "corporate_claims",
    "email_challenges",
    "linked_accounts",
    "organization_members",
    "profiles",
    "revoked_tokens",
    "sessions",
    "users",
)

users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=True),
    Column("user_type", String(16), nullable=False, index=True),
    Column("industry", String(100), nullable=False, index=True),
    Column("is_staff", Boolean, nullable=False, default=False),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("email_verified", Boolean, nullable=False, default=False),
    Column("date_joined", UTCDateTime, nullable=False),
    Column("tokens_valid_after", UTCDateTime, nullable=True),
    Column("email_notify", Boolean, nullable=False, default=False),
    Column("push_notify", Boolean, nullable=False, default=True),
    Column("message_notify", Boolean, nullable=False, default=False),
    Column("weekly_summary", Boolean, nullable=False, default=False),
    Column("job_alerts", Boolean, nullable=False, default=True),
    Column("marketing", Boolean, nullable=False, default=False),
    Column("show_email", Boolean, nullable=False, default=False),
    Column("show_activity", Boolean, nullable=False, default=False),
    Column("show_location", Boolean, nullable=False, default=False),
    # Never reuse the id of a deleted user on SQLite: tokens carry the id and would name the newcomer.
    sqlite_autoincrement=True,
)

profiles = Table(
    "profiles",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("first_name", String(150), nullable=False, default=""),
    Column("last_name", String(150), nullable=False, default=""),
    Column("middle_name", String(150), nullable=False, default="N/A"),
    Column("profile_photo", String(1000), nullable=True),
    Column("cover_photo", String(1000), nullable=True),
    Column("qualification", String(500), nullable=False, default=""),
    Column("position", String(500), nullable=False, default=""),
    Column("location", String(500), nullable=False, default=""),
    Column("bio", Text, nullable=False, default=""),
    Column("intro_video", String(1000), nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
    Column("resume", String(1000), nullable=False, default=""),
    Column("country_code", String(10), nullable=False, default="+000"),
    Column("phone_number", String(20), nullable=False, default="00000000000"),
    Column("timezone", String(64), nullable=False, default="UTC"),
    Column("years_of_experience", Integer, nullable=True),
    Column("availability", String(32), nullable=True),
    Column("current_job", String(500), nullable=True),
    Column("areas_of_expertise", JSONType, nullable=False),
    Column("technical_skills", JSONType, nullable=False),
    Column("mentorship_styles", JSONType, nullable=False),
    Column("session_rate_minor", ID, nullable=False, default=0),
    Column("session_rate_currency", String(3), nullable=False, default="USD"),
    Column("linkedin_url", String(500), nullable=True),
    Column("company_name", String(500), nullable=True),
    Column("company_type", String(100), nullable=True),
    Column("company_size", String(100), nullable=True),
    Column("website", String(500), nullable=True),
    Column("tagline", String(500), nullable=True),
    Column("logo", String(1000), nullable=True),
)

email_challenges = Table(
    "email_challenges",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("code_digest", String(64), nullable=False),
    Column("link_digest", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("industry", String(100), nullable=True),
    Column("verified_at", UTCDateTime, nullable=True),
    Column("reset_token_digest", String(64), nullable=True),
    UniqueConstraint("email", "purpose"),
)

# The company address a corporate account asked for, until the code e-mailed to it comes back (then it moves to
# users.email). Not unique on email: claims do not reserve the address, the first proof wins.
corporate_claims = Table(
    "corporate_claims",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("email", String(254), nullable=False, index=True),
    Column("code_digest", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("jti", String(64), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

# One row per sign-in (sign-up, Google, switch): tokens carry its id as ``sid``; sign-out and resets end it.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

linked_accounts = Table(
    "linked_accounts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("main_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("child_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    UniqueConstraint("main_id", "child_id"),
)

organization_members = Table(
    "organization_members",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("organization_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    UniqueConstraint("organization_id", "member_id"),
)
