"""Security headers on every response, errors, 404s, static files and media included (a ``before_send`` hook runs
for everything the app sends, even answers to paths no route matches)."""

from __future__ import annotations

from litestar.types import Message, Scope

__all__ = ("DOCS_PATH", "security_headers")

DOCS_PATH = "/schema"

_EVERYWHERE = (
    (b"x-content-type-options", b"nosniff"),
    # The API's links (media URLs, pages) carry nothing secret, but a page never needs to tell others where it was.
    (b"referrer-policy", b"no-referrer"),
)
# The interactive documentation is an HTML page: no one may frame it (clickjacking). Its scripts and styles are
# served by the app itself under /static/docs, so nothing else is restricted.
_DOCS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)


def _is_docs(path: str) -> bool:
    return path == DOCS_PATH or path.startswith(DOCS_PATH + "/")


async def security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = [(bytes(name).lower(), bytes(value)) for name, value in message.get("headers") or ()]
    present = {name for name, _ in headers}
    wanted = _EVERYWHERE + _DOCS if _is_docs(scope.get("path", "")) else _EVERYWHERE
    for name, value in wanted:
        if name not in present:
            headers.append((name, value))
        elif name == b"content-security-policy":
            headers = [(n, v + b"; " + value if n == name else v) for n, v in headers]
    message["headers"] = headers
