"""Both halves of issue 23 together, through the real app over HTTP.

- The whole flow on the embedded default with no provider keys: book → accept → pay in the sandbox → join →
  annotate → the mentor's vault shows the earning, exactly once.
- Webhooks through our endpoints with the real ``stripe`` SDK against the local fake Stripe API and with Flutterwave
  against its local fake, real signature and ``verif-hash`` checks: forged, stale or mismatched deliveries are
  refused or change nothing; a redirect and a webhook for the same payment record it once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from adapters.db.tables.vaults import vault_entries
from adapters.identity.jaas import JaasMeetingTokens
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer
from bootstrap.settings import Secret
from tests.conftest import SignedUp, build_test_container, make_settings, sign_up
from tests.e2e.mentorship_support import LATER, T0, accept, book, freeze, jaas_key, mentor, person
from tests.e2e.profiles_support import direct, make_admin
from tests.fakes.flutterwave import FakeFlutterwave, running_fake_flutterwave
from tests.fakes.stripe import FakeStripe, running_fake_stripe

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration]

Client = AsyncTestClient[Any]


async def _vault_after_credit(client: Client, who: SignedUp, earned: int, timeout: float = 15.0) -> dict[str, Any]:
    """The mentor's vault once the inline task worker ran ``vaults.credit-earning``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        body: dict[str, Any] = (await client.get("/mentor/vault/", headers=who.headers)).json()
        if body["recent_transaction_history"] or asyncio.get_running_loop().time() > deadline:
            assert body["amount"]["amount"] == earned, body
            return body
        await asyncio.sleep(0.1)


async def _entries(container: AppContainer, mentor_id: int) -> list[tuple[str, int]]:
    async with direct(container) as side, side.platform.engine().connect() as conn:
        rows = await conn.execute(
            select(vault_entries.c.kind, vault_entries.c.amount)
            .where(vault_entries.c.mentor_id == mentor_id).order_by(vault_entries.c.id)
        )
        return [(str(k), int(a)) for k, a in rows.all()]


async def _annotate(client: Client, clock: Any, learner: SignedUp, session_id: int) -> None:
    clock.current = T0 + LATER + timedelta(minutes=30)
    r = await client.post("/mentor/annotate/", json={"session": session_id, "mark_completed": True, "rating": 5},
                          headers=learner.headers)
    assert r.status_code == 200 and r.json()["status"] == "COMPLETED", r.text


async def test_book_accept_pay_in_the_sandbox_join_annotate_and_the_vault_shows_the_earning(
    client: Client, container: AppContainer, tmp_path: Path
) -> None:
    clock = freeze(container)
    m = await mentor(client, container)  # session_rate 20 (USD)
    learner = await person(client, container, first_name="Lee", last_name="Learner")
    s = await book(client, learner, m.id)
    await accept(client, m, s["id"])
    pay = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert pay.status_code == 200, pay.text
    url = urlsplit(pay.json()["url"])
    assert (await client.get(f"{url.path}?{url.query}")).status_code == 200  # the sandbox's page
    for _ in range(2):  # a double click pays once
        paid = await client.post(f"{url.path}?{url.query}", follow_redirects=False)
        assert paid.status_code == 303 and paid.headers["location"].endswith("/payment-success")
    clock.current = T0 + LATER - timedelta(minutes=5)
    key, _ = jaas_key(tmp_path)
    container.mentorship.meetings.override(providers.Object(JaasMeetingTokens(
        app_id="vpaas-magic-cookie-test", key_id="vpaas-magic-cookie-test/k", private_key_file=str(key))))
    container.mentorship.sessions.reset()
    joined = await client.get(f"/mentor/session/join/?session={s['id']}", headers=learner.headers)
    assert joined.status_code == 200 and set(joined.json()) == {"session_id", "room_name", "token"}
    assert (await client.get("/mentor/vault/", headers=m.headers)).json()["recent_transaction_history"] == []
    await _annotate(client, clock, learner, s["id"])
    again = await client.post("/mentor/annotate/", json={"session": s["id"], "mark_completed": True, "rating": 5},
                              headers=learner.headers)
    assert again.status_code == 400  # completing twice is refused
    vault = await _vault_after_credit(client, m, 16)  # USD 20 − 20 % platform fee
    [earning] = vault["recent_transaction_history"]
    assert earning["action"] == "EARN" and earning["amount"] == {"value": 16, "currency": "USD"}
    assert earning["extra_data"] == {"session_id": s["id"], "session_type": "individual"}
    # The task run again (a retry after a crash) changes nothing: one EARN and one FEE.
    from core.mentorship.tasks import VAULT_CREDIT_TASK
    from core.vaults.model import CreditEarning

    async with direct(container) as side:  # the app's engine lives on the test client's loop
        [task] = await side.platform.task_store().list(name=VAULT_CREDIT_TASK)
        payload = json.loads(task.payload)
        assert await side.vaults.service().credit_earning(CreditEarning(**payload)) is False
    assert await _entries(container, m.id) == [("EARN", 1600), ("FEE", 400)]
    assert (await client.get("/mentor/vault/", headers=m.headers)).json()["amount"]["amount"] == 16
    transactions = (await client.get("/mentor/vault/transactions/", headers=m.headers)).json()
    assert [t["action"] for t in transactions] == ["EARN"]


# ------------------------------------------------------------------------------------ real providers' fakes


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    with running_fake_stripe() as fake:
        yield fake


@pytest.fixture
def fake_flutterwave() -> Iterator[FakeFlutterwave]:
    with running_fake_flutterwave() as fake:
        yield fake


@pytest.fixture
def keyed(tmp_path: Path, database_url: str, fake_stripe: FakeStripe, fake_flutterwave: FakeFlutterwave
          ) -> AppContainer:
    settings = make_settings(
        tmp_path, database_url,
        stripe_secret_key=Secret(fake_stripe.api_key), stripe_webhook_secret=Secret(fake_stripe.webhook_secret),
        stripe_api_base=fake_stripe.url,
        flutterwave_secret_key=Secret(fake_flutterwave.secret_key),
        flutterwave_webhook_hash=Secret(fake_flutterwave.webhook_hash),
        flutterwave_api_base=fake_flutterwave.api_base,
    )
    return build_test_container(settings, "sql")


@pytest.fixture
async def keyed_client(keyed: AppContainer) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create_app(keyed), base_url="http://testserver.local") as test_client:
        yield test_client


async def _accepted(client: Client, container: AppContainer) -> tuple[SignedUp, SignedUp, dict[str, Any], Any]:
    clock = freeze(container)
    m = await mentor(client, container)
    learner = await person(client, container)
    s = await book(client, learner, m.id)
    await accept(client, m, s["id"])
    return m, learner, s, clock


async def _is_paid(client: Client, learner: SignedUp) -> bool:
    listed = (await client.get("/mentor/sessions/?status=accepted", headers=learner.headers)).json()
    return bool(listed) and bool(listed[0]["is_paid"])


async def test_stripe_webhook_with_the_sdk_credits_once(
    keyed_client: Client, keyed: AppContainer, fake_stripe: FakeStripe
) -> None:
    client, container = keyed_client, keyed
    m, learner, s, clock = await _accepted(client, container)
    r = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert r.status_code == 200, r.text
    cs = r.json()["session_id"]
    assert cs.startswith("cs_test_") and r.json()["url"].startswith(fake_stripe.url)
    assert fake_stripe.sessions[cs]["amount_total"] == 2000 and fake_stripe.sessions[cs]["currency"] == "usd"
    # Before the payer pays, even an authentic event records nothing (the SDK retrieves the session: unpaid).
    early_body, early_headers = fake_stripe.event(cs)
    early = await client.post("/payments/stripe/webhook/", content=early_body, headers=early_headers)
    assert early.status_code == 200 and early.json().get("recorded") is False, early.text
    assert not await _is_paid(client, learner)
    fake_stripe.pay(cs)
    body, headers = fake_stripe.event(cs)
    for forged_body, forged_headers in (
        fake_stripe.event(cs, secret="whsec_not_ours"),  # signed with another secret
        fake_stripe.event(cs, timestamp=int(T0.timestamp()) - 3600 * 24),  # stale
        (body.replace(b'"paid"', b'"unpaid"'), headers),  # tampered body
        (body, {}),  # unsigned
    ):
        r = await client.post("/payments/stripe/webhook/", content=forged_body,
                              headers={**forged_headers, "Content-Type": "application/json"})
        assert r.status_code == 400 and isinstance(r.json(), dict), r.text
    assert not await _is_paid(client, learner)
    # The success redirect and the webhook (twice): recorded once.
    r = await client.get(f"/payments/stripe/redirect/?session_id={cs}", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"].endswith("/payment-success")
    for _ in range(2):
        r = await client.post("/payments/stripe/webhook/", content=body,
                              headers={**headers, "Content-Type": "application/json"})
        assert r.status_code == 200, r.text
    assert await _is_paid(client, learner)
    await _annotate(client, clock, learner, s["id"])
    await _vault_after_credit(client, m, 16)
    assert await _entries(container, m.id) == [("EARN", 1600), ("FEE", 400)]


async def test_stripe_mismatched_amount_is_not_recorded(
    keyed_client: Client, keyed: AppContainer, fake_stripe: FakeStripe
) -> None:
    client, container = keyed_client, keyed
    _, learner, s, _ = await _accepted(client, container)
    cs = (await client.post("/payments/stripe/initiate/", json={"session": s["id"]},
                            headers=learner.headers)).json()["session_id"]
    fake_stripe.pay(cs, amount_total=1)  # paid one cent for a USD 20 session
    body, headers = fake_stripe.event(cs)
    r = await client.post("/payments/stripe/webhook/", content=body, headers=headers)
    assert r.status_code == 200 and r.json().get("recorded") is False, r.text
    assert not await _is_paid(client, learner)
    # Someone else's authentic event (a checkout we never opened) records nothing either.
    stranger = dict(fake_stripe.sessions[cs], id="cs_test_stranger", client_reference_id="CN-0-x", metadata={})
    stranger_body, stranger_headers = fake_stripe.event(stranger)
    r = await client.post("/payments/stripe/webhook/", content=stranger_body, headers=stranger_headers)
    assert r.status_code == 200 and r.json().get("recorded") is False


async def test_stripe_outage_on_initiate_is_502_or_503_and_changes_nothing(
    keyed_client: Client, keyed: AppContainer, fake_stripe: FakeStripe
) -> None:
    client, container = keyed_client, keyed
    _, learner, s, _ = await _accepted(client, container)
    fake_stripe.outage = 500
    r = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert r.status_code == 502 and "error" in r.json()
    fake_stripe.outage = None
    r = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert r.status_code == 200 and len(fake_stripe.sessions) == 1


async def _naira(client: Client, container: AppContainer) -> None:
    admin = await sign_up(client, container, "rates@example.org")
    await make_admin(container, admin.id)
    nigeria = next(c for c in (await client.get("/info/country-permit/")).json() if c["code"] == "+234")
    r = await client.post("/info/exchange-rate/set/", json={"country": nigeria["id"], "currency_name": "Naira",
                                                            "currency_initials": "NGN", "exchange_rate": 1500},
                          headers=admin.headers)
    assert r.status_code == 200, r.text


async def test_flutterwave_webhook_and_callback_with_verif_hash_credit_once(
    keyed_client: Client, keyed: AppContainer, fake_flutterwave: FakeFlutterwave
) -> None:
    client, container = keyed_client, keyed
    await _naira(client, container)
    m, learner, s, clock = await _accepted(client, container)
    r = await client.post("/payments/flutterwave/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["payment link"].startswith(fake_flutterwave.url)
    [tx_ref] = list(fake_flutterwave.links)
    assert fake_flutterwave.links[tx_ref]["amount"] == Decimal("30000") and \
        fake_flutterwave.links[tx_ref]["currency"] == "NGN"  # USD 20 × 1500
    tx_id = fake_flutterwave.pay(tx_ref)
    for hash_ in ("not-the-hash", "", fake_flutterwave.webhook_hash.upper()):
        body, headers = fake_flutterwave.webhook(tx_ref, hash_=hash_)
        r = await client.post("/payments/flutterwave/webhook/", content=body, headers=headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), r.text
    assert not await _is_paid(client, learner)
    body, headers = fake_flutterwave.webhook(tx_ref)
    for _ in range(2):
        r = await client.post("/payments/flutterwave/webhook/", content=body, headers=headers)
        assert r.status_code == 200 and r.json().get("recorded") is True, r.text
    r = await client.get(f"/payments/callback/?status=successful&tx_ref={tx_ref}&transaction_id={tx_id}",
                         follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"].endswith("/payment-success")
    assert await _is_paid(client, learner)
    await _annotate(client, clock, learner, s["id"])
    await _vault_after_credit(client, m, 16)  # credited in USD from the session price, whatever the provider
    assert await _entries(container, m.id) == [("EARN", 1600), ("FEE", 400)]


async def test_flutterwave_mismatched_payments_are_not_recorded(
    keyed_client: Client, keyed: AppContainer, fake_flutterwave: FakeFlutterwave
) -> None:
    client, container = keyed_client, keyed
    await _naira(client, container)
    _, learner, s, _ = await _accepted(client, container)
    await client.post("/payments/flutterwave/initiate/", json={"session": s["id"]}, headers=learner.headers)
    [tx_ref] = list(fake_flutterwave.links)
    for change in ({"amount": Decimal("100")}, {"currency": "USD"}, {"status": "failed"}):
        fake_flutterwave.pay(tx_ref, **change)  # type: ignore[arg-type]
        body, headers = fake_flutterwave.webhook(tx_ref)
        r = await client.post("/payments/flutterwave/webhook/", content=body, headers=headers)
        assert r.status_code == 200 and r.json().get("recorded") is False, (change, r.text)
    # A callback naming another reference's transaction is refused too.
    r = await client.get("/payments/callback/?status=successful&tx_ref=CN-0-forged&transaction_id=4000001",
                         follow_redirects=False)
    assert r.headers["location"].endswith("/payment-failed")
    assert not await _is_paid(client, learner)
    async with direct(container) as side, side.platform.engine().connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(vault_entries))).scalar_one() == 0



# ------------------------------------------------------------------------ concurrency (PostgreSQL when configured)


async def _together(calls: list[Any]) -> list[Any]:
    gate = asyncio.Event()

    async def run(call: Any) -> Any:
        await gate.wait()
        return await call()

    tasks = [asyncio.ensure_future(run(call)) for call in calls]
    await asyncio.sleep(0)
    gate.set()
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_concurrent_webhooks_and_redirect_record_and_credit_once(
    keyed_client: Client, keyed: AppContainer, fake_stripe: FakeStripe
) -> None:
    """20 concurrent deliveries of the same webhook and the success redirect at the same time (each with its own
    unit of work and connection, at the service level: the test client would serialize them): one payment; then
    20 concurrent runs of the vault credit: one EARN."""
    from adapters.db.tables.mentorship import mentorship_payments as payment_rows
    from core.mentorship.tasks import VAULT_CREDIT_TASK
    from core.vaults.model import CreditEarning

    client, container = keyed_client, keyed
    m, learner, s, clock = await _accepted(client, container)
    cs = (await client.post("/payments/stripe/initiate/", json={"session": s["id"]},
                            headers=learner.headers)).json()["session_id"]
    fake_stripe.pay(cs)
    body, headers = fake_stripe.event(cs)
    async with direct(container) as side:
        service = side.mentorship.payments()
        calls: list[Any] = [lambda: service.webhook("stripe", body, headers) for _ in range(20)]
        calls.append(lambda: service.redirect("stripe", provider_ref=cs))
        results = await _together(calls)
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert all(r is True for r in results[:20]) and results[20].endswith("/payment-success")
        async with side.platform.engine().connect() as conn:
            assert (await conn.execute(select(func.count()).select_from(payment_rows))).scalar_one() == 1
    await _annotate(client, clock, learner, s["id"])
    async with direct(container) as side:
        [task] = await side.platform.task_store().list(name=VAULT_CREDIT_TASK)
        payload = CreditEarning(**json.loads(task.payload))
        vaults = side.vaults.service()
        credited = await _together([lambda: vaults.credit_earning(payload) for _ in range(20)])
        assert [r for r in credited if isinstance(r, BaseException)] == []
        assert credited.count(True) <= 1  # the inline worker may have been first
    await _vault_after_credit(client, m, 16)
    assert await _entries(container, m.id) == [("EARN", 1600), ("FEE", 400)]
