"""The pieces of real time without a server: a socket's bounded queue, the memory hub, and the notifications and
chat services on the memory profile (settings honoured, push after commit, offline recipients)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.db.accounts import USERS
from adapters.ws.frames import HubNotifier, chat_channel, notice_channel
from adapters.ws.hub import MemoryHub
from adapters.ws.sockets import SocketOutbox
from bootstrap.container import AppContainer
from core.accounts.model.users import User
from core.feed.model.events import PostLiked, UserFollowed
from core.messaging.model import ChatRoom
from core.shared.errors import InvalidInput, NotFound, PermissionDenied

pytestmark = pytest.mark.anyio

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


async def test_a_full_queue_drops_what_is_unread_and_closes() -> None:
    box = SocketOutbox(2)
    box.offer(b"1")
    box.offer(b"2")
    assert not box.overflowed
    box.offer(b"3")
    assert box.overflowed
    assert await box.next() is None  # the close marker, not stale frames
    box.offer(b"4")  # ignored once overflowed
    assert box._queue.empty()


async def test_the_memory_hub_delivers_to_the_listeners_of_a_channel_and_forgets_them() -> None:
    hub = MemoryHub()
    got: list[bytes] = []
    leave = await hub.subscribe("n:1", got.append)
    assert await hub.publish("n:1", b"x") == 1 and got == [b"x"]
    assert await hub.publish("n:2", b"y") == 0
    await leave()
    assert hub.listeners() == 0 and await hub.publish("n:1", b"z") == 0


async def _user(container: AppContainer, user_id: int, **flags: Any) -> None:
    store = container.platform.store()
    uow_cls = container.notifications.uow()
    async with uow_cls as uow:
        uow.insert(USERS, User(id=user_id, email=f"u{user_id}@example.org", date_joined=AT, **flags))
        await uow.commit()
    assert user_id in store.committed(USERS)


async def test_notifications_are_stored_then_pushed_unless_push_notify_is_off(memory_container: AppContainer) -> None:
    c = memory_container
    await _user(c, 1)
    await _user(c, 2, push_notify=False)
    await _user(c, 3)
    hub: MemoryHub = c.platform.realtime_hub()
    frames: dict[int, list[bytes]] = {1: [], 2: []}
    for who in (1, 2):
        await hub.subscribe(notice_channel(who), frames[who].append)
    service = c.notifications.service()
    stored = await service.record(PostLiked(actor_id=3, recipient_id=1, occurred_at=AT, post_id=9))
    assert stored is not None and stored.text == "Someone just liked your post." and stored.obj_id == "9"
    assert [json.loads(f)["id"] for f in frames[1]] == [stored.id]
    assert await service.record(UserFollowed(actor_id=3, recipient_id=2, occurred_at=AT)) is not None
    assert frames[2] == []  # stored, not pushed
    page, unread = await service.page(2, 1)
    assert page.total == 1 and unread == 1
    assert await service.record(PostLiked(actor_id=1, recipient_id=1, occurred_at=AT, post_id=9)) is None  # self
    assert await service.record(PostLiked(actor_id=3, recipient_id=99, occurred_at=AT, post_id=9)) is None  # gone
    with pytest.raises(NotFound):
        await service.mark_read(2, stored.id)  # someone else's


async def test_chat_needs_a_connection_and_tells_offline_recipients(memory_container: AppContainer) -> None:
    from adapters.db.feed_memory import CONNECTIONS
    from core.feed.model.graph import Connection, ConnectionStatus

    c = memory_container
    for who in (1, 2, 3):
        await _user(c, who, message_notify=who == 2)
    chat = c.messaging.chat()
    with pytest.raises(InvalidInput):
        await chat.initiate(1, 1)
    with pytest.raises(NotFound):
        await chat.initiate(1, 42)
    with pytest.raises(PermissionDenied):
        await chat.initiate(1, 2)
    async with c.notifications.uow() as uow:
        for other in (2, 3):
            uow.insert(CONNECTIONS, Connection(sender_id=1, receiver_id=other, status=ConnectionStatus.CONFIRMED,
                                               created_at=AT, updated_at=AT))  # fmt: skip
        await uow.commit()
    room, person = await chat.initiate(2, 1)
    assert isinstance(room, ChatRoom) and (room.user_low, room.user_high) == (1, 2) and person.id == 1
    assert (await chat.initiate(1, 2))[0].id == room.id
    hub: MemoryHub = c.platform.realtime_hub()
    seen: list[bytes] = []
    await hub.subscribe(chat_channel(room.id, 2), seen.append)
    view = await chat.send(1, room, "online")
    assert json.loads(seen[0])["id"] == view.message.id
    notices = c.notifications.service()
    assert (await notices.page(2, 1))[0].total == 0  # delivered live: no notification
    other_room, _ = await chat.initiate(1, 3)
    await chat.send(1, other_room, "offline, message_notify off")
    assert (await notices.page(3, 1))[0].total == 0
    # Bob (2) goes offline: a notification, since his message_notify is on.
    hub._channels.clear()
    await chat.send(1, room, "are you there?")
    page, _ = await notices.page(2, 1)
    assert [(n.page, n.route, n.kind) for n in page.items] == [("Chat", f"chat/?chat_id={room.id}", "message")]
    with pytest.raises(InvalidInput):
        await chat.send(1, room, "x" * 5001)
    with pytest.raises(NotFound):
        await chat.send(3, room, "not mine")
    frame = HubNotifier(hub, "http://x").chat_frame(view)
    assert "email" not in frame.decode()
