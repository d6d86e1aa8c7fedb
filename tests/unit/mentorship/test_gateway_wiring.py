"""``build_gateways`` in the mentorship container: configured providers get their adapters, the others the sandbox
(or nothing with ``PAYMENTS_SANDBOX=false``); the sandbox verifies across instances sharing the secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.payments.sandbox import SandboxPaymentGateway
from adapters.payments.stripe import StripePaymentGateway
from bootstrap.domains.mentorship import Gateways
from bootstrap.settings import Secret
from ports.payments import CheckoutRequest, PaymentState
from tests.conftest import make_settings

pytestmark = pytest.mark.anyio


def test_configured_providers_use_their_adapters(tmp_path: Path) -> None:
    wired = Gateways(make_settings(tmp_path, stripe_secret_key=Secret("sk_test_x"),
                                   stripe_webhook_secret=Secret("whsec_x")))
    assert isinstance(wired.gateways["stripe"], StripePaymentGateway)
    assert isinstance(wired.gateways["flutterwave"], SandboxPaymentGateway)
    assert set(wired.desks) == {"flutterwave"} and wired.gateways["flutterwave"].currency == "NGN"
    none = Gateways(make_settings(tmp_path, payments_sandbox=False))
    assert none.gateways == {} and dict(none.desks) == {}


async def test_the_sandbox_is_stateless_across_processes() -> None:
    one = SandboxPaymentGateway("stripe", "USD", secret="s" * 40, public_url="http://app")
    two = SandboxPaymentGateway("stripe", "USD", secret="s" * 40, public_url="http://app")
    forger = SandboxPaymentGateway("stripe", "USD", secret="x" * 40, public_url="http://app")
    checkout = await one.create_checkout(CheckoutRequest(
        reference="CN-1-abc", amount=2000, currency="USD", description="d", customer_email="e", customer_name="n",
        success_url="s", cancel_url="c"))
    signature = checkout.url.split("signature=")[1]
    assert (await two.verify(checkout)).state is PaymentState.PENDING
    assert forger.authorize(checkout, signature) is None
    assert two.authorize(checkout, "0" * 40) is None
    payment_id = two.authorize(checkout, signature)
    assert payment_id is not None
    verified = await one.verify(checkout, payment_id)
    assert (verified.state, verified.amount, verified.currency, verified.reference) == (
        PaymentState.PAID, 2000, "USD", "CN-1-abc")
    assert (await one.verify(checkout, "sbxpay_forged")).state is PaymentState.PENDING
