"""S3BlobStorage against a real S3-protocol server (moto's standalone server on a local port)."""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Iterator

import httpx
import pytest

from adapters.storage.s3 import S3BlobStorage
from core.shared.errors import StorageUnavailable
from core.shared.media import MediaKind, MediaPolicy, Upload, check_upload, new_key
from tests.fakes.s3 import MOTO_CREDENTIALS, create_bucket, running_moto_s3, unique_bucket

pytestmark = [pytest.mark.anyio, pytest.mark.integration]


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_moto_s3() as url:
        yield url


async def test_upload_fetch_by_public_url_and_delete(endpoint: str) -> None:
    bucket = unique_bucket()
    await create_bucket(endpoint, bucket, public_read=True)
    storage = S3BlobStorage(bucket, endpoint_url=endpoint, **MOTO_CREDENTIALS)
    png = tiny_png()
    content_type, extension = check_upload(
        Upload("me.PDF", png, "application/pdf"), MediaPolicy(MediaKind.IMAGE, 2_000_000), "profile_photo"
    )
    # The sniffed type wins over the name; new_key still defends against a hostile name.
    key = new_key("profile_pictures", "../../me.PDF", extension)
    try:
        await storage.start()
        url = await storage.put(key, png, content_type)

        assert url == f"{endpoint}/{bucket}/{key}"
        async with httpx.AsyncClient() as http:
            fetched = await http.get(url)
            assert fetched.status_code == 200
            assert fetched.content == png
            assert fetched.headers["content-type"] == "image/png"

            await storage.delete(key)

            gone = await http.get(url)
            assert gone.status_code == 404
    finally:
        await storage.close()


async def test_client_starts_lazily_and_can_restart_after_close(endpoint: str) -> None:
    bucket = unique_bucket()
    await create_bucket(endpoint, bucket)
    storage = S3BlobStorage(bucket, endpoint_url=endpoint, **MOTO_CREDENTIALS)
    try:
        await storage.put("a/one.png", tiny_png(), "image/png")
        await storage.close()
        url = await storage.put("a/two.png", tiny_png(3, 1), "image/png")
        async with httpx.AsyncClient() as http:
            assert (await http.get(url)).content == tiny_png(3, 1)
    finally:
        await storage.close()


async def test_public_urls_follow_configuration() -> None:
    cdn = S3BlobStorage("media", public_base_url="https://cdn.example.org/m/")
    aws = S3BlobStorage("careernexus-storage1", region="eu-west-2")
    local = S3BlobStorage("media", endpoint_url="http://127.0.0.1:9000/")

    assert cdn.url("a/b.png") == "https://cdn.example.org/m/a/b.png"
    assert aws.url("a/b.png") == "https://careernexus-storage1.s3.eu-west-2.amazonaws.com/a/b.png"
    assert local.url("a/b.png") == "http://127.0.0.1:9000/media/a/b.png"
    assert aws.key_of("https://careernexus-storage1.s3.eu-west-2.amazonaws.com/a/b.png?x=1") == "a/b.png"
    assert aws.key_of("https://careernexus-storage1.s3.amazonaws.com/a/b.png") is None


async def test_missing_bucket_is_unavailable(endpoint: str) -> None:
    storage = S3BlobStorage(unique_bucket("absent"), endpoint_url=endpoint, **MOTO_CREDENTIALS)
    try:
        with pytest.raises(StorageUnavailable):
            await storage.put("a/b.png", tiny_png(), "image/png")
    finally:
        await storage.close()


async def test_server_going_down_fails_fast_and_leaves_nothing() -> None:
    bucket = unique_bucket()
    with running_moto_s3() as url:
        await create_bucket(url, bucket)
        storage = S3BlobStorage(bucket, endpoint_url=url, connect_timeout=1, read_timeout=2, **MOTO_CREDENTIALS)
        await storage.put("a/before.png", tiny_png(), "image/png")
    try:
        started = time.monotonic()
        with pytest.raises(StorageUnavailable):
            await storage.put("a/after.png", tiny_png(), "image/png")
        assert time.monotonic() - started < 8
    finally:
        await storage.close()

    # moto keeps state per process: a server on a new port sees the same buckets.
    with running_moto_s3() as url:
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"{url}/{bucket}/a/before.png")).status_code == 200
            assert (await http.get(f"{url}/{bucket}/a/after.png")).status_code == 404
