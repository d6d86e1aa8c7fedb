"""Payment orchestration on the in-memory adapters with the stateful ``InMemoryPaymentGateway``: one live checkout,
provider failures change nothing, confirmation exactly once (webhook twice, redirect + webhook), forged and
mismatched confirmations refused, reconciliation of lost webhooks, expiry of unanswered requests, refunds owed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.db.mentorship_memory import CHECKOUTS, PAYMENTS, REFUNDS
from adapters.payments.memory import InMemoryPaymentGateway
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer
from core.mentorship.model import SessionExpired, SessionPaid, SessionStatus
from core.mentorship.payments import PaymentLinks, PaymentService
from core.mentorship.tasks import VAULT_CREDIT_TASK
from core.shared.errors import InvalidInput, ProviderUnavailable
from tests.conftest import build_test_container, make_settings
from tests.e2e.mentorship_support import LATER, T0, accept, book, freeze, mentor, person

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Any]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[Client, AppContainer, InMemoryPaymentGateway]]:
    container = build_test_container(make_settings(tmp_path), "memory")
    gateway = InMemoryPaymentGateway("stripe", "USD")
    payments = providers.Singleton(
        PaymentService, uow=container.mentorship.uow.provider, events=container.platform.event_bus,
        clock=container.platform.clock, gateways={"stripe": gateway},
        links=PaymentLinks(public_url="http://api.test", frontend_url="http://front.test"),
    )
    container.mentorship.payments.override(payments)
    async with AsyncTestClient(app=create_app(container)) as client:
        freeze(container)
        # Start-up built the payments service and the batch jobs on the real clock: the tests' are built on the
        # frozen one (T0 is the module's import time, long past when the suite runs in several processes).
        payments.reset()
        container.mentorship.reconcile.reset()
        container.mentorship.expiry.reset()
        yield client, container, gateway


async def accepted_session(client: Client, container: AppContainer) -> tuple[int, Any, Any]:
    m = await mentor(client, container)
    learner = await person(client, container)
    s = await book(client, learner, m.id)
    await accept(client, m, s["id"])
    return s["id"], m, learner


def paid_events(container: AppContainer) -> list[SessionPaid]:
    return [e for e in container.platform.event_bus().published or [] if isinstance(e, SessionPaid)]


async def test_one_live_checkout_and_provider_failures_change_nothing(world: Any) -> None:
    client, container, gateway = world
    sid, _, learner = await accept_session_ids(client, container)
    service: PaymentService = container.mentorship.payments()
    gateway.outage = 503
    with pytest.raises(ProviderUnavailable):
        await service.initiate(learner.id, sid, "stripe")
    r = await client.post("/payments/stripe/initiate/", json={"session": sid}, headers=learner.headers)
    assert r.status_code == 503 and r.json()["error"]
    gateway.outage = 502
    r = await client.post("/payments/stripe/initiate/", json={"session": sid}, headers=learner.headers)
    assert r.status_code == 502
    assert container.platform.store().committed(CHECKOUTS) == {}
    gateway.outage = None
    first = await service.initiate(learner.id, sid, "stripe")
    second = await service.initiate(learner.id, sid, "stripe")
    assert first.reference == second.reference and len(gateway.checkouts()) == 1


async def accept_session_ids(client: Client, container: AppContainer) -> tuple[int, Any, Any]:
    return await accepted_session(client, container)


async def test_a_webhook_delivered_twice_records_one_payment(world: Any) -> None:
    client, container, gateway = world
    sid, m, learner = await accepted_session(client, container)
    service: PaymentService = container.mentorship.payments()
    checkout = await service.initiate(learner.id, sid, "stripe")
    gateway.pay(checkout.reference)
    body, headers = gateway.webhook(checkout.reference)
    for _ in range(2):
        r = await client.post("/payments/stripe/webhook/", content=body, headers=headers)
        assert r.status_code == 200, r.text
    assert len(container.platform.store().committed(PAYMENTS)) == 1
    assert {e.recipient_id for e in paid_events(container)} == {m.id, learner.id} and len(paid_events(container)) == 2
    # and a redirect after the webhooks records nothing more
    target = await service.redirect("stripe", reference=checkout.reference)
    assert target == "http://front.test/payment-success"
    assert len(container.platform.store().committed(PAYMENTS)) == 1 and len(paid_events(container)) == 2


async def test_redirect_then_webhook_records_once(world: Any) -> None:
    client, container, gateway = world
    sid, _, learner = await accepted_session(client, container)
    checkout = await container.mentorship.payments().initiate(learner.id, sid, "stripe")
    r = await client.get(f"/payments/stripe/redirect/?reference={checkout.reference}", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "http://front.test/payment-failed"  # not paid yet
    gateway.pay(checkout.reference)
    r = await client.get(f"/payments/stripe/redirect/?session_id={checkout.provider_ref}", follow_redirects=False)
    assert r.headers["location"] == "http://front.test/payment-success"
    body, headers = gateway.webhook(checkout.reference)
    assert (await client.post("/payments/stripe/webhook/", content=body, headers=headers)).status_code == 200
    assert len(container.platform.store().committed(PAYMENTS)) == 1 and len(paid_events(container)) == 2


async def test_forged_webhooks_and_mismatched_payments_are_refused(world: Any) -> None:
    client, container, gateway = world
    sid, _, learner = await accepted_session(client, container)
    service: PaymentService = container.mentorship.payments()
    checkout = await service.initiate(learner.id, sid, "stripe")
    gateway.pay(checkout.reference, amount=1)  # paid, but not our amount
    body, headers = gateway.webhook(checkout.reference, secret="forged")
    r = await client.post("/payments/stripe/webhook/", content=body, headers=headers)
    assert r.status_code == 400 and r.json() == {"error": "Invalid webhook signature."}
    with pytest.raises(InvalidInput):
        await service.webhook("stripe", b"{}", {})
    body, headers = gateway.webhook(checkout.reference)
    r = await client.post("/payments/stripe/webhook/", content=body, headers=headers)
    assert r.status_code == 200 and r.json() == {"received": True, "recorded": False}
    assert container.platform.store().committed(PAYMENTS) == {} and paid_events(container) == []


async def test_a_currency_mismatch_is_refused(world: Any) -> None:
    client, container, _ = world
    sid, _, learner = await accepted_session(client, container)
    other = InMemoryPaymentGateway("stripe", "EUR")  # the provider reports another currency for our reference
    service: PaymentService = container.mentorship.payments()
    checkout = await service.initiate(learner.id, sid, "stripe")
    from ports.payments import CheckoutRequest

    await other.create_checkout(CheckoutRequest(reference=checkout.reference, amount=checkout.amount, currency="EUR",
                                                description="", customer_email="", customer_name="", success_url="",
                                                cancel_url=""))
    other.pay(checkout.reference)
    answering_eur = PaymentService(uow=container.mentorship.uow, events=container.platform.event_bus(),
                                   clock=container.platform.clock(), gateways={"stripe": other},
                                   links=service.links)
    assert await answering_eur.confirm("stripe", reference=checkout.reference) is False
    assert container.platform.store().committed(PAYMENTS) == {}


async def test_reconciliation_records_a_lost_webhook_once(world: Any) -> None:
    client, container, gateway = world
    sid, _, learner = await accepted_session(client, container)
    checkout = await container.mentorship.payments().initiate(learner.id, sid, "stripe")
    gateway.pay(checkout.reference)
    job = container.mentorship.reconcile()
    assert await job.step() == 0  # younger than an hour: left alone
    container.platform.clock().advance(3700)
    assert await job.remaining() == 1
    assert await job.step() == 1 and await job.step() == 0
    assert len(container.platform.store().committed(PAYMENTS)) == 1
    assert await job.step() == 0  # recorded: no longer open
    assert len(paid_events(container)) == 2


async def test_cancelling_a_paid_session_records_a_refund_owed(world: Any) -> None:
    client, container, gateway = world
    sid, _, learner = await accepted_session(client, container)
    checkout = await container.mentorship.payments().initiate(learner.id, sid, "stripe")
    gateway.pay(checkout.reference)
    assert await container.mentorship.payments().confirm("stripe", reference=checkout.reference) is True
    r = await client.post("/mentor/session/cancel/", json={"session": sid}, headers=learner.headers)
    assert r.status_code == 200
    [refund] = container.platform.store().committed(REFUNDS).values()
    assert refund.amount == 2000 and refund.currency == "USD" and refund.reason == "cancelled"


async def test_a_completed_paid_session_queues_one_vault_credit(world: Any) -> None:
    client, container, gateway = world
    sid, m, learner = await accepted_session(client, container)
    checkout = await container.mentorship.payments().initiate(learner.id, sid, "stripe")
    gateway.pay(checkout.reference)
    await container.mentorship.payments().confirm("stripe", reference=checkout.reference)
    container.platform.clock().current = T0 + LATER + timedelta(minutes=1)
    r = await client.post("/mentor/annotate/", json={"session": sid, "mark_completed": True, "rating": 3},
                          headers=learner.headers)
    assert r.status_code == 200, r.text
    [task] = await container.platform.task_store().list(name=VAULT_CREDIT_TASK)
    payload = json.loads(task.payload)
    [payment] = container.platform.store().committed(PAYMENTS).values()
    assert payload == {"mentor_id": m.id, "session_id": sid, "session_type": "individual",
                       "payment_key": payment.payment_key, "amount": 2000, "currency": "USD"}
    assert task.dedupe_key == f"vault-earn:{payment.payment_key}"


async def test_expiry_of_unanswered_requests_is_idempotent(world: Any) -> None:
    client, container, _ = world
    m = await mentor(client, container)
    learner = await person(client, container)
    s = await book(client, learner, m.id)
    job = container.mentorship.expiry()
    assert await job.step() == 0
    container.platform.clock().current = T0 + LATER
    assert await job.remaining() == 1
    assert await job.step() == 1 and await job.step() == 0
    expired = [e for e in container.platform.event_bus().published or [] if isinstance(e, SessionExpired)]
    assert [(e.session_id, e.recipient_id) for e in expired] == [(s["id"], learner.id)]
    async with container.mentorship.uow() as uow:
        found = await uow.sessions.get(s["id"])
    assert found is not None and found.status is SessionStatus.EXPIRED
    notes = (await client.get("/notification-chat/notifications/", headers=learner.headers)).json()["results"]
    assert any("expired without an answer" in n["text"] for n in notes)
