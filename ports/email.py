"""E-mail: the message, the transport and the persisted outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = (
    "SEND_MAIL",
    "EmailMessage",
    "MailOutbox",
    "MailOutboxStore",
    "Mailer",
    "OutboxEntry",
    "SendMail",
    "TransientMailError",
)

# The task that sends one outbox message (``ports/tasks.py``); its dedupe key is ``mail:<message_id>``.
SEND_MAIL = "mail.send"


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str
    message_id: str = ""


class TransientMailError(Exception):
    """The transport failed in a way that may succeed later (connection refused, SMTP 4xx)."""


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Send one message. Raises ``TransientMailError`` when a retry may succeed."""
        ...


class MailOutbox(Protocol):
    def add(self, message: EmailMessage) -> None:
        """Stage a message; it is stored with the unit of work's commit, with a ``mail.send`` task that sends it
        after the commit."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class SendMail:
    """The payload of a ``mail.send`` task."""

    message_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxEntry:
    id: int
    message: EmailMessage
    attempts: int


class MailOutboxStore(Protocol):
    async def due(self, now: datetime, limit: int) -> list[OutboxEntry]:
        """Unsent messages whose next attempt is due, oldest first."""
        ...

    async def claim(self, message_id: str, now: datetime) -> OutboxEntry | None:
        """Lease one unsent, due message for sending (like ``due`` does); ``None`` when it is sent, unknown,
        given up or leased by someone else."""
        ...

    async def count_due(self, now: datetime) -> int:
        """How many unsent messages are due."""
        ...

    async def mark_sent(self, entry_id: int, now: datetime) -> None: ...

    async def mark_failed(self, entry_id: int, now: datetime, retry_at: datetime | None, error: str) -> None:
        """Record a failed attempt; ``retry_at=None`` gives up on the message."""
        ...
