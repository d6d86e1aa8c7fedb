"""Chat between two users with a confirmed connection (behaviors §8.3/§8.4; the connection rule now holds on
the socket too). A room is the unordered pair of user ids. Messages are stored before they are delivered; a
recipient with no socket open on the room is told by a notification (``ChatMessageMissed``; the notifications
domain honours ``message_notify``)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from core.messaging.model import (
    MESSAGE_MAX,
    ChatMessageMissed,
    ChatRoom,
    MessageView,
    Person,
    SessionView,
    pair,
)
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from ports.events import EventPublisher
from ports.messaging import ChatPush, ChatReads, ChatUnitOfWork
from ports.system import Clock

__all__ = ("HISTORY_PAGE_MAX", "SESSIONS_MAX", "UNPAGINATED_MAX", "ChatService")

logger = logging.getLogger("careernexus.chat")

SESSIONS_MAX = 200
HISTORY_PAGE_MAX = 100
# The documented unpaginated history: the newest messages up to this many (oldest first).
UNPAGINATED_MAX = 500

SELF_CHAT = "Cannot initiate chat session with self."
NOT_CONNECTED = "You are yet to connect with this user."
INVALID_ROOM = "Invalid Chatroom_id"


class ChatService:
    __slots__ = ("_clock", "_events", "_push", "_reads", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], ChatUnitOfWork],
        reads: ChatReads,
        push: ChatPush,
        events: EventPublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._push = push
        self._events = events
        self._clock = clock

    async def initiate(self, me: int, other: int) -> tuple[ChatRoom, Person]:
        """The room with ``other`` (created on first use; either direction), bumped to the top of the sessions.
        Self → 400 field error; unknown user → 404; no confirmed connection → 403."""
        if me == other:
            raise InvalidInput.field("user", SELF_CHAT)
        now = self._clock.now()
        async with self._uow() as uow:
            person = await uow.people.person(other)
            if person is None:
                raise NotFound("User not found.")
            if not await uow.people.connected(me, other):
                raise PermissionDenied(NOT_CONNECTED)
            room = await uow.rooms.between(me, other)
            if room is None:
                low, high = pair(me, other)
                room = await uow.rooms.add(
                    ChatRoom(user_low=low, user_high=high, initiator_id=me, created_at=now, updated_at=now)
                )
            else:
                await uow.rooms.touch(room.id, now)
            await uow.commit()
        return room, person

    async def room_of(self, me: int, chat_id: int) -> ChatRoom:
        """The room ``chat_id`` when ``me`` is in it, else 404 ``Invalid Chatroom_id``."""
        async with self._uow() as uow:
            room = await uow.rooms.get(chat_id)
        if room is None or not room.involves(me):
            raise NotFound(INVALID_ROOM)
        return room

    async def sessions(self, me: int) -> list[SessionView]:
        return await self._reads.sessions(me, SESSIONS_MAX)

    async def history(self, me: int, chat_id: int, *, before_id: int | None, limit: int) -> list[MessageView]:
        """Newest first, older than ``before_id`` when given. Reading the newest page marks the room read."""
        room = await self.room_of(me, chat_id)
        limit = max(1, min(limit, HISTORY_PAGE_MAX))
        found = await self._reads.history(room.id, before_id, limit)
        if before_id is None and found:
            await self._mark_read(room, me, found[0].message.id)
        return found

    async def full_history(self, me: int, chat_id: int) -> list[MessageView]:
        """The documented unpaginated form: oldest first (the newest ``UNPAGINATED_MAX`` messages)."""
        room = await self.room_of(me, chat_id)
        found = await self._reads.history(room.id, None, UNPAGINATED_MAX)
        if found:
            await self._mark_read(room, me, found[0].message.id)
        return found[::-1]

    async def mark_read(self, me: int, room: ChatRoom) -> None:
        """Everything in the room so far is read by ``me`` (a chat socket opened on it)."""
        async with self._uow() as uow:
            newest = await uow.messages.newest_id(room.id)
            if newest:
                await uow.rooms.mark_read(room, me, newest)
                await uow.commit()

    async def _mark_read(self, room: ChatRoom, me: int, upto: int) -> None:
        if upto <= (room.low_read_id if me == room.user_low else room.high_read_id):
            return
        async with self._uow() as uow:
            await uow.rooms.mark_read(room, me, upto)
            await uow.commit()

    async def send(self, me: int, room: ChatRoom, text: str) -> MessageView:
        """Store the message, then deliver it to both participants' sockets on the room (the sender's other
        tabs see it too). A recipient with no socket there gets a ``ChatMessageMissed`` notification."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput.field("message", "This field may not be blank.")
        if len(text) > MESSAGE_MAX:
            raise InvalidInput.field("message", f"Ensure this field has no more than {MESSAGE_MAX} characters.")
        if "\x00" in text:
            raise InvalidInput.field("message", "Null characters are not allowed.")
        if not room.involves(me):
            raise NotFound(INVALID_ROOM)
        other = room.other(me)
        now = self._clock.now()
        async with self._uow() as uow:
            person = await uow.people.person(me)
            if person is None:
                raise NotFound("User not found.")
            if not await uow.people.connected(me, other):
                raise PermissionDenied(NOT_CONNECTED)
            message = await uow.messages.add(room.id, me, text, now)
            await uow.rooms.touch(room.id, now)
            await uow.rooms.mark_read(room, me, message.id)
            await uow.commit()
        view = MessageView(message=message, person=person)
        delivered = 0
        try:
            delivered = await self._push.push_chat(other, view)
            await self._push.push_chat(me, view)
        except Exception:  # stored already: history shows it
            logger.warning("push of chat message %s failed", message.id, exc_info=True)
        if not delivered:
            await self._events.publish(
                ChatMessageMissed(
                    actor_id=me, recipient_id=other, occurred_at=now, chat_id=room.id, message_id=message.id
                )
            )
        return view
