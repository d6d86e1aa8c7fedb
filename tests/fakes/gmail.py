"""A local, real-HTTP stand-in for the Gmail API (``users.messages.list`` and ``users.messages.get`` with
``format=raw`` or ``format=full``).

Usage::

    with running_fake_gmail() as gmail:
        gmail.tokens.add("good-token")
        gmail.add(raw_bytes, internal_date_ms=...)   # -> the message id
        reader = GmailInboxReader(gmail.url)

The server is a ``ThreadingHTTPServer`` on 127.0.0.1 (free port) in a daemon thread, stopped when the ``with``
block ends. ``q`` is honoured for ``from:`` (an address, ``@domain``, or ``(a OR b)``) and ``after:<unix
seconds>``; other terms are ignored. Pages follow ``maxResults`` / ``pageToken``. A token not in ``tokens``
answers 401. ``requests`` records every (path, query) served; ``fail_with = status`` answers that status; ``max_page``
caps a page's size.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ("FakeGmail", "running_fake_gmail")

PREFIX = "/gmail/v1/users/me/messages"


@dataclass
class _Stored:
    id: str
    raw: bytes
    internal_date_ms: int
    sender: str


@dataclass
class FakeGmail:
    url: str = ""
    tokens: set[str] = field(default_factory=set)
    messages: list[_Stored] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    fail_with: int | None = None
    max_page: int | None = None  # cap on maxResults, to make a client follow nextPageToken
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, raw: bytes, *, internal_date_ms: int = 1_700_000_000_000) -> str:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
        pairs = getaddresses([str(msg.get("From", ""))])
        with self._lock:
            ident = f"{len(self.messages) + 1:016x}"
            self.messages.append(_Stored(ident, raw, internal_date_ms, (pairs[0][1] if pairs else "").lower()))
        return ident

    def fetches(self) -> list[str]:
        return [path.rsplit("/", 1)[1] for path, _ in self.requests if path.startswith(PREFIX + "/")]

    def matching(self, query: str) -> list[_Stored]:
        senders: list[str] = []
        found = re.search(r"from:\(([^)]*)\)|from:(\S+)", query)
        if found:
            senders = [s.strip().lower() for s in (found.group(1) or found.group(2)).split(" OR ") if s.strip()]
        after = re.search(r"after:(\d+)", query)
        out = []
        for m in sorted(self.messages, key=lambda m: -m.internal_date_ms):
            if after and m.internal_date_ms // 1000 <= int(after.group(1)):
                continue
            if senders and not any(
                m.sender == s or (s.startswith("@") and m.sender.rpartition("@")[2].endswith(s[1:]))
                for s in senders
            ):
                continue
            out.append(m)
        return out


def _full(m: _Stored) -> dict[str, Any]:
    msg = email.message_from_bytes(m.raw, policy=email.policy.compat32)

    def part(p: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"mimeType": p.get_content_type(),
                               "headers": [{"name": k, "value": str(v)} for k, v in p.items()]}
        if p.is_multipart():
            out["parts"] = [part(x) for x in p.get_payload()]
        else:
            data = p.get_payload(decode=True) or b""
            out["body"] = {"size": len(data), "data": base64.urlsafe_b64encode(data).decode().rstrip("=")}
        return out

    return {"id": m.id, "threadId": m.id, "internalDate": str(m.internal_date_ms), "payload": part(msg)}


@contextmanager
def running_fake_gmail() -> Iterator[FakeGmail]:
    state = FakeGmail()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query))
            state.requests.append((parts.path, query))
            if state.fail_with is not None:
                self._answer(state.fail_with, {"error": {"code": state.fail_with}})
                return
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in state.tokens:
                self._answer(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
                return
            if parts.path == PREFIX:
                found = state.matching(query.get("q", ""))
                start = int(query.get("pageToken") or 0)
                size = min(int(query.get("maxResults") or 100), state.max_page or 500)
                page = found[start : start + size]
                body: dict[str, Any] = {"messages": [{"id": m.id, "threadId": m.id} for m in page],
                                        "resultSizeEstimate": len(found)}
                if start + size < len(found):
                    body["nextPageToken"] = str(start + size)
                self._answer(200, body)
                return
            if parts.path.startswith(PREFIX + "/"):
                ident = parts.path.rsplit("/", 1)[1]
                stored = next((m for m in state.messages if m.id == ident), None)
                if stored is None:
                    self._answer(404, {"error": {"code": 404}})
                elif query.get("format") == "full":
                    self._answer(200, _full(stored))
                else:
                    raw = base64.urlsafe_b64encode(stored.raw).decode().rstrip("=")
                    self._answer(200, {"id": stored.id, "threadId": stored.id,
                                       "internalDate": str(stored.internal_date_ms), "raw": raw})
                return
            self._answer(404, {"error": {"code": 404}})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
