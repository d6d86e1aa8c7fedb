"""Answer a hot read from the read cache (``ports.readcache``): the encoded body, per viewer and request.

The key is the viewer, the viewer's stamp (their version and the global epoch) and the request exactly as the
client sent it (raw path with or without its trailing slash, raw query string): everything a cached body depends
on, since page links are built from ``PUBLIC_URL`` plus that path and query. A hit costs no SQL and no encoding;
a miss encodes as Litestar would (``encode_json``), so bodies are identical with the cache on or off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.serialization import encode_json

from ports.readcache import ReadCache

__all__ = ("CACHE_NOTE", "cached")

T = TypeVar("T")

CACHE_NOTE = (
    " Answers may come from the read cache: the caller's own writes show on the very next read; other people's "
    "writes (new posts, their likes, counters) may show up to `READ_CACHE_STALENESS_SECONDS` late (default 2 s); "
    "a deleted post, a deleted account or a privacy change never does."
)


def request_key(request: Request[Any, Any, Any]) -> str:
    raw = request.scope.get("raw_path")
    path = raw.split(b"?", 1)[0].decode("latin-1") if isinstance(raw, bytes) and raw else request.url.path
    query = request.scope.get("query_string", b"")
    return f"{request.method} {path}?{query.decode('latin-1') if isinstance(query, bytes) else ''}"


async def cached(
    request: Request[Any, Any, Any], cache: ReadCache, viewer_id: int, produce: Callable[[], Awaitable[T]]
) -> Response[T]:
    """The cached body of this request for ``viewer_id``, else ``produce()`` encoded (and stored)."""
    stamp = await cache.stamp(viewer_id)
    key = f"{viewer_id}:{stamp}:{request_key(request)}" if stamp is not None else None
    if key is not None:
        body = await cache.get(key)
        if body is not None:
            return Response(body, media_type=MediaType.JSON)  # type: ignore[arg-type]
    body = encode_json(await produce())
    if key is not None and stamp is not None:
        await cache.put(key, body, viewer_id=viewer_id, stamp=stamp)
    return Response(body, media_type=MediaType.JSON)  # type: ignore[arg-type]
