"""The client address rules on their own (the end-to-end proof is tests/e2e/test_client_address.py)."""

from __future__ import annotations

import pytest

from adapters.http.proxies import TrustedProxies, rate_limit_address
from bootstrap.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("fe80::1%eth0", "fe80::/64"),
        ("testclient", "testclient"),
        ("", "unknown"),
    ],
)
def test_rate_limit_address(host: str, key: str) -> None:
    assert rate_limit_address(host) == key


def test_no_proxies_trust_no_one() -> None:
    proxies = TrustedProxies(())
    assert not proxies
    assert proxies.client("127.0.0.1", "203.0.113.9") == "127.0.0.1"


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),  # a trusted proxy
        ("192.0.2.50", "203.0.113.9", "192.0.2.50"),  # not a proxy: header ignored
        ("10.0.0.5", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own left-hand value is ignored
        ("10.0.0.5", "203.0.113.9, 10.0.0.4", "203.0.113.9"),  # two trusted hops
        ("10.0.0.5", "10.0.0.3, 10.0.0.4", "10.0.0.3"),  # every hop trusted: the farthest one
        ("10.0.0.5", "junk, 10.0.0.4", "10.0.0.4"),  # garbage: stop at the last trusted hop
        ("10.0.0.5", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.5", "203.0.113.9:8080", "203.0.113.9"),
        ("10.0.0.5", "", "10.0.0.5"),
        ("::1", "203.0.113.9", "203.0.113.9"),
    ],
)
def test_forwarded_client(peer: str, forwarded: str, client: str) -> None:
    assert TrustedProxies(["10.0.0.0/8", "::1"]).client(peer, forwarded) == client


def test_trusted_proxies_setting_is_validated() -> None:
    env = {"CAREERNEXUS_SECRET_KEY": "k" * 40, "CAREERNEXUS_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::1"}
    assert load_settings(env).http.trusted_proxies == ("10.0.0.0/8", "2001:db8::1")
    assert load_settings({"CAREERNEXUS_SECRET_KEY": "k" * 40}).http.trusted_proxies == ()
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        load_settings(env | {"CAREERNEXUS_TRUSTED_PROXIES": "proxy.internal"})
