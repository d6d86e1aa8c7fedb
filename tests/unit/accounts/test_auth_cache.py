"""A worker may trust its last look at an account for ``auth_cache_seconds``; its own deletions and resets
take effect at once, other workers' within that time."""

from __future__ import annotations

from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.system.clock import FrozenClock
from bootstrap.container import build_container
from core.shared.errors import Unauthenticated
from tests.conftest import PASSWORD, make_settings
from tests.unit.accounts.conftest import START, FakeGoogleIdentity, register
from tests.unit.accounts.conftest import Env as _Env
from tests.unit.accounts.test_reset import request, set_password, verify

pytestmark = pytest.mark.anyio


def cached_env(tmp_path: Path, seconds: float) -> _Env:
    settings = make_settings(tmp_path, auth_cache_seconds=seconds)
    container = build_container(settings, "memory")
    clock = FrozenClock(START)
    container.platform.clock.override(providers.Object(clock))
    container.accounts.google.override(providers.Object(FakeGoogleIdentity()))
    return _Env(container=container, clock=clock, google=FakeGoogleIdentity())


async def test_own_deletion_is_seen_at_once(tmp_path: Path) -> None:
    env = cached_env(tmp_path, 60)
    user_id = await register(env, "ada@example.org")
    access = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens.access
    assert await env.token_check.authenticate(access) == user_id
    await env.account_deletion.delete_user(user_id)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(access)


async def test_another_workers_deletion_is_seen_after_the_cache_time(tmp_path: Path) -> None:
    env = cached_env(tmp_path, 2)
    user_id = await register(env, "ada@example.org")
    access = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens.access
    assert await env.token_check.authenticate(access) == user_id
    # Another worker deletes the account straight in the shared store.
    async with env.container.accounts.uow() as uow:
        await uow.users.delete(user_id)
        await uow.commit()
    assert await env.token_check.authenticate(access) == user_id  # still trusted for up to 2 s
    env.clock.advance(2.5)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(access)


async def test_no_cache_checks_every_time(tmp_path: Path) -> None:
    env = cached_env(tmp_path, 0)
    user_id = await register(env, "ada@example.org")
    access = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens.access
    assert await env.token_check.authenticate(access) == user_id
    async with env.container.accounts.uow() as uow:
        await uow.users.delete(user_id)
        await uow.commit()
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(access)


# The cache is one object per worker: the use cases that end sessions clear the entries the token check trusts.


async def test_own_signout_is_seen_at_once(tmp_path: Path) -> None:
    env = cached_env(tmp_path, 60)
    user_id = await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    assert await env.token_check.authenticate(pair.access) == user_id
    await env.sessions.signout(user_id, pair.refresh)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(pair.access)


async def test_own_refresh_replay_is_seen_at_once(tmp_path: Path) -> None:
    env = cached_env(tmp_path, 60)
    user_id = await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    assert await env.token_check.authenticate(pair.access) == user_id
    await env.sessions.refresh(pair.refresh)
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(pair.refresh)  # replayed: the whole session ends
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(pair.access)


async def test_own_password_reset_is_seen_at_once(tmp_path: Path) -> None:
    env = cached_env(tmp_path, 60)
    user_id = await register(env, "ada@example.org")
    access = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens.access
    assert await env.token_check.authenticate(access) == user_id
    env.clock.advance(1)  # the reset happens after the token was issued
    await set_password(env, await verify(env, await request(env)))
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(access)
