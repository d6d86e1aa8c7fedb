"""How ``careernexus serve`` runs uvicorn: proxies, connection limits and a header-read timeout.

uvicorn's httptools protocol has no deadline for a request's headers (its keep-alive timer runs only between
requests, and any byte cancels it) and no limit on their size, so a client that opens connections and drips
header bytes holds them forever. :class:`GuardedHttpToolsProtocol` adds both: a request's headers must arrive
within ``SERVE_HEADER_TIMEOUT`` seconds of its first byte (of the connection, for the first request) and fit in
``SERVE_MAX_HEADER_BYTES``; else the connection gets 408/431 and is closed.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import msgspec
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bootstrap.settings import Settings, load_settings

__all__ = ("GuardedHttpToolsProtocol", "uvicorn_options")


@functools.cache
def _served_limits() -> tuple[float, int]:
    # Each worker process reads the limits once from its environment (the class must stay importable by name:
    # uvicorn pickles its config for worker processes).
    settings = load_settings()
    return settings.serve.header_timeout, settings.serve.max_header_bytes


def _reply(status: int, reason: str, detail: str) -> bytes:
    body = msgspec.json.encode({"detail": detail})
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
        "x-content-type-options: nosniff\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


_TIMEOUT = _reply(408, "Request Timeout", "The request headers did not arrive in time.")
_TOO_LARGE = _reply(431, "Request Header Fields Too Large", "Request header fields too large.")


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header-read deadline and a header size limit.

    ``header_timeout``/``max_header_bytes`` left ``None`` are read from the settings of the worker's environment.
    """

    header_timeout: float | None = None
    max_header_bytes: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        timeout, max_bytes = self.header_timeout, self.max_header_bytes
        if timeout is None or max_bytes is None:
            served_timeout, served_max = _served_limits()
            timeout = served_timeout if timeout is None else timeout
            max_bytes = served_max if max_bytes is None else max_bytes
        self._guard_timeout = timeout
        self._guard_max = max_bytes
        self._guard_timer: asyncio.TimerHandle | None = None
        self._guard_bytes = 0
        self._guard_reading = False

    # --- deadline: armed when a request (or the connection) starts, cancelled when its headers are complete
    def _guard_start(self) -> None:
        if not self._guard_reading:
            self._guard_reading = True
            self._guard_bytes = 0
        if self._guard_timer is None:
            self._guard_timer = self.loop.call_later(self._guard_timeout, self._guard_expired)

    def _guard_stop(self) -> None:
        self._guard_reading = False
        if self._guard_timer is not None:
            self._guard_timer.cancel()
            self._guard_timer = None

    def _guard_expired(self) -> None:
        self._guard_timer = None
        if self._guard_reading and not self.transport.is_closing():
            if self._guard_bytes:
                self.transport.write(_TIMEOUT)
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._guard_start()

    def connection_lost(self, exc: Exception | None) -> None:
        self._guard_stop()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._guard_start()

    def on_headers_complete(self) -> None:
        self._guard_stop()
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self._guard_reading:
            self._guard_bytes += len(data)
        super().data_received(data)
        if self._guard_reading and self._guard_bytes > self._guard_max and not self.transport.is_closing():
            self._guard_stop()
            self.transport.write(_TOO_LARGE)
            self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options ``serve`` derives from the settings (also used by tests that run a real server)."""
    trusted = list(settings.http.trusted_proxies)
    return {
        # Proxy headers only from TRUSTED_PROXIES (uvicorn would otherwise trust 127.0.0.1 by default).
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted,
        "limit_concurrency": settings.serve.limit_concurrency or None,
        "timeout_keep_alive": settings.serve.timeout_keep_alive,
        "h11_max_incomplete_event_size": settings.serve.max_header_bytes,
        "http": GuardedHttpToolsProtocol,
        # A websocket frame is read whole before the app sees it: 64 KiB holds the largest chat message (5000
        # characters of UTF-8 plus JSON) instead of uvicorn's 16 MiB default.
        "ws_max_size": 65_536,
    }
