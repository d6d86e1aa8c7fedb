"""Payment providers: hosted checkouts and their verified confirmations.

One ``PaymentGateway`` per provider (``"stripe"``, ``"flutterwave"``, ``"sandbox"``). The core (mentorship's
payment orchestration) records checkouts and payments; a gateway only talks to its provider:

* ``create_checkout`` opens a hosted checkout for an amount we computed and returns where to send the payer;
* ``verify`` asks the provider, server to server, what became of one of our checkouts (after a redirect, a
  webhook or during reconciliation) — a redirect or a webhook is never trusted on its own;
* ``parse_webhook`` authenticates a webhook delivery (Stripe signature, Flutterwave ``verif-hash``) and says which
  of our checkouts it is about, or refuses it.

Amounts are integers in minor units with an ISO currency (``"USD"``, ``"NGN"``); never floats. A provider
failure raises ``core.shared.errors.ProviderUnavailable`` (502 when the provider answered badly, 503 when it
could not be reached) and must leave nothing half-done on our side.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

__all__ = (
    "Checkout",
    "CheckoutRequest",
    "InvalidWebhook",
    "PaymentGateway",
    "PaymentState",
    "SandboxDesk",
    "VerifiedPayment",
    "WebhookEvent",
)


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    reference: str
    """Ours, unique per checkout (Flutterwave ``tx_ref``, Stripe ``client_reference_id``/metadata)."""
    amount: int
    """Minor units of ``currency``."""
    currency: str
    description: str
    customer_email: str
    customer_name: str
    success_url: str
    """Where the provider sends the payer back after paying (our redirect endpoint)."""
    cancel_url: str
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Checkout:
    provider: str
    reference: str
    provider_ref: str
    """The provider's id of the checkout (Stripe ``cs_…``; Flutterwave: our ``tx_ref``; sandbox: its own id)."""
    url: str
    """Where to send the payer."""
    expires_at: datetime | None = None


class PaymentState(enum.Enum):
    PAID = "paid"
    PENDING = "pending"
    FAILED = "failed"
    """Failed, cancelled or expired at the provider: this checkout will never be paid."""


@dataclass(frozen=True, slots=True)
class VerifiedPayment:
    """What the provider says, server to server, about one of our checkouts."""

    provider: str
    reference: str
    """Our reference as the provider reports it: compare it with ours before believing anything else."""
    state: PaymentState
    amount: int
    currency: str
    provider_payment_id: str
    """The provider's id of the money movement (Stripe payment intent, Flutterwave transaction id); ``""`` while
    nothing was paid."""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """An authenticated webhook delivery about one of our checkouts."""

    provider: str
    event_id: str
    kind: str
    """The provider's event type (``checkout.session.completed``, ``charge.completed``…)."""
    reference: str
    """Our checkout reference, when the event carries it (``""`` otherwise)."""
    provider_ref: str
    """The provider's checkout id, when the event carries it."""
    provider_payment_id: str
    """The provider's payment/transaction id, when the event carries it."""


class InvalidWebhook(Exception):
    """A webhook whose signature or hash does not verify, or whose body is not the provider's shape."""


class PaymentGateway(Protocol):
    @property
    def provider(self) -> str:
        """``"stripe"``, ``"flutterwave"`` or ``"sandbox"``."""
        ...

    @property
    def currency(self) -> str:
        """The currency this gateway charges in (Stripe ``USD``, Flutterwave ``NGN``)."""
        ...

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        """Open a hosted checkout. Raises ``ProviderUnavailable``."""
        ...

    async def verify(self, checkout: Checkout, provider_payment_id: str = "") -> VerifiedPayment:
        """Ask the provider about ``checkout`` (``provider_payment_id`` when a redirect or webhook named one).
        Raises ``ProviderUnavailable``; a checkout the provider does not know is ``FAILED``."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent | None:
        """Authenticate a delivery. ``None`` for an authentic event of no interest; raises ``InvalidWebhook``
        for a forged, stale or malformed one."""
        ...


class SandboxDesk(Protocol):
    """The payer's side of the sandbox gateway (a page of our own app plays the provider's hosted checkout)."""

    def authorize(self, checkout: Checkout, signature: str) -> str | None:
        """The payment id the sandbox gives the payer of ``checkout`` whose page carried ``signature``; ``None``
        when the page was not one the sandbox made for that checkout."""
        ...
