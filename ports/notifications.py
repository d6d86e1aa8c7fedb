"""What the notification presenters look up: people's names, at presentation time."""

from __future__ import annotations

from typing import Protocol

from core.notifications.model import PersonName

__all__ = ("PersonNames",)


class PersonNames(Protocol):
    async def name(self, user_id: int) -> PersonName | None:
        """The first and last name on the user's profile, or None when the user no longer exists."""
        ...
