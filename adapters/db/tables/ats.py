"""Recruiter ATS tables (the ``ats`` module of the jobs domain, migration 0016): roles of organisation
memberships, hiring settings and sharing of board jobs, candidates per organisation, applications (candidate × job;
a platform applicant's row points at its board application), the append-only status-event log, resumes with their
integer scores, and candidate steps (test logs and personality screenings) with their public keys."""

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

from adapters.db.tables.base import ID, JSONType, UTCDateTime, metadata

__all__ = (
    "ats_applications",
    "ats_candidates",
    "ats_job_settings",
    "ats_job_shares",
    "ats_member_roles",
    "ats_resumes",
    "ats_status_events",
    "ats_steps",
)

ats_member_roles = Table(
    "ats_member_roles",
    metadata,
    # Removing the platform membership removes the role with it.
    Column("membership_id", ID, ForeignKey("organization_members.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(8), nullable=False),
    UniqueConstraint("organization_id", "user_id"),
    CheckConstraint("role IN ('admin', 'editor', 'viewer')", name="ats_role"),
)

ats_job_settings = Table(
    "ats_job_settings",
    metadata,
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("owner_id", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("w_skills", Integer, nullable=False),
    Column("w_work_experience", Integer, nullable=False),
    Column("w_projects", Integer, nullable=False),
    Column("w_education", Integer, nullable=False),
    Column("w_certifications", Integer, nullable=False),
    Column("must_have_skills", JSONType, nullable=False),
    Column("min_experience", Integer, nullable=True),
    Column("max_experience", Integer, nullable=True),
    Column("location", String(250), nullable=False),
    Column("threshold", Integer, nullable=False),
    Column("notify_new_applicant", Boolean, nullable=False),
    Column("deleted_at", UTCDateTime, nullable=True),
    Column("deleted_by", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Index("ix_ats_job_settings_org", "organization_id", "job_id"),
    CheckConstraint(
        "w_skills + w_work_experience + w_projects + w_education + w_certifications = 10000", name="ats_weights_sum"
    ),
)

ats_job_shares = Table(
    "ats_job_shares",
    metadata,
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("job_id", "user_id"),
    Index("ix_ats_job_shares_user", "user_id", "job_id"),
)

ats_candidates = Table(
    "ats_candidates",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("organization_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("name", String(250), nullable=False),
    Column("email", String(254), nullable=False),
    Column("contact", String(50), nullable=False),
    Column("city", String(100), nullable=False),
    Column("state", String(100), nullable=False),
    Column("photo", String(1000), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("organization_id", "email"),
    UniqueConstraint("organization_id", "user_id"),
    Index("ix_ats_candidates_org_created", "organization_id", "created_at", "id"),
    Index("ix_ats_candidates_org_name", "organization_id", "name", "id"),
)

ats_applications = Table(
    "ats_applications",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("candidate_id", ID, ForeignKey("ats_candidates.id", ondelete="CASCADE"), nullable=False),
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("organization_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("board_application_id", ID, ForeignKey("job_applications.id", ondelete="CASCADE"), nullable=True,
           unique=True),
    Column("stage_name", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("status_at", UTCDateTime, nullable=False),
    Column("status_event_id", ID, nullable=False),
    Column("overridden", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("candidate_id", "job_id"),
    Index("ix_ats_applications_job_created", "job_id", "created_at", "id"),
    Index("ix_ats_applications_job_stage", "job_id", "stage_name", "status"),
    Index("ix_ats_applications_org_created", "organization_id", "created_at", "id"),
)

ats_status_events = Table(
    "ats_status_events",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("application_id", ID, ForeignKey("ats_applications.id", ondelete="CASCADE"), nullable=False),
    Column("candidate_id", ID, ForeignKey("ats_candidates.id", ondelete="CASCADE"), nullable=False),
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("stage_name", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("origin", String(16), nullable=False),
    Column("actor_id", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_ats_status_events_app_at", "application_id", "updated_at", "id"),
    Index("ix_ats_status_events_job_at", "job_id", "updated_at", "id"),
    Index("ix_ats_status_events_candidate_at", "candidate_id", "updated_at", "id"),
)

ats_resumes = Table(
    "ats_resumes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("application_id", ID, ForeignKey("ats_applications.id", ondelete="CASCADE"), nullable=False,
           unique=True),
    Column("candidate_id", ID, ForeignKey("ats_candidates.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(250), nullable=False),
    Column("file_url", String(1000), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("processing_state", String(8), nullable=False),
    Column("processing_message", Text, nullable=False),
    Column("overall", Integer, nullable=True),
    Column("s_skills", Integer, nullable=True),
    Column("s_work_experience", Integer, nullable=True),
    Column("s_projects", Integer, nullable=True),
    Column("s_education", Integer, nullable=True),
    Column("s_certifications", Integer, nullable=True),
    Column("skills_matched", JSONType, nullable=False),
    Column("reasons", JSONType, nullable=False),
    Column("relevant_months", Integer, nullable=True),
    Column("status_text", String(32), nullable=False),
    Column("is_approved", Boolean, nullable=False),
    Column("approved_by", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("approved_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_ats_resumes_job_overall", "job_id", "overall", "id"),
    Index("ix_ats_resumes_job_created", "job_id", "created_at", "id"),
    CheckConstraint("processing_state IN ('pending', 'done', 'failed')", name="ats_processing_state"),
)

ats_steps = Table(
    "ats_steps",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("application_id", ID, ForeignKey("ats_applications.id", ondelete="CASCADE"), nullable=False),
    Column("candidate_id", ID, ForeignKey("ats_candidates.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("job_id", ID, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(64), nullable=False, unique=True),
    Column("assigned_by", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("assigned_at", UTCDateTime, nullable=False),
    Column("valid_to", UTCDateTime, nullable=False),
    Column("status_text", String(16), nullable=False),
    Column("opens", Integer, nullable=False),
    Column("max_opens", Integer, nullable=False),
    Column("link_opened_at", UTCDateTime, nullable=True),
    Column("completed_at", UTCDateTime, nullable=True),
    Column("revoked", Boolean, nullable=False),
    Column("revoked_by", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("is_approved", Boolean, nullable=False),
    Column("approved_by", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("approved_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_ats_steps_kind_job_assigned", "kind", "job_id", "assigned_at", "id"),
    Index("ix_ats_steps_application", "application_id", "kind"),
    CheckConstraint("kind IN ('assessment', 'video_interview')", name="ats_step_kind"),
)
