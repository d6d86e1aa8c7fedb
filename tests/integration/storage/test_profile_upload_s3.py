"""A real image uploaded through ``PUT /user/profile-update/`` lands in the configured storage and is served back
by its URL: S3 (moto's standalone server on a local port) and the local disk (the app's ``/media`` route)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from bootstrap.asgi import create_app
from bootstrap.container import build_container
from bootstrap.settings import Secret
from tests.conftest import make_settings
from tests.e2e.profiles_support import person, png
from tests.fakes.s3 import MOTO_CREDENTIALS, create_bucket, running_moto_s3, unique_bucket

pytestmark = [pytest.mark.anyio, pytest.mark.integration, pytest.mark.db]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_moto_s3() as url:
        yield url


async def _fetch(client: AsyncTestClient[Any], url: str) -> httpx.Response:
    if url.startswith("http://testserver.local/"):
        return await client.get(url)
    async with httpx.AsyncClient() as http:
        return await http.get(url)


@pytest.mark.parametrize("backend", ["s3", "local"])
async def test_profile_photo_upload_fetch_replace(
    backend: str, tmp_path: Path, database_url: str, request: Any
) -> None:
    overrides: dict[str, Any] = {"storage_backend": backend}
    if backend == "s3":
        endpoint_url: str = request.getfixturevalue("endpoint")
        bucket = unique_bucket()
        await create_bucket(endpoint_url, bucket, public_read=True)
        overrides |= {
            "s3_bucket": bucket,
            "s3_endpoint_url": endpoint_url,
            "s3_access_key_id": MOTO_CREDENTIALS["access_key_id"],
            "s3_secret_access_key": Secret(MOTO_CREDENTIALS["secret_access_key"]),
        }
    container = build_container(make_settings(tmp_path, database_url, **overrides), "sql")
    image = png(4, 3)
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        me = await person(client, container)
        first = await client.put(
            "/user/profile-update/",
            files={"profile_photo": ("My Photo (1).PNG", image, "image/png")},
            headers=me.headers,
        )
        assert first.status_code == 201, first.text
        url = first.json()["profile_photo"]
        assert "profile_pictures/" in url and url.endswith(".png") and " " not in url
        if backend == "s3":
            assert url.startswith(f"{overrides['s3_endpoint_url']}/{overrides['s3_bucket']}/")
        fetched = await _fetch(client, url)
        assert fetched.status_code == 200
        assert fetched.content == image
        assert fetched.headers["content-type"] == "image/png"

        forged = await client.put(
            "/user/profile-update/",
            files={"profile_photo": ("x.png", b"GIF89a-not-really", "image/png")},
            headers=me.headers,
        )
        assert forged.status_code == 400

        second = await client.put(
            "/user/profile-update/",
            files={"profile_photo": ("again.png", png(5, 5), "image/png")},
            headers=me.headers,
        )
        assert second.status_code == 201, second.text
        assert second.json()["profile_photo"] != url
        assert (await _fetch(client, second.json()["profile_photo"])).status_code == 200
        assert (await _fetch(client, url)).status_code == 404
