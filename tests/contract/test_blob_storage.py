"""The BlobStorage contract, run against every adapter: memory, local disk and S3 (moto's server)."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from adapters.http.media import media_router
from adapters.storage.local import LocalBlobStorage
from adapters.storage.memory import InMemoryBlobStorage
from adapters.storage.s3 import S3BlobStorage
from core.shared.errors import StorageUnavailable
from ports.storage import BlobStorage
from tests.fakes.s3 import MOTO_CREDENTIALS, create_bucket, running_moto_s3, unique_bucket

pytestmark = pytest.mark.anyio

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
KEY = "profile_pictures/0123456789abcdef0123456789abcdef-ada.png"

Fetch = Callable[[str], Awaitable[tuple[int, bytes, str]]]


@dataclass
class Harness:
    storage: BlobStorage
    fetch: Fetch  # GET a public URL: (status, body, content type)
    broken: Callable[[], Awaitable[BlobStorage]]  # a storage of the same kind whose backend is unavailable


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with running_moto_s3() as endpoint:
        yield endpoint


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _memory() -> AsyncIterator[Harness]:
    storage = InMemoryBlobStorage()

    async def fetch(url: str) -> tuple[int, bytes, str]:
        key = storage.key_of(url)
        if key is None or key not in storage.objects:
            return 404, b"", ""
        data, content_type = storage.objects[key]
        return 200, data, content_type

    async def broken() -> BlobStorage:
        down = InMemoryBlobStorage()
        down.down = True
        return down

    yield Harness(storage, fetch, broken)


async def _local(tmp_path: Path) -> AsyncIterator[Harness]:
    storage = LocalBlobStorage(tmp_path / "media", "http://testserver.local/media/")
    app = Litestar([media_router(storage.resolve)])

    async with AsyncTestClient(app, base_url="http://testserver.local") as client:

        async def fetch(url: str) -> tuple[int, bytes, str]:
            response = await client.get(url)
            return response.status_code, response.content, response.headers.get("content-type", "")

        async def broken() -> BlobStorage:
            blocker = tmp_path / "not-a-directory"
            blocker.write_bytes(b"")
            return LocalBlobStorage(blocker / "media", "http://testserver.local/media")

        yield Harness(storage, fetch, broken)


async def _s3(endpoint: str) -> AsyncIterator[Harness]:
    bucket = unique_bucket()
    await create_bucket(endpoint, bucket, public_read=True)
    storage = S3BlobStorage(bucket, endpoint_url=endpoint, **MOTO_CREDENTIALS)
    down = S3BlobStorage(
        bucket, endpoint_url=f"http://127.0.0.1:{closed_port()}", connect_timeout=1, read_timeout=2, **MOTO_CREDENTIALS
    )
    async with httpx.AsyncClient() as http:

        async def fetch(url: str) -> tuple[int, bytes, str]:
            response = await http.get(url)
            return response.status_code, response.content, response.headers.get("content-type", "")

        async def broken() -> BlobStorage:
            return down

        try:
            yield Harness(storage, fetch, broken)
        finally:
            await storage.close()
            await down.close()


@pytest.fixture(params=["memory", "local", "s3"])
async def harness(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Harness]:
    if request.param == "memory":
        factory = _memory()
    elif request.param == "local":
        factory = _local(tmp_path)
    else:
        factory = _s3(request.getfixturevalue("moto_endpoint"))
    async for value in factory:
        yield value


async def test_put_returns_the_public_url_and_the_url_serves_the_bytes(harness: Harness) -> None:
    url = await harness.storage.put(KEY, PNG, "image/png")

    assert url == harness.storage.url(KEY)
    assert url.endswith("/" + KEY)
    status, body, content_type = await harness.fetch(url)
    assert status == 200
    assert body == PNG
    assert content_type.split(";")[0] == "image/png"


async def test_key_of_inverts_url_and_ignores_foreign_urls(harness: Harness) -> None:
    url = await harness.storage.put(KEY, PNG, "image/png")

    assert harness.storage.key_of(url) == KEY
    assert harness.storage.key_of(harness.storage.url("a/b c.png")) == "a/b c.png"
    assert harness.storage.key_of("https://careernexus-storage1.s3.amazonaws.com/profile_pictures/x.png") is None
    assert harness.storage.key_of("") is None


async def test_put_replaces_an_existing_object(harness: Harness) -> None:
    await harness.storage.put(KEY, b"first", "application/octet-stream")
    url = await harness.storage.put(KEY, PNG, "image/png")

    status, body, _ = await harness.fetch(url)
    assert (status, body) == (200, PNG)


async def test_delete_removes_the_object(harness: Harness) -> None:
    url = await harness.storage.put(KEY, PNG, "image/png")

    await harness.storage.delete(KEY)

    status, _, _ = await harness.fetch(url)
    assert status == 404


async def test_deleting_a_missing_key_is_not_an_error(harness: Harness) -> None:
    await harness.storage.delete("nothing/here.png")
    await harness.storage.delete(KEY)
    await harness.storage.delete(KEY)


@pytest.mark.parametrize("key", ["../escape.png", "/abs.png", "a\\b.png", "a/../../b.png", "a\x00b.png", "a//b", ""])
async def test_unsafe_keys_are_refused(harness: Harness, key: str) -> None:
    with pytest.raises(ValueError):
        await harness.storage.put(key, PNG, "image/png")


async def test_unavailable_backend_raises_storage_unavailable_quickly(harness: Harness) -> None:
    broken = await harness.broken()
    started = time.monotonic()

    with pytest.raises(StorageUnavailable):
        await broken.put(KEY, PNG, "image/png")
    with pytest.raises(StorageUnavailable):
        await broken.delete(KEY)

    assert time.monotonic() - started < 8


# Local disk specifics: atomic writes, containment, and the /media route that serves the files.


async def test_local_failed_write_leaves_no_partial_or_temporary_file(tmp_path: Path) -> None:
    storage = LocalBlobStorage(tmp_path, "http://testserver.local/media")
    (tmp_path / "a" / "taken").mkdir(parents=True)  # os.replace onto a directory fails after the temp write

    with pytest.raises(StorageUnavailable):
        await storage.put("a/taken", PNG, "image/png")

    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["taken"]
    assert list((tmp_path / "a" / "taken").iterdir()) == []


async def test_local_writes_the_file_under_its_key(tmp_path: Path) -> None:
    storage = LocalBlobStorage(tmp_path, "http://testserver.local/media")

    await storage.put(KEY, PNG, "image/png")

    assert (tmp_path / KEY).read_bytes() == PNG
    assert storage.resolve(KEY) == (tmp_path / KEY).resolve()
    assert [p.name for p in (tmp_path / "profile_pictures").iterdir()] == [KEY.split("/")[1]]


async def test_local_resolve_refuses_escapes_and_missing_files(tmp_path: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link").symlink_to(tmp_path)
    storage = LocalBlobStorage(root, "http://testserver.local/media")

    assert storage.resolve("../secret.txt") is None
    assert storage.resolve("link/secret.txt") is None
    assert storage.resolve("/etc/passwd") is None
    assert storage.resolve("missing.png") is None
    assert storage.resolve("") is None
    with pytest.raises(StorageUnavailable):
        await storage.put("link/new.png", PNG, "image/png")
    assert not (tmp_path / "new.png").exists()


@pytest.fixture
async def media_client(tmp_path: Path) -> AsyncIterator[tuple[LocalBlobStorage, AsyncTestClient[Litestar]]]:
    (tmp_path / "secret.txt").write_text("secret")
    storage = LocalBlobStorage(tmp_path / "media", "http://testserver.local/media")
    async with AsyncTestClient(Litestar([media_router(storage.resolve)]), base_url="http://testserver.local") as c:
        yield storage, c


async def test_media_route_serves_images_inline_with_sniffed_type(
    media_client: tuple[LocalBlobStorage, AsyncTestClient[Litestar]],
) -> None:
    storage, client = media_client
    url = await storage.put("posts/pic/abc-photo.png", PNG, "image/png")

    response = await client.get(url)

    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("inline")


async def test_media_route_serves_documents_as_attachments(
    media_client: tuple[LocalBlobStorage, AsyncTestClient[Litestar]],
) -> None:
    storage, client = media_client
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    url = await storage.put("resumes/abc-cv.pdf", pdf, "application/pdf")

    response = await client.get(url)

    assert response.status_code == 200
    assert response.content == pdf
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment")


async def test_media_route_never_serves_active_content_as_such(
    media_client: tuple[LocalBlobStorage, AsyncTestClient[Litestar]],
) -> None:
    storage, client = media_client
    url = await storage.put("posts/x.html", b"<script>alert(1)</script>", "text/html")

    response = await client.get(url)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/media/missing.png",
        "/media/%2e%2e/secret.txt",
        "/media/a/..%2F..%2Fsecret.txt",
        "/media//etc/passwd",
        "/media/a%00b",
        "/media/%5C..%5Csecret.txt",
    ],
)
async def test_media_route_answers_404_json_for_missing_or_escaping_paths(
    media_client: tuple[LocalBlobStorage, AsyncTestClient[Litestar]], path: str
) -> None:
    _, client = media_client

    response = await client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert b"secret" not in response.content


async def test_get_reads_back_the_bytes_and_none_for_a_missing_object(harness: Harness) -> None:
    """``BlobReader.get`` (every adapter has it): what was put, then ``None`` once deleted or never stored."""
    reader = harness.storage
    assert isinstance(reader, InMemoryBlobStorage | LocalBlobStorage | S3BlobStorage)
    await reader.put(KEY, PNG, "image/png")
    assert await reader.get(KEY) == PNG
    await reader.delete(KEY)
    assert await reader.get(KEY) is None
    assert await reader.get("profile_pictures/never-stored.png") is None
