"""``QUEUE=saq``: ``/ready`` checks the engine's Redis too (503 naming ``engine`` when it is down)."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import make_settings
from tests.integration.scale.processes import REDIS_URL, needs_redis

pytestmark = [pytest.mark.anyio, pytest.mark.db]


@needs_redis
async def test_ready_checks_the_engines_redis(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, redis_url=REDIS_URL, queue="saq")
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.get("/ready")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "queue": "ok", "engine": "ok"}


async def test_ready_is_503_naming_an_unreachable_engine(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, redis_url="redis://127.0.0.1:1/0", queue="saq")
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.get("/ready")
    assert response.status_code == 503, response.text
    assert "engine" in response.json()["down"]
