"""Chat over REST: initiate (confirmed connections only), sessions (last message, unread count; one statement),
history (documented unpaginated form, or newest-first cursor pages; one statement a page). Messages are sent
through the service here; the websocket tests send them through real sockets."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.db.engine import StatementCounter
from bootstrap.container import AppContainer, build_container
from tests.e2e.feed_support import ours
from tests.e2e.realtime_support import connect, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]

INITIATE = "/notification-chat/chats/initiate/"
SESSIONS = "/notification-chat/chats/"
HISTORY = "/notification-chat/chat/messages/"
MINI = ["id", "first_name", "last_name", "middle_name", "profile_photo", "qualification"]


async def _send(container: AppContainer, sender: int, chat_id: int, text: str) -> None:
    """Send through a container of the test's own event loop (the app's engine lives on the client's loop)."""
    side = build_container(container.platform.settings(), "sql")
    try:
        chat = side.messaging.chat()
        room = await chat.room_of(sender, chat_id)
        await chat.send(sender, room, text)
    finally:
        await side.platform.engine().dispose()


async def test_initiate_needs_a_confirmed_connection_and_returns_one_room_per_pair(
    client: AsyncTestClient[Any], container: AppContainer
) -> None:
    ada = await person(client, container, "Ada", "Lovelace")
    bob = await person(client, container, "Bob", "Builder")
    refused = await client.post(INITIATE, json={"user": bob.id}, headers=ada.headers)
    assert refused.status_code == 403 and refused.json() == {"detail": "You are yet to connect with this user."}
    me = await client.post(INITIATE, json={"user": ada.id}, headers=ada.headers)
    assert me.status_code == 400 and me.json() == {"user": ["Cannot initiate chat session with self."]}
    assert (await client.post(INITIATE, json={"user": 999999}, headers=ada.headers)).status_code == 404
    assert (await client.post(INITIATE, json={"user": "x"}, headers=ada.headers)).status_code == 400
    assert (await client.post(INITIATE, json=[1], headers=ada.headers)).status_code == 400
    assert (await client.post(INITIATE, json={"user": bob.id})).status_code == 401
    await connect(client, ada, bob)
    first = await client.post(INITIATE, json={"user": bob.id}, headers=ada.headers)
    assert first.status_code == 200, first.text
    assert list(first.json()) == ["contributor", "chat_id"]
    assert list(first.json()["contributor"]) == MINI
    assert first.json()["contributor"]["first_name"] == "Bob"
    other_way = await client.post(INITIATE, json={"user": ada.id}, headers=bob.headers)
    assert other_way.json()["chat_id"] == first.json()["chat_id"]


async def test_sessions_and_history(client: AsyncTestClient[Any], container: AppContainer) -> None:
    ada = await person(client, container, "Ada", "Lovelace")
    bob = await person(client, container, "Bob", "Builder")
    cat = await person(client, container, "Cat", "Stevens")
    await connect(client, ada, bob)
    await connect(client, cat, ada)
    with_bob = (await client.post(INITIATE, json={"user": bob.id}, headers=ada.headers)).json()["chat_id"]
    with_cat = (await client.post(INITIATE, json={"user": cat.id}, headers=ada.headers)).json()["chat_id"]
    for n in range(5):
        await _send(container, bob.id, with_bob, f"bob {n}")
    await _send(container, ada.id, with_bob, "ada answers")
    await _send(container, cat.id, with_cat, "meow")
    listed = await client.get(SESSIONS, headers=ada.headers)
    assert listed.status_code == 200, listed.text
    sessions = listed.json()
    assert [s["chat_id"] for s in sessions] == [with_cat, with_bob]  # most recently active first
    assert list(sessions[0]) == ["contributor", "chat_id", "last_message", "unread"]
    assert sessions[0]["last_message"]["message"] == "meow" and sessions[0]["unread"] == 1
    assert sessions[1]["last_message"]["message"] == "ada answers" and sessions[1]["unread"] == 0
    assert (await client.get(SESSIONS, headers=bob.headers)).json()[0]["unread"] == 1

    # Documented form: oldest first, everything.
    full = await client.get(f"{HISTORY}?chat_id={with_bob}", headers=bob.headers)
    assert full.status_code == 200, full.text
    assert [m["message"] for m in full.json()] == [f"bob {n}" for n in range(5)] + ["ada answers"]
    assert list(full.json()[0]) == ["id", "person", "message", "timestamp"]
    assert list(full.json()[0]["person"]) == MINI and "email" not in full.text
    assert (await client.get(SESSIONS, headers=bob.headers)).json()[0]["unread"] == 0  # read now

    # Cursor pages, newest first.
    page = (await client.get(f"{HISTORY}?chat_id={with_bob}&limit=4", headers=ada.headers)).json()
    assert [m["message"] for m in page["results"]] == ["ada answers", "bob 4", "bob 3", "bob 2"]
    rest = (
        await client.get(f"{HISTORY}?chat_id={with_bob}&limit=4&cursor={page['next_cursor']}", headers=ada.headers)
    ).json()
    assert [m["message"] for m in rest["results"]] == ["bob 1", "bob 0"] and rest["next_cursor"] is None

    # Not a participant, unknown rooms, malformed input.
    assert (await client.get(f"{HISTORY}?chat_id={with_bob}", headers=cat.headers)).json() == {
        "detail": "Invalid Chatroom_id"
    }
    assert (await client.get(f"{HISTORY}?chat_id=999999", headers=cat.headers)).status_code == 404
    missing = await client.get(HISTORY, headers=ada.headers)
    assert missing.status_code == 400 and missing.json() == {"error": "No chat_id provided"}
    for bad in ("chat_id=x", f"chat_id={with_bob}&cursor=x", f"chat_id={with_bob}&limit=-1"):
        assert (await client.get(f"{HISTORY}?{bad}", headers=ada.headers)).status_code == 400, bad
    assert (await client.get(SESSIONS)).status_code == 401
    assert (await client.get(f"{HISTORY}?chat_id={with_bob}")).status_code == 401


async def test_lists_cost_one_statement(client: AsyncTestClient[Any], container: AppContainer) -> None:
    ada = await person(client, container, "Ada", "Lovelace")
    friends = [await person(client, container) for _ in range(3)]
    rooms = []
    for friend in friends:
        await connect(client, ada, friend)
        rooms.append((await client.post(INITIATE, json={"user": friend.id}, headers=ada.headers)).json()["chat_id"])
    counter = StatementCounter()
    engine = container.platform.engine()
    counter.attach(engine)

    async def cost(path: str) -> int:
        with counter.measure() as seen:
            assert (await client.get(path, headers=ada.headers)).status_code == 200
        return len(ours(seen))

    try:
        assert await cost(SESSIONS) == 2  # the token check, then the sessions
        for i, (friend, room) in enumerate(zip(friends, rooms, strict=True)):
            for n in range(i + 2):
                await _send(container, friend.id, room, f"m{n}")
        assert await cost(SESSIONS) == 2
        # History: the token check, the room, the page (and the read mark when something new was read).
        assert await cost(f"{HISTORY}?chat_id={rooms[2]}&limit=2") == 4
        assert await cost(f"{HISTORY}?chat_id={rooms[2]}&limit=2") == 3
        assert await cost(f"{HISTORY}?chat_id={rooms[2]}&limit=2&cursor=999999") == 3
    finally:
        counter.detach(engine)
