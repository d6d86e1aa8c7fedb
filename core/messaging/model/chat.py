"""Chat rooms, messages and the read views the chat endpoints and sockets show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ("MESSAGE_MAX", "ChatMessage", "ChatRoom", "MessageView", "Person", "SessionView", "pair")

MESSAGE_MAX = 5000


def pair(a: int, b: int) -> tuple[int, int]:
    """A room's identity: the two user ids in order (an unordered pair, never a concatenated string)."""
    return (a, b) if a < b else (b, a)


@dataclass(kw_only=True)
class ChatRoom:
    """The room of two users (``user_low < user_high``); each side's last-read message id."""

    id: int = 0
    user_low: int
    user_high: int
    initiator_id: int
    created_at: datetime
    updated_at: datetime
    low_read_id: int = 0
    high_read_id: int = 0

    def involves(self, user_id: int) -> bool:
        return user_id in (self.user_low, self.user_high)

    def other(self, user_id: int) -> int:
        return self.user_high if user_id == self.user_low else self.user_low


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessage:
    id: int
    room_id: int
    sender_id: int
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """What chat shows of a user (no e-mail). The wire layer decides between personal and company faces."""

    id: int
    user_type: str
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str | None
    qualification: str
    company_name: str | None = None
    logo: str | None = None
    tagline: str | None = None

    @property
    def is_employer(self) -> bool:
        return self.user_type == "employer"


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageView:
    message: ChatMessage
    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionView:
    """One of a user's rooms: the other participant, the last message and how many of theirs are unread."""

    room_id: int
    contributor: Person
    last_message: ChatMessage | None
    unread: int
    updated_at: datetime
