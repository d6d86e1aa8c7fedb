"""The vault ledger on the memory profile: the fee split and its rounding, crediting exactly once per payment,
withdrawals that reserve funds and never overdraw, settlement by administrators (failed gives the funds back),
who may see a vault, and the display currency."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from adapters.db.vaults import ENTRIES, VAULTS
from bootstrap.container import AppContainer
from bootstrap.domains.vaults import CREDIT_EARNING_TASK
from core.accounts.model.users import UserType
from core.content.service import SetExchangeRate
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from core.shared.pagination import PageRequest
from core.tasks.registry import PermanentTaskError
from core.vaults.model import EARN, FAILED, FEE, PAID, PENDING, WITHDRAW, CreditEarning, WithdrawalSettled, split_fee
from core.vaults.service import MENTORS_ONLY, RequestWithdrawal
from tests.conftest import build_test_container, make_settings
from tests.unit.test_profiles_service import add_user

pytestmark = [pytest.mark.anyio]

BANK = {"bank_name": "Bank", "account_number": "0123456789", "account_holder": "Ada Mentor"}


def _earning(mentor: int, key: str = "stripe:1", amount: int = 5000, session: int = 7) -> CreditEarning:
    return CreditEarning(mentor_id=mentor, session_id=session, session_type="individual", payment_key=key,
                         amount=amount)


def _withdrawal(amount: int, method: str = "Bank Transfer", **details: str) -> RequestWithdrawal:
    return RequestWithdrawal(amount=amount, currency="USD", method=method, account_details=details or BANK)


async def _admin(c: AppContainer) -> int:
    return (await c.accounts.admin().create_admin("admin@example.org", "Passw0rd!")).id


def test_fee_split_rounds_the_fee_down_and_always_adds_up() -> None:
    assert split_fee(5000, 2000) == (4000, 1000)
    assert split_fee(999, 2000) == (800, 199)  # 199.8 cents of fee → 199: the fraction stays with the mentor
    assert split_fee(1, 2000) == (1, 0)
    assert split_fee(12345, 0) == (12345, 0)
    assert split_fee(12345, 10_000) == (0, 12345)
    for price in range(0, 2000, 7):
        for bps in (0, 1, 1999, 2000, 3333, 10_000):
            earning, fee = split_fee(price, bps)
            assert earning + fee == price and earning >= 0 and fee >= 0
    with pytest.raises(ValueError):
        split_fee(100, 10_001)


async def test_crediting_writes_earn_and_fee_once_per_payment(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.vaults.service()
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    assert await service.credit_earning(_earning(mentor)) is True
    assert await service.credit_earning(_earning(mentor)) is False  # retried: nothing more
    store = c.platform.store()
    entries = sorted(store.committed(ENTRIES).values(), key=lambda e: e.id)
    assert [(e.kind, e.amount, e.idempotency_key, e.session_id) for e in entries] == [
        (EARN, 4000, "earn:stripe:1", 7),
        (FEE, 1000, "fee:stripe:1", 7),
    ]
    assert store.committed(VAULTS)[mentor].balance == 4000
    await service.credit_earning(_earning(mentor, key="flutterwave:9", amount=999, session=8))
    assert store.committed(VAULTS)[mentor].balance == 4800
    view = await service.overview(mentor)
    assert view.balance == 4800 and [e.kind for e in view.recent] == [EARN, EARN]  # FEE entries are not shown


async def test_concurrent_deliveries_credit_once(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.vaults.service()
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    results = await asyncio.gather(*(service.credit_earning(_earning(mentor)) for _ in range(20)))
    assert results.count(True) == 1
    assert c.platform.store().committed(VAULTS)[mentor].balance == 4000
    assert len(c.platform.store().committed(ENTRIES)) == 2


async def test_the_task_handler_credits_and_gives_up_on_impossible_payloads(memory_container: AppContainer) -> None:
    from bootstrap.domains.vaults import DOMAIN

    c = memory_container
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    handler = DOMAIN.tasks[CREDIT_EARNING_TASK](c.vaults)
    await handler.run(_earning(mentor))
    await handler.run(_earning(mentor))
    assert c.platform.store().committed(VAULTS)[mentor].balance == 4000
    for bad in (
        CreditEarning(mentor_id=mentor, session_id=1, session_type="individual", payment_key="k", amount=0),
        CreditEarning(mentor_id=mentor, session_id=1, session_type="individual", payment_key="k", amount=10,
                      currency="NGN"),
        CreditEarning(mentor_id=mentor, session_id=1, session_type="duo", payment_key="k", amount=10),
        CreditEarning(mentor_id=mentor, session_id=1, session_type="individual", payment_key="", amount=10),
    ):
        with pytest.raises(PermanentTaskError):
            await handler.run(bad)


async def test_the_fee_is_a_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = build_test_container(make_settings(tmp_path, platform_fee_basis_points=1500), "memory")
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    await c.vaults.service().credit_earning(_earning(mentor, amount=10_000))
    assert c.platform.store().committed(VAULTS)[mentor].balance == 8500


async def test_withdrawals_reserve_funds_and_never_overdraw(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.vaults.service()
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    await service.credit_earning(_earning(mentor, amount=10_000))  # 8000 available
    _, first = await service.withdraw(mentor, _withdrawal(5000))
    assert (first.kind, first.status, first.amount, first.details["method"]) == (WITHDRAW, PENDING, 5000,
                                                                                  "Bank Transfer")
    assert (await service.overview(mentor)).balance == 3000
    with pytest.raises(InvalidInput) as short:
        await service.withdraw(mentor, _withdrawal(3001))
    assert short.value.body == {"error": "Insufficient vault balance for this withdrawal."}
    results = await asyncio.gather(*(service.withdraw(mentor, _withdrawal(2000)) for _ in range(5)),
                                   return_exceptions=True)
    assert sum(1 for r in results if not isinstance(r, BaseException)) == 1
    assert (await service.overview(mentor)).balance == 1000


async def test_withdrawal_input_is_checked(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.vaults.service()
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    await service.credit_earning(_earning(mentor, amount=100_000))
    cases = [
        (_withdrawal(1999), "amount"),  # below VAULT_MINIMUM_WITHDRAWAL (USD 20)
        (RequestWithdrawal(amount=5000, currency="NGN", method="Bank Transfer", account_details=BANK), "currency"),
        (_withdrawal(5000, method="Cash"), "method"),
        (_withdrawal(5000, bank_name="B"), "account_details"),  # no account number
        (_withdrawal(5000, "Crypto", network="TRC20"), "account_details"),  # no wallet
        (_withdrawal(5000, **{**BANK, "note": "x" * 201}), "account_details"),
    ]
    for cmd, field in cases:
        with pytest.raises(InvalidInput) as bad:
            await service.withdraw(mentor, cmd)
        assert list(bad.value.body) == [field], bad.value.body
    _, ok = await service.withdraw(mentor, _withdrawal(2000, "Crypto", wallet_address="T9x"))
    assert ok.details == {"method": "Crypto", "wallet_address": "T9x"}


async def test_only_mentors_have_vaults(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.vaults.service()
    learner = await add_user(c, "l@example.org")
    employer = await add_user(c, "e@example.org", UserType.EMPLOYER)
    for who in (learner, employer):
        with pytest.raises(PermissionDenied) as refused:
            await service.overview(who)
        assert refused.value.message == MENTORS_ONLY
        with pytest.raises(PermissionDenied):
            await service.transactions(who, None)
        with pytest.raises(PermissionDenied):
            await service.withdraw(who, _withdrawal(2000))


async def test_settlement_by_administrators(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.vaults.service()
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    admin = await _admin(c)
    await service.credit_earning(_earning(mentor, amount=10_000))
    _, paid = await service.withdraw(mentor, _withdrawal(3000))
    _, failed = await service.withdraw(mentor, _withdrawal(2000))
    assert (await service.overview(mentor)).balance == 3000
    with pytest.raises(PermissionDenied):
        await service.settle(mentor, paid.id, PAID)
    with pytest.raises(PermissionDenied):
        await service.withdrawals(mentor, None, PageRequest(1, 10))
    with pytest.raises(InvalidInput):
        await service.settle(admin, paid.id, "pending")
    with pytest.raises(InvalidInput) as unknown:
        await service.settle(admin, 9999, PAID)
    assert list(unknown.value.body) == ["withdrawal"]
    earn = next(e for e in (await service.transactions(mentor, None))[1].items if e.kind == EARN)
    with pytest.raises(InvalidInput):
        await service.settle(admin, earn.id, PAID)  # not a withdrawal
    settled = await service.settle(admin, paid.id, PAID)
    assert (settled.status, settled.settled_by) == (PAID, admin)
    assert (await service.overview(mentor)).balance == 3000  # the money left
    await service.settle(admin, failed.id, FAILED)
    assert (await service.overview(mentor)).balance == 5000  # released
    for entry_id in (paid.id, failed.id):
        with pytest.raises(InvalidInput) as again:
            await service.settle(admin, entry_id, FAILED)
        assert "already" in str(again.value.body["error"])
    assert (await service.overview(mentor)).balance == 5000
    pending = await service.withdrawals(admin, PENDING, PageRequest(1, 10))
    everything = await service.withdrawals(admin, None, PageRequest(1, 10))
    assert pending.total == 0 and [e.id for e in everything.items] == [paid.id, failed.id]
    with pytest.raises(InvalidInput):
        await service.withdrawals(admin, "lost", PageRequest(1, 10))
    with pytest.raises(NotFound):
        await service.withdrawals(admin, None, PageRequest(2, 10))
    published = c.platform.event_bus().published  # type: ignore[attr-defined]
    assert [e.status for e in published if isinstance(e, WithdrawalSettled)] == [PAID, FAILED]


async def test_transactions_pages_newest_first(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.vaults.service()
    mentor = await add_user(c, "m@example.org", UserType.MENTOR)
    for n in range(12):
        await service.credit_earning(_earning(mentor, key=f"p{n}", session=n))
    _, everything = await service.transactions(mentor, None)
    assert everything.total == 12 and [e.session_id for e in everything.items] == list(range(11, -1, -1))
    _, second = await service.transactions(mentor, PageRequest(2, 10))
    assert [e.session_id for e in second.items] == [1, 0] and second.has_previous and not second.has_next
    assert len((await service.overview(mentor)).recent) == 10
    with pytest.raises(NotFound):
        await service.transactions(mentor, PageRequest(3, 10))


async def test_display_rate_is_the_mentors_country(memory_container: AppContainer) -> None:
    c = memory_container
    admin = await _admin(c)
    nigeria = next(x for x in await c.content.service().countries() if x.code == "+234")
    await c.content.service().set_rate(
        admin, SetExchangeRate(country=nigeria.id, currency_name="Naira", currency_initials="NGN",
                               exchange_rate=Decimal("1500"))
    )
    lagos = await add_user(c, "lagos@example.org", UserType.MENTOR, country_code="+234")
    elsewhere = await add_user(c, "else@example.org", UserType.MENTOR)
    assert (await c.vaults.service().overview(lagos)).rate.currency == "NGN"
    assert (await c.vaults.service().overview(lagos)).rate.rate == "1500"
    assert (await c.vaults.service().overview(elsewhere)).rate.currency == "USD"
