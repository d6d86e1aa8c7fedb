"""The benchmark's floor app (``bench/floor.py``, raw asyncpg, one hand-written statement) answers
``GET /post/?page=N`` with the same JSON document as our API, for every viewer: the ratio ``bench.run`` prints
compares equal work. The floor is asyncpg-only, so this runs on PostgreSQL (CI's ``-m db`` run)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from adapters.db.tables.accounts import profiles
from bench.floor import create_app as create_floor
from tests.e2e.feed_support import direct, new_post, set_industry, user

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.pg]


async def test_floor_and_api_answer_the_same_feed_document(client: Any, container: Any, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the floor app is asyncpg-only (set CAREERNEXUS_TEST_DATABASE_URL)")
    farmer = await user(client, container)
    await set_industry(container, farmer.id, "agriculture")
    mentor = await user(client, container, industry="agriculture")
    employer_like = await user(client, container)
    viewer = await user(client, container)
    await set_industry(container, viewer.id, "agriculture")
    async with direct(container) as conn:  # a company face and a photo, to cover both card shapes
        await conn.execute(
            update(profiles)
            .where(profiles.c.user_id == employer_like.id)
            .values(profile_photo="https://cdn.example/p.png", qualification="MSc")
        )
    ids = []
    for i in range(4):
        ids.append(await new_post(client, farmer, f"Tractors crops harvest {i}"))
        ids.append(await new_post(client, mentor, f"Mentoring thoughts {i}"))
    ids.append(await new_post(client, employer_like, "Crops and farm market news"))
    await client.post("/follow/", json={"user_following": employer_like.id}, headers=viewer.headers)
    # A confirmed connection whose posts no other branch brings, and the viewer's own untagged post.
    friend = await user(client, container)
    await set_industry(container, friend.id, "technology")
    ids.append(await new_post(client, friend, "Hello from a friend"))
    ids.append(await new_post(client, viewer, "Hello from the viewer"))
    cid = (await client.post("/connection/", json={"connection": friend.id}, headers=viewer.headers)).json()["id"]
    accepted = await client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"},
                                 headers=friend.headers)
    assert accepted.status_code == 200, accepted.text
    await client.post("/post/like/", json={"post": ids[0]}, headers=viewer.headers)
    await client.post("/post/save/", json={"post": ids[1]}, headers=viewer.headers)
    await client.post("/post/repost/", json={"parent": ids[2], "body": "look"}, headers=viewer.headers)
    await client.post("/post/repost/", json={"parent": ids[3]}, headers=mentor.headers)
    await client.post("/post/comment/", json={"post": ids[0], "body": "nice"}, headers=viewer.headers)

    settings = container.settings()
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    floor = create_floor(dsn, settings.auth.secret_key.get(), settings.http.public_url)
    async with AsyncTestClient(app=floor, base_url="http://testserver.local") as floor_client:
        compared = 0
        for who in (viewer, farmer, mentor, employer_like, friend):
            for page in (1, 2, 3):
                ours = await client.get(f"/post/?page={page}", headers=who.headers)
                theirs = await floor_client.get(f"/post/?page={page}", headers=who.headers)
                assert ours.status_code == theirs.status_code, (page, ours.text, theirs.text)
                assert ours.json() == theirs.json(), (who.id, page)
                compared += ours.status_code == 200 and bool(ours.json()["results"])
        assert compared >= 6
        missing = await floor_client.get("/post/?page=1")
        assert missing.status_code == 401
