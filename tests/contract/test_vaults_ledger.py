"""The vault ledger over the memory twin and SQL (SQLite, PostgreSQL when configured): the same answers from both,
and — on SQL — concurrency: deliveries of one earning credit once, withdrawals never overdraw, settlement races
settle once. Each concurrent call has its own unit of work and connection (the service level, as the ecosystem
notes advise: the test client serializes requests)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from adapters.db.tables.vaults import vault_entries, vaults
from bootstrap.container import AppContainer
from core.accounts.model.users import UserType
from core.shared.errors import Conflict, InvalidInput
from core.vaults.model import EARN, FAILED, PAID, WITHDRAW, CreditEarning, Entry
from core.vaults.service import RequestWithdrawal
from tests.conftest import build_test_container, make_settings
from tests.unit.test_profiles_service import add_user

pytestmark = [pytest.mark.anyio, pytest.mark.db]

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
BANK = {"bank_name": "Bank", "account_number": "0123456789", "account_holder": "Ada"}


@pytest.fixture(params=["memory", "sql"])
def c(request: pytest.FixtureRequest, tmp_path: Path) -> AppContainer:
    if request.param == "sql":
        settings = make_settings(tmp_path, request.getfixturevalue("database_url"), db_pool_size=60)
    else:
        settings = make_settings(tmp_path)
    return build_test_container(settings, request.param)


@pytest.fixture
def sql(tmp_path: Path, database_url: str) -> AppContainer:
    return build_test_container(make_settings(tmp_path, database_url, db_pool_size=60), "sql")


def _earning(mentor: int, key: str = "stripe:1", amount: int = 5000) -> CreditEarning:
    return CreditEarning(mentor_id=mentor, session_id=3, session_type="group", payment_key=key, amount=amount)


async def test_ledger_port_behaves_alike(c: AppContainer) -> None:
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    async with c.vaults.uow() as uow:
        vault = await uow.ledger.lock(mentor, "USD", NOW)
        assert (vault.mentor_id, vault.balance, vault.currency) == (mentor, 0, "USD")
        again = await uow.ledger.lock(mentor, "USD", NOW)  # get-or-create is idempotent
        assert again.balance == 0
        first = await uow.ledger.append(Entry(mentor_id=mentor, kind=EARN, amount=700, idempotency_key="k1",
                                              session_id=9, session_type="individual", created_at=NOW))
        assert first.id > 0
        with pytest.raises(Conflict):
            await uow.ledger.append(Entry(mentor_id=mentor, kind=EARN, amount=1, idempotency_key="k1",
                                          created_at=NOW))
        assert await uow.ledger.move(mentor, 700, NOW) == 700
        assert await uow.ledger.move(mentor, -701, NOW) is None  # never below zero
        assert await uow.ledger.move(mentor, -700, NOW) == 0
        found = await uow.ledger.by_key("k1")
        assert found is not None and (found.id, found.amount, found.session_id, found.details) == (first.id, 700, 9, {})
        assert await uow.ledger.by_key("nope") is None
        await uow.commit()
    async with c.vaults.uow() as uow:
        assert (await uow.ledger.vault(mentor)).balance == 0  # type: ignore[union-attr]
        assert await uow.ledger.vault(mentor + 1000) is None
        assert await uow.mentors.is_mentor(mentor)
        assert (await uow.mentors.display_rate(mentor)).currency == "USD"


async def test_service_answers_alike(c: AppContainer) -> None:
    service = c.vaults.service()
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    learner = await add_user(c, "l@example.org")
    admin = (await c.accounts.admin().create_admin("admin@example.org", "Passw0rd!")).id
    async with c.vaults.uow() as uow:
        assert not await uow.mentors.is_mentor(learner) and not await uow.mentors.is_mentor(admin)
    for n in range(3):
        assert await service.credit_earning(_earning(mentor, key=f"p{n}", amount=1001))
    assert not await service.credit_earning(_earning(mentor, key="p1", amount=1001))
    _, w1 = await service.withdraw(mentor, RequestWithdrawal(amount=2000, currency="USD", method="Bank Transfer",
                                                             account_details=BANK))
    with pytest.raises(InvalidInput):
        await service.withdraw(mentor, RequestWithdrawal(amount=2000, currency="USD", method="Bank Transfer",
                                                         account_details=BANK))
    view = await service.overview(mentor)
    assert view.balance == 3 * 801 - 2000
    assert [(e.kind, e.amount) for e in view.recent] == [(WITHDRAW, 2000), (EARN, 801), (EARN, 801), (EARN, 801)]
    assert view.recent[0].details == {"method": "Bank Transfer", **BANK}
    await service.settle(admin, w1.id, FAILED)
    assert (await service.overview(mentor)).balance == 3 * 801
    _, page = await service.transactions(mentor, None)
    assert page.total == 4 and page.items[0].status == FAILED and page.items[0].settled_by == admin


async def _warm(container: AppContainer, n: int) -> None:
    """Open ``n`` pooled connections one after the other (and give them back), so that the concurrent calls below
    wait for row locks, not for connection set-up (1 s connect timeout) on a loaded machine."""
    from contextlib import AsyncExitStack

    if container.platform.settings().database.url.startswith("sqlite"):
        return  # one writer connection: SQLite's writers queue on its lock, there is no pool to warm
    async with AsyncExitStack() as stack:
        for _ in range(n):
            await stack.enter_async_context(container.platform.writer().connect())


async def _together(calls: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
    gate = asyncio.Event()

    async def run(call: Callable[[], Awaitable[Any]]) -> Any:
        await gate.wait()
        return await call()

    tasks = [asyncio.ensure_future(run(call)) for call in calls]
    await asyncio.sleep(0)
    gate.set()
    return await asyncio.gather(*tasks, return_exceptions=True)


async def _rows(container: AppContainer, mentor: int) -> tuple[int, list[tuple[str, int, str]]]:
    async with container.platform.engine().connect() as conn:
        balance = (await conn.execute(select(vaults.c.balance).where(vaults.c.mentor_id == mentor))).scalar_one()
        entries = (await conn.execute(
            select(vault_entries.c.kind, vault_entries.c.amount, vault_entries.c.status)
            .where(vault_entries.c.mentor_id == mentor).order_by(vault_entries.c.id)
        )).all()
    return int(balance), [(str(k), int(a), str(s)) for k, a, s in entries]


async def test_twenty_concurrent_deliveries_credit_once(sql: AppContainer) -> None:
    service = sql.vaults.service()
    mentor = await add_user(sql, "m@example.org", UserType.MENTOR)
    await _warm(sql, 20)
    results = await _together([lambda: service.credit_earning(_earning(mentor)) for _ in range(20)])
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert results.count(True) == 1
    balance, entries = await _rows(sql, mentor)
    assert balance == 4000 and entries == [("EARN", 4000, "completed"), ("FEE", 1000, "completed")]
    await sql.platform.engine().dispose()


async def test_fifty_concurrent_withdrawals_never_overdraw(sql: AppContainer) -> None:
    service = sql.vaults.service()
    mentor = await add_user(sql, "m@example.org", UserType.MENTOR)
    await service.credit_earning(_earning(mentor, amount=12_500))  # 10 000 available
    cmd = RequestWithdrawal(amount=3000, currency="USD", method="Bank Transfer", account_details=BANK)
    await _warm(sql, 50)
    results = await _together([lambda: service.withdraw(mentor, cmd) for _ in range(50)])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, InvalidInput) for e in errors), [e for e in errors if not isinstance(e, InvalidInput)][:3]
    assert len(results) - len(errors) == 3  # floor(10 000 / 3 000)
    balance, entries = await _rows(sql, mentor)
    assert balance == 1000
    assert [e for e in entries if e[0] == "WITHDRAW"] == [("WITHDRAW", 3000, "pending")] * 3
    await sql.platform.engine().dispose()


async def test_concurrent_settlements_settle_once(sql: AppContainer) -> None:
    service = sql.vaults.service()
    mentor = await add_user(sql, "m@example.org", UserType.MENTOR)
    admin = (await sql.accounts.admin().create_admin("admin@example.org", "Passw0rd!")).id
    await service.credit_earning(_earning(mentor, amount=12_500))
    _, pending = await service.withdraw(mentor, RequestWithdrawal(amount=3000, currency="USD",
                                                                  method="Bank Transfer", account_details=BANK))
    results = await _together([lambda s=s: service.settle(admin, pending.id, s) for s in [FAILED, PAID] * 10])
    done = [r for r in results if not isinstance(r, BaseException)]
    assert len(done) == 1 and all(isinstance(r, InvalidInput) for r in results if r not in done)
    balance, _ = await _rows(sql, mentor)
    assert balance == (10_000 if done[0].status == FAILED else 7000)
    await sql.platform.engine().dispose()


async def test_the_database_refuses_a_negative_balance_and_bad_entries(sql: AppContainer) -> None:
    mentor = await add_user(sql, "m@example.org", UserType.MENTOR)
    await sql.vaults.service().credit_earning(_earning(mentor))
    engine = sql.platform.engine()
    for statement in (
        update(vaults).where(vaults.c.mentor_id == mentor).values(balance=-1),
        update(vault_entries).where(vault_entries.c.mentor_id == mentor).values(amount=0),
        update(vault_entries).where(vault_entries.c.mentor_id == mentor).values(kind="GIFT"),
        update(vault_entries).where(vault_entries.c.mentor_id == mentor).values(status="lost"),
    ):
        async with engine.connect() as conn:
            with pytest.raises(IntegrityError):
                await conn.execute(statement)
    async with engine.connect() as conn:
        count = (await conn.execute(select(func.count()).select_from(vault_entries))).scalar_one()
        assert count == 2
        await conn.execute(text("SELECT 1"))
    await engine.dispose()
