"""Concurrent duplicates end as one row (PostgreSQL; each call has its own unit of work and connection)."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.feed import connections, follows, post_likes, post_saves, post_shares, posts
from core.feed.service import CreatePost
from core.shared.errors import InvalidInput
from tests.e2e.feed_support import direct

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.db,
    pytest.mark.pg,
    pytest.mark.skipif(not os.environ.get("CAREERNEXUS_TEST_DATABASE_URL"), reason="needs PostgreSQL"),
]

N = 30


async def _gather(calls: list[Any]) -> list[Any]:
    gate = asyncio.Event()

    async def run(call: Any) -> Any:
        await gate.wait()
        return await call()

    tasks = [asyncio.ensure_future(run(c)) for c in calls]
    await asyncio.sleep(0)
    gate.set()
    return await asyncio.gather(*tasks, return_exceptions=True)


def _only_duplicates(results: list[Any]) -> int:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, InvalidInput) for e in errors), errors
    return len(results) - len(errors)


async def _count(container: Any, table: Any, *where: Any) -> int:
    async with direct(container) as conn:
        return int((await conn.execute(select(func.count()).select_from(table).where(*where))).scalar_one())


async def _users(container: Any, n: int = 2) -> list[int]:
    ids = []
    async with direct(container) as conn:
        for i in range(n):
            result = await conn.execute(
                insert(users)
                .values(email=f"race{i}@example.com", user_type="learner", industry="others",
                        date_joined=datetime.now(UTC))
                .returning(users.c.id)
            )
            uid = int(result.scalar_one())
            await conn.execute(
                insert(profiles).values(user_id=uid, areas_of_expertise=[], technical_skills=[], mentorship_styles=[])
            )
            ids.append(uid)
    return ids


async def test_parallel_likes_saves_shares(container: Any) -> None:
    a, b = await _users(container)
    feed = container.feed.service()
    post = await feed.create_post(a, CreatePost(body="race me"))
    ok = _only_duplicates(await _gather([lambda: feed.like(b, post.id) for _ in range(N)]))
    assert ok == 1
    assert await _count(container, post_likes, post_likes.c.post_id == post.id) == 1
    hashes = await _gather([lambda: feed.share(b, post.id) for _ in range(N)])
    assert len(set(hashes)) == 1 and all(isinstance(h, str) for h in hashes)
    _only_duplicates(await _gather([lambda: feed.save(b, post.id) for _ in range(N)]))
    assert await _count(container, post_saves, post_saves.c.post_id == post.id) == 1
    assert await _count(container, post_shares, post_shares.c.post_id == post.id) == 1
    async with container.platform.engine().connect() as conn:
        row = (await conn.execute(select(posts.c.like_count, posts.c.share_count).where(posts.c.id == post.id))).one()
    assert tuple(row) == (1, 1)
    # Unlikes race too: the counter never goes below zero.
    _only_duplicates(await _gather([lambda: feed.unlike(b, post.id) for _ in range(N)]))
    view = await feed.post(a, post.id)
    assert view.like_count == 0


async def test_parallel_follows(container: Any) -> None:
    a, b = await _users(container)
    network = container.feed.network()
    ok = _only_duplicates(await _gather([lambda: network.follow(a, b) for _ in range(N)]))
    assert ok == 1
    assert await _count(container, follows, follows.c.follower_id == a) == 1


async def test_parallel_connection_requests_both_directions(container: Any) -> None:
    a, b = await _users(container)
    network = container.feed.network()
    calls = [lambda: network.connect(a, b) for _ in range(N // 2)]
    calls += [lambda: network.connect(b, a) for _ in range(N // 2)]
    ok = _only_duplicates(await _gather(calls))
    assert ok == 1
    assert await _count(container, connections) == 1
