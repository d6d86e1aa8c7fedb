"""The ``PaymentGateway`` contract. Every gateway (the in-memory twin here; Stripe, Flutterwave and the sandbox
against their local fake providers) must behave alike: a checkout starts pending, verifies as paid once paid,
forged webhooks are refused, an outage raises ``ProviderUnavailable`` and changes nothing."""

from __future__ import annotations

import pytest

from adapters.payments.memory import InMemoryPaymentGateway
from core.shared.errors import ProviderUnavailable
from ports.payments import CheckoutRequest, InvalidWebhook, PaymentState

pytestmark = [pytest.mark.anyio]


def _request(reference: str = "ref-1", amount: int = 2500) -> CheckoutRequest:
    return CheckoutRequest(
        reference=reference,
        amount=amount,
        currency="USD",
        description="Payment for Mentorship Session.",
        customer_email="mentee@example.com",
        customer_name="Ada Mentee",
        success_url="http://testserver/payments/callback/",
        cancel_url="http://testserver/payments/callback/",
    )


async def test_checkout_is_pending_then_paid() -> None:
    gateway = InMemoryPaymentGateway()
    checkout = await gateway.create_checkout(_request())
    assert checkout.reference == "ref-1" and checkout.url
    pending = await gateway.verify(checkout)
    assert pending.state is PaymentState.PENDING
    payment_id = gateway.pay("ref-1")
    paid = await gateway.verify(checkout)
    assert (paid.state, paid.amount, paid.currency, paid.provider_payment_id) == (
        PaymentState.PAID,
        2500,
        "USD",
        payment_id,
    )


async def test_unknown_checkout_verifies_as_failed() -> None:
    gateway = InMemoryPaymentGateway()
    checkout = await gateway.create_checkout(_request())
    other = InMemoryPaymentGateway()
    assert (await other.verify(checkout)).state is PaymentState.FAILED


async def test_webhooks_are_authenticated() -> None:
    gateway = InMemoryPaymentGateway()
    await gateway.create_checkout(_request())
    body, headers = gateway.webhook("ref-1")
    event = gateway.parse_webhook(body, headers)
    assert event is not None and event.reference == "ref-1"
    forged_body, forged_headers = gateway.webhook("ref-1", secret="not-the-secret")
    with pytest.raises(InvalidWebhook):
        gateway.parse_webhook(forged_body, forged_headers)
    with pytest.raises(InvalidWebhook):
        gateway.parse_webhook(body + b" ", headers)
    other_kind = gateway.webhook("ref-1", kind="payment.created")
    assert gateway.parse_webhook(*other_kind) is None


async def test_outage_raises_and_opens_nothing() -> None:
    gateway = InMemoryPaymentGateway()
    gateway.outage = 502
    with pytest.raises(ProviderUnavailable) as raised:
        await gateway.create_checkout(_request())
    assert raised.value.status == 502
    assert gateway.checkouts() == []
