"""Concurrent confirmations of one payment record it once (PostgreSQL: the checkout row is locked, the payment is
unique by provider payment id and by checkout; each delivery has its own unit of work and connection)."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from adapters.db.tables.mentorship import mentorship_payments, mentorship_refunds, mentorship_sessions
from adapters.db.tables.system import tasks
from adapters.payments.memory import InMemoryPaymentGateway
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer
from core.mentorship.model import SessionPaid
from core.mentorship.payments import PaymentLinks, PaymentService
from core.mentorship.tasks import VAULT_CREDIT_TASK
from tests.e2e.feed_support import direct
from tests.e2e.mentorship_support import LATER, T0, accept, book, freeze, mentor, person

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.db,
    pytest.mark.pg,
    pytest.mark.skipif(not os.environ.get("CAREERNEXUS_TEST_DATABASE_URL"), reason="needs PostgreSQL"),
]

N = 20


async def _gather(calls: list[Any]) -> list[Any]:
    gate = asyncio.Event()

    async def run(call: Any) -> Any:
        await gate.wait()
        return await call()

    tasks = [asyncio.ensure_future(run(c)) for c in calls]
    await asyncio.sleep(0)
    gate.set()
    return await asyncio.gather(*tasks, return_exceptions=True)


async def _count(container: AppContainer, table: Any, *where: Any) -> int:
    async with direct(container) as conn:
        return int((await conn.execute(select(func.count()).select_from(table).where(*where))).scalar_one())


@pytest.fixture
async def world(container: AppContainer) -> AsyncIterator[tuple[AsyncTestClient[Any], AppContainer,
                                                               InMemoryPaymentGateway]]:
    gateway = InMemoryPaymentGateway("stripe", "USD")
    container.mentorship.payments.override(providers.Singleton(
        PaymentService, uow=container.mentorship.uow.provider, events=container.platform.event_bus,
        clock=container.platform.clock, gateways={"stripe": gateway},
        links=PaymentLinks(public_url="http://api.test", frontend_url="http://front.test"),
    ))
    async with AsyncTestClient(app=create_app(container)) as client:
        freeze(container)
        yield client, container, gateway


async def test_twenty_concurrent_confirmations_record_one_payment_and_one_credit(world: Any) -> None:
    client, container, gateway = world
    m = await mentor(client, container)
    learner = await person(client, container)
    s = await book(client, learner, m.id)
    await accept(client, m, s["id"])
    r = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert r.status_code == 200, r.text
    [checkout] = gateway.checkouts()
    gateway.pay(checkout.reference)
    body, headers = gateway.webhook(checkout.reference)
    # Through the app (its pool lives on the app's loop): ten webhook deliveries and ten redirects at once.
    calls = [lambda: client.post("/payments/stripe/webhook/", content=body, headers=headers) for _ in range(N // 2)]
    calls += [lambda: client.get(f"/payments/stripe/redirect/?reference={checkout.reference}",
                                 follow_redirects=False) for _ in range(N // 2)]
    results = await _gather(calls)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert all(r.status_code == 200 and r.json()["received"] is True for r in results[: N // 2])
    assert all(r.headers["location"] == "http://front.test/payment-success" for r in results[N // 2:])
    assert await _count(container, mentorship_payments) == 1
    assert await _count(container, mentorship_refunds) == 0
    assert await _count(container, mentorship_sessions, mentorship_sessions.c.is_paid.is_(True)) == 1
    paid = [e for e in container.platform.event_bus().published or [] if isinstance(e, SessionPaid)]
    assert len(paid) == 2  # the mentee and the mentor, told once

    container.platform.clock().current = T0 + LATER + timedelta(minutes=1)
    annotate = {"session": s["id"], "mark_completed": True, "rating": 5}
    answers = await _gather([
        lambda: client.post("/mentor/annotate/", json=annotate, headers=learner.headers) for _ in range(N)])
    assert sorted(r.status_code for r in answers) == [200] + [400] * (N - 1)
    async with direct(container) as conn:
        credits = (await conn.execute(select(tasks.c.payload).where(tasks.c.name == VAULT_CREDIT_TASK))).all()
    assert len(credits) == 1
    assert json.loads(credits[0][0])["amount"] == 2000
