"""The token-check cache of one process hears the others' sign-outs, resets and deletions through its peers, and
never keeps a check that started before a drop; without peers the time bound alone applies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from core.accounts.auth_cache import AuthCache

pytestmark = pytest.mark.anyio

NOW = datetime(2024, 1, 1, tzinfo=UTC)


class Hub:
    """Stateful in-memory peers: what one cache forgets, every other cache on the hub drops."""

    def __init__(self) -> None:
        self.caches: list[AuthCache] = []

    def join(self, seconds: float) -> AuthCache:
        cache = AuthCache(seconds=seconds, peers=_Peers(self, len(self.caches)))
        self.caches.append(cache)
        return cache


class _Peers:
    def __init__(self, hub: Hub, index: int) -> None:
        self._hub = hub
        self._index = index

    def _others(self) -> list[AuthCache]:
        return [c for i, c in enumerate(self._hub.caches) if i != self._index]

    async def forget_users(self, user_ids: Sequence[int]) -> None:
        for cache in self._others():
            cache.drop_users(user_ids)

    async def forget_session(self, user_id: int, session_id: str) -> None:
        for cache in self._others():
            cache.drop_session(user_id, session_id)


async def test_a_forgotten_account_or_session_is_dropped_by_every_peer() -> None:
    hub = Hub()
    a, b = hub.join(60), hub.join(60)
    for cache in (a, b):
        cache.remember(1, "s1", NOW, None)
        cache.remember(1, "s2", NOW, None)
        cache.remember(2, "s3", NOW, None)
    await a.forget_session(1, "s1")
    assert b.lookup(1, "s1", NOW) is None and b.lookup(1, "s2", NOW) is not None
    await a.forget_users([1])
    assert b.lookup(1, "s2", NOW) is None and a.lookup(1, "s2", NOW) is None
    assert b.lookup(2, "s3", NOW) is not None
    await b.forget_user(2)
    assert a.lookup(2, "s3", NOW) is None


async def test_a_check_that_started_before_a_drop_is_not_remembered() -> None:
    hub = Hub()
    a, b = hub.join(60), hub.join(60)
    epoch = b.epoch  # B starts reading the database…
    await a.forget_users([1])  # …A resets the password and tells B…
    b.remember(1, "s1", NOW, None, epoch=epoch)  # …B's (stale) read must not be kept
    assert b.lookup(1, "s1", NOW) is None
    b.remember(1, "s1", NOW, None, epoch=b.epoch)
    assert b.lookup(1, "s1", NOW) is not None


async def test_without_peers_the_time_bound_applies() -> None:
    cache = AuthCache(seconds=2)
    cache.remember(1, "s1", NOW, None)
    assert cache.lookup(1, "s1", NOW + timedelta(seconds=1.9)) is not None
    assert cache.lookup(1, "s1", NOW + timedelta(seconds=2)) is None
    await cache.forget_users([1])  # no peers: only this process
    assert cache.lookup(1, "s1", NOW) is None


async def test_clear_forgets_everything() -> None:
    cache = AuthCache(seconds=60)
    cache.remember(1, "s1", NOW, None)
    cache.remember(2, "s2", NOW, None)
    cache.clear()
    assert cache.lookup(1, "s1", NOW) is None and cache.lookup(2, "s2", NOW) is None
