"""Jobs tables (the board module): postings with their industry tags and searchable words, applications (the ATS
application of a later module: one row per job × applicant), saved jobs, job preferences with their title words, and
the ledger of job alerts sent. Every list filter and ordering has an index; every uniqueness rule a constraint.

``job_industries`` and ``job_terms`` repeat the job's ``status`` and ``created_at`` so that recommendations and
search walk one index in order (newest first) without touching ``jobs`` until the page is known."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = (
    "job_alert_deliveries",
    "job_applications",
    "job_industries",
    "job_preference_terms",
    "job_preferences",
    "job_saves",
    "job_terms",
    "jobs",
)

_STATUS = "status IN ('draft', 'active', 'closed')"

jobs = Table(
    "jobs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("poster_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(250), nullable=False),
    Column("organization", String(250), nullable=False),
    Column("employment_type", String(16), nullable=False),
    Column("work_type", String(16), nullable=False),
    Column("country", String(250), nullable=False),
    Column("salary", String(250), nullable=False),
    Column("overview", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("industries", String(500), nullable=False),
    Column("experience_level", String(16), nullable=False),
    Column("application_deadline", Date, nullable=False),
    Column("status", String(8), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_jobs_poster_created", "poster_id", "created_at", "id"),
    Index("ix_jobs_poster_status_created", "poster_id", "status", "created_at", "id"),
    Index("ix_jobs_status_created", "status", "created_at", "id"),
    Index("ix_jobs_status_deadline", "status", "application_deadline"),
    Index("ix_jobs_status_employment_created", "status", "employment_type", "created_at", "id"),
    Index("ix_jobs_status_work_created", "status", "work_type", "created_at", "id"),
    Index("ix_jobs_status_level_created", "status", "experience_level", "created_at", "id"),
    Index("ix_jobs_status_country_created", "status", "country", "created_at", "id"),
    CheckConstraint(_STATUS, name="status"),
    CheckConstraint("employment_type IN ('full_time', 'part_time', 'internship', 'freelance', 'contract')",
                    name="employment_type"),
    CheckConstraint("work_type IN ('remote', 'onsite', 'hybrid')", name="work_type"),
    CheckConstraint("experience_level IN ('entry', 'mid', 'senior', 'executive')", name="experience_level"),
)

job_industries = Table(
    "job_industries",
    metadata,
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("industry", String(100), nullable=False),
    Column("status", String(8), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("job_id", "industry"),
    Index("ix_job_industries_status_created", "industry", "status", "created_at", "job_id"),
)

job_terms = Table(
    "job_terms",
    metadata,
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("term", String(64), nullable=False),
    Column("status", String(8), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("job_id", "term"),
    Index("ix_job_terms_status_created", "term", "status", "created_at", "job_id"),
)

job_applications = Table(
    "job_applications",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("applicant_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # The job's poster, kept for the poster's "recent applicants" (a job never changes hands).
    Column("poster_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
    UniqueConstraint("job_id", "applicant_id"),
    Index("ix_job_applications_job_applied", "job_id", "applied_at", "id"),
    Index("ix_job_applications_applicant_applied", "applicant_id", "applied_at", "id"),
    Index("ix_job_applications_poster_applied", "poster_id", "applied_at", "id"),
)

job_saves = Table(
    "job_saves",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "job_id"),
    Index("ix_job_saves_user_created", "user_id", "created_at"),
)

job_preferences = Table(
    "job_preferences",
    metadata,
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("title", String(250), nullable=False),
    Column("employment_type", String(16), nullable=False),
    Column("work_type", String(16), nullable=False),
    Column("industry", String(100), nullable=False),
    Column("experience_level", String(16), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_job_preferences_industry_user", "industry", "user_id"),
)

# The words of a preference's title: alert matching finds the preferences sharing a word with a job's title.
job_preference_terms = Table(
    "job_preference_terms",
    metadata,
    Column("user_id", ID, ForeignKey("job_preferences.user_id", ondelete="CASCADE"), nullable=False),
    Column("term", String(64), nullable=False),
    PrimaryKeyConstraint("user_id", "term"),
    Index("ix_job_preference_terms_term_user", "term", "user_id"),
)

# One row per (job, user) alerted: what makes alert matching idempotent.
job_alert_deliveries = Table(
    "job_alert_deliveries",
    metadata,
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("job_id", "user_id"),
)
