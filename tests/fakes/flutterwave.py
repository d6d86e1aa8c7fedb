"""A local, real-HTTP stand-in for Flutterwave's v3 API (hosted payment links and transaction verification).

Usage::

    with running_fake_flutterwave() as fake:
        gateway = FlutterwavePaymentGateway(fake.secret_key, fake.webhook_hash, api_base=fake.api_base)
        checkout = await gateway.create_checkout(request)      # POST /v3/payments
        tx_id = fake.pay(checkout.reference)                   # the payer pays: a "successful" transaction
        body, headers = fake.webhook(checkout.reference)       # a charge.completed delivery with verif-hash

The server is a ``ThreadingHTTPServer`` on 127.0.0.1 (a free port) in a daemon thread; ``api_base`` is
``<url>/v3``. Routes: ``POST /v3/payments`` (Bearer secret key; JSON ``tx_ref, amount, currency, redirect_url,
customer{email}``; answers ``{"status": "success", "message": "Hosted Link", "data": {"link": ...}}``),
``GET /v3/transactions/{id}/verify`` and ``GET /v3/transactions/verify_by_reference?tx_ref=`` (the latest
transaction of that reference; 400 ``{"status": "error", "message": "No transaction was found for this id",
"data": null}`` when there is none). Amounts are JSON numbers in major units, decoded and encoded exactly.

State: ``links`` (tx_ref → the payment request as received), ``transactions`` (id → transaction), ``requests``,
``outage``: ``None``, ``500``, ``"garbage"`` (200, not JSON) or ``"nonsense"`` (200 JSON of another shape).
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec

__all__ = ("FakeFlutterwave", "running_fake_flutterwave")

_VERIFY = re.compile(r"^/v3/transactions/(\d+)/verify$")
_encoder = msgspec.json.Encoder(decimal_format="number")
_decoder = msgspec.json.Decoder(float_hook=Decimal)
NOT_FOUND = {"status": "error", "message": "No transaction was found for this id", "data": None}


class FakeFlutterwave:
    def __init__(self) -> None:
        self.secret_key = "FLWSECK_TEST-" + secrets.token_hex(12)
        self.webhook_hash = secrets.token_hex(16)
        self.links: dict[str, dict[str, Any]] = {}
        self.transactions: dict[int, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.outage: int | str | None = None
        self.url = ""
        self._ids = itertools.count(4_000_001)
        self._lock = threading.Lock()

    @property
    def api_base(self) -> str:
        return f"{self.url}/v3"

    # ---------------------------------------------------------------- the payer and Flutterwave, played by tests

    def pay(
        self,
        tx_ref: str,
        *,
        status: str = "successful",
        amount: Decimal | int | None = None,
        currency: str | None = None,
    ) -> int:
        """The payer pays (or fails to pay) the link of ``tx_ref``: a transaction; returns its id. ``amount`` /
        ``currency`` override what was asked (to test mismatches)."""
        with self._lock:
            link = self.links[tx_ref]
            tx_id = next(self._ids)
            self.transactions[tx_id] = {
                "id": tx_id,
                "tx_ref": tx_ref,
                "flw_ref": "FLW-MOCK-" + secrets.token_hex(8),
                "amount": link["amount"] if amount is None else Decimal(amount),
                "currency": link["currency"] if currency is None else currency,
                "charged_amount": link["amount"] if amount is None else Decimal(amount),
                "status": status,
                "payment_type": "card",
                "customer": {"email": link["customer"]["email"], "name": link["customer"].get("name", "")},
            }
            return tx_id

    def webhook(
        self, tx_ref: str, *, kind: str = "charge.completed", hash_: str | None = None, tx_id: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """A delivery about the latest transaction of ``tx_ref`` (or ``tx_id``) with ``verif-hash: hash_``
        (default: the configured one)."""
        with self._lock:
            if tx_id is None:
                tx_id = max(i for i, t in self.transactions.items() if t["tx_ref"] == tx_ref)
            data = dict(self.transactions[tx_id])
        body = _encoder.encode({"event": kind, "data": data})
        return body, {"verif-hash": self.webhook_hash if hash_ is None else hash_}

    # ---------------------------------------------------------------- the API

    def handle(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        with self._lock:
            self.requests.append((method, path, body or query))
        if self.outage == 500:
            return 500, {"status": "error", "message": "Internal server error"}
        if self.outage == "garbage":
            return 200, b"<html>upstream timeout</html>"
        if self.outage == "nonsense":
            return 200, {"hello": "world"}
        if headers.get("authorization") != f"Bearer {self.secret_key}":
            return 401, {"status": "error", "message": "Invalid authorization key", "data": None}
        if method == "POST" and path == "/v3/payments":
            return self._payments(body)
        match = _VERIFY.match(path)
        if method == "GET" and match:
            with self._lock:
                tx = self.transactions.get(int(match.group(1)))
            if tx is None:
                return 400, NOT_FOUND
            return 200, {"status": "success", "message": "Transaction fetched successfully", "data": tx}
        if method == "GET" and path == "/v3/transactions/verify_by_reference":
            tx_ref = (parse_qs(query).get("tx_ref") or [""])[0]
            with self._lock:
                found = [t for t in self.transactions.values() if t["tx_ref"] == tx_ref]
            if not found:
                return 400, NOT_FOUND
            return 200, {"status": "success", "message": "Transaction fetched successfully", "data": found[-1]}
        return 404, {"status": "error", "message": "Not found", "data": None}

    def _payments(self, body: bytes) -> tuple[int, Any]:
        try:
            data = _decoder.decode(body)
            tx_ref = str(data["tx_ref"])
            amount = Decimal(data["amount"])
            currency = str(data.get("currency") or "NGN")
            email = str(data["customer"]["email"])
            redirect = str(data["redirect_url"])
        except (msgspec.DecodeError, KeyError, TypeError, ValueError, ArithmeticError):
            return 400, {"status": "error", "message": "Invalid payload", "data": None}
        if not tx_ref or amount <= 0 or not email or not redirect:
            return 400, {"status": "error", "message": "Invalid payload", "data": None}
        token = secrets.token_hex(10)
        with self._lock:
            self.links[tx_ref] = {**data, "amount": amount, "currency": currency, "token": token}
        return 200, {"status": "success", "message": "Hosted Link", "data": {"link": f"{self.url}/hosted/pay/{token}"}}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeFlutterwave

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        url = urlsplit(self.path)
        status, answer = self.fake.handle(method, url.path, url.query, headers, body)
        data = answer if isinstance(answer, bytes) else _encoder.encode(answer)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")


@contextmanager
def running_fake_flutterwave() -> Iterator[FakeFlutterwave]:
    fake = FakeFlutterwave()
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
