"""DRF-style page envelopes ``{count, next, previous, results}`` with absolute links built from the request URL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar import Request

from core.shared.errors import NotFound
from core.shared.pagination import MAX_PAGE, Page, PageRequest

__all__ = ("page_envelope", "page_link", "page_request")


def page_request(raw: str | None, size: int) -> PageRequest:
    """``?page=`` as DRF reads it: absent → 1; not a positive integer (or ``last``) → 404 ``Invalid page.``"""
    if raw is None or raw == "":
        return PageRequest(1, size)
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PAGE)):
        raise NotFound("Invalid page.")
    return PageRequest(int(text), size)


def page_link(request: Request[Any, Any, Any], number: int | None) -> str | None:
    """The absolute URL of page ``number`` of this request (``page`` dropped for page 1, as DRF does)."""
    if number is None:
        return None
    parts = urlsplit(str(request.url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    if number > 1:
        query.append(("page", str(number)))
    # The router strips the trailing slash from ``scope["path"]``; links keep the path the client used.
    raw = request.scope.get("raw_path")
    path = raw.split(b"?", 1)[0].decode("latin-1") if isinstance(raw, bytes) and raw else parts.path
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def page_envelope(
    request: Request[Any, Any, Any],
    page: Page[Any],
    results: Sequence[Any],
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``{"count", "next", "previous", "results", **extra}``; raises 404 ``Invalid page.`` past the last page."""
    page.check_in_range()
    number = page.request.number
    body: dict[str, Any] = {
        "count": page.total,
        "next": page_link(request, number + 1) if page.has_next else None,
        "previous": page_link(request, number - 1) if page.has_previous else None,
        "results": list(results),
    }
    if extra:
        body.update(extra)
    return body
