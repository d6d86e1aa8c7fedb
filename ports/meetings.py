"""Meeting tokens: a signed pass to one video room for one participant for one period (JaaS / 8x8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = ("MeetingPass", "MeetingTokens")


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingPass:
    room: str
    user_id: int
    name: str
    email: str
    avatar: str
    moderator: bool
    not_before: datetime
    expires_at: datetime


class MeetingTokens(Protocol):
    def issue(self, meeting: MeetingPass) -> str:
        """A token for exactly ``meeting.room``; raises ``ProviderUnavailable`` (503) when not configured."""
        ...
