"""``/notification-chat/notifications/``: the list (5 a page, newest first, one statement after the token check),
read flags, the unread count and clearing, with notifications made by the real endpoints (behaviors §8)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.db.engine import StatementCounter
from bootstrap.container import AppContainer
from tests.conftest import wait_for_mail
from tests.e2e.feed_support import ours
from tests.e2e.realtime_support import new_post, person, set_flags

pytestmark = [pytest.mark.anyio, pytest.mark.db]

URL = "/notification-chat/notifications/"
KEYS = ["id", "text", "page", "route", "obj_id", "timestamp", "read"]


async def _likes(client: AsyncTestClient[Any], container: AppContainer, n: int) -> tuple[Any, list[int]]:
    author = await person(client, container, "Ada", "Lovelace")
    fan = await person(client, container, "Bob", "Builder")
    posts = [await new_post(client, author) for _ in range(n)]
    for post in posts:
        assert (await client.post("/post/like/", json={"post": post}, headers=fan.headers)).status_code == 201
    return author, posts


async def test_list_is_paged_by_five_newest_first_with_the_documented_fields(
    client: AsyncTestClient[Any], container: AppContainer
) -> None:
    author, posts = await _likes(client, container, 7)
    first = await client.get(URL, headers=author.headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert list(body) == ["count", "next", "previous", "results", "unread"]
    assert body["count"] == 7 and body["unread"] == 7
    assert body["next"] == "http://testserver.local/notification-chat/notifications/?page=2"
    assert body["previous"] is None
    assert [list(r) for r in body["results"]] == [KEYS] * 5
    top = body["results"][0]
    assert top["text"] == "Someone just liked your post."
    assert top["page"] == "Post" and top["route"] == f"post/?post_id={posts[-1]}" and top["obj_id"] == str(posts[-1])
    assert top["read"] is False
    ids = [r["id"] for r in body["results"]]
    assert ids == sorted(ids, reverse=True)
    second = (await client.get(URL + "?page=2", headers=author.headers)).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert (await client.get(URL + "?page=3", headers=author.headers)).status_code == 404
    assert (await client.get(URL + "?page=x", headers=author.headers)).status_code == 404
    empty = await client.get(URL, headers=(await person(client, container)).headers)
    assert empty.json() == {"count": 0, "next": None, "previous": None, "results": [], "unread": 0}


async def test_a_page_is_one_statement_after_the_token_check(
    client: AsyncTestClient[Any], container: AppContainer
) -> None:
    author, _ = await _likes(client, container, 6)
    counter = StatementCounter()
    engine = container.platform.engine()
    counter.attach(engine)
    try:
        for page in ("", "?page=2"):
            with counter.measure() as seen:
                assert (await client.get(URL + page, headers=author.headers)).status_code == 200
            assert len(ours(seen)) == 2, seen  # the token check, then the page with its counts
        with counter.measure() as seen:
            assert (await client.get(URL + "unread/", headers=author.headers)).status_code == 200
        assert len(ours(seen)) == 2, seen
    finally:
        counter.detach(engine)


async def test_mark_one_mark_all_unread_count_and_clear(client: AsyncTestClient[Any], container: AppContainer) -> None:
    author, _ = await _likes(client, container, 3)
    other = await person(client, container)
    items = (await client.get(URL, headers=author.headers)).json()["results"]
    assert (await client.get(URL + "unread/", headers=author.headers)).json() == {"unread": 3}
    one = await client.put(f"{URL}?id={items[0]['id']}", headers=author.headers)
    assert one.status_code == 200 and one.json() == {"marked": 1, "unread": 2}
    # Someone else's notification, unknown ids and malformed ids.
    assert (await client.put(f"{URL}?id={items[1]['id']}", headers=other.headers)).status_code == 404
    assert (await client.put(f"{URL}?id=999999", headers=author.headers)).status_code == 404
    bad = await client.put(f"{URL}?id=abc", headers=author.headers)
    assert bad.status_code == 400 and bad.json() == {"error": "Invalid notification id"}
    listed = (await client.get(URL, headers=author.headers)).json()
    assert [r["read"] for r in listed["results"]] == [True, False, False] and listed["unread"] == 2
    everything = await client.put(URL, headers=author.headers)
    assert everything.json() == {"marked": 2, "unread": 0}
    assert (await client.delete(URL, headers=other.headers)).status_code == 204  # clears only the caller's
    assert (await client.get(URL, headers=author.headers)).json()["count"] == 3
    assert (await client.delete(URL, headers=author.headers)).status_code == 204
    assert (await client.get(URL, headers=author.headers)).json()["count"] == 0


async def test_every_route_needs_a_token(client: AsyncTestClient[Any]) -> None:
    for method, path in (("GET", URL), ("DELETE", URL), ("PUT", URL), ("GET", URL + "unread/")):
        response = await client.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.json() == {"detail": "Authentication credentials were not provided."}


async def test_settings_push_message_and_email(client: AsyncTestClient[Any], container: AppContainer) -> None:
    """``push_notify`` off still stores; ``email_notify`` mails the first like of a post only."""
    author = await person(client, container, "Ada", "Lovelace")
    fans = [await person(client, container) for _ in range(2)]
    await set_flags(container, author.id, push_notify=False, email_notify=True)
    post = await new_post(client, author)
    mailer = container.platform.mailer()
    before = len(mailer.sent)
    for fan in fans:
        assert (await client.post("/post/like/", json={"post": post}, headers=fan.headers)).status_code == 201
    assert (await client.get(URL, headers=author.headers)).json()["count"] == 2
    mail = await wait_for_mail(mailer, author.email, "Your Post Got a Like!!", after=before)
    assert "Someone just liked your post." in mail.text
    liked = [m for m in mailer.sent[before:] if m.subject == "Your Post Got a Like!!"]
    assert len(liked) == 1


async def test_each_event_of_behaviors_8_2_is_stored_for_its_recipient(
    client: AsyncTestClient[Any], container: AppContainer
) -> None:
    ada = await person(client, container, "Ada", "Lovelace")
    bob = await person(client, container, "Bob", "Builder")
    post = await new_post(client, ada)
    comment = await client.post("/post/comment/", json={"post": post, "body": "hi"}, headers=ada.headers)
    assert comment.status_code == 201, comment.text
    comments = (await client.get(f"/post/comment/?post_id={post}", headers=ada.headers)).json()
    comment_id = _first_comment_id(comments)
    assert (await client.post("/post/like/", json={"post": post}, headers=bob.headers)).status_code == 201
    liked = await client.post("/post/like/comment/", json={"comment": comment_id}, headers=bob.headers)
    assert liked.status_code == 200, liked.text
    reply = await client.post("/post/reply/", json={"parent": comment_id, "body": "yo"}, headers=bob.headers)
    assert reply.status_code == 201, reply.text
    assert (await client.post("/follow/", json={"user_following": ada.id}, headers=bob.headers)).status_code == 201
    asked = await client.post("/connection/", json={"connection": ada.id}, headers=bob.headers)
    answer = {"connection_id": asked.json()["id"], "status": "Accept"}
    assert (await client.post("/connection/status/", json=answer, headers=ada.headers)).status_code == 200
    texts = [r["text"] for r in await _all(client, ada)]
    assert texts == [
        "Bob Builder just sent you a connection request.",
        "Bob Builder just followed you.",
        "Bob Builder just replied to your comment.",
        "Bob Builder just liked your comment.",
        "Someone just liked your post.",
    ]
    assert [r["text"] for r in await _all(client, bob)] == ["Ada Lovelace accepted your connection request."]


def _first_comment_id(body: Any) -> int:
    items = body["results"] if isinstance(body, dict) else body
    first = items[0]
    return int(first.get("comment_id") or first.get("id"))


async def _all(client: AsyncTestClient[Any], who: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        body = (await client.get(f"{URL}?page={page}", headers=who.headers)).json()
        found += body["results"]
        if body["next"] is None:
            return found
        page += 1
