"""Overriding a provider of the app container reaches every service that depends on it, on both profiles:
platform providers (``container.platform.clock``, ``.limiter``) reach every domain, a domain's unit of work
(``container.accounts.uow``) reaches its services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from adapters.db.accounts import InMemoryAccountsUnitOfWork, SqlAccountsUnitOfWork
from adapters.system.clock import FrozenClock
from adapters.system.ratelimit import NoRateLimiter
from bootstrap.container import AppContainer
from core.feed.service import CreatePost
from tests.conftest import build_test_container, make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.db]

T0 = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)


class CountingLimiter(NoRateLimiter):
    def __init__(self) -> None:
        self.hits: list[str] = []

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> int | None:
        self.hits.append(key)
        return None


@pytest.fixture(params=["memory", "sql"])
def any_container(request: pytest.FixtureRequest, tmp_path: Path) -> AppContainer:
    if request.param == "sql":
        return build_test_container(make_settings(tmp_path, request.getfixturevalue("database_url")), "sql")
    return build_test_container(make_settings(tmp_path), "memory")


async def test_overrides_reach_every_dependent(any_container: AppContainer) -> None:
    c = any_container
    clock, limiter = FrozenClock(T0), CountingLimiter()
    c.platform.clock.override(providers.Object(clock))
    c.platform.limiter.override(providers.Object(limiter))
    opened: list[object] = []
    real: Callable[[], Any] = c.accounts.uow.providers[c.platform.profile()]  # the selected variant

    def counting_uow() -> Any:
        uow = real()
        opened.append(uow)
        return uow

    c.accounts.uow.override(providers.Callable(counting_uow))

    admin = await c.accounts.admin().create_admin("root-admin@example.org", "Passw0rd1")
    assert admin.date_joined == T0  # accounts got the platform's clock
    assert opened and isinstance(opened[0], SqlAccountsUnitOfWork | InMemoryAccountsUnitOfWork)
    post = await c.feed.service().create_post(admin.id, CreatePost(body="hello"))
    assert post.created_at == T0  # the feed (another domain) got the same clock
    assert limiter.hits  # and the same limiter
    c.accounts.uow.reset_override()
    c.platform.clock.reset_override()
    await c.platform.engine().dispose()
