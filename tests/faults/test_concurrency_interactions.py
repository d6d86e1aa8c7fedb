"""50 parallel likes, follows and connection requests through a live server (real TCP, real concurrency):
exactly one row each and never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.tables.feed import connections, follows, post_likes
from adapters.system.ratelimit import NoRateLimiter
from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import PASSWORD, code_in, make_settings
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.db]

PARALLEL = 50


async def _count(url: str, table: Table) -> int:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        value = (await conn.execute(select(func.count()).select_from(table))).scalar()
    await engine.dispose()
    return int(value or 0)


async def _sign_up(http: httpx.AsyncClient, mailer: Any, email: str) -> tuple[int, dict[str, str]]:
    body = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    assert (await http.post("/user/signup/", json=body)).status_code == 201
    for _ in range(250):
        found = [m for m in mailer.sent if m.to == email]
        if found:
            break
        await asyncio.sleep(0.02)
    done = await http.post("/user/signup/", json={**body, "otp": code_in(found[-1])})
    assert done.status_code == 201, done.text
    signin = await http.post("/user/signin/", json={"email": email, "password": PASSWORD})
    return int(signin.json()["user_id"]), {"Authorization": f"Bearer {done.json()['access']}"}


async def test_parallel_likes_follows_and_connection_requests(tmp_path: Path, database_url: str) -> None:
    container = build_container(make_settings(tmp_path, database_url, db_pool_size=25))
    container.platform.limiter.override(providers.Object(NoRateLimiter()))
    with LiveServer(create_app(container)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            _, ada = await _sign_up(http, container.platform.mailer(), "ada@example.org")
            bob_id, _ = await _sign_up(http, container.platform.mailer(), "bob@example.org")
            created = await http.post("/post/", json={"body": "race me"}, headers=ada)
            post_id = created.json()["post_id"]
            requests = [
                ("/post/like/", {"post": post_id}, {201, 400}),
                ("/follow/", {"user_following": bob_id}, {201, 400}),
                ("/connection/", {"connection": bob_id}, {201, 400}),
            ]
            for path, body, allowed in requests:
                responses = await asyncio.gather(*(http.post(path, json=body, headers=ada) for _ in range(PARALLEL)))
                statuses = [r.status_code for r in responses]
                assert 500 not in statuses, (path, [r.text for r in responses if r.status_code >= 500])
                assert set(statuses) <= allowed, (path, statuses)
                assert statuses.count(201) == 1, (path, statuses)
                for response in responses:
                    assert response.headers["content-type"].startswith("application/json")
            post = (await http.get(f"/post/?post_id={post_id}", headers=ada)).json()
            assert post["like_count"] == 1
    assert await _count(database_url, post_likes) == 1
    assert await _count(database_url, follows) == 1
    assert await _count(database_url, connections) == 1
