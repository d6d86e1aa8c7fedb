"""A local, real-HTTP stand-in for the Stripe API's Checkout Sessions, for the official ``stripe`` SDK.

Usage::

    with running_fake_stripe() as fake:
        gateway = StripePaymentGateway(fake.api_key, fake.webhook_secret, api_base=fake.url)
        checkout = await gateway.create_checkout(request)      # POST /v1/checkout/sessions (form-encoded)
        fake.pay(checkout.provider_ref)                        # the payer pays: payment_status "paid"
        body, headers = fake.event(checkout.provider_ref)      # a checkout.session.completed delivery, signed

The server is a ``ThreadingHTTPServer`` on 127.0.0.1 (a free port) in a daemon thread. It speaks what the SDK sends:
``POST /v1/checkout/sessions`` (form-encoded, nested ``a[b][c]`` keys; an ``Idempotency-Key`` replays the first
answer) and ``GET /v1/checkout/sessions/{id}`` (404 ``resource_missing`` for unknown ids); a wrong API key gets 401.

State (attributes, safe to read from the test): ``sessions`` (id → the session object as Stripe returns it),
``requests`` (method, path, form), ``outage``: ``None``, ``500`` (every call answers 500), ``"garbage"`` (200 with a
non-JSON body) or ``"nonsense"`` (200 JSON that is not a session) — nothing is created meanwhile.

Webhooks are signed with Stripe's real scheme: header ``Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
f"{t}.{payload}")>`` (``sign``); ``event(...)`` builds a snapshot event (``"object": "event"``) around a session.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ("FakeStripe", "running_fake_stripe", "sign")

_SESSION_PATH = re.compile(r"^/v1/checkout/sessions/([A-Za-z0-9_]+)$")


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header value for ``payload``."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def _nest(form: list[tuple[str, str]]) -> dict[str, Any]:
    """``line_items[0][price_data][currency]=usd`` → nested dicts (list indexes stay string keys)."""
    out: dict[str, Any] = {}
    for key, value in form:
        parts = re.findall(r"[^\[\]]+", key)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


class FakeStripe:
    def __init__(self) -> None:
        self.api_key = "sk_test_" + secrets.token_hex(12)
        self.webhook_secret = "whsec_" + secrets.token_hex(16)
        self.sessions: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.outage: int | str | None = None
        self._idempotent: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.url = ""

    # ---------------------------------------------------------------- the payer and Stripe, played by tests

    def pay(self, session_id: str, *, amount_total: int | None = None) -> str:
        """The payer pays: ``payment_status`` ``paid``, ``status`` ``complete``; returns the payment intent id."""
        with self._lock:
            session = self.sessions[session_id]
            session["payment_status"] = "paid"
            session["status"] = "complete"
            session["payment_intent"] = session["payment_intent"] or "pi_" + secrets.token_hex(12)
            if amount_total is not None:
                session["amount_total"] = amount_total
            return str(session["payment_intent"])

    def expire(self, session_id: str) -> None:
        with self._lock:
            self.sessions[session_id]["status"] = "expired"

    def by_reference(self, reference: str) -> dict[str, Any]:
        return next(s for s in self.sessions.values() if s["client_reference_id"] == reference)

    def event(
        self,
        session_id: str | dict[str, Any],
        *,
        kind: str = "checkout.session.completed",
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """A webhook delivery about a session (an id of ours, or any session object), signed with ``secret``
        (default: the real one) at ``timestamp`` (default: now)."""
        session = self.sessions[session_id] if isinstance(session_id, str) else session_id
        t = int(time.time()) if timestamp is None else timestamp
        payload = json.dumps(
            {
                "id": "evt_" + secrets.token_hex(12),
                "object": "event",
                "api_version": "2026-10-28.endive",
                "created": t,
                "type": kind,
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "data": {"object": dict(session)},
            }
        ).encode()
        return payload, {"Stripe-Signature": sign(payload, secret or self.webhook_secret, t)}

    # ---------------------------------------------------------------- the API

    def _error(self, status: int, message: str, code: str = "") -> tuple[int, Any]:
        return status, {"error": {"type": "invalid_request_error", "message": message, "code": code or None}}

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        form = _nest(parse_qsl(body.decode(), keep_blank_values=True)) if body else {}
        with self._lock:
            self.requests.append((method, path, form))
        if self.outage == 500:
            return self._error(500, "An unknown error occurred")
        if self.outage == "garbage":
            return 200, b"<html>Bad gateway</html>"
        if self.outage == "nonsense":
            return 200, {"object": "list", "data": []}
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._create(form, headers.get("idempotency-key", ""))
        match = _SESSION_PATH.match(path)
        if method == "GET" and match:
            with self._lock:
                session = self.sessions.get(match.group(1))
            if session is None:
                return self._error(404, f"No such checkout.session: '{match.group(1)}'", "resource_missing")
            return 200, session
        return self._error(404, f"Unrecognized request URL ({method}: {path})")

    def _create(self, form: dict[str, Any], idempotency_key: str) -> tuple[int, Any]:
        with self._lock:
            if idempotency_key and idempotency_key in self._idempotent:
                return 200, self._idempotent[idempotency_key]
        try:
            item = form["line_items"]["0"]
            price = item["price_data"]
            amount = int(price["unit_amount"]) * int(item["quantity"])
            currency = price["currency"]
            mode = form["mode"]
            success_url = form["success_url"]
        except (KeyError, ValueError, TypeError):
            return self._error(400, "Missing required param")
        if mode != "payment" or amount <= 0:
            return self._error(400, "Invalid mode or amount")
        session_id = "cs_test_" + secrets.token_hex(16)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": mode,
            "amount_total": amount,
            "currency": currency,
            "client_reference_id": form.get("client_reference_id"),
            "customer_email": form.get("customer_email"),
            "metadata": form.get("metadata", {}),
            "payment_status": "unpaid",
            "status": "open",
            "payment_intent": None,
            "success_url": success_url,
            "cancel_url": form.get("cancel_url"),
            "url": f"{self.url}/pay/{session_id}",
            "expires_at": int(time.time()) + 86400,
            "livemode": False,
        }
        with self._lock:
            self.sessions[session_id] = session
            if idempotency_key:
                self._idempotent[idempotency_key] = session
        return 200, session


class _Handler(BaseHTTPRequestHandler):
    fake: FakeStripe

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, answer = self.fake.handle(method, urlsplit(self.path).path, headers, body)
        data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_" + secrets.token_hex(6))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")


@contextmanager
def running_fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
