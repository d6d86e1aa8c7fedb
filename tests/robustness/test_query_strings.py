"""Every text query parameter the OpenAPI document lists, fed NUL and other control characters: NUL is refused
with 400 ``Null characters are not allowed.`` (PostgreSQL text cannot hold it), other control characters give an
ordinary answer, never a 500, and every answer is JSON."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from tests.conftest import SignedUp, make_settings, sign_up

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

NUL_MESSAGE = "Null characters are not allowed."
# Control characters other than NUL (C0, DEL, C1, line/paragraph separators) and a bare surrogate-like escape.
CONTROLS = ["\x01", "\x08", "\t", "\n", "\r", "\x1b", "\x1f", "\x7f", "\x85", "\u2028", "\ufeff"]


def text_query_parameters(tmp_path: Any) -> list[tuple[str, str, str]]:
    """``(method, path, name)`` of every string query parameter in the OpenAPI document (paths without their
    trailing slash, which ``_url`` adds)."""
    app = create_app(build_container(make_settings(tmp_path, storage_backend="local")))
    found: list[tuple[str, str, str]] = []
    for path, item in app.openapi_schema.to_schema()["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                schema = parameter.get("schema", {})
                types = {s.get("type") for s in schema.get("oneOf", [schema])}
                if "string" in types:
                    found.append((method.upper(), path.rstrip("/"), parameter["name"]))
    return found


def test_the_text_parameters_are_the_known_ones(tmp_path: Any) -> None:
    names = {(m, p, n) for m, p, n in text_query_parameters(tmp_path)}
    assert {("GET", "/user/search", "keyword"), ("GET", "/post/share", "hash"),
            ("GET", "/info/choice-data", "field_name"), ("GET", "/info/country-permit", "status"),
            ("GET", "/connection/recommendation", "criteria"), ("GET", "/post", "page")} <= names


# Values that make the request otherwise valid, so the parameter under test is what the server looks at.
BASE: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/post/comment"): {"post_id": "1"},
    ("GET", "/post/by-user"): {"post_id": "1"},
    ("GET", "/connection/recommendation"): {"criteria": "industry"},
    ("GET", "/user/search"): {"keyword": "ada"},
    ("GET", "/user/newsletter-unsubscribe"): {"subscriber": "1", "token": "t"},
}
# Bodies that make the request otherwise valid (operations that also take one).
BODY: dict[tuple[str, str], dict[str, str]] = {
    ("PUT", "/info"): {"content": "text"},
}


def _url(method: str, path: str, name: str, value: str, me: SignedUp) -> str:
    params = dict(BASE.get((method, path), {}))
    if path == "/post/by-user":
        params = {"user_id": str(me.id)}
    params[name] = value
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    path = re.sub(r"\{[^}]+\}", "1", path)  # path parameters: any valid value (the query is checked first)
    return f"{path}/?{query}"


@pytest.fixture
async def me(client: Client, container: AppContainer) -> SignedUp:
    me = await sign_up(client, container, "query@example.org")
    # Something to find, list and share, so the parameters reach the database.
    await client.put("/user/profile-update/", json={"first_name": "Ada"}, headers=me.headers)
    await client.post("/post/", json={"body": "hello"}, headers=me.headers)
    return me


async def test_nul_in_any_text_query_parameter_is_400(client: Client, me: SignedUp, tmp_path: Any) -> None:
    failures: list[str] = []
    for method, path, name in text_query_parameters(tmp_path):
        for value in ("\x00", "a\x00", "ada\x00b", "1\x00"):
            response = await client.request(method, _url(method, path, name, value, me), headers=me.headers,
                                            json=BODY.get((method, path)))
            label = f"{method} {path}?{name}={value!r}"
            if response.status_code != 400 or not response.headers["content-type"].startswith("application/json"):
                failures.append(f"{label}: {response.status_code} {response.text[:200]}")
            elif response.json() != {name: [NUL_MESSAGE]}:
                failures.append(f"{label}: {response.text[:200]}")
    assert failures == [], "\n".join(failures)


async def test_control_characters_in_text_query_parameters_are_not_500(
    client: Client, me: SignedUp, tmp_path: Any
) -> None:
    failures: list[str] = []
    for method, path, name in text_query_parameters(tmp_path):
        for control in CONTROLS:
            for value in (control, f"ada{control}", f"{control}1"):
                response = await client.request(method, _url(method, path, name, value, me), headers=me.headers)
                label = f"{method} {path}?{name}={value!r}"
                if response.status_code >= 500 or response.status_code == 401:
                    failures.append(f"{label}: {response.status_code} {response.text[:200]}")
                elif not response.headers["content-type"].startswith("application/json"):
                    failures.append(f"{label}: content-type {response.headers['content-type']}")
    assert failures == [], "\n".join(failures)


async def test_invalid_percent_encodings_are_not_500(client: Client, me: SignedUp, tmp_path: Any) -> None:
    failures: list[str] = []
    for method, path, name in text_query_parameters(tmp_path):
        for raw in ("%FF", "%C3%28", "%ED%A0%80", "%"):
            response = await client.request(method, f"{path}/?{name}={raw}", headers=me.headers)
            if response.status_code >= 500:
                failures.append(f"{method} {path}?{name}={raw}: {response.status_code} {response.text[:200]}")
    assert failures == [], "\n".join(failures)


async def test_search_with_a_nul_finds_nothing_and_stores_nothing(client: Client, me: SignedUp) -> None:
    """The reported case: ``/user/search/?keyword=`` with a NUL."""
    response = await client.get("/user/search/?keyword=Ada%00", headers=me.headers)
    assert response.status_code == 400, response.text
    assert response.json() == {"keyword": [NUL_MESSAGE]}
    ok = await client.get("/user/search/?keyword=Ada", headers=me.headers)
    assert ok.status_code == 200 and ok.json()["count"] == 1, ok.text
