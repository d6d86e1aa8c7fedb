"""The dev sandbox gateway: used for a provider that has no secret key, so the whole payment flow works on the
embedded default with no keys.

Its hosted checkout is a page of our own app (``/payments/sandbox/?reference=…&signature=…``) where the payer
presses *Pay*. It keeps no state: the checkout's ``provider_ref`` carries the amount and currency under an HMAC
of the server secret, the page's ``signature`` is an HMAC of the checkout, and the payment id the page hands to
the confirmation is an HMAC too — so any process sharing the secret verifies it (several workers, the CLI), and
nobody can make one up. ``verify`` without that payment id says PENDING (the sandbox cannot know whether the
payer pressed *Pay*: there are no sandbox webhooks and reconciliation leaves sandbox checkouts open)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from urllib.parse import urlencode

from ports.payments import Checkout, CheckoutRequest, InvalidWebhook, PaymentState, VerifiedPayment, WebhookEvent

__all__ = ("SandboxPaymentGateway",)


class SandboxPaymentGateway:
    def __init__(self, provider: str, currency: str, *, secret: str, public_url: str) -> None:
        self._provider = provider
        self._currency = currency
        self._secret = hashlib.sha256(f"payments-sandbox:{secret}".encode()).digest()
        self._public_url = public_url.rstrip("/")

    @property
    def provider(self) -> str:
        return self._provider

    @property
    def currency(self) -> str:
        return self._currency

    def _mac(self, *parts: object) -> str:
        message = "|".join(str(p) for p in (self._provider, *parts)).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def _parse(self, checkout: Checkout) -> tuple[int, str] | None:
        """The amount and currency the checkout was opened for, if its ``provider_ref`` is one we signed."""
        try:
            tag, amount, currency, nonce, mac = checkout.provider_ref.split("_")
            value = int(amount)
        except ValueError:
            return None
        expected = self._mac("ref", checkout.reference, value, currency, nonce)[:32]
        if tag != "sbx" or not hmac.compare_digest(mac, expected):
            return None
        return value, currency

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        nonce = secrets.token_hex(8)
        mac = self._mac("ref", request.reference, request.amount, request.currency, nonce)[:32]
        provider_ref = f"sbx_{request.amount}_{request.currency}_{nonce}_{mac}"
        checkout = Checkout(provider=self._provider, reference=request.reference, provider_ref=provider_ref, url="")
        query = urlencode({"reference": request.reference, "signature": self._page_signature(checkout)})
        return Checkout(provider=self._provider, reference=request.reference, provider_ref=provider_ref,
                        url=f"{self._public_url}/payments/sandbox/?{query}")

    def _page_signature(self, checkout: Checkout) -> str:
        return self._mac("page", checkout.reference, checkout.provider_ref)[:40]

    def _payment_id(self, checkout: Checkout, amount: int, currency: str) -> str:
        return "sbxpay_" + self._mac("paid", checkout.reference, checkout.provider_ref, amount, currency)[:40]

    def authorize(self, checkout: Checkout, signature: str) -> str | None:
        opened = self._parse(checkout)
        if opened is None or not hmac.compare_digest(signature, self._page_signature(checkout)):
            return None
        return self._payment_id(checkout, *opened)

    async def verify(self, checkout: Checkout, provider_payment_id: str = "") -> VerifiedPayment:
        opened = self._parse(checkout)
        if opened is None:
            return VerifiedPayment(self._provider, checkout.reference, PaymentState.FAILED, 0, "", "")
        amount, currency = opened
        paid = bool(provider_payment_id) and hmac.compare_digest(
            provider_payment_id, self._payment_id(checkout, amount, currency))
        return VerifiedPayment(
            self._provider, checkout.reference, PaymentState.PAID if paid else PaymentState.PENDING, amount, currency,
            provider_payment_id if paid else "",
        )

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent | None:
        raise InvalidWebhook("the sandbox sends no webhooks")
