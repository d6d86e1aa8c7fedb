"""Posts: create, retrieve, the five lists, delete; flags per viewer, counters, pagination bounds."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

import pytest

from adapters.db.engine import StatementCounter
from tests.e2e.feed_support import PAGE_KEYS, assert_post_shape, new_post, ours, set_industry, user

pytestmark = [pytest.mark.anyio, pytest.mark.db]


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(
        b"IEND", b""
    )


async def test_create_json_and_multipart(client: Any, container: Any) -> None:
    a = await user(client, container)
    r = await client.post("/post/", json={"body": "Hello world", "article": "#tag"}, headers=a.headers)
    assert r.status_code == 201
    body = r.json()
    assert list(body) == ["body", "pic1", "pic2", "pic3", "video", "article", "time_stamp", "post_id"]
    assert body["pic1"] == "N/A" and body["video"] == "N/A" and body["article"] == "#tag"
    assert body["time_stamp"].endswith("Z")

    r = await client.post(
        "/post/", data={"body": "with a picture"}, files={"pic1": ("a.png", png(), "image/png")}, headers=a.headers
    )
    assert r.status_code == 201, r.text
    assert r.json()["pic1"].startswith("http") and r.json()["pic2"] == "N/A"
    storage = container.platform.storage()
    assert len(storage.objects) == 1


async def test_create_rejects_bad_media_and_blank_body(client: Any, container: Any) -> None:
    a = await user(client, container)
    r = await client.post(
        "/post/", data={"body": "x"}, files={"pic1": ("a.png", b"not an image", "image/png")}, headers=a.headers
    )
    assert r.status_code == 400 and "pic1" in r.json()
    big = png() + b"\0" * 1_000_001
    r = await client.post("/post/", data={"body": "x"}, files={"pic2": ("a.png", big, "image/png")}, headers=a.headers)
    assert r.status_code == 400 and "pic2" in r.json()
    files = {"video": ("v.mp4", png(), "video/mp4")}
    r = await client.post("/post/", data={"body": "x"}, files=files, headers=a.headers)
    assert r.status_code == 400 and "video" in r.json()
    for payload in ({}, {"body": "   "}, {"body": "x" * 10_001}, {"body": 5}):
        r = await client.post("/post/", json=payload, headers=a.headers)
        assert r.status_code == 400, (payload, r.text)
    r = await client.post("/post/", content=b"{not json", headers={**a.headers, "content-type": "application/json"})
    assert r.status_code == 400
    assert not container.platform.storage().objects


async def test_feed_selection_and_flags_are_per_viewer(client: Any, container: Any) -> None:
    farmer = await user(client, container)
    await set_industry(container, farmer.id, "agriculture")
    coder = await user(client, container)
    await set_industry(container, coder.id, "technology")
    mentor = await user(client, container, industry="education")
    followed = await user(client, container)

    agri = await new_post(client, farmer, "Tractors, crops, harvest and irrigation on the farm")
    tech = await new_post(client, coder, "Software engineering with python code and cloud computing")
    by_mentor = await new_post(client, mentor, "Just a thought")
    other = await new_post(client, followed, "Tractors and crops and harvest")

    r = await client.get("/post/", headers=farmer.headers)
    assert r.status_code == 200
    page = r.json()
    assert list(page) == [*PAGE_KEYS, "last_page"]
    ids = [p["post_id"] for p in page["results"]]
    assert tech not in ids and {agri, by_mentor} <= set(ids)
    for item in page["results"]:
        assert_post_shape(item)
    mine = next(p for p in page["results"] if p["post_id"] == agri)
    assert mine["is_self"] is True and mine["can_follow"] is False

    # The coder follows `followed`: their post joins the coder's feed; flags are the coder's own.
    r = await client.post("/follow/", json={"user_following": followed.id}, headers=coder.headers)
    assert r.status_code == 201
    await client.post("/post/like/", json={"post": by_mentor}, headers=coder.headers)
    await client.post("/post/save/", json={"post": by_mentor}, headers=coder.headers)
    coder_feed = (await client.get("/post/", headers=coder.headers)).json()["results"]
    coder_ids = [p["post_id"] for p in coder_feed]
    assert coder_ids == sorted(coder_ids, reverse=True)
    assert {tech, by_mentor, other} <= set(coder_ids)
    seen = {p["post_id"]: p for p in coder_feed}
    assert seen[by_mentor]["can_like"] is False and seen[by_mentor]["is_saved"] is True
    assert seen[other]["can_follow"] is False
    farmer_view = {p["post_id"]: p for p in (await client.get("/post/", headers=farmer.headers)).json()["results"]}
    assert farmer_view[by_mentor]["can_like"] is True and farmer_view[by_mentor]["is_saved"] is False
    assert farmer_view[by_mentor]["like_count"] == 1

    following = (await client.get("/post/following/", headers=coder.headers)).json()
    assert list(following) == PAGE_KEYS and [p["post_id"] for p in following["results"]] == [other]
    mentors = (await client.get("/post/by-mentors/", headers=coder.headers)).json()
    assert [p["post_id"] for p in mentors["results"]] == [by_mentor]
    assert mentors["results"][0]["profile"]["user_type"] == "mentor"


async def test_feed_has_own_posts_and_confirmed_connections_posts(client: Any, container: Any) -> None:
    ada = await user(client, container)
    bob = await user(client, container)
    await set_industry(container, bob.id, "technology")
    hello = await new_post(client, ada, "Hello from Ada")  # tagged with no industry: "others"

    def ids(page: dict[str, Any]) -> list[int]:
        return [p["post_id"] for p in page["results"]]

    await set_industry(container, ada.id, "technology")  # no longer "others": only her own post brings it
    mine = (await client.get("/post/", headers=ada.headers)).json()
    assert ids(mine) == [hello] and mine["count"] == 1 and mine["results"][0]["is_self"] is True
    bobs = await new_post(client, bob, "Hi from Bob")
    assert hello not in ids((await client.get("/post/", headers=bob.headers)).json())

    cid = (await client.post("/connection/", json={"connection": ada.id}, headers=bob.headers)).json()["id"]
    assert hello not in ids((await client.get("/post/", headers=bob.headers)).json())  # pending: not yet
    r = await client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"}, headers=ada.headers)
    assert r.status_code == 200, r.text
    bob_feed = (await client.get("/post/", headers=bob.headers)).json()
    assert ids(bob_feed) == [bobs, hello] and bob_feed["count"] == 2
    assert ids((await client.get("/post/", headers=ada.headers)).json()) == [bobs, hello]
    # Following a connection as well: the post is still listed once.
    await client.post("/follow/", json={"user_following": ada.id}, headers=bob.headers)
    assert ids((await client.get("/post/", headers=bob.headers)).json()) == [bobs, hello]
    assert ids((await client.get("/post/following/", headers=bob.headers)).json()) == [hello]


async def test_single_own_and_by_user(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    pid = await new_post(client, a)
    r = await client.get(f"/post/?post_id={pid}", headers=b.headers)
    assert r.status_code == 200
    assert_post_shape(r.json())
    assert (await client.get("/post/?post_id=999999", headers=b.headers)).status_code == 404
    own = (await client.get("/post/posted/", headers=a.headers)).json()
    assert list(own) == [*PAGE_KEYS, "last_page"] and own["results"][0]["is_self"] is True
    assert own["last_page"] == "http://testserver.local/post/posted/?page=1"
    other = (await client.get(f"/post/by-user/?user_id={a.id}", headers=b.headers)).json()
    assert list(other) == PAGE_KEYS and other["results"][0]["is_self"] is False
    assert (await client.get("/post/posted/", headers=b.headers)).json()["count"] == 0
    r = await client.get("/post/by-user/", headers=b.headers)
    assert r.status_code == 400 and r.json() == {"error": "No user_id query parameter was provided."}
    r = await client.get("/post/by-user/?user_id=99999", headers=b.headers)
    assert r.status_code == 400 and r.json() == {"error": "Invalid user_id"}
    assert (await client.get("/post/by-user/?user_id=abc", headers=b.headers)).status_code == 400


async def test_pagination_links_and_bound(client: Any, container: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    a = await user(client, container)
    ids = [await new_post(client, a, f"post {i}") for i in range(7)]
    r = (await client.get("/post/posted/", headers=a.headers)).json()
    assert r["count"] == 7 and len(r["results"]) == 5
    assert r["next"] == "http://testserver.local/post/posted/?page=2" and r["previous"] is None
    assert r["last_page"] == "http://testserver.local/post/posted/?page=2"
    r2 = (await client.get("/post/posted/?page=2", headers=a.headers)).json()
    assert [p["post_id"] for p in r2["results"]] == ids[1::-1]
    assert r2["previous"] == "http://testserver.local/post/posted/" and r2["next"] is None
    for bad in ("3", "0", "x"):
        r3 = await client.get(f"/post/posted/?page={bad}", headers=a.headers)
        assert r3.status_code == 404 and r3.json() == {"detail": "Invalid page."}

    # The lists are bounded: count is exact up to LISTED_MAX, pages past it do not exist.
    monkeypatch.setattr("adapters.db.feed_queries.LISTED_MAX", 5)
    r = (await client.get("/post/posted/", headers=a.headers)).json()
    assert r["count"] == 5 and r["next"] is None
    assert (await client.get("/post/posted/?page=2", headers=a.headers)).status_code == 404


async def test_count_stays_right_after_creates_and_deletes(client: Any, container: Any) -> None:
    a = await user(client, container, industry="agriculture")
    b = await user(client, container)
    first = await new_post(client, a)
    second = await new_post(client, a)
    repost = (await client.post("/post/repost/", json={"parent": first}, headers=b.headers)).json()["post_id"]
    assert (await client.get("/post/by-mentors/", headers=b.headers)).json()["count"] == 2
    assert (await client.get(f"/post/by-user/?user_id={b.id}", headers=a.headers)).json()["count"] == 1
    r = await client.delete(f"/post/delete/?post_id={first}", headers=a.headers)
    assert r.status_code == 204
    # The repost went with its original.
    assert (await client.get(f"/post/?post_id={repost}", headers=b.headers)).status_code == 404
    assert (await client.get(f"/post/by-user/?user_id={b.id}", headers=a.headers)).json()["count"] == 0
    mentors = (await client.get("/post/by-mentors/", headers=b.headers)).json()
    assert mentors["count"] == 1 and mentors["results"][0]["post_id"] == second


async def test_delete_post_ownership_and_input(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    pid = await new_post(client, a)
    r = await client.delete(f"/post/delete/?post_id={pid}", headers=b.headers)
    assert r.status_code == 403 and r.json() == {"detail": "Can't delete another users post"}
    r = await client.delete("/post/delete/", headers=a.headers)
    assert r.status_code == 400 and "error" in r.json()
    r = await client.delete("/post/delete/?post_id=99999", headers=a.headers)
    assert r.status_code == 400 and r.json() == {"error": "Invalid Post ID"}
    assert (await client.delete("/post/delete/?post_id=x", headers=a.headers)).status_code == 400
    assert (await client.delete(f"/post/delete/?post_id={pid}")).status_code == 401


async def test_media_of_a_deleted_post_is_removed(client: Any, container: Any) -> None:
    a = await user(client, container)
    r = await client.post(
        "/post/", data={"body": "pic"}, files={"pic1": ("a.png", png(), "image/png")}, headers=a.headers
    )
    pid = r.json()["post_id"]
    assert len(container.platform.storage().objects) == 1
    assert (await client.delete(f"/post/delete/?post_id={pid}", headers=a.headers)).status_code == 204
    assert not container.platform.storage().objects


@pytest.mark.parametrize(
    "path",
    ["/post/", "/post/posted/", "/post/by-user/?user_id={a}", "/post/by-mentors/", "/post/following/", "/post/save/"],
)
async def test_list_pages_cost_a_constant_number_of_statements(client: Any, container: Any, path: str) -> None:
    a = await user(client, container, industry="technology")
    viewer = await user(client, container, industry="technology")
    friend = await user(client, container, industry="education")  # a confirmed connection of the viewer
    await client.post("/follow/", json={"user_following": a.id}, headers=viewer.headers)
    cid = (await client.post("/connection/", json={"connection": friend.id}, headers=viewer.headers)).json()["id"]
    accept = {"connection_id": cid, "status": "Accept"}
    assert (await client.post("/connection/status/", json=accept, headers=friend.headers)).status_code == 200
    counter = StatementCounter()
    counter.attach(container.platform.engine())
    url = path.format(a=a.id)

    async def measure() -> int:
        with counter.measure() as seen:
            r = await client.get(url, headers=viewer.headers)
        assert r.status_code == 200, r.text
        return len(ours(seen))

    async def add_post() -> None:
        pid = await new_post(client, a)
        await client.post("/post/save/", json={"post": pid}, headers=viewer.headers)
        await client.post("/post/like/", json={"post": pid}, headers=viewer.headers)
        await client.post("/post/repost/", json={"parent": pid}, headers=a.headers) if pid % 2 else None
        await new_post(client, friend)
        await new_post(client, viewer)

    await add_post()
    one = await measure()
    for _ in range(5):
        await add_post()
    five = await measure()
    counter.detach(container.platform.engine())
    assert one == five <= 3, (one, five)  # the token check, then the page (and its count when needed)


async def test_single_post_and_comments_cost_constant_statements(client: Any, container: Any) -> None:
    a = await user(client, container)
    pid = await new_post(client, a)
    counter = StatementCounter()
    counter.attach(container.platform.engine())
    with counter.measure() as seen:
        assert (await client.get(f"/post/?post_id={pid}", headers=a.headers)).status_code == 200
    assert len(ours(seen)) == 2  # the token check reads the user, then one statement for the post

    async def comments_cost() -> int:
        with counter.measure() as seen:
            assert (await client.get(f"/post/comment/?post_id={pid}", headers=a.headers)).status_code == 200
        return len(ours(seen))

    c = (await client.post("/post/comment/", json={"post": pid, "body": "c"}, headers=a.headers)).json()["comment_id"]
    await client.post("/post/reply/", json={"parent": c, "body": "r"}, headers=a.headers)
    one = await comments_cost()
    for i in range(5):
        c = (await client.post("/post/comment/", json={"post": pid, "body": f"{i}"}, headers=a.headers)).json()
        for _ in range(3):
            await client.post("/post/reply/", json={"parent": c["comment_id"], "body": "r"}, headers=a.headers)
    five = await comments_cost()
    counter.detach(container.platform.engine())
    assert one == five == 3  # the token check, then comments and their replies


def test_png_helper_is_a_valid_png() -> None:
    from core.shared.media import PNG, sniff

    assert sniff(png()) == PNG
    assert base64.b64encode(png())
