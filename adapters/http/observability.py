"""Per-request observability: a request id on every request, and the request metrics.

``X-Request-ID`` is taken from the request only when the TCP peer is a trusted proxy (``TRUSTED_PROXIES``) and
the value is short and plain (letters, digits, ``-_.:``, at most 128 characters, so it cannot forge log lines);
otherwise a new one is generated. It is echoed in the response header, held in :data:`request_id` (a context
variable the JSON log formatter and the 5xx error bodies read) for the duration of the request.

The middleware runs outermost (before the trusted-proxy rewrite of the client address, so it sees the real peer).
Per request it does one context-variable set/reset, one header append and, when metrics are on, one
counter increment and one histogram observation on a child cached per (method, route template, status).
"""

from __future__ import annotations

import re
import time
import uuid
from contextvars import ContextVar
from typing import Protocol

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from adapters.http.proxies import TrustedProxies, peer_address

__all__ = ("RequestMetrics", "observed", "request_id")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_HEADER = b"x-request-id"
_ACCEPTABLE = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
UNMATCHED = "<unmatched>"  # the route label of requests no route matched (404s of arbitrary paths)


class RequestMetrics(Protocol):
    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request of ``route`` (a template, never a raw path) and its duration."""
        ...


def _incoming(scope: Scope, proxies: TrustedProxies) -> str | None:
    for key, value in scope["headers"]:
        if key == _HEADER or key.lower() == _HEADER:
            peer = scope.get("client")
            if peer and proxies.trusts(peer_address(peer[0])) and _ACCEPTABLE.fullmatch(value):
                return value.decode("ascii")
            return None
    return None


def observed(app: ASGIApp, *, proxies: TrustedProxies, metrics: RequestMetrics | None) -> ASGIApp:
    """``app`` with request ids (and request metrics unless ``metrics`` is ``None``)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        rid = (_incoming(scope, proxies) if proxies else None) or uuid.uuid4().hex
        header = (_HEADER, rid.encode("ascii"))
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        token = request_id.set(rid)
        try:
            await app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
            if metrics is not None:
                route = scope.get("path_template") or UNMATCHED
                metrics.observe(scope["method"], route, status, time.perf_counter() - started)

    return middleware
