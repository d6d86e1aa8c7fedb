"""Ports of the notifications domain: people's names (what presenters look up), the stored notifications, the
recipients' settings, and the real-time push."""

from __future__ import annotations

from typing import Protocol, Self

from core.notifications.model import Notice, PersonName, Recipient, StoredNotice
from core.shared.pagination import Page, PageRequest
from ports.email import MailOutbox

__all__ = (
    "NotificationPush",
    "NotificationReads",
    "NotificationRepository",
    "NotificationsUnitOfWork",
    "PersonNames",
    "RecipientDirectory",
)


class PersonNames(Protocol):
    async def name(self, user_id: int) -> PersonName | None:
        """The first and last name on the user's profile, or None when the user no longer exists."""
        ...


class NotificationRepository(Protocol):
    async def add(self, notice: Notice) -> StoredNotice:
        """Store ``notice`` (unread); returns it with its id."""
        ...

    async def seen_before(self, user_id: int, text: str, obj_id: int | None) -> bool:
        """Whether the user already has a notification with this text about this object."""
        ...

    async def mark_read(self, user_id: int, notification_id: int) -> StoredNotice | None:
        """Mark one of the user's notifications read; None when the user has no such notification."""
        ...

    async def mark_all_read(self, user_id: int) -> int:
        """Mark every unread notification of the user read; returns how many changed."""
        ...

    async def clear(self, user_id: int) -> int:
        """Delete every notification of the user; returns how many."""
        ...


class RecipientDirectory(Protocol):
    async def get(self, user_id: int) -> Recipient | None:
        """The user's address and notification settings; None when there is no such active user."""
        ...


class NotificationsUnitOfWork(Protocol):
    @property
    def notifications(self) -> NotificationRepository: ...
    @property
    def recipients(self) -> RecipientDirectory: ...
    @property
    def outbox(self) -> MailOutbox: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...


class NotificationReads(Protocol):
    """The hot reads (every page of the real frontend asks): one indexed statement each."""

    async def page(self, user_id: int, page: PageRequest) -> tuple[Page[StoredNotice], int]:
        """The user's notifications, newest first, and how many are unread, in one statement."""
        ...

    async def unread(self, user_id: int) -> int: ...


class NotificationPush(Protocol):
    async def push_notice(self, notice: StoredNotice) -> int:
        """Send a stored notification to the recipient's live sockets (any process); returns how many
        processes took it (0: nobody is connected)."""
        ...
