"""Chat facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.shared.events import DomainEvent

__all__ = ("ChatMessageMissed",)


@dataclass(frozen=True, kw_only=True)
class ChatMessageMissed(DomainEvent):
    """``actor_id`` wrote ``message_id`` in room ``chat_id`` at ``occurred_at`` while ``recipient_id`` had no
    socket open on the room."""

    actor_id: int
    recipient_id: int
    occurred_at: datetime
    chat_id: int
    message_id: int
