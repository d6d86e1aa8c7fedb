"""Ports of chat: rooms and messages in a unit of work, the read views, and the real-time delivery."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, Self

from core.messaging.model import ChatMessage, ChatRoom, MessageView, Person, SessionView

__all__ = ("ChatPeople", "ChatPush", "ChatReads", "ChatRooms", "ChatUnitOfWork", "Messages")


class ChatRooms(Protocol):
    async def get(self, room_id: int) -> ChatRoom | None: ...

    async def between(self, a: int, b: int) -> ChatRoom | None:
        """The room of the pair (either order)."""
        ...

    async def add(self, room: ChatRoom) -> ChatRoom:
        """Insert the room of the pair, or return the one a concurrent request created (never two)."""
        ...

    async def touch(self, room_id: int, now: datetime) -> None:
        """Bump ``updated_at`` (initiate, new message): the sessions list is ordered by it."""
        ...

    async def mark_read(self, room: ChatRoom, user_id: int, upto: int) -> None:
        """Record that ``user_id`` has read the room up to message ``upto`` (never moves back)."""
        ...


class Messages(Protocol):
    async def add(self, room_id: int, sender_id: int, body: str, now: datetime) -> ChatMessage: ...

    async def newest_id(self, room_id: int) -> int:
        """The id of the room's newest message (0: none)."""
        ...


class ChatPeople(Protocol):
    async def person(self, user_id: int) -> Person | None:
        """An active user's chat face; None when there is no such active user."""
        ...

    async def connected(self, a: int, b: int) -> bool:
        """Whether the two users have a confirmed connection."""
        ...


class ChatUnitOfWork(Protocol):
    @property
    def rooms(self) -> ChatRooms: ...
    @property
    def messages(self) -> Messages: ...
    @property
    def people(self) -> ChatPeople: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...


class ChatReads(Protocol):
    """List reads: one indexed statement each."""

    async def sessions(self, user_id: int, limit: int) -> list[SessionView]:
        """The user's rooms, most recently active first, with the other participant, the last message and the
        count of the other's messages the user has not read."""
        ...

    async def history(self, room_id: int, before_id: int | None, limit: int) -> list[MessageView]:
        """Messages of the room newest first, older than ``before_id`` when given."""
        ...


class ChatPush(Protocol):
    async def push_chat(self, recipient_id: int, message: MessageView) -> int:
        """Send a stored message to the sockets ``recipient_id`` holds open on the message's room (any process);
        returns how many processes took it (0: not connected)."""
        ...
