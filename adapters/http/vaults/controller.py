"""Vault endpoints: the mentor's balance and transactions (documented), withdrawals and their settlement by
administrators (additions)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.pagination import page_link, page_request
from adapters.http.security import BEARER, Principal
from adapters.http.vaults.schemas import (
    AmountRead,
    SettleBody,
    TransactionPageRead,
    TransactionRead,
    ValueRead,
    VaultRead,
    WithdrawalPageRead,
    WithdrawalRead,
    WithdrawBody,
)
from adapters.http.wire import NO_NUL, Site
from core.shared.pagination import Page
from core.vaults.model import WITHDRAW, DisplayRate, Entry
from core.vaults.service import RequestWithdrawal, VaultService

__all__ = ("VaultAdminController", "VaultController", "display")

Vaults = NamedDependency[VaultService]
Me = NamedDependency[Principal]
Sites = NamedDependency[Site]
PageQuery = Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)]
Filter = Annotated[str | None, QueryParameter(max_length=40, pattern=NO_NUL)]
PAGE_SIZE = 10
_CENT = Decimal("0.01")

MENTORS_ONLY = " Mentors only; others get 403 `{\"detail\": \"This request is only available to mentors.\"}`."
ADMIN_ONLY = (
    " Administrators only; others get 403 `{\"detail\": \"You do not have permission to perform this action.\"}`."
)
DISPLAY = (
    " Amounts are shown in the mentor's currency: the vault's USD converted with the exchange rate of the country "
    "of the mentor's phone code (as the original; USD when there is none), in major units — an integer when whole, "
    "else two decimals."
)


def display(minor: int, rate: DisplayRate) -> int | float:
    """``minor`` USD cents in the display currency's major units (exact, rounded half up to the cent)."""
    value = Decimal(minor) / 100
    if rate.rate is not None:
        value *= Decimal(rate.rate)
    value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)


def _transaction(entry: Entry, rate: DisplayRate) -> TransactionRead:
    if entry.kind == WITHDRAW:
        extra: dict[str, Any] = {"status": entry.status, "method": entry.details.get("method", "")}
    else:
        extra = {"session_id": entry.session_id, "session_type": entry.session_type}
    return TransactionRead(
        id=entry.id,
        action=entry.kind,
        amount=ValueRead(value=display(entry.amount, rate), currency=rate.currency),
        extra_data=extra,
        timestamp=entry.created_at,
    )


def _withdrawal(entry: Entry) -> WithdrawalRead:
    details = {k: v for k, v in entry.details.items() if k != "method"}
    return WithdrawalRead(id=entry.id, mentor=entry.mentor_id, amount=entry.amount, currency=entry.currency,
                          method=entry.details.get("method", ""), account_details=details, status=entry.status,
                          requested_at=entry.created_at, settled_at=entry.settled_at)


def _links(site: Site, request: Request[Any, Any, Any], page: Page[Any]) -> tuple[str | None, str | None]:
    n = page.request.number
    return (page_link(site, request, n + 1) if page.has_next else None,
            page_link(site, request, n - 1) if page.has_previous else None)


class VaultController(Controller):
    path = "/mentor/vault"
    tags = ["Vaults"]

    @get(
        "/",
        summary="Retrieve Mentor Vault Data",
        description="The balance (`amount`) and the 10 most recent transactions (EARN +, WITHDRAW −; a pending "
        "withdrawal is already deducted)." + DISPLAY + MENTORS_ONLY,
        security=BEARER,
    )
    async def vault(self, vaults: Vaults, me: Me) -> VaultRead:
        view = await vaults.overview(me.user_id)
        return VaultRead(
            amount=AmountRead(amount=display(view.balance, view.rate), currency=view.rate.currency),
            recent_transaction_history=[_transaction(e, view.rate) for e in view.recent],
        )

    @get(
        "/transactions/",
        summary="Retrieve Vault Transactions",
        description="Every transaction, newest first: a list; with `?page=` a page of 10 "
        "`{count, next, previous, results}` (absolute links; past the last page → 404). EARN `extra_data`: "
        "`{session_id, session_type}`; WITHDRAW: `{status: pending|paid|failed, method}`." + DISPLAY + MENTORS_ONLY,
        security=BEARER,
    )
    async def transactions(
        self, request: Request[Any, Any, Any], vaults: Vaults, me: Me, site: Sites, page: PageQuery = None
    ) -> list[TransactionRead] | TransactionPageRead:
        wanted = page_request(page, PAGE_SIZE) if page is not None else None
        rate, result = await vaults.transactions(me.user_id, wanted)
        items = [_transaction(e, rate) for e in result.items]
        if wanted is None:
            return items
        next_link, previous = _links(site, request, result)
        return TransactionPageRead(count=result.total, next=next_link, previous=previous, results=items)

    @post(
        "/withdraw/",
        status_code=201,
        summary="Request a Vault Withdrawal",
        description="`amount` in minor units (cents) of `currency` (`USD`, the vault's currency), at least "
        "`VAULT_MINIMUM_WITHDRAWAL`; `method`: Bank Transfer | Crypto; `account_details` (Bank Transfer: "
        "`bank_name`, `account_number`, `account_holder`; Crypto: `wallet_address`). Creates a pending WITHDRAW "
        "transaction and reserves the amount; a balance too small → 400 `{\"error\": \"Insufficient vault balance "
        "for this withdrawal.\"}`. An administrator later marks it paid or failed (failed gives the amount back)."
        + MENTORS_ONLY,
        security=BEARER,
    )
    async def withdraw(self, data: JSONBody[WithdrawBody], vaults: Vaults, me: Me) -> TransactionRead:
        rate, entry = await vaults.withdraw(
            me.user_id,
            RequestWithdrawal(amount=data.amount, currency=data.currency, method=data.method,
                              account_details=dict(data.account_details)),
        )
        return _transaction(entry, rate)


class VaultAdminController(Controller):
    path = "/mentor/vault/admin"
    tags = ["Vaults"]

    @get(
        "/withdrawals/",
        summary="Admin Retrieve Withdrawals",
        description="Withdrawals of every mentor, oldest first, optionally of one `status` (pending|paid|failed; "
        "another value → 400 `{\"error\": \"Invalid status parameter\", \"valid_options\": [...]}`); amounts in "
        "minor units. Pages of 10 `{count, next, previous, results}`." + ADMIN_ONLY,
        security=BEARER,
    )
    async def withdrawals(
        self, request: Request[Any, Any, Any], vaults: Vaults, me: Me, site: Sites, status: Filter = None,
        page: PageQuery = None,
    ) -> WithdrawalPageRead:
        result = await vaults.withdrawals(me.user_id, status or None, page_request(page, PAGE_SIZE))
        next_link, previous = _links(site, request, result)
        return WithdrawalPageRead(count=result.total, next=next_link, previous=previous,
                                  results=[_withdrawal(e) for e in result.items])

    @put(
        "/withdrawals/",
        status_code=200,
        summary="Settle a Withdrawal",
        description="`withdrawal` (id) and `status`: `paid` (the money was sent) or `failed` (its amount returns "
        "to the mentor's balance). Only a pending withdrawal can be settled (else 400 `{\"error\": ...}`); an "
        "unknown id → 400 `{\"withdrawal\": [...]}`." + ADMIN_ONLY,
        security=BEARER,
    )
    async def settle(self, data: JSONBody[SettleBody], vaults: Vaults, me: Me) -> WithdrawalRead:
        return _withdrawal(await vaults.settle(me.user_id, data.withdrawal, data.status))
