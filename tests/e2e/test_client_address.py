"""Which address the rate limits count, through a real uvicorn configured as ``careernexus serve`` configures it.

- From a peer that is not a trusted proxy, ``X-Forwarded-For`` is ignored: a client cannot rotate its address by
  sending the header (uvicorn on its own would trust 127.0.0.1).
- From a trusted proxy (``TRUSTED_PROXIES``) the forwarded client counts, the right-most untrusted hop, so a value
  the client wrote to the left of what the proxy appended changes nothing.
- IPv6 clients are counted per /64; an IPv4-mapped IPv6 address is its IPv4 address.

The limit used is the per-address sign-in limit (each attempt names a new, unknown account, so no per-account limit
is involved); the tests measure it rather than assume its size.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bootstrap.asgi import create_app
from bootstrap.container import build_container
from bootstrap.serving import GuardedHttpToolsProtocol, uvicorn_options
from bootstrap.settings import Settings
from tests.conftest import make_settings
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.db]

CAP = 300


class _Protocol(GuardedHttpToolsProtocol):
    header_timeout = 10.0
    max_header_bytes = 65_536


def _server(settings: Settings) -> LiveServer:
    options: dict[str, Any] = uvicorn_options(settings) | {"http": _Protocol}
    return LiveServer(create_app(build_container(settings)), **options)


async def _signin(http: httpx.AsyncClient, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    body = {"email": f"nobody-{uuid.uuid4().hex[:12]}@example.org", "password": "Wrong1pass"}
    response = await http.post("/user/signin/", json=body, headers=headers)
    assert response.status_code != 500, response.text
    return response.status_code


async def _allowed_before_limit(http: httpx.AsyncClient, addresses: Iterator[str | None]) -> int:
    """How many attempts pass before the first 429, cycling through ``addresses`` (X-Forwarded-For values)."""
    for allowed in range(CAP):
        if await _signin(http, next(addresses)) == 429:
            return allowed
    raise AssertionError(f"no 429 after {CAP} attempts")


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url)  # TRUSTED_PROXIES unset: trust no one
    spoofed = (f"198.51.100.{i % 250}" for i in itertools.count())
    with _server(settings) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            allowed = await _allowed_before_limit(http, spoofed)
            assert allowed < CAP
            # A fresh spoofed address, or none: still the same limited peer.
            assert await _signin(http, "203.0.113.77") == 429
            assert await _signin(http, "2001:db8::77") == 429
            assert await _signin(http, None) == 429


async def test_forwarded_for_from_a_trusted_proxy_counts_per_client(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, trusted_proxies=("127.0.0.0/8",))
    with _server(settings) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            # One client behind the proxy (which appended the address it saw) reaches its limit…
            per_client = await _allowed_before_limit(http, itertools.repeat("198.51.100.7"))
            # …whatever it writes itself to the left of what the proxy appended.
            assert await _signin(http, "192.0.2.1, 198.51.100.7") == 429
            assert await _signin(http, "192.0.2.1,198.51.100.7, 127.0.0.1") == 429
            # Another client behind the same proxy is not limited, nor is the proxy itself.
            assert await _signin(http, "198.51.100.8") != 429
            assert await _signin(http, None) != 429

            # IPv6: two addresses of one /64 share one limit, whichever order they come in.
            same_64 = itertools.cycle(["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"])
            assert await _allowed_before_limit(http, same_64) == per_client
            assert await _signin(http, "2001:db8:1:2:abcd::1") == 429
            assert await _signin(http, "2001:db8:1:3::1") != 429  # the next /64 is someone else

            # An IPv4-mapped IPv6 address is its IPv4 address.
            mapped = itertools.cycle(["::ffff:198.51.100.20", "198.51.100.20"])
            assert await _allowed_before_limit(http, mapped) == per_client
