"""The one rule for link fields (issue 16 rule 9): absolute http(s) URLs, checked by ``check_web_url`` in the
services and by the same pattern on the wire (``adapters.http.wire.WebUrl``)."""

from __future__ import annotations

import msgspec
import pytest

from adapters.http.wire import WebUrl, convert
from core.shared.errors import InvalidInput
from core.shared.links import WEB_URL_MESSAGE, check_web_url

GOOD = [
    "http://example.com",
    "https://example.com/",
    "HTTPS://Example.com/a/b?c=d&e=f#g",
    "https://user@example.com:8443/path",
    "http://127.0.0.1:8000/x",
    "https://xn--bcher-kva.example/ü",
]
BAD = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "jav\tascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "file:///etc/passwd",
    "ftp://example.com",
    "vbscript:msgbox",
    "example.com",
    "www.example.com",
    "//example.com",
    "/relative/path",
    "http:/example.com",
    "http://",
    "https://?x",
    "https://exa mple.com",
    "https://example.com/a b",
    "https://example.com/\x00",
    "http:\\\\evil.example",
    "https://" + "a" * 500,
]


class _Form(msgspec.Struct):
    link: WebUrl


@pytest.mark.parametrize("value", GOOD)
def test_http_and_https_urls_are_kept(value: str) -> None:
    assert check_web_url("link", value) == value
    assert convert({"link": value}, _Form).link == value


@pytest.mark.parametrize("value", BAD)
def test_everything_else_is_a_field_error(value: str) -> None:
    with pytest.raises(InvalidInput) as service_error:
        check_web_url("link", value)
    assert list(service_error.value.body) == ["link"]
    with pytest.raises(InvalidInput) as wire_error:
        convert({"link": value}, _Form)
    assert list(wire_error.value.body) == ["link"]


def test_messages_and_blank_values() -> None:
    with pytest.raises(InvalidInput) as error:
        check_web_url("website", "javascript:alert(1)")
    assert error.value.body == {"website": [WEB_URL_MESSAGE]}
    assert check_web_url("website", "  ") == ""  # an optional link may be cleared
    with pytest.raises(InvalidInput):
        check_web_url("website", "", required=True)
    assert check_web_url("website", "  https://example.com  ") == "https://example.com"
