"""The database goes away and comes back: 503 JSON within a second, /health says so, no restart needed."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import make_settings, sign_up
from tests.fakes.tcp_proxy import running_proxy

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.pg]

PG_URL = os.environ.get("CAREERNEXUS_TEST_DATABASE_URL", "")


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (CAREERNEXUS_TEST_DATABASE_URL)")
    return database_url


async def _timed(client: AsyncTestClient[Any], method: str, path: str, **kwargs: Any) -> tuple[Any, float]:
    start = time.monotonic()
    response = await client.request(method, path, **kwargs)
    return response, time.monotonic() - start


async def test_cut_database_gives_503_quickly_and_recovers(pg_url: str, tmp_path: Path) -> None:
    parts = urlsplit(pg_url)
    with running_proxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        proxied = pg_url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
        container = build_container(make_settings(tmp_path, proxied))
        async with AsyncTestClient(app=create_app(container)) as client:
            user = await sign_up(client, container, "ada@example.org")
            assert (await client.get("/health")).status_code == 200

            proxy.cut()
            for method, path, kwargs in (
                ("GET", "/health", {}),
                ("POST", "/user/signin/", {"json": {"email": user.email, "password": user.password}}),
                ("GET", "/user/linked-accounts/", {"headers": user.headers}),
            ):
                response, elapsed = await _timed(client, method, path, **kwargs)
                assert response.status_code == 503, (path, response.text)
                assert response.headers["content-type"].startswith("application/json")
                assert elapsed < 1.0, (path, elapsed)

            proxy.restore()
            health = await client.get("/health")
            assert health.status_code == 200
            signin = await client.post("/user/signin/", json={"email": user.email, "password": user.password})
            assert signin.status_code == 200, signin.text


async def test_server_side_killed_connections_are_recovered(pg_url: str, tmp_path: Path) -> None:
    container = build_container(make_settings(tmp_path, pg_url))
    async with AsyncTestClient(app=create_app(container)) as client:
        user = await sign_up(client, container, "bob@example.org")
        # Warm the pool, then kill every backend of this database from another connection.
        for _ in range(3):
            assert (await client.get("/user/linked-accounts/", headers=user.headers)).status_code == 200
        killer = create_async_engine(pg_url)
        async with killer.begin() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        await killer.dispose()
        statuses = []
        for _ in range(3):
            response = await client.get("/user/linked-accounts/", headers=user.headers)
            assert response.status_code in (200, 503), response.text
            statuses.append(response.status_code)
        assert statuses[-1] == 200
        assert (await client.get("/health")).status_code == 200
