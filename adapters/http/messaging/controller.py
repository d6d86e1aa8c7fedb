"""Chat over REST (behaviors §8.3): initiate a session, the sessions list (now with the last message and the
unread count), and a room's history (the documented unpaginated list, or newest-first pages with a cursor)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site
from core.messaging.chat import HISTORY_PAGE_MAX, UNPAGINATED_MAX, ChatService
from core.messaging.model import ChatMessage, MessageView, Person
from core.shared.errors import InvalidInput

__all__ = ("ChatController",)

Me = NamedDependency[Principal]
Chat = NamedDependency[ChatService]
SiteDep = NamedDependency[Site]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
ChatIdParam = Annotated[str | None, QueryParameter(name="chat_id", description="The room.", pattern=NO_NUL)]
CursorParam = Annotated[
    str | None,
    QueryParameter(name="cursor", description="`next_cursor` of the previous page (older messages).", pattern=NO_NUL),
]
LimitParam = Annotated[
    str | None,
    QueryParameter(name="limit", description=f"Messages a page (1–{HISTORY_PAGE_MAX}, default 20).", pattern=NO_NUL),
]


class InitiateBody(msgspec.Struct, kw_only=True):
    user: Id


class ContributorRead(msgspec.Struct, kw_only=True):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str


class SessionRead(msgspec.Struct, kw_only=True):
    contributor: ContributorRead
    chat_id: int


class LastMessageRead(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    message: str
    timestamp: datetime


class SessionItemRead(SessionRead, kw_only=True):
    last_message: LastMessageRead | None
    unread: int


class MessageRead(msgspec.Struct, kw_only=True):
    id: int
    person: ContributorRead
    message: str
    timestamp: datetime


class HistoryPageRead(msgspec.Struct, kw_only=True):
    results: list[MessageRead]
    next_cursor: str | None


def contributor(site: Site, person: Person) -> ContributorRead:
    """Employers show their company: name as ``first_name``, logo as photo, tagline as qualification."""
    if person.is_employer:
        return ContributorRead(
            id=person.id,
            first_name=person.company_name or person.first_name or "N/A",
            last_name="",
            middle_name="",
            profile_photo=site.logo(person.logo),
            qualification=person.tagline or "",
        )
    return ContributorRead(
        id=person.id,
        first_name=person.first_name,
        last_name=person.last_name,
        middle_name=person.middle_name,
        profile_photo=site.photo(person.profile_photo),
        qualification=person.qualification,
    )


def _last(m: ChatMessage | None) -> LastMessageRead | None:
    if m is None:
        return None
    return LastMessageRead(id=m.id, user_id=m.sender_id, message=m.body, timestamp=m.created_at)


def _message(site: Site, view: MessageView) -> MessageRead:
    m = view.message
    return MessageRead(id=m.id, person=contributor(site, view.person), message=m.body, timestamp=m.created_at)


def _number(name: str, raw: str | None, message: str) -> int | None:
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
        raise InvalidInput.field(name, message)
    return int(text)


class ChatController(Controller):
    path = "/notification-chat"
    tags = ["Chat"]

    @post(
        "/chats/initiate/",
        status_code=200,
        summary="Initiate Chat Session",
        description="The room with `user` (created on first use, either direction). Yourself: 400 field error "
        "`Cannot initiate chat session with self.`; no confirmed connection: 403 `You are yet to connect with "
        "this user.`; unknown user: 404.",
        security=BEARER,
    )
    async def initiate(self, data: JSONBody[InitiateBody], chat: Chat, me: Me, site: SiteDep) -> SessionRead:
        room, person = await chat.initiate(me.user_id, data.user)
        return SessionRead(contributor=contributor(site, person), chat_id=room.id)

    @get(
        "/chats/",
        summary="Get Chat Sessions",
        description="The caller's rooms, most recently active first (at most 200): `contributor`, `chat_id`, "
        "`last_message` (`{id, user_id, message, timestamp}` or null) and `unread` (the other side's messages "
        "the caller has not read). One statement.",
        security=BEARER,
    )
    async def sessions(self, chat: Chat, me: Me, site: SiteDep) -> list[SessionItemRead]:
        return [
            SessionItemRead(
                contributor=contributor(site, s.contributor),
                chat_id=s.room_id,
                last_message=_last(s.last_message),
                unread=s.unread,
            )
            for s in await chat.sessions(me.user_id)
        ]

    @get(
        "/chat/messages/",
        summary="Chat History",
        description="Without `cursor` or `limit`: the documented list, oldest first, `[{id, person, message, "
        f"timestamp}}]` (the newest {UNPAGINATED_MAX} messages). With `limit` and/or `cursor`: newest first, "
        "`{results, next_cursor}`; pass `next_cursor` back as `cursor` for older messages (null: no more). "
        "Reading the newest messages marks the room read. Not a participant (or unknown room): 404 "
        '`Invalid Chatroom_id`; no `chat_id`: 400 `{"error": "No chat_id provided"}`.',
        security=BEARER,
    )
    async def history(
        self,
        chat: Chat,
        me: Me,
        site: SiteDep,
        chat_id: ChatIdParam = None,
        cursor: CursorParam = None,
        limit: LimitParam = None,
    ) -> list[MessageRead] | HistoryPageRead:
        if chat_id is None or chat_id == "":
            raise InvalidInput.error("No chat_id provided")
        room = _number("chat_id", chat_id, "A valid integer is required.")
        assert room is not None
        before = _number("cursor", cursor, "Invalid cursor.")
        size = _number("limit", limit, "A valid integer is required.")
        if before is None and size is None:
            return [_message(site, v) for v in await chat.full_history(me.user_id, room)]
        size = min(size or 20, HISTORY_PAGE_MAX)
        found = await chat.history(me.user_id, room, before_id=before, limit=size)
        next_cursor = str(found[-1].message.id) if len(found) == size else None
        return HistoryPageRead(results=[_message(site, v) for v in found], next_cursor=next_cursor)
