"""Stripe Checkout behind ``PaymentGateway``, with the official ``stripe`` SDK (``StripeClient``, async methods).

- ``create_checkout``: a Checkout Session in ``mode=payment`` with one line item (``unit_amount`` = our minor
  units, quantity 1), ``client_reference_id`` and ``metadata.reference`` = our reference, the success URL with
  Stripe's ``{CHECKOUT_SESSION_ID}`` placeholder appended, and our reference as the idempotency key (a retried
  create opens the same session).
- ``verify``: retrieves the Checkout Session server side: ``payment_status`` ``paid`` (or
  ``no_payment_required``) → ``PAID``; ``status`` ``expired`` → ``FAILED``; otherwise ``PENDING``; a session Stripe
  does not know (404) → ``FAILED``. ``amount_total``/``currency``/``payment_intent`` are reported as Stripe says.
- ``parse_webhook``: ``stripe.Webhook.construct_event`` (``Stripe-Signature`` ``t=…,v1=HMAC-SHA256(secret,
  "t.payload")``, ``tolerance`` seconds, 300 by default); the Checkout Session events are of interest, others give
  ``None``.

Provider failures: unreachable or timed out → ``ProviderUnavailable(status=503)``; a 5xx, a refused request or a
body that is not a Checkout Session → ``ProviderUnavailable(status=502)``.

The SDK's async HTTP client (httpx) holds connections bound to the event loop that opened them, so the gateway
keeps one ``StripeClient`` per running loop (tests run apps in their own loop thread).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import stripe

from core.shared.errors import ProviderUnavailable
from ports.payments import (
    Checkout,
    CheckoutRequest,
    InvalidWebhook,
    PaymentState,
    VerifiedPayment,
    WebhookEvent,
)

__all__ = ("DEFAULT_API_BASE", "INTERESTING_EVENTS", "StripePaymentGateway")

DEFAULT_API_BASE = "https://api.stripe.com"
INTERESTING_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
UNAVAILABLE = "Failed to initialize payment"
BAD_ANSWER = "The payment provider answered unexpectedly"


def _with_session_id(url: str) -> str:
    if "{CHECKOUT_SESSION_ID}" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}session_id={{CHECKOUT_SESSION_ID}}"


def _fail(exc: stripe.StripeError, message: str) -> ProviderUnavailable:
    if isinstance(exc, stripe.APIConnectionError):
        return ProviderUnavailable(message, status=503)
    return ProviderUnavailable(message, status=502)


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    ident = getattr(value, "id", None)  # an expanded object
    return str(ident) if ident is not None else str(value)


class StripePaymentGateway:
    def __init__(
        self,
        secret_key: str,
        webhook_secret: str,
        *,
        api_base: str = DEFAULT_API_BASE,
        currency: str = "USD",
        timeout: float = 20.0,
        max_network_retries: int = 1,
        tolerance: int = 300,
        product_name: str = "Payment for Mentorship Session.",
    ) -> None:
        self._key = secret_key
        self._webhook_secret = webhook_secret
        self._api_base = api_base.rstrip("/")
        self._currency = currency.upper()
        self._timeout = timeout
        self._retries = max_network_retries
        self._tolerance = tolerance
        self._product = product_name
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, stripe.StripeClient] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def provider(self) -> str:
        return "stripe"

    @property
    def currency(self) -> str:
        return self._currency

    def _client(self) -> stripe.StripeClient:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = stripe.StripeClient(
                self._key,
                base_addresses={"api": self._api_base},
                max_network_retries=self._retries,
                http_client=stripe.HTTPXClient(timeout=self._timeout),
            )
            self._clients[loop] = client
        return client

    async def aclose(self) -> None:
        """Close the HTTP client of the running loop (the others close with their loops)."""
        loop = asyncio.get_running_loop()
        client = self._clients.pop(loop, None)
        if client is not None:
            http: Any = client._requestor._client
            await http.close_async()

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        metadata = {**dict(request.metadata), "reference": request.reference}
        params: Any = {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount,
                        "product_data": {"name": request.description or self._product},
                    },
                    "quantity": 1,
                }
            ],
            "client_reference_id": request.reference,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "success_url": _with_session_id(request.success_url),
            "cancel_url": request.cancel_url,
        }
        if request.customer_email:
            params["customer_email"] = request.customer_email
        try:
            session = await self._client().v1.checkout.sessions.create_async(
                params=params, options={"idempotency_key": f"checkout-{request.reference}"}
            )
        except stripe.StripeError as exc:
            raise _fail(exc, UNAVAILABLE) from exc
        session_id, url = _str(getattr(session, "id", None)), _str(getattr(session, "url", None))
        if not session_id.startswith("cs_") or not url.startswith(("https://", "http://")):
            raise ProviderUnavailable(BAD_ANSWER, status=502)
        expires = getattr(session, "expires_at", None)
        return Checkout(
            provider="stripe",
            reference=request.reference,
            provider_ref=session_id,
            url=url,
            expires_at=datetime.fromtimestamp(expires, UTC) if isinstance(expires, int) else None,
        )

    async def verify(self, checkout: Checkout, provider_payment_id: str = "") -> VerifiedPayment:
        failed = VerifiedPayment("stripe", checkout.reference, PaymentState.FAILED, 0, "", "")
        if not checkout.provider_ref.startswith("cs_"):
            return failed
        try:
            found = await self._client().v1.checkout.sessions.retrieve_async(checkout.provider_ref)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                return failed
            raise _fail(exc, BAD_ANSWER) from exc
        except stripe.StripeError as exc:
            raise _fail(exc, BAD_ANSWER) from exc
        try:
            session: dict[str, Any] = found.to_dict()
            if _str(session["id"]) != checkout.provider_ref:
                raise ProviderUnavailable(BAD_ANSWER, status=502)
            payment_status = _str(session.get("payment_status"))
            status = _str(session.get("status"))
            amount = session.get("amount_total")
            currency = _str(session.get("currency")).upper()
            metadata = session.get("metadata") or {}
            reference = _str(session.get("client_reference_id")) or _str(metadata.get("reference"))
        except (KeyError, AttributeError, TypeError) as exc:
            raise ProviderUnavailable(BAD_ANSWER, status=502) from exc
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise ProviderUnavailable(BAD_ANSWER, status=502)
        if payment_status in ("paid", "no_payment_required"):
            state = PaymentState.PAID
        elif status == "expired":
            state = PaymentState.FAILED
        else:
            state = PaymentState.PENDING
        payment_id = _str(session.get("payment_intent")) if state is PaymentState.PAID else ""
        return VerifiedPayment("stripe", reference, state, amount, currency, payment_id)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent | None:
        signature = {k.lower(): v for k, v in headers.items()}.get("stripe-signature")
        if not signature or not self._webhook_secret:
            raise InvalidWebhook("missing signature")
        try:
            event = stripe.Webhook.construct_event(body, signature, self._webhook_secret, self._tolerance)
        except stripe.SignatureVerificationError as exc:
            raise InvalidWebhook("bad signature") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidWebhook("malformed body") from exc
        try:
            event = event.to_dict()
        except AttributeError as exc:
            raise InvalidWebhook("malformed body") from exc
        kind = _str(event.get("type"))
        if kind not in INTERESTING_EVENTS:
            return None
        try:
            obj = event["data"]["object"]
            metadata = obj.get("metadata") or {}
            return WebhookEvent(
                provider="stripe",
                event_id=_str(event.get("id")),
                kind=kind,
                reference=_str(obj.get("client_reference_id")) or _str(metadata.get("reference")),
                provider_ref=_str(obj.get("id")),
                provider_payment_id=_str(obj.get("payment_intent")),
            )
        except (KeyError, AttributeError, TypeError) as exc:
            raise InvalidWebhook("malformed body") from exc
