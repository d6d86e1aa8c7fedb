"""What the sockets send: notification frames and chat frames (JSON), and the notifier that publishes them on the
hub after the services committed (``ports.notifications.NotificationPush``, ``ports.messaging.ChatPush``)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from adapters.ws.hub import Hub
from core.messaging.model import MessageView, Person
from core.notifications.model import JOB, StoredNotice

__all__ = (
    "PONG",
    "ChatFrame",
    "HubNotifier",
    "NoticeFrame",
    "PersonFrame",
    "chat_channel",
    "jobs_channel",
    "notice_channel",
)

PONG = b'{"type":"pong"}'


def notice_channel(user_id: int) -> str:
    return f"n:{user_id}"


def jobs_channel(user_id: int) -> str:
    return f"j:{user_id}"


def chat_channel(room_id: int, user_id: int) -> str:
    return f"c:{room_id}:{user_id}"


class NoticeFrame(msgspec.Struct, kw_only=True):
    """``type`` is ``notification`` (or ``job`` for job alerts); ``message`` repeats ``text`` for older clients."""

    type: str
    id: int
    text: str
    message: str
    page: str | None
    route: str | None
    obj_id: str | None
    timestamp: datetime


class PersonFrame(msgspec.Struct, kw_only=True):
    """The sender's mini profile (never the e-mail)."""

    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str


class ChatFrame(msgspec.Struct, kw_only=True):
    type: str
    id: int
    chat_id: int
    user_id: int
    person: PersonFrame
    message: str
    timestamp: datetime


_encoder = msgspec.json.Encoder()


class HubNotifier:
    """Renders frames and publishes them on the hub. ``public_url`` gives the default photo and logo URLs."""

    __slots__ = ("_default_logo", "_default_photo", "hub")

    def __init__(self, hub: Hub, public_url: str) -> None:
        self.hub = hub
        base = f"{public_url.rstrip('/')}/static/defaults"
        self._default_photo = f"{base}/profile_photo.png"
        self._default_logo = f"{base}/company_logo.png"

    def person(self, person: Person) -> PersonFrame:
        """Employers show their company: name as ``first_name``, logo as photo, tagline as qualification."""
        if person.is_employer:
            return PersonFrame(
                id=person.id,
                first_name=person.company_name or person.first_name or "N/A",
                last_name="",
                middle_name="",
                profile_photo=person.logo or self._default_logo,
                qualification=person.tagline or "",
            )
        return PersonFrame(
            id=person.id,
            first_name=person.first_name,
            last_name=person.last_name,
            middle_name=person.middle_name,
            profile_photo=person.profile_photo or self._default_photo,
            qualification=person.qualification,
        )

    @staticmethod
    def notice_frame(notice: StoredNotice) -> bytes:
        return _encoder.encode(
            NoticeFrame(
                type="job" if notice.kind == JOB else "notification",
                id=notice.id,
                text=notice.text,
                message=notice.text,
                page=notice.page,
                route=notice.route,
                obj_id=notice.obj_id,
                timestamp=notice.timestamp,
            )
        )

    def chat_frame(self, view: MessageView) -> bytes:
        m = view.message
        return _encoder.encode(
            ChatFrame(
                type="chat_message",
                id=m.id,
                chat_id=m.room_id,
                user_id=m.sender_id,
                person=self.person(view.person),
                message=m.body,
                timestamp=m.created_at,
            )
        )

    async def push_notice(self, notice: StoredNotice) -> int:
        channel = jobs_channel(notice.user_id) if notice.kind == JOB else notice_channel(notice.user_id)
        return await self.hub.publish(channel, self.notice_frame(notice))

    async def push_chat(self, recipient_id: int, message: MessageView) -> int:
        return await self.hub.publish(chat_channel(message.message.room_id, recipient_id), self.chat_frame(message))
