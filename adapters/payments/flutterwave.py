"""Flutterwave v3 ("Standard" hosted payment link) behind ``PaymentGateway``, over httpx.

- ``create_checkout``: ``POST {base}/payments`` (Bearer secret key) with ``tx_ref`` = our reference, ``amount`` in
  the provider's units, ``currency``, ``redirect_url``, ``customer``, ``customizations``, ``meta`` and
  ``session_duration``; the answer's ``data.link`` is where the payer goes. ``provider_ref`` is our ``tx_ref``.
- ``verify``: ``GET {base}/transactions/{id}/verify`` when a redirect or webhook named a transaction id, else
  ``GET {base}/transactions/verify_by_reference?tx_ref=``. ``status`` ``successful`` → ``PAID``; ``failed``,
  ``cancelled`` … → ``FAILED``; otherwise ``PENDING``. "No transaction" is ``PENDING`` while the hosted link can
  still be paid (``checkout.expires_at`` in the future) and ``FAILED`` after (or for a checkout this gateway did
  not open, which has no expiry). The reported ``tx_ref``, amount and currency are Flutterwave's: the caller
  compares them with its own.
- ``parse_webhook``: the ``verif-hash`` header must equal the configured secret hash (constant-time comparison;
  no hash configured refuses every delivery); ``charge.completed`` is of interest.

Amounts: our side is integer minor units (kobo for NGN); Flutterwave speaks major units with decimals. The
conversion happens here only, with ``Decimal`` (encoded as a JSON number, decoded from JSON numbers exactly).

Provider failures: unreachable or timed out → ``ProviderUnavailable(status=503)``; a 5xx, a refusal, or a body
that is not Flutterwave's shape → ``ProviderUnavailable(status=502)``.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

import httpx
import msgspec

from core.shared.errors import ProviderUnavailable
from ports.payments import (
    Checkout,
    CheckoutRequest,
    InvalidWebhook,
    PaymentState,
    VerifiedPayment,
    WebhookEvent,
)

__all__ = ("DEFAULT_API_BASE", "FlutterwavePaymentGateway", "from_minor", "to_minor")

DEFAULT_API_BASE = "https://api.flutterwave.com/v3"
HASH_HEADER = "verif-hash"
UNAVAILABLE = "Failed to initialize payment"
BAD_ANSWER = "The payment provider answered unexpectedly"
_EXPONENT = {"JPY": 0, "KRW": 0, "UGX": 0, "RWF": 0, "XAF": 0, "XOF": 0}
_FAILED = frozenset({"failed", "cancelled", "canceled", "error", "voided", "reversed"})
_encoder = msgspec.json.Encoder(decimal_format="number")
_decoder = msgspec.json.Decoder(float_hook=Decimal)


def _unit(currency: str) -> Decimal:
    return Decimal(10) ** _EXPONENT.get(currency.upper(), 2)


def from_minor(amount: int, currency: str) -> Decimal:
    """Minor units → the provider's decimal amount (``150000`` kobo → ``Decimal("1500.00")``)."""
    exponent = _EXPONENT.get(currency.upper(), 2)
    return (Decimal(amount) / _unit(currency)).quantize(Decimal(1).scaleb(-exponent))


def to_minor(value: object, currency: str) -> int:
    """The provider's amount (a JSON number or numeric string) → minor units, rounded down (a fraction of a minor
    unit was not paid)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ValueError(f"not an amount: {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not number.is_finite() or number < 0:
        raise ValueError(f"not an amount: {value!r}")
    return int((number * _unit(currency)).to_integral_value(rounding=ROUND_DOWN))


def _now() -> datetime:
    return datetime.now(UTC)


class FlutterwavePaymentGateway:
    def __init__(
        self,
        secret_key: str,
        webhook_hash: str,
        *,
        api_base: str = DEFAULT_API_BASE,
        currency: str = "NGN",
        timeout: float = 20.0,
        session_minutes: int = 60,
        title: str = "Career Nexus",
        now: Callable[[], datetime] = _now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._key = secret_key
        self._hash = webhook_hash
        self._base = api_base.rstrip("/")
        self._currency = currency.upper()
        self._timeout = timeout
        self._minutes = session_minutes
        self._title = title
        self._now = now
        self._transport = transport

    @property
    def provider(self) -> str:
        return "flutterwave"

    @property
    def currency(self) -> str:
        return self._currency

    async def _call(self, method: str, path: str, *, message: str, **kwargs: Any) -> tuple[int, Any]:
        """One request; returns ``(status, decoded JSON body)``. Unreachable → 503; 5xx or non-JSON → 502."""
        headers = {"Authorization": f"Bearer {self._key}", "Accept": "application/json"}
        if "content" in kwargs:
            headers["Content-Type"] = "application/json"
        try:
            # A client per call: connections are bound to the event loop that opened them.
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                response = await client.request(method, f"{self._base}{path}", headers=headers, **kwargs)
        except httpx.HTTPError as exc:  # connect errors, timeouts, protocol errors
            raise ProviderUnavailable(message, status=503) from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(message, status=502)
        try:
            body = _decoder.decode(response.content)
        except msgspec.DecodeError as exc:
            raise ProviderUnavailable(message, status=502) from exc
        if not isinstance(body, dict):
            raise ProviderUnavailable(message, status=502)
        return response.status_code, body

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        payload = {
            "tx_ref": request.reference,
            "amount": from_minor(request.amount, request.currency),
            "currency": request.currency.upper(),
            "redirect_url": request.success_url,
            "payment_options": "card, banktransfer",
            "session_duration": self._minutes,
            "customer": {"email": request.customer_email, "name": request.customer_name},
            "customizations": {"title": self._title, "description": request.description},
            "meta": dict(request.metadata),
        }
        status, body = await self._call("POST", "/payments", message=UNAVAILABLE, content=_encoder.encode(payload))
        data = body.get("data")
        link = data.get("link") if isinstance(data, dict) else None
        if status >= 400 or body.get("status") != "success" or not isinstance(link, str):
            raise ProviderUnavailable(UNAVAILABLE, status=502)
        if not link.startswith(("https://", "http://")):
            raise ProviderUnavailable(UNAVAILABLE, status=502)
        return Checkout(
            provider="flutterwave",
            reference=request.reference,
            provider_ref=request.reference,
            url=link,
            expires_at=self._now() + timedelta(minutes=self._minutes),
        )

    async def verify(self, checkout: Checkout, provider_payment_id: str = "") -> VerifiedPayment:
        if provider_payment_id.isdigit():
            status, body = await self._call("GET", f"/transactions/{provider_payment_id}/verify", message=BAD_ANSWER)
        else:
            status, body = await self._call(
                "GET",
                "/transactions/verify_by_reference",
                message=BAD_ANSWER,
                params={"tx_ref": checkout.provider_ref or checkout.reference},
            )
        data = body.get("data")
        if status in (400, 404) or (body.get("status") == "error" and not data):
            # Flutterwave knows no transaction: not paid yet while the link lives, never after.
            live = checkout.expires_at is not None and checkout.expires_at > self._now()
            state = PaymentState.PENDING if live else PaymentState.FAILED
            return VerifiedPayment("flutterwave", checkout.reference, state, 0, "", "")
        if status >= 400 or body.get("status") != "success" or not isinstance(data, dict):
            raise ProviderUnavailable(BAD_ANSWER, status=502)
        try:
            currency = str(data["currency"]).upper()
            amount = to_minor(data["amount"], currency)
            tx_ref = str(data["tx_ref"])
            tx_status = str(data["status"]).lower()
            tx_id = data["id"]
        except (KeyError, ValueError) as exc:
            raise ProviderUnavailable(BAD_ANSWER, status=502) from exc
        if tx_status == "successful":
            state = PaymentState.PAID
        elif tx_status in _FAILED:
            state = PaymentState.FAILED
        else:
            state = PaymentState.PENDING
        return VerifiedPayment("flutterwave", tx_ref, state, amount, currency, str(tx_id))

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent | None:
        given = {k.lower(): v for k, v in headers.items()}.get(HASH_HEADER, "")
        if not self._hash or not hmac.compare_digest(given.encode(), self._hash.encode()):
            raise InvalidWebhook("bad verif-hash")
        try:
            event = msgspec.json.decode(body)
            kind = event.get("event") or event.get("event.type") or ""
            data = event["data"]
            if not isinstance(data, dict):
                raise TypeError("data is not an object")
        except (msgspec.DecodeError, AttributeError, KeyError, TypeError) as exc:
            raise InvalidWebhook("malformed body") from exc
        if kind != "charge.completed":
            return None
        tx_id = data.get("id")
        return WebhookEvent(
            provider="flutterwave",
            event_id=f"{kind}:{tx_id}",
            kind=str(kind),
            reference=str(data.get("tx_ref") or ""),
            provider_ref=str(data.get("tx_ref") or ""),
            provider_payment_id=str(tx_id) if tx_id is not None else "",
        )
