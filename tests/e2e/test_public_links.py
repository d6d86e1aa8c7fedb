"""Issue 16 rule 10: absolute links (page ``next``/``previous``/``last_page``, default images) are built from
``PUBLIC_URL``, never from the ``Host`` or ``X-Forwarded-Host`` a client sends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from bootstrap.settings import Settings
from tests.conftest import make_settings
from tests.e2e.feed_support import new_post, user

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

PUBLIC = "https://api.career-nexus.test"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http",
          "Forwarded": "host=evil.example;proto=http"}


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url, public_url=PUBLIC)


def _links(value: Any) -> list[str]:
    """Every absolute URL in a JSON document."""
    if isinstance(value, dict):
        return [link for v in value.values() for link in _links(v)]
    if isinstance(value, list):
        return [link for v in value for link in _links(v)]
    return [value] if isinstance(value, str) and "://" in value else []


async def test_page_links_ignore_a_forged_host(client: Client, container: AppContainer) -> None:
    author = await user(client, container)
    for i in range(6):
        await new_post(client, author, f"post number {i}")
    headers = {**author.headers, **FORGED}
    first = await client.get("/post/posted/?page=1&x=%3Cy%3E", headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["next"] == f"{PUBLIC}/post/posted/?x=%3Cy%3E&page=2"
    assert body["last_page"] == f"{PUBLIC}/post/posted/?x=%3Cy%3E&page=2"
    second = (await client.get("/post/posted/?page=2", headers=headers)).json()
    assert second["previous"] == f"{PUBLIC}/post/posted/"
    for path in ("/post/", f"/post/by-user/?user_id={author.id}", "/post/posted/"):
        page = (await client.get(path, headers=headers)).json()
        links = _links(page)
        assert links, path
        assert all(link.startswith(PUBLIC + "/") for link in links), (path, links)
        assert "evil.example" not in str(page)


async def test_search_and_recommendation_links_ignore_a_forged_host(client: Client, container: AppContainer) -> None:
    people = [await user(client, container) for _ in range(6)]
    for who in people:
        r = await client.put("/user/profile-update/", json={"first_name": "Grace"}, headers=who.headers)
        assert r.status_code == 201
    headers = {**people[0].headers, **FORGED}
    search = await client.get("/user/search/?keyword=grace", headers=headers)
    assert search.status_code == 200, search.text
    assert search.json()["next"] == f"{PUBLIC}/user/search/?keyword=grace&page=2"
    for path in ("/follow/recommendation/", "/connection/recommendation/?criteria=industry"):
        page = (await client.get(path, headers=headers)).json()
        assert page["next"] is not None, (path, page)
        assert all(link.startswith(PUBLIC + "/") for link in _links(page)), (path, page)
    profile = (await client.get("/user/retrieve-profile/", headers=headers)).json()
    assert profile["profile_photo"] == f"{PUBLIC}/static/defaults/profile_photo.png"
    assert "evil.example" not in str(profile)
