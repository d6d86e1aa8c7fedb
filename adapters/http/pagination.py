"""DRF-style page envelopes ``{count, next, previous, results}`` with absolute links.

Links are built from ``PUBLIC_URL`` (the site's configured address) plus the path and query the client used —
never from the request's ``Host`` or ``X-Forwarded-Host`` headers, which a client chooses (a forged host would
otherwise be echoed into links that pages, caches and e-mails hand on)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar import Request

from adapters.http.wire import Site
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


def page_link(site: Site, request: Request[Any, Any, Any], number: int | None) -> str | None:
    """The absolute URL of page ``number`` of this request (``page`` dropped for page 1, as DRF does), on
    ``site.public_url``."""
    if number is None:
        return None
    query_string = request.scope.get("query_string", b"")
    query_text = query_string.decode("latin-1") if isinstance(query_string, bytes) else ""
    query = [(k, v) for k, v in parse_qsl(query_text, keep_blank_values=True) if k != "page"]
    if number > 1:
        query.append(("page", str(number)))
    # The router strips the trailing slash from ``scope["path"]``; links keep the path the client used.
    raw = request.scope.get("raw_path")
    path = raw.split(b"?", 1)[0].decode("latin-1") if isinstance(raw, bytes) and raw else request.url.path
    if not path.endswith("/"):
        path += "/"
    base = urlsplit(site.public_url)
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + path, urlencode(query), ""))


def page_envelope(
    site: Site,
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
        "next": page_link(site, request, number + 1) if page.has_next else None,
        "previous": page_link(site, request, number - 1) if page.has_previous else None,
        "results": list(results),
    }
    if extra:
        body.update(extra)
    return body
