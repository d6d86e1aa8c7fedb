"""The vault endpoints over HTTP: documented shapes (Retrieve Mentor Vault Data, Retrieve Vault Transactions),
401 without a token, 403 for non-mentors and non-administrators, malformed input → 400 JSON, the display currency,
withdrawals and their settlement, and a fixed number of statements per page."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.db.engine import StatementCounter
from tests.conftest import SignedUp, sign_up
from tests.e2e.feed_support import ours
from tests.e2e.profiles_support import make_admin
from tests.e2e.vaults_support import credit, make_mentor

pytestmark = [pytest.mark.anyio, pytest.mark.db]

TRANSACTION_KEYS = {"id", "action", "amount", "extra_data", "timestamp"}
WITHDRAWAL_KEYS = {"id", "mentor", "amount", "currency", "method", "account_details", "status", "requested_at",
                   "settled_at"}
PAGE_KEYS = {"count", "next", "previous", "results"}
WITHDRAWAL = {"amount": 2000, "currency": "USD", "method": "Bank Transfer",
              "account_details": {"bank_name": "Zenith", "account_number": "0123456789", "account_holder": "Ada"}}
MENTORS_ONLY = {"detail": "This request is only available to mentors."}


async def _set_naira(client: Any, container: Any, mentor: SignedUp) -> None:
    admin = await sign_up(client, container, "rates-admin@example.org")
    await make_admin(container, admin.id)
    countries = (await client.get("/info/country-permit/")).json()
    nigeria = next(c for c in countries if c["code"] == "+234")
    r = await client.post("/info/exchange-rate/set/", json={"country": nigeria["id"], "currency_name": "Naira",
                                                            "currency_initials": "NGN", "exchange_rate": 1500},
                          headers=admin.headers)
    assert r.status_code == 200, r.text
    r = await client.put("/user/profile-update/", json={"country_code": "+234"}, headers=mentor.headers)
    assert r.status_code == 201, r.text


async def test_vault_shape_in_usd_and_in_the_mentors_currency(client: Any, container: Any) -> None:
    mentor = await make_mentor(client, container, "mentor@example.org")
    r = await client.get("/mentor/vault/", headers=mentor.headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"amount": {"amount": 0, "currency": "USD"}, "recent_transaction_history": []}
    await credit(container, mentor.id, 2500, session_id=13)  # a USD 25 session: 20 earned, 5 fee
    body = (await client.get("/mentor/vault/", headers=mentor.headers)).json()
    assert set(body) == {"amount", "recent_transaction_history"}
    assert body["amount"] == {"amount": 20, "currency": "USD"}
    [item] = body["recent_transaction_history"]
    assert set(item) == TRANSACTION_KEYS and item["action"] == "EARN"
    assert item["amount"] == {"value": 20, "currency": "USD"}
    assert item["extra_data"] == {"session_id": 13, "session_type": "individual"}
    await credit(container, mentor.id, 1001)  # 8.01 earned (fee 2.002 → 2.00): cents are shown as two decimals
    assert (await client.get("/mentor/vault/", headers=mentor.headers)).json()["amount"]["amount"] == 28.01
    await _set_naira(client, container, mentor)
    body = (await client.get("/mentor/vault/", headers=mentor.headers)).json()
    assert body["amount"] == {"amount": 42015, "currency": "NGN"}  # 28.01 × 1500
    assert body["recent_transaction_history"][-1]["amount"] == {"value": 30000, "currency": "NGN"}
    listed = (await client.get("/mentor/vault/transactions/", headers=mentor.headers)).json()
    assert [t["amount"]["value"] for t in listed] == [12015, 30000]


async def test_vault_needs_a_token_and_a_mentor(client: Any, container: Any) -> None:
    for method, path in (("GET", "/mentor/vault/"), ("GET", "/mentor/vault/transactions/"),
                         ("POST", "/mentor/vault/withdraw/"), ("GET", "/mentor/vault/admin/withdrawals/"),
                         ("PUT", "/mentor/vault/admin/withdrawals/")):
        r = await client.request(method, path, json={} if method != "GET" else None)
        assert r.status_code == 401 and "detail" in r.json(), (path, r.text)
    learner = await sign_up(client, container, "learner@example.org")
    for method, path, body in (("GET", "/mentor/vault/", None), ("GET", "/mentor/vault/transactions/", None),
                               ("POST", "/mentor/vault/withdraw/", WITHDRAWAL)):
        r = await client.request(method, path, json=body, headers=learner.headers)
        assert r.status_code == 403 and r.json() == MENTORS_ONLY, (path, r.text)


async def test_each_mentor_sees_only_their_own_vault(client: Any, container: Any) -> None:
    ada = await make_mentor(client, container, "ada@example.org")
    bob = await make_mentor(client, container, "bob@example.org")
    await credit(container, ada.id, 10_000, session_id=41)
    r = await client.get("/mentor/vault/", headers=bob.headers)
    assert r.json() == {"amount": {"amount": 0, "currency": "USD"}, "recent_transaction_history": []}
    assert (await client.get("/mentor/vault/transactions/", headers=bob.headers)).json() == []
    assert (await client.post("/mentor/vault/withdraw/", json=WITHDRAWAL, headers=bob.headers)).status_code == 400
    assert (await client.get("/mentor/vault/", headers=ada.headers)).json()["amount"]["amount"] == 80


async def test_transactions_list_and_pages(client: Any, container: Any) -> None:
    mentor = await make_mentor(client, container, "mentor@example.org")
    await credit(container, mentor.id, 1000, session_id=1)

    async def listing(query: str = "") -> tuple[Any, int]:
        counter = StatementCounter()
        engine = container.platform.engine()
        counter.attach(engine)
        try:
            with counter.measure() as seen:
                r = await client.get(f"/mentor/vault/transactions/{query}", headers=mentor.headers)
        finally:
            counter.detach(engine)
        assert r.status_code == 200, r.text
        return r.json(), len(ours(seen))

    one, small = await listing("?page=1")
    assert set(one) == PAGE_KEYS and one["count"] == 1 and one["next"] is None and one["previous"] is None
    for n in range(2, 13):
        await credit(container, mentor.id, 1000, session_id=n)
    everything, _ = await listing()
    assert isinstance(everything, list) and len(everything) == 12
    assert [t["extra_data"]["session_id"] for t in everything] == list(range(12, 0, -1))
    assert all(set(t) == TRANSACTION_KEYS for t in everything)
    first, large = await listing("?page=1")
    assert large == small  # a page costs the same statements whatever the ledger's size
    assert first["count"] == 12 and len(first["results"]) == 10
    assert first["next"].endswith("/mentor/vault/transactions/?page=2") and first["previous"] is None
    second, _ = await listing("?page=2")
    assert len(second["results"]) == 2 and second["next"] is None
    assert second["previous"].endswith("/mentor/vault/transactions/")
    assert len((await client.get("/mentor/vault/", headers=mentor.headers)).json()["recent_transaction_history"]) == 10
    for bad in ("?page=3", "?page=0", "?page=abc"):
        r = await client.get(f"/mentor/vault/transactions/{bad}", headers=mentor.headers)
        assert r.status_code == 404 and r.json() == {"detail": "Invalid page."}, bad


async def test_withdraw_reserves_funds_and_refuses_bad_input(client: Any, container: Any) -> None:
    mentor = await make_mentor(client, container, "mentor@example.org")
    await credit(container, mentor.id, 5000)  # 40.00 available
    r = await client.post("/mentor/vault/withdraw/", json={**WITHDRAWAL, "amount": 3000}, headers=mentor.headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == TRANSACTION_KEYS and body["action"] == "WITHDRAW"
    assert body["amount"] == {"value": 30, "currency": "USD"}
    assert body["extra_data"] == {"status": "pending", "method": "Bank Transfer"}
    assert (await client.get("/mentor/vault/", headers=mentor.headers)).json()["amount"]["amount"] == 10
    r = await client.post("/mentor/vault/withdraw/", json={**WITHDRAWAL, "amount": 2000}, headers=mentor.headers)
    assert r.status_code == 400 and r.json() == {"error": "Insufficient vault balance for this withdrawal."}
    for change, field in (
        ({"amount": 1999}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"currency": "NGN"}, "currency"),
        ({"method": "Cash"}, "method"),
        ({"account_details": {"bank_name": "Zenith"}}, "account_details"),
        ({"account_details": "0123456789"}, "account_details"),
    ):
        r = await client.post("/mentor/vault/withdraw/", json={**WITHDRAWAL, **change}, headers=mentor.headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), (change, r.text)
        assert field in r.text, (change, r.text)
    r = await client.post("/mentor/vault/withdraw/", json={"amount": 2000}, headers=mentor.headers)
    assert r.status_code == 400 and isinstance(r.json(), dict)
    r = await client.post("/mentor/vault/withdraw/", content=b"{nope",
                          headers={**mentor.headers, "Content-Type": "application/json"})
    assert r.status_code == 400 and isinstance(r.json(), dict)
    assert (await client.get("/mentor/vault/", headers=mentor.headers)).json()["amount"]["amount"] == 10


async def test_administrators_settle_withdrawals(client: Any, container: Any) -> None:
    mentor = await make_mentor(client, container, "mentor@example.org")
    admin = await sign_up(client, container, "admin@example.org")
    await make_admin(container, admin.id)
    await credit(container, mentor.id, 10_000)  # 80.00
    ids = []
    for amount in (3000, 2000):
        r = await client.post("/mentor/vault/withdraw/", json={**WITHDRAWAL, "amount": amount},
                              headers=mentor.headers)
        ids.append(r.json()["id"])
    for who in (mentor,):
        r = await client.get("/mentor/vault/admin/withdrawals/", headers=who.headers)
        assert r.status_code == 403 and "detail" in r.json()
        r = await client.put("/mentor/vault/admin/withdrawals/", json={"withdrawal": ids[0], "status": "paid"},
                             headers=who.headers)
        assert r.status_code == 403 and "detail" in r.json()
    r = await client.get("/mentor/vault/admin/withdrawals/?status=pending", headers=admin.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS and r.json()["count"] == 2
    item = r.json()["results"][0]
    assert set(item) == WITHDRAWAL_KEYS
    assert (item["mentor"], item["amount"], item["currency"], item["method"], item["status"]) == (
        mentor.id, 3000, "USD", "Bank Transfer", "pending")
    assert item["account_details"] == WITHDRAWAL["account_details"]
    r = await client.put("/mentor/vault/admin/withdrawals/", json={"withdrawal": ids[0], "status": "paid"},
                         headers=admin.headers)
    assert r.status_code == 200 and set(r.json()) == WITHDRAWAL_KEYS and r.json()["status"] == "paid"
    r = await client.put("/mentor/vault/admin/withdrawals/", json={"withdrawal": ids[1], "status": "failed"},
                         headers=admin.headers)
    assert r.status_code == 200 and r.json()["status"] == "failed" and r.json()["settled_at"]
    assert (await client.get("/mentor/vault/", headers=mentor.headers)).json()["amount"]["amount"] == 50
    listed = (await client.get("/mentor/vault/transactions/", headers=mentor.headers)).json()
    assert [t["extra_data"].get("status") for t in listed] == ["failed", "paid", None]
    for body in ({"withdrawal": ids[1], "status": "paid"}, {"withdrawal": ids[0], "status": "lost"},
                 {"withdrawal": 999999, "status": "paid"}, {"withdrawal": "x", "status": "paid"}, {}):
        r = await client.put("/mentor/vault/admin/withdrawals/", json=body, headers=admin.headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), (body, r.text)
    r = await client.get("/mentor/vault/admin/withdrawals/?status=lost", headers=admin.headers)
    assert r.status_code == 400 and r.json()["error"] == "Invalid status parameter"
    assert (await client.get("/mentor/vault/admin/withdrawals/?status=pending", headers=admin.headers)).json()[
        "count"] == 0
