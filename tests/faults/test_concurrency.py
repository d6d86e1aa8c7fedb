"""Parallel requests through a live server (real TCP, real concurrency): one row each, never a 500."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.tables.accounts import users
from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import PASSWORD, code_in, make_settings
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.db]

PARALLEL = 50


async def _count(url: str, email: str) -> int:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        value = (await conn.execute(select(func.count()).select_from(users).where(users.c.email == email))).scalar()
    await engine.dispose()
    return int(value or 0)


async def _wait_for_code(mailer: Any, email: str) -> str:
    deadline = time.monotonic() + 5
    while True:
        found = [m for m in mailer.sent if m.to == email and m.subject == "Verify your Email"]
        if found:
            return code_in(found[-1])
        assert time.monotonic() < deadline, "no code mailed"
        await asyncio.sleep(0.02)


async def test_parallel_signups_with_one_email_create_one_account(tmp_path: Path, database_url: str) -> None:
    container = build_container(make_settings(tmp_path, database_url, db_pool_size=25))
    with LiveServer(create_app(container)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            body = {"email": "race@example.org", "password1": PASSWORD, "password2": PASSWORD}
            # Stage 1 in parallel: every answer is a clean 201 or 429.
            first = await asyncio.gather(*(http.post("/user/signup/", json=body) for _ in range(10)))
            assert {r.status_code for r in first} <= {201, 429}, [r.text for r in first]
            # One more request after the burst settles decides the live code.
            await asyncio.sleep(0.2)
            container.platform.mailer().sent.clear()
            await container.platform.limiter().reset("code-send:email:race@example.org")
            await container.platform.limiter().reset("code-send:pair:race@example.org|127.0.0.1")
            assert (await http.post("/user/signup/", json=body)).status_code == 201
            code = await _wait_for_code(container.platform.mailer(), "race@example.org")
            # Stage 2 in parallel with the live code (upper/lower case mixes of one address).
            variants = ["race@example.org", "RACE@example.org", "Race@Example.org"]
            responses = await asyncio.gather(
                *(
                    http.post("/user/signup/", json={**body, "email": variants[i % 3], "otp": code})
                    for i in range(PARALLEL)
                )
            )
    statuses = [r.status_code for r in responses]
    assert 500 not in statuses
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {201, 400, 429}, [r.text for r in responses if r.status_code not in (201, 400, 429)]
    for response in responses:
        assert response.headers["content-type"].startswith("application/json")
    assert await _count(database_url, "race@example.org") == 1
