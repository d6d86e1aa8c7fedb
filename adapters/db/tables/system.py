"""Cross-domain infrastructure tables: the mail outbox and the background tasks (``ports/tasks.py``)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Index, Integer, String, Table, Text

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = ("mail_outbox", "tasks")

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

# The record of every background task (a transactional outbox). Claims read (status, run_at); the CLI filters by
# (name, status); the scheduler asks for an active task by name; pruning reads (status, finished_at).
tasks = Table(
    "tasks",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("payload", Text, nullable=False),
    Column("dedupe_key", String(200), nullable=True, unique=True),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("max_attempts", Integer, nullable=True),
    Column("run_at", UTCDateTime, nullable=False),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("locked_by", String(100), nullable=True),
    Column("last_error", String(1000), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime, nullable=True),
    Column("finished_at", UTCDateTime, nullable=True),
    CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'dead')", name="status"),
    Index("ix_tasks_status_run_at", "status", "run_at"),
    Index("ix_tasks_name_status", "name", "status"),
    Index("ix_tasks_status_finished_at", "status", "finished_at"),
)
