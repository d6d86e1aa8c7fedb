"""Media storage failing (a local media root that cannot be created; an S3 server that is down): every upload
endpoint answers a JSON 503 and leaves no database row and no object behind."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from adapters.db.tables.accounts import users
from adapters.db.tables.feed import posts
from adapters.db.tables.profiles import projects
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from bootstrap.settings import Secret
from tests.conftest import make_settings, sign_up
from tests.e2e.feed_support import direct
from tests.e2e.profiles_support import png

pytestmark = [pytest.mark.anyio, pytest.mark.db]

CORPORATE = {"company_name": "Acme", "company_email": "acme-fault@example.org", "company_type": "private",
             "company_size": "1-10", "industry": "technology", "website": "https://a.example", "location": "L",
             "tagline": "t"}


async def _rows(container: AppContainer) -> tuple[int, int, int]:
    async with direct(container) as conn:
        counts = [int((await conn.execute(select(func.count()).select_from(t))).scalar() or 0)
                  for t in (posts, projects, users)]
    return counts[0], counts[1], counts[2]


async def _assert_uploads_fail_cleanly(container: AppContainer) -> None:
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        me = await sign_up(client, container, "uploader@example.org")
        before = await _rows(container)
        profile_before = (await client.get("/user/retrieve-profile/", headers=me.headers)).json()["profile_photo"]
        calls: list[tuple[str, str, dict[str, Any], str]] = [
            ("PUT", "/user/profile-update/", {"first_name": "Ada"}, "profile_photo"),
            ("POST", "/post/", {"body": "with a picture"}, "pic1"),
            ("POST", "/project/", {"title": "t", "description": "d"}, "image"),
            ("POST", "/user/corporate/signup/", CORPORATE, "logo"),
        ]
        for method, path, fields, field in calls:
            response = await client.request(method, path, data=fields, files={field: ("a.png", png(), "image/png")},
                                            headers=me.headers)
            assert response.status_code == 503, (path, response.status_code, response.text)
            assert response.headers["content-type"].startswith("application/json")
            assert "detail" in response.json()
        assert await _rows(container) == before
        after = (await client.get("/user/retrieve-profile/", headers=me.headers)).json()
        assert after["profile_photo"] == profile_before and after["first_name"] == ""


async def test_local_media_root_unwritable(tmp_path: Path, database_url: str) -> None:
    # Tests run as root, so permissions would not stop a write: the media root's parent is a regular file.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    media_root = blocker / "media"
    container = build_container(make_settings(tmp_path, database_url, storage_backend="local",
                                              media_root=str(media_root)), "sql")
    await _assert_uploads_fail_cleanly(container)
    assert not media_root.exists()


async def test_s3_server_down(tmp_path: Path, database_url: str) -> None:
    # A closed port: nothing listens where the S3 endpoint should be.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    container = build_container(
        make_settings(tmp_path, database_url, storage_backend="s3", s3_bucket="media",
                      s3_endpoint_url=f"http://127.0.0.1:{port}", s3_access_key_id="testing",
                      s3_secret_access_key=Secret("testing")),
        "sql",
    )
    await _assert_uploads_fail_cleanly(container)
