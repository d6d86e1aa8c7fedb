"""The ``PaymentGateway`` contract over every provider adapter: the in-memory twin, Stripe (the official SDK against
a local fake Stripe API) and Flutterwave (httpx against a local fake Flutterwave v3 API). Real HTTP, real signature
and hash checks: a checkout starts pending and verifies as paid once paid; a checkout the provider does not know
is FAILED; forged, stale or mismatched webhooks are refused; an outage raises ``ProviderUnavailable`` (503 when the
provider cannot be reached, 502 when it answers badly) and creates nothing."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import pytest

from adapters.payments.flutterwave import FlutterwavePaymentGateway, from_minor, to_minor
from adapters.payments.memory import InMemoryPaymentGateway
from adapters.payments.stripe import StripePaymentGateway
from core.shared.errors import ProviderUnavailable
from ports.payments import Checkout, CheckoutRequest, InvalidWebhook, PaymentGateway, PaymentState
from tests.fakes.flutterwave import FakeFlutterwave, running_fake_flutterwave
from tests.fakes.stripe import FakeStripe, running_fake_stripe

pytestmark = [pytest.mark.anyio, pytest.mark.integration]


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once the socket is closed


class Harness(Protocol):
    gateway: PaymentGateway

    def pay(self, checkout: Checkout, amount: int | None = None) -> str: ...
    def decline(self, checkout: Checkout) -> None: ...
    def webhook(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]: ...
    def forged(self, checkout: Checkout) -> list[tuple[bytes, dict[str, str]]]: ...
    def other_kind(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]: ...
    def stranger(self, checkout: Checkout) -> Checkout: ...
    def bad_answers(self) -> None: ...
    def unreachable(self) -> PaymentGateway: ...
    def created(self) -> int: ...


@dataclass
class MemoryHarness:
    gateway: InMemoryPaymentGateway

    def pay(self, checkout: Checkout, amount: int | None = None) -> str:
        return self.gateway.pay(checkout.reference, amount=amount)

    def decline(self, checkout: Checkout) -> None:
        self.gateway.decline(checkout.reference)

    def webhook(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]:
        return self.gateway.webhook(checkout.reference)

    def forged(self, checkout: Checkout) -> list[tuple[bytes, dict[str, str]]]:
        body, headers = self.gateway.webhook(checkout.reference)
        return [self.gateway.webhook(checkout.reference, secret="not-the-secret"), (body + b" ", headers), (body, {})]

    def other_kind(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]:
        return self.gateway.webhook(checkout.reference, kind="payment.created")

    def stranger(self, checkout: Checkout) -> Checkout:
        return Checkout(checkout.provider, "ref-unknown", "memory_cs_999", checkout.url)

    def bad_answers(self) -> None:
        self.gateway.outage = 502

    def unreachable(self) -> PaymentGateway:
        self.gateway.outage = 503
        return self.gateway

    def created(self) -> int:
        return len(self.gateway.checkouts())


@dataclass
class StripeHarness:
    gateway: StripePaymentGateway
    fake: FakeStripe

    def pay(self, checkout: Checkout, amount: int | None = None) -> str:
        return self.fake.pay(checkout.provider_ref, amount_total=amount)

    def decline(self, checkout: Checkout) -> None:
        self.fake.expire(checkout.provider_ref)

    def webhook(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]:
        return self.fake.event(checkout.provider_ref)

    def forged(self, checkout: Checkout) -> list[tuple[bytes, dict[str, str]]]:
        body, headers = self.fake.event(checkout.provider_ref)
        stale = self.fake.event(checkout.provider_ref, timestamp=int(time.time()) - 3600)
        # The signature of one event on another event's body (a replayed header on a mismatched payload).
        other_body, _ = self.fake.event(checkout.provider_ref)
        return [
            self.fake.event(checkout.provider_ref, secret="whsec_not_the_secret"),
            (body + b" ", headers),
            (other_body, headers),
            stale,
            (body, {}),
            (body, {"Stripe-Signature": "t=1,v1=deadbeef"}),
            (b"not json", {"Stripe-Signature": headers["Stripe-Signature"]}),
        ]

    def other_kind(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]:
        return self.fake.event(checkout.provider_ref, kind="customer.created")

    def stranger(self, checkout: Checkout) -> Checkout:
        return Checkout("stripe", "ref-unknown", "cs_test_unknown000", checkout.url)

    def bad_answers(self) -> None:
        self.fake.outage = 500

    def unreachable(self) -> PaymentGateway:
        return StripePaymentGateway(
            "sk_test_x", "whsec_x", api_base=_closed_port_url(), max_network_retries=0, timeout=2
        )

    def created(self) -> int:
        return len(self.fake.sessions)


@dataclass
class FlutterwaveHarness:
    gateway: FlutterwavePaymentGateway
    fake: FakeFlutterwave

    def pay(self, checkout: Checkout, amount: int | None = None) -> str:
        major = None if amount is None else from_minor(amount, "NGN")
        return str(self.fake.pay(checkout.reference, amount=major))

    def decline(self, checkout: Checkout) -> None:
        self.fake.pay(checkout.reference, status="failed")

    def webhook(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]:
        return self.fake.webhook(checkout.reference)

    def forged(self, checkout: Checkout) -> list[tuple[bytes, dict[str, str]]]:
        body, _ = self.fake.webhook(checkout.reference)
        return [
            self.fake.webhook(checkout.reference, hash_="not-the-hash"),
            self.fake.webhook(checkout.reference, hash_=self.fake.webhook_hash[:-1]),
            self.fake.webhook(checkout.reference, hash_=""),
            (body, {}),
            (b"not json", {"verif-hash": self.fake.webhook_hash}),
            (b'{"event": "charge.completed", "data": 3}', {"verif-hash": self.fake.webhook_hash}),
        ]

    def other_kind(self, checkout: Checkout) -> tuple[bytes, dict[str, str]]:
        return self.fake.webhook(checkout.reference, kind="transfer.completed")

    def stranger(self, checkout: Checkout) -> Checkout:
        return Checkout("flutterwave", "ref-unknown", "ref-unknown", checkout.url)  # not opened here: no expiry

    def bad_answers(self) -> None:
        self.fake.outage = 500

    def unreachable(self) -> PaymentGateway:
        return FlutterwavePaymentGateway("k", "h", api_base=_closed_port_url(), timeout=2)

    def created(self) -> int:
        return len(self.fake.links)


@pytest.fixture(params=["memory", "stripe", "flutterwave"])
def harness(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryHarness(InMemoryPaymentGateway("memory", "USD"))
    elif request.param == "stripe":
        with running_fake_stripe() as fake:
            yield StripeHarness(
                StripePaymentGateway(fake.api_key, fake.webhook_secret, api_base=fake.url, max_network_retries=0),
                fake,
            )
    else:
        with running_fake_flutterwave() as fake:
            yield FlutterwaveHarness(
                FlutterwavePaymentGateway(fake.secret_key, fake.webhook_hash, api_base=fake.api_base), fake
            )


def _request(gateway: PaymentGateway, reference: str = "ref-1", amount: int = 250_000) -> CheckoutRequest:
    return CheckoutRequest(
        reference=reference,
        amount=amount,
        currency=gateway.currency,
        description="Payment for Mentorship Session.",
        customer_email="mentee@example.com",
        customer_name="Ada Mentee",
        success_url="http://testserver/payments/callback/",
        cancel_url="http://testserver/payments/callback/",
        metadata={"session": "7"},
    )


async def test_checkout_is_pending_then_paid(harness: Harness) -> None:
    gateway = harness.gateway
    checkout = await gateway.create_checkout(_request(gateway))
    assert checkout.reference == "ref-1" and checkout.url.startswith("http") and checkout.provider_ref
    pending = await gateway.verify(checkout)
    assert pending.state is PaymentState.PENDING
    payment_id = harness.pay(checkout)
    paid = await gateway.verify(checkout)
    assert (paid.state, paid.reference, paid.amount, paid.currency, paid.provider_payment_id) == (
        PaymentState.PAID,
        "ref-1",
        250_000,
        gateway.currency,
        payment_id,
    )
    # Verifying with the payment id a redirect or a webhook named gives the same answer.
    assert await gateway.verify(checkout, payment_id) == paid


async def test_a_different_amount_is_reported_as_the_provider_says(harness: Harness) -> None:
    gateway = harness.gateway
    checkout = await gateway.create_checkout(_request(gateway))
    harness.pay(checkout, amount=100)
    paid = await gateway.verify(checkout)
    assert paid.state is PaymentState.PAID and paid.amount == 100  # the caller compares and refuses


async def test_declined_or_expired_checkout_is_failed(harness: Harness) -> None:
    gateway = harness.gateway
    checkout = await gateway.create_checkout(_request(gateway))
    harness.decline(checkout)
    assert (await gateway.verify(checkout)).state is PaymentState.FAILED


async def test_unknown_checkout_verifies_as_failed(harness: Harness) -> None:
    gateway = harness.gateway
    checkout = await gateway.create_checkout(_request(gateway))
    result = await gateway.verify(harness.stranger(checkout))
    assert result.state is PaymentState.FAILED and result.provider_payment_id == ""


async def test_webhooks_are_authenticated(harness: Harness) -> None:
    gateway = harness.gateway
    checkout = await gateway.create_checkout(_request(gateway))
    harness.pay(checkout)
    body, headers = harness.webhook(checkout)
    event = gateway.parse_webhook(body, headers)
    assert event is not None and event.reference == "ref-1" and event.provider == gateway.provider
    assert event.event_id and event.provider_ref == checkout.provider_ref
    for forged_body, forged_headers in harness.forged(checkout):
        with pytest.raises(InvalidWebhook):
            gateway.parse_webhook(forged_body, forged_headers)
    assert gateway.parse_webhook(*harness.other_kind(checkout)) is None


async def test_bad_answers_raise_502_and_open_nothing(harness: Harness) -> None:
    gateway = harness.gateway
    harness.bad_answers()
    with pytest.raises(ProviderUnavailable) as raised:
        await gateway.create_checkout(_request(gateway))
    assert raised.value.status == 502
    assert harness.created() == 0


async def test_unreachable_provider_raises_503_and_opens_nothing(harness: Harness) -> None:
    gateway = harness.unreachable()
    with pytest.raises(ProviderUnavailable) as raised:
        await gateway.create_checkout(_request(gateway))
    assert raised.value.status == 503
    assert harness.created() == 0
    checkout = Checkout(gateway.provider, "ref-1", "cs_test_x" if gateway.provider == "stripe" else "ref-1", "x")
    with pytest.raises(ProviderUnavailable) as raised:
        await gateway.verify(checkout)
    assert raised.value.status == 503


# --------------------------------------------------------------------- provider specifics


async def test_stripe_checkout_session_is_what_stripe_expects() -> None:
    with running_fake_stripe() as fake:
        gateway = StripePaymentGateway(fake.api_key, fake.webhook_secret, api_base=fake.url, max_network_retries=0)
        checkout = await gateway.create_checkout(_request(gateway, amount=2500))
        again = await gateway.create_checkout(_request(gateway, amount=2500))  # same reference: idempotent
        assert again.provider_ref == checkout.provider_ref and len(fake.sessions) == 1
        method, path, form = fake.requests[0]
        assert (method, path) == ("POST", "/v1/checkout/sessions")
        assert form["mode"] == "payment" and form["client_reference_id"] == "ref-1"
        assert form["metadata"] == {"session": "7", "reference": "ref-1"}
        assert form["line_items"]["0"]["quantity"] == "1"
        assert form["line_items"]["0"]["price_data"] == {
            "currency": "usd",
            "unit_amount": "2500",
            "product_data": {"name": "Payment for Mentorship Session."},
        }
        assert form["success_url"] == "http://testserver/payments/callback/?session_id={CHECKOUT_SESSION_ID}"
        assert checkout.expires_at is not None


@pytest.mark.parametrize("outage", ["garbage", "nonsense"])
async def test_stripe_nonsense_answers_are_502(outage: str) -> None:
    with running_fake_stripe() as fake:
        gateway = StripePaymentGateway(fake.api_key, fake.webhook_secret, api_base=fake.url, max_network_retries=0)
        checkout = await gateway.create_checkout(_request(gateway))
        fake.outage = outage
        with pytest.raises(ProviderUnavailable) as raised:
            await gateway.create_checkout(_request(gateway, reference="ref-2"))
        assert raised.value.status == 502
        with pytest.raises(ProviderUnavailable) as raised:
            await gateway.verify(checkout)
        assert raised.value.status == 502


async def test_stripe_wrong_api_key_is_502() -> None:
    with running_fake_stripe() as fake:
        gateway = StripePaymentGateway("sk_test_wrong", fake.webhook_secret, api_base=fake.url, max_network_retries=0)
        with pytest.raises(ProviderUnavailable) as raised:
            await gateway.create_checkout(_request(gateway))
        assert raised.value.status == 502 and not fake.sessions


async def test_flutterwave_payment_link_request_is_what_flutterwave_expects() -> None:
    with running_fake_flutterwave() as fake:
        gateway = FlutterwavePaymentGateway(fake.secret_key, fake.webhook_hash, api_base=fake.api_base)
        checkout = await gateway.create_checkout(_request(gateway, amount=450_050))
        link = fake.links["ref-1"]
        assert link["amount"] == Decimal("4500.50") and link["currency"] == "NGN"
        assert link["redirect_url"] == "http://testserver/payments/callback/"
        assert link["customer"] == {"email": "mentee@example.com", "name": "Ada Mentee"}
        assert link["customizations"]["title"] == "Career Nexus"
        assert checkout.provider_ref == "ref-1" and checkout.url.startswith(fake.url)
        tx_id = fake.pay("ref-1")
        by_id = await gateway.verify(checkout, str(tx_id))
        assert (by_id.state, by_id.amount, by_id.currency) == (PaymentState.PAID, 450_050, "NGN")


@pytest.mark.parametrize("outage", ["garbage", "nonsense"])
async def test_flutterwave_nonsense_answers_are_502(outage: str) -> None:
    with running_fake_flutterwave() as fake:
        gateway = FlutterwavePaymentGateway(fake.secret_key, fake.webhook_hash, api_base=fake.api_base)
        checkout = await gateway.create_checkout(_request(gateway))
        fake.outage = outage
        with pytest.raises(ProviderUnavailable) as raised:
            await gateway.create_checkout(_request(gateway, reference="ref-2"))
        assert raised.value.status == 502
        with pytest.raises(ProviderUnavailable) as raised:
            await gateway.verify(checkout)
        assert raised.value.status == 502
        assert list(fake.links) == ["ref-1"]


async def test_flutterwave_no_webhook_hash_configured_refuses_everything() -> None:
    with running_fake_flutterwave() as fake:
        gateway = FlutterwavePaymentGateway(fake.secret_key, "", api_base=fake.api_base)
        await gateway.create_checkout(_request(gateway))
        fake.pay("ref-1")
        for hash_ in ("", fake.webhook_hash):
            with pytest.raises(InvalidWebhook):
                gateway.parse_webhook(*fake.webhook("ref-1", hash_=hash_))


def test_minor_units_convert_exactly() -> None:
    assert from_minor(150_000, "NGN") == Decimal("1500.00")
    assert from_minor(1, "NGN") == Decimal("0.01")
    assert to_minor(Decimal("1500.00"), "NGN") == 150_000
    assert to_minor(1500, "NGN") == 150_000
    assert to_minor(Decimal("0.019"), "NGN") == 1  # a fraction of a kobo was not paid
    assert to_minor(Decimal("4500.5"), "NGN") == 450_050
    for bad in (True, None, "x", Decimal("-1"), Decimal("NaN"), 1.5):
        with pytest.raises(ValueError):
            to_minor(bad, "NGN")


def test_build_gateways_uses_the_sandbox_for_a_provider_without_a_key() -> None:
    from bootstrap.payments import PaymentsSettings, build_gateways
    from bootstrap.settings import Secret

    made: list[tuple[str, str]] = []

    def sandbox(provider: str, currency: str) -> PaymentGateway:
        made.append((provider, currency))
        return InMemoryPaymentGateway(provider, currency)

    none = build_gateways(PaymentsSettings(), sandbox)
    assert sorted(made) == [("flutterwave", "NGN"), ("stripe", "USD")]
    assert {k: (g.provider, g.currency) for k, g in none.items()} == {
        "stripe": ("stripe", "USD"),
        "flutterwave": ("flutterwave", "NGN"),
    }
    made.clear()
    keyed = build_gateways(
        PaymentsSettings(
            stripe_secret_key=Secret("sk_test_1"),
            stripe_webhook_secret=Secret("whsec_1"),
            stripe_api_base="http://127.0.0.1:1",
            flutterwave_secret_key=Secret("FLWSECK_TEST-1"),
            flutterwave_webhook_hash=Secret("h"),
        ),
        sandbox,
    )
    assert made == []
    assert isinstance(keyed["stripe"], StripePaymentGateway) and keyed["stripe"].currency == "USD"
    assert isinstance(keyed["flutterwave"], FlutterwavePaymentGateway) and keyed["flutterwave"].currency == "NGN"
