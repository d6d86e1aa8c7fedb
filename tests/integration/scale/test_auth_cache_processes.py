"""Two ``careernexus serve`` processes on one PostgreSQL database: a password reset or a sign-out through one
reaches the other's token-check cache at once with Redis, and within ``AUTH_CACHE_SECONDS`` without it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from adapters.system.auth_peers import CHANNEL
from tests.integration.scale.processes import (
    REDIS_URL,
    Web,
    env_for,
    eventually,
    needs_pg,
    needs_redis,
    own_pg_database,
    pg_fetch,
    run_cli,
)

pytestmark = [pytest.mark.db, pytest.mark.pg, pytest.mark.integration, pytest.mark.slow, needs_pg]

EMAIL = "ada@example.org"
PASSWORD = "Passw0rd"
CODE = re.compile(r"To: ada@example\.org\nSubject: Password Reset Request\n\n.*?code is (\d{6})", re.S)


def _pair(tmp_path: Path, database_url: str, **extra: str) -> Iterator[tuple[Web, Web]]:
    env = env_for(tmp_path, database_url, **extra)
    made = run_cli({**env, "CAREERNEXUS_ADMIN_PASSWORD": PASSWORD}, "create-admin", "--email", EMAIL)
    assert made.returncode == 0, made.stderr
    a, b = Web("web-a", env, tmp_path), Web("web-b", env, tmp_path)
    try:
        a.wait_ready()
        b.wait_ready()
        yield a, b
    finally:
        a.stop()
        b.stop()


def _sign_in(web: Web, password: str = PASSWORD) -> str:
    response = web.http.post("/user/signin/", json={"email": EMAIL, "password": password})
    assert response.status_code == 200, response.text
    access: str = response.json()["access"]
    return access


def _status(web: Web, access: str) -> int:
    return web.http.get("/user/linked-accounts/", headers={"Authorization": f"Bearer {access}"}).status_code


def _reset_password(web: Web) -> str:
    """The whole reset through ``web`` (the code read from its console mailer); the new password."""
    seen = len(CODE.findall(web.output()))
    assert web.http.post("/user/forget-password/", json={"email": EMAIL}).status_code == 200

    def code() -> str | None:
        codes = CODE.findall(web.output())
        return codes[-1] if len(codes) > seen else None

    otp = eventually(code, 15, "no reset code in the console output")
    verified = web.http.post("/user/forget-password/", json={"email": EMAIL, "otp": otp})
    assert verified.status_code == 200, verified.text
    new = PASSWORD + "x"
    done = web.http.post(
        "/user/forget-password/",
        json={"email": EMAIL, "password1": new, "password2": new, "reset_token": verified.json()["reset_token"]},
    )
    assert done.status_code == 200, done.text
    return new


def _refused_within(web: Web, access: str, within: float) -> float:
    """Seconds until ``web`` refuses ``access`` (fails past ``within``)."""
    started = time.monotonic()
    eventually(lambda: _status(web, access) == 401, within, f"{web.name} still accepts the old token")
    return time.monotonic() - started


@needs_redis
def test_with_redis_a_reset_and_a_sign_out_reach_the_other_process_at_once(tmp_path: Path) -> None:
    cache_seconds = 60.0  # far longer than the test: only the Redis message can explain a refusal
    with own_pg_database() as url:
        pair = _pair(tmp_path, url, redis_url=REDIS_URL, auth_cache_seconds=str(cache_seconds))
        a, b = next(pair)
        try:
            # Both listeners are subscribed (each process empties its cache when it subscribes).
            channel = f"{CHANNEL}:{redis.Redis.from_url(REDIS_URL).connection_pool.connection_kwargs.get('db', 0)}"
            client = redis.Redis.from_url(REDIS_URL)
            eventually(lambda: dict(client.pubsub_numsub(channel))[channel.encode()] >= 2, 15, "not subscribed")
            client.close()

            # B caches its checks: a change behind its back (no message) goes unnoticed for the cache time…
            behind = _sign_in(a)
            assert _status(b, behind) == 200
            pg_fetch(url, "UPDATE sessions SET revoked_at = now()")
            assert _status(b, behind) == 200
            assert _status(a, behind) == 401  # (A had not cached it)

            # …while a sign-out through A reaches B at once.
            pair_tokens = a.http.post("/user/signin/", json={"email": EMAIL, "password": PASSWORD}).json()
            assert _status(b, pair_tokens["access"]) == 200
            signed_out = a.http.post(
                "/user/signout/",
                json={"refresh": pair_tokens["refresh"]},
                headers={"Authorization": f"Bearer {pair_tokens['access']}"},
            )
            assert signed_out.status_code == 202, signed_out.text
            assert _refused_within(b, pair_tokens["access"], 5) < 5

            # So does a password reset.
            old = _sign_in(a)
            assert _status(b, old) == 200
            new = _reset_password(a)
            assert _refused_within(b, old, 5) < 5
            assert _status(b, _sign_in(a, new)) == 200
        finally:
            pair.close()


def test_without_redis_a_reset_reaches_the_other_process_within_the_cache_time(tmp_path: Path) -> None:
    cache_seconds = 2.0
    with own_pg_database() as url:
        pair = _pair(tmp_path, url, auth_cache_seconds=str(cache_seconds))
        a, b = next(pair)
        try:
            old = _sign_in(a)
            assert _status(b, old) == 200
            _reset_password(a)
            # The reset committed before ``_reset_password`` returned; B's entry is at most cache_seconds old.
            assert _refused_within(b, old, cache_seconds + 2) <= cache_seconds + 0.5
        finally:
            pair.close()
