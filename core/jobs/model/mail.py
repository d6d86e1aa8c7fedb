"""E-mail import and the JobHax face's own records: OAuth clients, username aliases, a user's Gmail link,
imported e-mails and sync runs. Rows of the ``jobhax`` tables (migration 0015), field for column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = (
    "InboundEmail",
    "MailLink",
    "MailSync",
    "OAuthClient",
    "SyncKind",
    "SyncStatus",
    "Username",
)


@dataclass(kw_only=True)
class OAuthClient:
    id: int = 0
    name: str
    client_id: str
    secret_digest: str
    created_at: datetime


@dataclass(kw_only=True)
class Username:
    user_id: int
    username: str


@dataclass(kw_only=True)
class MailLink:
    """A user's consent to read their mailbox: the provider token stays on the server."""

    user_id: int
    provider: str
    access_token: str
    read_ok: bool
    last_synced_at: datetime | None
    updated_at: datetime


@dataclass(kw_only=True)
class InboundEmail:
    id: int = 0
    owner_id: int
    message_id: str
    source: str
    sender: str
    subject: str
    body: str
    received_at: datetime
    utc_offset_minutes: int
    job_title: str
    company: str
    tracked_id: int | None = None
    created_at: datetime


class SyncKind(StrEnum):
    GMAIL = "gmail"
    UPLOAD = "upload"


class SyncStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(kw_only=True)
class MailSync:
    id: int = 0
    owner_id: int
    kind: str
    status: str
    imported: int = 0
    skipped: int = 0
    error: str = ""
    upload: bytes | None = None
    created_at: datetime
    finished_at: datetime | None = None
