"""The social graph: one-way follows and two-way connections with a recorded state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.shared.model import Entity

__all__ = ("REJECTION_COOLDOWN", "Connection", "ConnectionStatus")

REJECTION_COOLDOWN = timedelta(days=30)


class ConnectionStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"


@dataclass(eq=False, kw_only=True)
class Connection(Entity):
    """One row per pair of users, whichever direction; a rejection stays recorded."""

    sender_id: int
    receiver_id: int
    status: ConnectionStatus
    created_at: datetime
    updated_at: datetime

    def involves(self, user_id: int) -> bool:
        return user_id in (self.sender_id, self.receiver_id)

    def other(self, user_id: int) -> int:
        return self.receiver_id if user_id == self.sender_id else self.sender_id

    def may_request_again(self, sender_id: int, now: datetime) -> bool:
        """Only a rejection lets a new request through: at once by the one who rejected, after 30 days by
        the rejected sender."""
        if self.status is not ConnectionStatus.REJECTED:
            return False
        if sender_id == self.receiver_id:
            return True
        return now - self.updated_at >= REJECTION_COOLDOWN
