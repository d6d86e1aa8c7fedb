"""Deleting an account through AccountDeletionService keeps the counters on other users' posts right: on the memory
profile and, wired by the container, on SQL (SQLite, PostgreSQL in CI)."""

from __future__ import annotations

import pytest

from bootstrap.container import AppContainer
from core.feed.model.views import ConnectionSide
from core.feed.service import CreatePost
from tests.unit.feed.conftest import add_user

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["memory", pytest.param("sql", marks=pytest.mark.db)])
def any_container(request: pytest.FixtureRequest, c: AppContainer) -> AppContainer:
    if request.param == "memory":
        return c
    sql: AppContainer = request.getfixturevalue("container")
    return sql


async def test_deleted_account_leaves_counters_right(any_container: AppContainer) -> None:
    c = any_container
    feed, network = c.feed.service(), c.feed.network()
    owner, leaver, stays = await add_user(c, "O"), await add_user(c, "L"), await add_user(c, "S")
    post = await feed.create_post(owner, CreatePost(body="hello"))
    top, _ = await feed.comment(owner, post.id, "owner")
    for who in (leaver, stays):
        await feed.like(who, post.id)
        await feed.comment(who, post.id, "hi")
        await feed.share(who, post.id)
        await feed.like_comment(who, top.id)
    await feed.reply(leaver, top.id, "reply")
    await network.follow(leaver, owner)
    await network.connect(leaver, owner)
    before = await feed.post(owner, post.id)
    assert (before.like_count, before.comment_count, before.share_count) == (2, 3, 2)

    await c.accounts.account_deletion().delete_user(leaver)

    after = await feed.post(owner, post.id)
    assert (after.like_count, after.comment_count, after.share_count) == (1, 2, 1)
    threads = await feed.comments(owner, post.id)
    assert [t.commenter.id for t in threads] == [owner, stays]
    assert threads[0].likes == 1 and threads[0].replies == ()
    assert await network.followers_count(owner) == 0
    assert await network.connections(owner, ConnectionSide.INCOMING) == []
    await feed.unlike(stays, post.id)
    assert (await feed.post(owner, post.id)).like_count == 0
