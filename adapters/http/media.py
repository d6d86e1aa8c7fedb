"""The public, unauthenticated route that serves locally stored media under ``/media/``.

It does not know the storage adapter: it takes a ``resolve(key) -> Path | None`` callable (``LocalBlobStorage.resolve``)
that returns ``None`` for invalid, escaping or missing keys.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio.to_thread
from litestar import Response, Router, get
from litestar.params import FromPath
from litestar.response import File

from core.shared.media import sniff

__all__ = ("media_router",)

_SNIFF_BYTES = 4096
_NOT_FOUND = {"detail": "Not Found"}
# Types a browser would execute or render as a page: never served as such.
_ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
    }
)
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    # Keys are random and never reused, so a stored object never changes.
    "Cache-Control": "public, max-age=31536000, immutable",
}


def _describe(resolve: Callable[[str], Path | None], key: str) -> tuple[Path, str, bool] | None:
    """``(file, content type, inline?)`` of ``key``, or ``None``. Blocking: run in a worker thread."""
    file = resolve(key)
    if file is None:
        return None
    try:
        with file.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return None
    sniffed = sniff(head)
    if sniffed is not None:
        return file, sniffed, sniffed.startswith(("image/", "video/"))
    guessed, _ = mimetypes.guess_type(file.name, strict=True)
    if guessed is None or guessed in _ACTIVE_TYPES:
        guessed = "application/octet-stream"
    # Only content we recognised by its bytes is shown inline; anything else is a download.
    return file, guessed, False


def media_router(resolve: Callable[[str], Path | None], path: str = "/media") -> Router:
    """A router serving ``GET {path}/{key}`` from the files ``resolve`` finds; 404 JSON otherwise."""

    @get("/{key:path}", name="media:serve", summary="Serve an uploaded media file")
    async def serve_media(key: FromPath[str]) -> Response[Any]:
        found = await anyio.to_thread.run_sync(_describe, resolve, key.lstrip("/"))
        if found is None:
            return Response(content=_NOT_FOUND, status_code=404, headers={"X-Content-Type-Options": "nosniff"})
        file, media_type, inline = found
        return File(
            path=file,
            filename=file.name,
            media_type=media_type,
            content_disposition_type="inline" if inline else "attachment",
            headers=dict(_SECURITY_HEADERS),
        )

    return Router(path=path, route_handlers=[serve_media])
