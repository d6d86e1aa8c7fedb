"""Profile sub-records, portfolio projects and profile views.

User search uses an index created by migration 0002 outside this metadata: on SQLite the FTS5 table
``profiles_search`` (external content = ``profiles``, kept in step by triggers), on PostgreSQL the GIN index
``ix_profiles_search`` over :data:`SEARCH_DOCUMENT_SQL`.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint

from adapters.db.tables.base import ID, metadata

__all__ = (
    "SEARCH_COLUMNS",
    "SEARCH_DOCUMENT_SQL",
    "certifications",
    "educations",
    "experiences",
    "profile_views",
    "projects",
)

SEARCH_COLUMNS = ("first_name", "middle_name", "last_name", "qualification", "bio", "summary", "company_name")
# The PostgreSQL search document; the migration indexes exactly this expression and queries must repeat it.
SEARCH_DOCUMENT_SQL = "to_tsvector('simple'::regconfig, " + " || ' ' || ".join(
    f"coalesce({c}, '')" for c in SEARCH_COLUMNS
) + ")"


experiences = Table(
    "experiences",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(150), nullable=False),
    Column("organization", String(500), nullable=False),
    Column("start_date", String(20), nullable=False),
    Column("end_date", String(20), nullable=False),
    Column("location", String(500), nullable=False),
    Column("employment_type", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_experiences_user_start", "user_id", "start_date"),
)

educations = Table(
    "educations",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("course", String(500), nullable=False),
    Column("school", String(500), nullable=False),
    Column("start_date", String(20), nullable=False),
    Column("end_date", String(20), nullable=False),
    Column("location", String(500), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_educations_user_start", "user_id", "start_date"),
)

certifications = Table(
    "certifications",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(500), nullable=False),
    Column("school", String(500), nullable=False),
    Column("issue_date", String(20), nullable=False),
    Column("cert_id", String(1000), nullable=False),
    Column("skills", Text, nullable=False),
    Index("ix_certifications_user_issue", "user_id", "issue_date"),
)

projects = Table(
    "projects",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("title", String(150), nullable=False),
    Column("description", Text, nullable=False),
    Column("image", String(1000), nullable=True),
    Column("download_material", String(1000), nullable=True),
)

profile_views = Table(
    "profile_views",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("viewer_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("viewed_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("day", Date, nullable=False),
    UniqueConstraint("viewer_id", "viewed_id", "day"),
)
