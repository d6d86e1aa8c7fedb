"""Hardening through the app (issue 16, item 16): security headers on every response, the docs page cannot be
framed, 404s never echo the path, decompression bombs are refused, and the data on disk is owner-only."""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.db.engine import make_engine
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from bootstrap.settings import Settings
from tests.conftest import make_settings, sign_up
from tests.samples import png_bytes

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
MARKER = "zq<b>probe</b>"


@pytest.fixture
def local_settings(tmp_path: Path, database_url: str) -> Settings:
    # Media on the local disk (served by the app under /media/), in a var dir that does not exist yet.
    return make_settings(
        tmp_path, database_url, storage_backend="local", media_root=str(tmp_path / "var" / "media")
    )


@pytest.fixture
async def local(local_settings: Settings) -> AsyncIterator[tuple[Client, AppContainer]]:
    container = build_container(local_settings, "sql")
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        yield client, container


def _assert_hardened(response: Any, what: str) -> None:
    assert response.headers.get("x-content-type-options") == "nosniff", (what, dict(response.headers))
    assert response.headers.get("referrer-policy") == "no-referrer", (what, dict(response.headers))


async def test_every_response_carries_nosniff_and_referrer_policy(local: tuple[Client, AppContainer]) -> None:
    client, container = local
    me = await sign_up(client, container, "headers@example.org")
    uploaded = await client.put(
        "/user/profile-update/", files={"profile_photo": ("me.png", png_bytes(), "image/png")}, headers=me.headers
    )
    assert uploaded.status_code == 201, uploaded.text
    media_path = "/media/" + uploaded.json()["profile_photo"].split("/media/", 1)[1]
    cases = [
        ("GET", "/health", None, 200),
        ("GET", "/user/retrieve-profile/", None, 401),
        ("GET", "/user/retrieve-profile/", me.headers, 200),
        ("POST", "/user/signin/", None, 400),  # no body
        ("GET", "/user/signin/", None, 405),
        ("GET", "/no/such/route/", None, 404),
        ("GET", "/static/docs/swagger-ui.css", None, 200),
        ("GET", "/static/defaults/profile_photo.png", None, 200),
        ("GET", "/static/missing.js", None, 404),
        ("GET", media_path, None, 200),
        ("GET", "/media/profile_pictures/missing.png", None, 404),
        ("GET", "/schema", None, 200),
        ("GET", "/schema/openapi.json", None, 200),
        ("OPTIONS", "/user/signin/", {"Origin": "http://127.0.0.1:5173", "Access-Control-Request-Method": "POST"}, 204),
    ]
    for method, path, headers, status in cases:
        response = await client.request(method, path, headers=headers)
        assert response.status_code == status, (method, path, response.status_code, response.text[:200])
        _assert_hardened(response, f"{method} {path}")
    too_big = await client.post(
        "/user/signin/", content=b"{" + b" " * 13_000_000 + b"}", headers={"content-type": "application/json"}
    )
    assert too_big.status_code == 413
    _assert_hardened(too_big, "413")


async def test_the_docs_page_cannot_be_framed_and_still_loads_its_own_assets(client: Client) -> None:
    for path in ("/schema", "/schema/openapi.json"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
    page = (await client.get("/schema")).text
    for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css"):
        assert asset in page
        loaded = await client.get(asset)
        assert loaded.status_code == 200 and len(loaded.content) > 1000
    # The API itself is not a page: no framing policy that would get in a frontend's way.
    assert "x-frame-options" not in (await client.get("/health")).headers


@pytest.mark.parametrize(
    "path",
    [
        f"/static/{MARKER}.js",
        f"/static/docs/{MARKER}.css",
        f"/media/profile_pictures/{MARKER}.png",
        f"/media/{MARKER}",
        f"/{MARKER}/",
        f"/user/{MARKER}/",
    ],
)
async def test_404s_do_not_echo_the_path(local: tuple[Client, AppContainer], path: str) -> None:
    client, _ = local
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "probe" not in response.text and "zq" not in response.text, response.text
    assert response.json() == {"detail": "Not found."} or response.json() == {"detail": "Not Found"}
    _assert_hardened(response, path)


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 2_000_000, 9)  # a few kilobytes that inflate to megabytes, and would go on
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg_declaring(width: int, height: int) -> bytes:
    sof0 = b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", height, width) + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof0 + b"\xff\xda\x00\x02\xff\xd9"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as document:
            chunk = b"\x00" * 1_000_000
            for _ in range(120):
                document.write(chunk)
    return buffer.getvalue()


async def test_decompression_bombs_are_a_400(client: Client, container: AppContainer) -> None:
    me = await sign_up(client, container, "bombs@example.org")
    storage = container.platform.storage()
    before = set(storage.objects)
    cases = [
        ("profile_photo", ("bomb.png", _png_declaring(50_000, 50_000), "image/png"), "Image too large"),
        ("cover_photo", ("bomb.jpg", _jpeg_declaring(65_000, 65_000), "image/jpeg"), "Image too large"),
        ("resume", ("cv.docx", _zip_bomb(), "application/octet-stream"), "unpacks to more than"),
    ]
    for field, file, message in cases:
        response = await client.put("/user/profile-update/", files={field: file}, headers=me.headers)
        assert response.status_code == 400, (field, response.text)
        assert message in response.json()[field][0], response.json()
    assert set(storage.objects) == before
    fine = await client.put(
        "/user/profile-update/", files={"profile_photo": ("me.png", png_bytes(64, 48), "image/png")}, headers=me.headers
    )
    assert fine.status_code == 201, fine.text


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_media_are_stored_owner_only(local: tuple[Client, AppContainer], local_settings: Settings) -> None:
    client, container = local
    me = await sign_up(client, container, "modes@example.org")
    uploaded = await client.put(
        "/user/profile-update/", files={"profile_photo": ("me.png", png_bytes(), "image/png")}, headers=me.headers
    )
    assert uploaded.status_code == 201, uploaded.text
    key = uploaded.json()["profile_photo"].split("/media/", 1)[1]
    root = Path(local_settings.storage.media_root)
    stored = root / key
    assert _mode(stored) == 0o600
    directory = stored.parent
    while True:
        assert _mode(directory) == 0o700, directory
        if directory == root.parent:  # the var dir the media root was created in
            break
        directory = directory.parent
    # Served by the app all the same.
    served = await client.get("/media/" + key)
    assert served.status_code == 200 and served.content == png_bytes()


async def test_a_new_sqlite_database_is_owner_only(tmp_path: Path) -> None:
    var = tmp_path / "fresh" / "var"
    url = f"sqlite+aiosqlite:///{var}/careernexus.db"
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            await conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert _mode(var) == 0o700
        for name in ("careernexus.db", "careernexus.db-wal", "careernexus.db-shm"):
            if (var / name).exists():
                assert _mode(var / name) == 0o600, name
        assert (var / "careernexus.db").exists()
    finally:
        await engine.dispose()
