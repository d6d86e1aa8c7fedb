"""Key and URL helpers shared by the blob storage adapters."""

from __future__ import annotations

from urllib.parse import quote, unquote

__all__ = ("check_key", "key_under", "url_for")


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe relative object key, else raise ``ValueError``.

    Refused: empty keys, absolute paths, backslashes, NUL and other control characters, and empty, ``.`` or
    ``..`` segments.
    """
    if not key or key.startswith("/") or "\\" in key:
        raise ValueError(f"invalid storage key {key!r}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise ValueError(f"invalid storage key {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise ValueError(f"invalid storage key {key!r}")
    return key


def url_for(base: str, key: str) -> str:
    return f"{base}/{quote(key, safe='/')}"


def key_under(base: str, url: str) -> str | None:
    """The valid key a URL under ``base`` names, else ``None``."""
    prefix = base + "/"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix) :].split("#", 1)[0].split("?", 1)[0]
    try:
        return check_key(unquote(rest))
    except ValueError:
        return None
