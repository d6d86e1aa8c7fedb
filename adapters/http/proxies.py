"""Who the client is: ``X-Forwarded-For`` believed only from trusted proxies, and the address rate limits count.

``TRUSTED_PROXIES`` (IPs or CIDR networks) is empty by default: then the TCP peer is the client, whatever headers
it sends. With proxies configured, the client is the right-most address of ``X-Forwarded-For`` that is not itself
a trusted proxy (the address the outermost trusted proxy saw), so a client cannot pick its own address by sending
the header. uvicorn is given the same list (``careernexus serve``); applying both is idempotent.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from litestar.types import ASGIApp, Receive, Scope, Send

__all__ = ("TrustedProxies", "peer_address", "rate_limit_address")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> IPAddress | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        if text.count(":") == 1:  # "203.0.113.9:8080"
            try:
                address = ipaddress.ip_address(text.split(":", 1)[0])
            except ValueError:
                return None
        else:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def peer_address(host: str) -> IPAddress | None:
    """The IP address of a peer (``None`` for a Unix socket, a test client or garbage)."""
    return _address(host)


def rate_limit_address(host: str) -> str:
    """The identity rate limits count for a client at ``host``.

    An IPv4 address stays itself; an IPv6 client is counted per ``/64`` (one subscriber usually holds a whole
    ``/64``, so per-address limits would not limit anyone); an IPv4-mapped IPv6 address is its IPv4 address.
    Anything else (a Unix socket, a test client) is passed through.
    """
    address = _address(host)
    if address is None:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((int(address) >> 64 << 64, 64))
        return str(network)
    return str(address)


class TrustedProxies:
    """The configured proxies and the ASGI middleware that replaces the peer by the client they forward for."""

    __slots__ = ("_networks",)

    def __init__(self, proxies: Iterable[str]) -> None:
        self._networks: tuple[IPNetwork, ...] = tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies)

    def __bool__(self) -> bool:
        return bool(self._networks)

    def trusts(self, address: IPAddress | None) -> bool:
        if address is None:
            return False
        return any(address.version == net.version and address in net for net in self._networks)

    def client(self, peer: str, forwarded_for: str) -> str:
        """The client of a request that ``peer`` sent with ``X-Forwarded-For: forwarded_for``."""
        if not forwarded_for or not self.trusts(_address(peer)):
            return peer
        client = peer
        for hop in reversed(forwarded_for.split(",")):
            address = _address(hop)
            if address is None:
                break  # garbage left of a trusted hop: the last trusted hop is all we know
            client = str(address)
            if not self.trusts(address):
                break
        return client

    def middleware(self, app: ASGIApp) -> ASGIApp:
        async def forwarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in ("http", "websocket"):
                peer = scope.get("client")
                if peer:
                    values = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"x-forwarded-for"]
                    if values:
                        host = self.client(peer[0], ",".join(values))
                        if host != peer[0]:
                            scope["client"] = (host, 0)
            await app(scope, receive, send)

        return forwarded
