"""The admin role: who may do what the contract marks "admin" (accounts made with ``careernexus create-admin``).

One port for every domain: content (pages, library, newsletters, countries, choices, rates) and support
(dispute resolution, admin lists, leads) ask it the same question, so "admin" means one thing everywhere:
an active account whose ``is_staff`` flag is set.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ("ADMIN_ONLY_MESSAGE", "StaffDirectory")

ADMIN_ONLY_MESSAGE = "You do not have permission to perform this action."


class StaffDirectory(Protocol):
    async def is_staff(self, user_id: int) -> bool:
        """Whether the user exists, is active and is an administrator."""
        ...
