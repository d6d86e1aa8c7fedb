"""Cross-cutting HTTP behaviour: JSON errors for every failure, limits, health, docs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.db]


async def test_unknown_route_is_a_json_404(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/no/such/thing/")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "detail" in response.json()


async def test_wrong_method_is_a_json_405_with_allow(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/user/signin/")
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]
    assert "detail" in response.json()


async def test_oversized_body_is_a_json_413(client: AsyncTestClient[Any]) -> None:
    response = await client.post(
        "/user/signin/", content=b"{" + b" " * 13_000_000 + b"}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "detail" in response.json()


async def test_malformed_json_is_a_json_400(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/user/signin/", content=b"{nope", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")


async def test_invalid_token_is_401_even_with_garbage(client: AsyncTestClient[Any]) -> None:
    for header in ("Bearer", "Bearer abc.def.ghi", "Token abc", "Bearer " + "x" * 5000):
        response = await client.get("/user/linked-accounts/", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert "detail" in response.json()


async def test_unexpected_errors_are_json_500_without_stack_trace(tmp_path: Path, database_url: str) -> None:
    container = build_container(make_settings(tmp_path, database_url))

    class Broken:
        async def signin(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("secret internal detail")

    container.accounts.sessions.override(Broken())
    async with AsyncTestClient(app=create_app(container)) as client:
        response = await client.post("/user/signin/", json={"email": "a@example.org", "password": "x"})
    assert response.status_code == 500
    # The 5xx body names the request (as the X-Request-ID header and the log lines do).
    assert response.json() == {"detail": "A server error occurred.", "request_id": response.headers["x-request-id"]}
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


async def test_health_reports_the_database(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgresql+asyncpg://postgres@127.0.0.1:9/nothing")
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "unreachable"}
        signin = await client.post("/user/signin/", json={"email": "a@example.org", "password": "Passw0rd"})
        assert signin.status_code == 503
        assert "detail" in signin.json()


async def test_docs_work_offline(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/schema")
    assert page.status_code == 200
    # No asset is fetched from elsewhere (the embedded document may mention URLs in its descriptions).
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", page.text)
    assert external == []
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        assert (await client.get(f"/static/docs/{asset}")).status_code == 200
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    assert "/user/signup/" in schema["paths"] or "/user/signup" in schema["paths"]
