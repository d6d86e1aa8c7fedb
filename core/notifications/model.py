"""The notice a presenter makes, a person's name, and the shapes of the facts the presenters read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = (
    "JOB",
    "MESSAGE",
    "NOTIFICATION",
    "Activity",
    "ChatActivity",
    "JobActivity",
    "Notice",
    "PersonName",
    "PostActivity",
    "Recipient",
    "SessionActivity",
    "StoredNotice",
    "TicketActivity",
)

# What a notification is about, which decides the socket it is pushed to and the preference that governs it:
# general activity (``/ws/notification/``), a missed chat message (also there; only with ``message_notify``),
# a job alert (``/ws/notification/jobs/``).
NOTIFICATION = "notification"
MESSAGE = "message"
JOB = "job"


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """One notification for one user (behaviors §8.1): what it says, which page and route the frontend opens,
    the object it is about, and when the fact happened."""

    user_id: int
    text: str
    page: str
    route: str | None
    obj_id: int | None
    timestamp: datetime
    kind: str = NOTIFICATION


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredNotice:
    """A notification as stored: its id, whom it is for, what it says, and whether it was read."""

    id: int
    user_id: int
    kind: str
    text: str
    page: str | None
    route: str | None
    obj_id: str | None
    timestamp: datetime
    read: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    """What the notifications domain reads of a user: the address and the notification settings (§2.7)."""

    user_id: int
    email: str
    push_notify: bool
    email_notify: bool
    message_notify: bool


@dataclass(frozen=True, slots=True)
class PersonName:
    """The first and last name of a user's profile (employer accounts have ``N/A`` in both)."""

    first: str
    last: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


class Activity(Protocol):
    """A fact of the form "``actor_id`` did something to ``recipient_id`` at ``occurred_at``"."""

    @property
    def actor_id(self) -> int: ...

    @property
    def recipient_id(self) -> int: ...

    @property
    def occurred_at(self) -> datetime: ...


class TicketActivity(Activity, Protocol):
    """An administrator's answer to a support ticket: a response and/or a new ``status``."""

    @property
    def dispute_id(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def status_changed(self) -> bool: ...

    @property
    def responded(self) -> bool: ...


class PostActivity(Activity, Protocol):
    """An activity on a post or one of its comments: the notification links to ``post_id``."""

    @property
    def post_id(self) -> int: ...


class JobActivity(Activity, Protocol):
    """An activity about a job posting (an alert, an application): the notification links to ``job_id``."""

    @property
    def job_id(self) -> int: ...


class ChatActivity(Activity, Protocol):
    """A chat message the recipient did not see live: the notification links to ``chat_id``."""

    @property
    def chat_id(self) -> int: ...


class SessionActivity(Activity, Protocol):
    """A step of a mentorship session (booked, invited, answered, expired, paid, completed)."""

    @property
    def session_id(self) -> int: ...
