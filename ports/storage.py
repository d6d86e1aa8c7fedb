"""Blob storage for user media."""

from __future__ import annotations

from typing import Protocol

__all__ = ("BlobReader", "BlobStorage")


class BlobStorage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> str:
        """Store ``data`` under ``key``; return its public URL. Raises ``StorageUnavailable`` on failure."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing object is not an error."""
        ...

    def url(self, key: str) -> str:
        """The public URL of ``key``."""
        ...

    def key_of(self, url: str) -> str | None:
        """The key of a URL this storage produced, else ``None`` (e.g. a default image)."""
        ...


class BlobReader(Protocol):
    """Reading stored objects back (the ATS scores uploaded résumés in the background)."""

    async def get(self, key: str) -> bytes | None:
        """The object's bytes; ``None`` when there is no such object. Raises ``StorageUnavailable`` on failure."""
        ...
