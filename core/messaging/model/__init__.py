"""The messaging domain's chat: rooms between two users, their messages, and the facts chat records."""

from __future__ import annotations

from core.messaging.model.chat import (
    MESSAGE_MAX,
    ChatMessage,
    ChatRoom,
    MessageView,
    Person,
    SessionView,
    pair,
)
from core.messaging.model.events import ChatMessageMissed

__all__ = (
    "MESSAGE_MAX",
    "ChatMessage",
    "ChatMessageMissed",
    "ChatRoom",
    "MessageView",
    "Person",
    "SessionView",
    "pair",
)
