"""Per-viewer correctness of the hot reads (issue 12): nothing caches one viewer's flags for another, and a
viewer's own write shows in that viewer's very next read, on every post list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.feed_support import new_post, user

pytestmark = [pytest.mark.anyio, pytest.mark.db]

LISTS = ["/post/?page=1", "/post/following/", "/post/by-mentors/", "/post/by-user/?user_id={author}"]


def _flags(page: dict[str, Any], post_id: int) -> dict[str, bool]:
    item = next(p for p in page["results"] if p["post_id"] == post_id)
    return {k: item[k] for k in ("can_like", "is_saved", "can_follow", "is_self")}


async def test_flags_are_each_viewers_own_and_fresh_after_writes(client: Any, container: Any) -> None:
    author = await user(client, container, industry="technology")
    alice = await user(client, container, industry="technology")
    bob = await user(client, container, industry="technology")
    mentor = await user(client, container, industry="technology")
    pid = await new_post(client, mentor, "Python and cloud software")  # by a mentor: on every list
    for who in (alice, bob, author):
        assert (await client.post("/follow/", json={"user_following": mentor.id}, headers=who.headers)).status_code
    lists = [p.format(author=mentor.id) for p in LISTS]

    async def flags(who: Any) -> list[dict[str, bool]]:
        out = []
        for path in lists:
            r = await client.get(path, headers=who.headers)
            assert r.status_code == 200, (path, r.text)
            out.append(_flags(r.json(), pid))
        return out

    fresh = {"can_like": True, "is_saved": False, "can_follow": False, "is_self": False}
    # Read first, so any cache would be warm with these answers.
    assert await flags(alice) == [fresh] * len(lists)
    assert await flags(bob) == [fresh] * len(lists)

    assert (await client.post("/post/like/", json={"post": pid}, headers=alice.headers)).status_code == 201
    assert (await client.post("/post/save/", json={"post": pid}, headers=alice.headers)).status_code == 201
    # Alice's very next reads show her like and save; Bob's do not.
    assert await flags(alice) == [{**fresh, "can_like": False, "is_saved": True}] * len(lists)
    assert await flags(bob) == [fresh] * len(lists)
    # The author sees is_self and can_follow false, whatever others did.
    own = (await client.get(f"/post/by-user/?user_id={mentor.id}", headers=mentor.headers)).json()
    assert _flags(own, pid) == {"can_like": True, "is_saved": False, "can_follow": False, "is_self": True}

    # Unfollow: can_follow flips for Bob only, at once.
    assert (await client.post("/unfollow/", json={"user_following": mentor.id}, headers=bob.headers)).status_code == 200
    bob_view = (await client.get("/post/by-mentors/", headers=bob.headers)).json()
    assert _flags(bob_view, pid)["can_follow"] is True
    alice_view = (await client.get("/post/by-mentors/", headers=alice.headers)).json()
    assert _flags(alice_view, pid)["can_follow"] is False

    # Unlike: Alice's next read shows it; the counter follows.
    assert (await client.post("/post/unlike/", json={"post": pid}, headers=alice.headers)).status_code == 200
    page = (await client.get("/post/by-mentors/", headers=alice.headers)).json()
    assert _flags(page, pid)["can_like"] is True
    assert next(p for p in page["results"] if p["post_id"] == pid)["like_count"] == 0
