"""Helpers shared by the feed and network end-to-end tests."""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import AsyncIterator
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from adapters.db.tables.accounts import profiles, users
from bootstrap.container import AppContainer, build_container
from bootstrap.domains.notifications import notification_presenters
from core.notifications.model import Notice
from core.shared.events import DomainEvent
from tests.conftest import SignedUp, sign_up
from tests.fakes.names import CardNames

POST_KEYS = [
    "profile", "body", "pic1", "pic2", "pic3", "video", "article", "time_stamp", "comment_count", "like_count",
    "share_count", "parent", "can_like", "can_follow", "is_self", "is_saved", "post_id",
]
PROFILE_KEYS = ["id", "first_name", "last_name", "middle_name", "profile_photo", "qualification", "user_type"]
PAGE_KEYS = ["count", "next", "previous", "results"]

_seq = itertools.count(1)


async def user(client: AsyncTestClient[Any], container: AppContainer, industry: str | None = None) -> SignedUp:
    return await sign_up(client, container, f"feed{next(_seq)}@example.com", industry=industry)


@contextlib.asynccontextmanager
async def direct(container: AppContainer) -> AsyncIterator[AsyncConnection]:
    """A transaction on a fresh engine bound to the test's event loop (the app's pool may live on another)."""
    engine = create_async_engine(container.settings().database.url)
    try:
        async with engine.begin() as conn:
            yield conn
    finally:
        await engine.dispose()


async def set_industry(container: AppContainer, user_id: int, industry: str) -> None:
    async with direct(container) as conn:
        await conn.execute(update(users).where(users.c.id == user_id).values(industry=industry))


async def set_name(container: AppContainer, user_id: int, first: str, last: str) -> None:
    async with direct(container) as conn:
        named = update(profiles).where(profiles.c.user_id == user_id).values(first_name=first, last_name=last)
        await conn.execute(named)


async def told(container: AppContainer, event: DomainEvent) -> Notice | None:
    """The notification a published event stands for, with names read from the database when it is presented."""
    side = build_container(container.platform.settings(), "sql")
    try:
        return await notification_presenters().present(event, CardNames(side.feed.uow))
    finally:
        await side.platform.engine().dispose()


async def new_post(client: AsyncTestClient[Any], who: SignedUp, body: str = "Farming with drones and soil data") -> int:
    response = await client.post("/post/", json={"body": body}, headers=who.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["post_id"])


def assert_post_shape(item: dict[str, Any]) -> None:
    assert list(item) == POST_KEYS
    assert list(item["profile"]) == PROFILE_KEYS


def ours(statements: list[str]) -> list[str]:
    """The statements of the request, without the task worker's (claims, ``mail.send`` on the outbox)."""
    return [s for s in statements if "mail_outbox" not in s and not _TASKS.search(s)]


_TASKS = re.compile(r"\btasks\b")
