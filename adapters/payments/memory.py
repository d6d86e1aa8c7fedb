"""A stateful in-memory payment provider for tests: a twin of the real gateways behind ``PaymentGateway``.

It keeps the checkouts it opened; a test plays the payer with ``pay(reference)`` (or ``decline``), makes the
provider fail with ``outage``, and produces webhook deliveries with ``webhook(reference)`` — signed with an HMAC
of ``secret`` the way a real provider signs them, so forged deliveries are refused by ``parse_webhook``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass

from core.shared.errors import ProviderUnavailable
from ports.payments import (
    Checkout,
    CheckoutRequest,
    InvalidWebhook,
    PaymentState,
    VerifiedPayment,
    WebhookEvent,
)

__all__ = ("InMemoryPaymentGateway",)

SIGNATURE_HEADER = "x-memory-signature"


@dataclass(slots=True)
class _Held:
    request: CheckoutRequest
    checkout: Checkout
    state: PaymentState = PaymentState.PENDING
    payment_id: str = ""


class InMemoryPaymentGateway:
    def __init__(
        self,
        provider: str = "memory",
        currency: str = "USD",
        *,
        secret: str = "memory-secret",  # noqa: S107 - a test twin's signing key, not a credential
    ) -> None:
        self._provider = provider
        self._currency = currency
        self._secret = secret.encode()
        self._held: dict[str, _Held] = {}
        self._ids = itertools.count(1)
        self.outage: int | None = None
        """When set (502 or 503), every call to the provider fails with that status."""
        self.verify_calls = 0

    @property
    def provider(self) -> str:
        return self._provider

    @property
    def currency(self) -> str:
        return self._currency

    def _check_up(self) -> None:
        if self.outage is not None:
            raise ProviderUnavailable("Failed to initialize payment", status=self.outage)

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        self._check_up()
        n = next(self._ids)
        checkout = Checkout(
            provider=self._provider,
            reference=request.reference,
            provider_ref=f"{self._provider}_cs_{n}",
            url=f"https://pay.example.test/{self._provider}/{n}",
        )
        self._held[request.reference] = _Held(request, checkout)
        return checkout

    async def verify(self, checkout: Checkout, provider_payment_id: str = "") -> VerifiedPayment:
        self._check_up()
        self.verify_calls += 1
        held = self._held.get(checkout.reference)
        if held is None or held.checkout.provider_ref != checkout.provider_ref:
            return VerifiedPayment(self._provider, checkout.reference, PaymentState.FAILED, 0, "", "")
        return VerifiedPayment(
            self._provider,
            checkout.reference,
            held.state,
            held.request.amount,
            held.request.currency,
            held.payment_id,
        )

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent | None:
        given = {k.lower(): v for k, v in headers.items()}.get(SIGNATURE_HEADER, "")
        expected = hmac.new(self._secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(given, expected):
            raise InvalidWebhook("bad signature")
        try:
            data = json.loads(body)
            kind, reference = str(data["type"]), str(data["reference"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidWebhook("malformed body") from exc
        if kind != "payment.completed":
            return None
        held = self._held.get(reference)
        return WebhookEvent(
            provider=self._provider,
            event_id=str(data.get("id", "")),
            kind=kind,
            reference=reference,
            provider_ref=held.checkout.provider_ref if held else "",
            provider_payment_id=str(data.get("payment_id", "")),
        )

    # --- the payer and the provider, played by tests -------------------------------------------------------

    def pay(self, reference: str, *, amount: int | None = None) -> str:
        """The payer pays ``reference`` (``amount`` overrides what the provider records, to test mismatches);
        returns the provider's payment id."""
        held = self._held[reference]
        held.state = PaymentState.PAID
        held.payment_id = held.payment_id or f"{self._provider}_pay_{next(self._ids)}"
        if amount is not None:
            held.request = CheckoutRequest(
                reference=held.request.reference,
                amount=amount,
                currency=held.request.currency,
                description=held.request.description,
                customer_email=held.request.customer_email,
                customer_name=held.request.customer_name,
                success_url=held.request.success_url,
                cancel_url=held.request.cancel_url,
                metadata=held.request.metadata,
            )
        return held.payment_id

    def decline(self, reference: str) -> None:
        self._held[reference].state = PaymentState.FAILED

    def checkouts(self) -> list[Checkout]:
        return [h.checkout for h in self._held.values()]

    def webhook(
        self, reference: str, *, kind: str = "payment.completed", secret: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """A delivery about ``reference`` signed with ``secret`` (default: the real one)."""
        held = self._held.get(reference)
        body = json.dumps(
            {
                "id": f"evt_{next(self._ids)}",
                "type": kind,
                "reference": reference,
                "payment_id": held.payment_id if held else "",
            }
        ).encode()
        key = secret.encode() if secret is not None else self._secret
        return body, {SIGNATURE_HEADER: hmac.new(key, body, hashlib.sha256).hexdigest()}
