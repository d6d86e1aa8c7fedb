"""Blob storage on S3 or any S3-compatible server (MinIO, moto) through aiobotocore."""

from __future__ import annotations

import asyncio
import contextlib
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, cast

import aiohttp
from aiobotocore.config import AioConfig  # type: ignore[import-untyped, unused-ignore]
from aiobotocore.session import get_session  # type: ignore[import-untyped, unused-ignore]
from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError  # type: ignore[import-untyped, unused-ignore]

from adapters.storage._keys import check_key, key_under, url_for
from core.shared.errors import StorageUnavailable

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

__all__ = ("S3BlobStorage",)

_FAILURES = (BotoCoreError, ClientError, aiohttp.ClientError, OSError)


class S3BlobStorage:
    """Objects live in ``bucket``; one client is kept open between ``start()`` and ``close()``.

    The client is also started lazily on first use. Every backend failure (unreachable endpoint, timeouts,
    error responses) is raised as ``StorageUnavailable``; there are no retries, so a dead server fails fast.
    """

    __slots__ = (
        "_access_key_id",
        "_base",
        "_bucket",
        "_client",
        "_config",
        "_endpoint_url",
        "_lock",
        "_region",
        "_secret_access_key",
        "_stack",
    )

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        public_base_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        connect_timeout: float = 3,
        read_timeout: float = 10,
    ) -> None:
        if not bucket:
            raise ValueError("bucket is required")
        self._bucket = bucket
        self._endpoint_url = endpoint_url.rstrip("/") if endpoint_url else None
        self._region = region
        self._access_key_id = access_key_id
        self._secret_access_key = secret_access_key
        if public_base_url:
            self._base = public_base_url.rstrip("/")
        elif self._endpoint_url:
            self._base = f"{self._endpoint_url}/{bucket}"
        else:
            self._base = f"https://{bucket}.s3.{region}.amazonaws.com"
        self._config = AioConfig(
            signature_version="s3v4",
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": 1, "mode": "standard"},
            s3={"addressing_style": "path"} if self._endpoint_url else None,
        )
        self._client: S3Client | None = None
        self._stack: AsyncExitStack | None = None
        self._lock: asyncio.Lock | None = None

    @property
    def bucket(self) -> str:
        return self._bucket

    async def start(self) -> None:
        """Open the client (idempotent). Call from the app's lifespan, on the loop that will use it."""
        await self._get_client()

    async def close(self) -> None:
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            with contextlib.suppress(*_FAILURES):
                await stack.aclose()

    async def _get_client(self) -> S3Client:
        if self._client is not None:
            return self._client
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._client is None:
                stack = AsyncExitStack()
                creator = get_session().create_client(
                    "s3",
                    region_name=self._region,
                    endpoint_url=self._endpoint_url,
                    aws_access_key_id=self._access_key_id,
                    aws_secret_access_key=self._secret_access_key,
                    config=self._config,
                )
                try:
                    client = cast("S3Client", await stack.enter_async_context(creator))
                except _FAILURES as exc:
                    await stack.aclose()
                    raise StorageUnavailable("Media storage is unavailable.") from exc
                self._stack, self._client = stack, client
            return self._client

    async def put(self, key: str, data: bytes, content_type: str) -> str:
        check_key(key)
        client = await self._get_client()
        try:
            await client.put_object(Bucket=self._bucket, Key=key, Body=bytes(data), ContentType=content_type)
        except ReadTimeoutError as exc:
            # The server may have stored the object before the reply was lost: do not leave it behind.
            with contextlib.suppress(*_FAILURES):
                await client.delete_object(Bucket=self._bucket, Key=key)
            raise StorageUnavailable("Media storage is unavailable.") from exc
        except _FAILURES as exc:
            raise StorageUnavailable("Media storage is unavailable.") from exc
        return self.url(key)

    async def delete(self, key: str) -> None:
        check_key(key)
        client = await self._get_client()
        try:
            await client.delete_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return
            raise StorageUnavailable("Media storage is unavailable.") from exc
        except _FAILURES as exc:
            raise StorageUnavailable("Media storage is unavailable.") from exc

    async def get(self, key: str) -> bytes | None:
        check_key(key)
        client = await self._get_client()
        try:
            response = await client.get_object(Bucket=self._bucket, Key=key)
            async with response["Body"] as body:
                data: bytes = await body.read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageUnavailable("Media storage is unavailable.") from exc
        except _FAILURES as exc:
            raise StorageUnavailable("Media storage is unavailable.") from exc
        return data

    def url(self, key: str) -> str:
        return url_for(self._base, key)

    def key_of(self, url: str) -> str | None:
        return key_under(self._base, url)
