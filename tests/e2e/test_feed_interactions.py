"""Comments, replies, likes, reposts, saves and shares; 401s, ownership and malformed input for every feed
endpoint; the events they publish."""

from __future__ import annotations

from typing import Any

import pytest

from core.feed.model.events import CommentLiked, CommentReplied, PostLiked
from tests.e2e.feed_support import assert_post_shape, new_post, set_name, told, user

pytestmark = [pytest.mark.anyio, pytest.mark.db]


def published(container: Any, kind: type) -> list[Any]:
    return [e for e in container.platform.event_bus().published if isinstance(e, kind)]


async def test_likes_and_unlikes(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    pid = await new_post(client, a)
    r = await client.post("/post/like/", json={"post": pid}, headers=b.headers)
    assert r.status_code == 201 and r.json() == {"post": pid}
    r = await client.post("/post/like/", json={"post": pid}, headers=b.headers)
    assert r.status_code == 400 and r.json() == {"error": ["Post Already Liked"]}
    view = (await client.get(f"/post/?post_id={pid}", headers=b.headers)).json()
    assert view["like_count"] == 1 and view["can_like"] is False
    assert (await client.get(f"/post/?post_id={pid}", headers=a.headers)).json()["can_like"] is True
    [event] = published(container, PostLiked)
    assert (event.actor_id, event.recipient_id, event.post_id) == (b.id, a.id, pid)
    notice = await told(container, event)
    assert notice is not None and (notice.user_id, notice.text, notice.page, notice.route, notice.obj_id) == (
        a.id, "Someone just liked your post.", "Post", f"post/?post_id={pid}", pid)

    r = await client.post("/post/unlike/", json={"post": pid}, headers=b.headers)
    assert r.status_code == 200 and r.json() == {"status": "Unliked post"}
    r = await client.post("/post/unlike/", json={"post": pid}, headers=b.headers)
    assert r.status_code == 400 and r.json() == {"non_field_errors": ["Post is yet to be liked"]}
    assert (await client.get(f"/post/?post_id={pid}", headers=b.headers)).json()["like_count"] == 0
    r = await client.post("/post/like/", json={"post": 99999}, headers=b.headers)
    assert r.status_code == 400 and r.json() == {"post": ['Invalid pk "99999" - object does not exist.']}


async def test_comments_replies_and_comment_likes(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    pid = await new_post(client, a)
    r = await client.post("/post/comment/", json={"post": pid, "body": "Nice"}, headers=b.headers)
    assert r.status_code == 201
    created = r.json()
    assert list(created) == ["user", "body", "media", "time_stamp", "comment_id"]
    assert list(created["user"]) == ["id", "first_name", "last_name", "middle_name", "profile_photo", "qualification"]
    top = created["comment_id"]

    r = await client.post("/post/reply/", json={"parent": top, "body": "Thanks"}, headers=a.headers)
    assert r.status_code == 201
    assert list(r.json())[:2] == ["user", "body"]
    reply = r.json()["comment_id"]
    # A reply to a reply stays in the thread of the top-level comment (one statement fetches the thread), and is
    # listed under the reply it answers.
    r = await client.post("/post/reply/", json={"parent": reply, "body": "Welcome"}, headers=b.headers)
    deep = r.json()["comment_id"]

    r = await client.post("/post/like/comment/", json={"comment": reply}, headers=b.headers)
    assert r.status_code == 200 and r.json() == {"comment_id": reply, "user_id": b.id, "status": "Liked Comment"}
    r = await client.post("/post/like/comment/", json={"comment": reply}, headers=b.headers)
    assert r.status_code == 400 and r.json() == {"non_field_errors": ["Comment already liked."]}

    listed = (await client.get(f"/post/comment/?post_id={pid}", headers=b.headers)).json()
    assert len(listed) == 1
    head = listed[0]
    assert list(head) == [
        "post", "commenter", "body", "media", "parent", "replies", "likes", "time_stamp", "can_like", "comment_id"
    ]
    assert list(head["commenter"]) == ["first_name", "last_name", "middle_name", "profile_picture"]
    # Replies nest recursively (behaviors §3.6): the reply to the reply is under the reply it answers.
    assert [(r["comment_id"], r["parent"]) for r in head["replies"]] == [(reply, top)]
    nested = head["replies"][0]["replies"]
    assert [(r["comment_id"], r["parent"], r["replies"]) for r in nested] == [(deep, reply, [])]
    assert list(nested[0]) == list(head)
    assert head["replies"][0]["likes"] == 1 and head["replies"][0]["can_like"] is False
    other_view = (await client.get(f"/post/comment/?post_id={pid}", headers=a.headers)).json()
    assert other_view[0]["replies"][0]["can_like"] is True
    assert (await client.get(f"/post/?post_id={pid}", headers=a.headers)).json()["comment_count"] == 1

    r = await client.post("/post/unlike/comment/", json={"comment": reply}, headers=b.headers)
    assert r.status_code == 200 and r.json() == {"status": "Unliked Comment"}
    r = await client.post("/post/unlike/comment/", json={"comment": reply}, headers=b.headers)
    assert r.status_code == 400 and r.json() == {"non_field_errors": ["Comment has not been previously liked."]}

    replied = published(container, CommentReplied)
    assert [(e.actor_id, e.recipient_id, e.comment_id) for e in replied] == [(a.id, b.id, top), (b.id, a.id, reply)]
    await set_name(container, a.id, "Ada", "Lovelace")
    await set_name(container, b.id, "Bob", "Marley")
    assert [(n.user_id, n.text, n.route, n.obj_id) for n in [await told(container, e) for e in replied] if n] == [
        (b.id, "Ada Lovelace just replied to your comment.", f"post/?post_id={pid}", pid),
        (a.id, "Bob Marley just replied to your comment.", f"post/?post_id={pid}", pid)]
    [liked] = published(container, CommentLiked)
    assert (liked.actor_id, liked.recipient_id, liked.post_id) == (b.id, a.id, pid)
    notice = await told(container, liked)
    assert notice is not None and (notice.user_id, notice.text) == (a.id, "Bob Marley just liked your comment.")

    r = await client.get("/post/comment/", headers=b.headers)
    assert r.status_code == 400 and r.json() == {"error": "No query parameter"}
    r = await client.get("/post/comment/?post_id=99999", headers=b.headers)
    assert r.status_code == 400 and r.json() == {"error": "Inexistent post"}
    r = await client.get(f"/post/comment/?post_id={pid}&page=2", headers=b.headers)
    assert r.status_code == 200 and r.json() == []


async def test_repost_points_at_the_root_with_its_id(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    c = await user(client, container)
    original = await new_post(client, a)
    r = await client.post("/post/repost/", json={"parent": original, "body": "Great content"}, headers=b.headers)
    assert r.status_code == 201
    body = r.json()
    assert list(body)[:5] == ["profile", "body", "pic1", "pic2", "pic3"] and body["parent"]["post_id"] == original
    again = await client.post("/post/repost/", json={"parent": body["post_id"]}, headers=c.headers)
    assert again.json()["parent"]["post_id"] == original and again.json()["body"] == ""
    feed_item = (await client.get(f"/post/?post_id={again.json()['post_id']}", headers=a.headers)).json()
    assert_post_shape(feed_item)
    assert feed_item["parent"]["post_id"] == original
    assert list(feed_item["parent"]) == [
        "profile", "body", "pic1", "pic2", "pic3", "video", "article", "time_stamp", "post_id"
    ]
    r = await client.post("/post/repost/", json={"parent": 99999}, headers=b.headers)
    assert r.status_code == 400 and "parent" in r.json()


async def test_saves_are_unique_and_removable(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    pid = await new_post(client, a)
    for _ in range(2):
        r = await client.post("/post/save/", json={"post": pid}, headers=b.headers)
        assert r.status_code == 201 and r.json() == {"post_id": pid}
    saved = (await client.get("/post/save/", headers=b.headers)).json()
    assert len(saved) == 1 and list(saved[0]) == ["post"]
    assert_post_shape(saved[0]["post"])
    assert saved[0]["post"]["is_saved"] is True
    assert (await client.get("/post/save/", headers=a.headers)).json() == []
    # Someone else's save is not yours to remove.
    assert (await client.delete(f"/post/save/?post_id={pid}", headers=a.headers)).status_code == 404
    assert (await client.delete(f"/post/save/?post_id={pid}", headers=b.headers)).status_code == 204
    assert (await client.get("/post/save/", headers=b.headers)).json() == []
    assert (await client.delete("/post/save/", headers=b.headers)).status_code == 400


async def test_shares_are_stable_and_public(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    pid = await new_post(client, a)
    first = await client.post("/post/share/", json={"post": pid}, headers=b.headers)
    assert first.status_code == 200 and list(first.json()) == ["post_hash"]
    second = await client.post("/post/share/", json={"post": pid}, headers=b.headers)
    assert second.json() == first.json()
    await client.post("/post/share/", json={"post": pid}, headers=a.headers)
    assert (await client.get(f"/post/?post_id={pid}", headers=a.headers)).json()["share_count"] == 2

    r = await client.get(f"/post/share/?hash={first.json()['post_hash']}")  # no token
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["shared_by", "post"] and body["shared_by"]["id"] == b.id
    assert body["post"]["post_id"] == pid and body["post"]["share_count"] == 2
    r = await client.get("/post/share/")
    assert r.status_code == 400 and r.json() == {"error": "A hash query parameter is required for this request."}
    r = await client.get("/post/share/?hash=nope")
    assert r.status_code == 400 and r.json() == {"error": "Invalid Share Hash"}


AUTHENTICATED = [
    ("GET", "/post/", None),
    ("GET", "/post/?post_id=1", None),
    ("POST", "/post/", {"body": "x"}),
    ("DELETE", "/post/delete/?post_id=1", None),
    ("GET", "/post/posted/", None),
    ("GET", "/post/by-user/?user_id=1", None),
    ("GET", "/post/by-mentors/", None),
    ("GET", "/post/following/", None),
    ("POST", "/post/comment/", {"post": 1, "body": "x"}),
    ("GET", "/post/comment/?post_id=1", None),
    ("POST", "/post/reply/", {"parent": 1, "body": "x"}),
    ("POST", "/post/like/", {"post": 1}),
    ("POST", "/post/unlike/", {"post": 1}),
    ("POST", "/post/like/comment/", {"comment": 1}),
    ("POST", "/post/unlike/comment/", {"comment": 1}),
    ("POST", "/post/repost/", {"parent": 1}),
    ("POST", "/post/save/", {"post": 1}),
    ("GET", "/post/save/", None),
    ("DELETE", "/post/save/?post_id=1", None),
    ("POST", "/post/share/", {"post": 1}),
    ("POST", "/follow/", {"user_following": 1}),
    ("POST", "/unfollow/", {"user_following": 1}),
    ("GET", "/followings/", None),
    ("GET", "/followers/", None),
    ("GET", "/followings/count/", None),
    ("GET", "/followers/count/", None),
    ("GET", "/follow/recommendation/", None),
    ("POST", "/connection/", {"connection": 1}),
    ("GET", "/connection/", None),
    ("DELETE", "/connection/?connection_id=1", None),
    ("GET", "/connection/pending/", None),
    ("GET", "/connection/requests/", None),
    ("POST", "/connection/status/", {"connection_id": 1, "status": "Accept"}),
    ("GET", "/connection/count/", None),
    ("GET", "/connection/recommendation/?criteria=industry", None),
]


@pytest.mark.parametrize(("method", "path", "body"), AUTHENTICATED)
async def test_every_endpoint_needs_a_token(client: Any, method: str, path: str, body: Any) -> None:
    r = await client.request(method, path, json=body)
    assert r.status_code == 401, r.text
    assert r.json() == {"detail": "Authentication credentials were not provided."}
    r = await client.request(method, path, json=body, headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


MALFORMED = [
    ("POST", "/post/comment/", {"post": "x", "body": "b"}),
    ("POST", "/post/comment/", {"body": "b"}),
    ("POST", "/post/comment/", {"post": 1, "body": ""}),
    ("POST", "/post/reply/", {"parent": -1, "body": "x"}),
    ("POST", "/post/reply/", {"body": "x"}),
    ("POST", "/post/like/", {}),
    ("POST", "/post/like/", {"post": "abc"}),
    ("POST", "/post/unlike/", {"post": None}),
    ("POST", "/post/like/comment/", {"comment": []}),
    ("POST", "/post/unlike/comment/", {}),
    ("POST", "/post/repost/", {"parent": "x"}),
    ("POST", "/post/repost/", {"parent": 1, "body": "x" * 2001}),
    ("POST", "/post/save/", {"post": 0}),
    ("POST", "/post/share/", {"post": 2**64}),
    ("GET", "/post/?post_id=abc", None),
    ("GET", "/post/?page=abc", None),
    ("POST", "/follow/", {"user_following": "me"}),
    ("POST", "/unfollow/", {}),
    ("POST", "/connection/", {"connection": "x"}),
    ("POST", "/connection/status/", {"connection_id": 1}),
    ("POST", "/connection/status/", {"connection_id": 1, "status": "Maybe"}),
    ("DELETE", "/connection/", None),
    ("DELETE", "/connection/?connection_id=x", None),
    ("GET", "/connection/recommendation/", None),
    ("GET", "/connection/recommendation/?criteria=height", None),
]


@pytest.mark.parametrize(("method", "path", "body"), MALFORMED)
async def test_malformed_input_is_a_json_4xx(client: Any, container: Any, method: str, path: str, body: Any) -> None:
    a = await user(client, container)
    await new_post(client, a)
    r = await client.request(method, path, json=body, headers=a.headers)
    assert r.status_code in (400, 404), r.text
    assert isinstance(r.json(), dict)
    if path.startswith("/post/?page"):
        assert r.json() == {"detail": "Invalid page."}
    else:
        assert r.status_code == 400


async def test_malformed_json_bodies(client: Any, container: Any) -> None:
    a = await user(client, container)
    for path in ("/post/like/", "/post/reply/", "/follow/", "/connection/", "/post/comment/"):
        r = await client.post(path, content=b"{oops", headers={**a.headers, "content-type": "application/json"})
        assert r.status_code == 400, (path, r.text)
        r = await client.post(path, content=b"[1, 2]", headers={**a.headers, "content-type": "application/json"})
        assert r.status_code == 400, (path, r.text)
