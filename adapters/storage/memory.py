"""In-memory blob storage for tests."""

from __future__ import annotations

from adapters.storage._keys import check_key, key_under, url_for
from core.shared.errors import StorageUnavailable

__all__ = ("InMemoryBlobStorage",)


class InMemoryBlobStorage:
    """Keeps objects in ``objects`` as ``key -> (data, content_type)``; set ``down`` to simulate an outage."""

    __slots__ = ("_base", "down", "objects")

    def __init__(self, public_base_url: str = "http://media.test") -> None:
        self._base = public_base_url.rstrip("/")
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.down = False

    def _check_up(self) -> None:
        if self.down:
            raise StorageUnavailable("Media storage is unavailable.")

    async def put(self, key: str, data: bytes, content_type: str) -> str:
        check_key(key)
        self._check_up()
        self.objects[key] = (bytes(data), content_type)
        return self.url(key)

    async def delete(self, key: str) -> None:
        check_key(key)
        self._check_up()
        self.objects.pop(key, None)

    async def get(self, key: str) -> bytes | None:
        check_key(key)
        self._check_up()
        found = self.objects.get(key)
        return found[0] if found is not None else None

    def url(self, key: str) -> str:
        return url_for(self._base, key)

    def key_of(self, url: str) -> str | None:
        return key_under(self._base, url)
