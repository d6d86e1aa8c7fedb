"""Vault use cases: crediting a completed paid session (the ``vaults.credit-earning`` task), the mentor's balance
and transactions, withdrawals, and the administrators' settlement of withdrawals.

Exactly once: the earning's entries carry idempotency keys derived from the payment (``earn:<payment_key>``,
``fee:<payment_key>``) and are written under the vault's row lock after checking the key, with the UNIQUE
constraint behind it — a retried or concurrently delivered task finds the key and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from core.shared.errors import Conflict, InvalidInput, PermissionDenied
from core.shared.pagination import Page, PageRequest
from core.vaults.model import (
    CANONICAL_CURRENCY,
    EARN,
    FAILED,
    FEE,
    PAID,
    PENDING,
    WITHDRAW,
    WITHDRAWAL_STATUSES,
    CreditEarning,
    DisplayRate,
    Entry,
    WithdrawalRequested,
    split_fee,
)
from ports.events import EventPublisher
from ports.staff import ADMIN_ONLY_MESSAGE, StaffDirectory
from ports.system import Clock
from ports.vaults import VaultsUnitOfWork

__all__ = (
    "MENTORS_ONLY",
    "METHODS",
    "RECENT",
    "SESSION_TYPES",
    "Overview",
    "RequestWithdrawal",
    "VaultService",
)

MENTORS_ONLY = "This request is only available to mentors."
RECENT = 10
METHODS = ("Bank Transfer", "Crypto")
SESSION_TYPES = ("individual", "group")
INSUFFICIENT = "Insufficient vault balance for this withdrawal."
MAX_DETAILS = 10
MAX_DETAIL_LENGTH = 200
_REQUIRED_DETAILS = {"Bank Transfer": ("bank_name", "account_number", "account_holder"), "Crypto": ("wallet_address",)}


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestWithdrawal:
    amount: int
    """Minor units of ``currency``."""
    currency: str
    method: str
    account_details: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Overview:
    balance: int
    currency: str
    rate: DisplayRate
    recent: list[Entry]


class VaultService:
    __slots__ = ("_clock", "_events", "_fee_bps", "_minimum", "_staff", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], VaultsUnitOfWork],
        staff: StaffDirectory,
        clock: Clock,
        events: EventPublisher,
        fee_basis_points: int = 2000,
        minimum_withdrawal: int = 2000,
    ) -> None:
        if not 0 <= fee_basis_points <= 10_000:
            raise ValueError("the platform fee is 0 to 10000 basis points")
        self._uow = uow
        self._staff = staff
        self._clock = clock
        self._events = events
        self._fee_bps = fee_basis_points
        self._minimum = minimum_withdrawal

    @property
    def minimum_withdrawal(self) -> int:
        return self._minimum

    # ------------------------------------------------------------------ crediting (the task)

    async def credit_earning(self, cmd: CreditEarning) -> bool:
        """Credit ``cmd.amount`` minus the platform fee to the mentor, once per ``payment_key``: ``True`` when this
        call wrote the entries, ``False`` when they were already there. Raises ``InvalidInput`` for a payload that
        can never be credited (the task gives up)."""
        if not cmd.payment_key or len(cmd.payment_key) > 180:
            raise InvalidInput.field("payment_key", "A payment key of at most 180 characters is required.")
        if cmd.amount <= 0:
            raise InvalidInput.field("amount", "A paid session's price is positive.")
        if cmd.currency != CANONICAL_CURRENCY:
            raise InvalidInput.field("currency", f"Earnings are credited in {CANONICAL_CURRENCY}.")
        if cmd.session_type not in SESSION_TYPES:
            raise InvalidInput.field("session_type", "individual or group.")
        earning, fee = split_fee(cmd.amount, self._fee_bps)
        earn_key, fee_key = f"earn:{cmd.payment_key}", f"fee:{cmd.payment_key}"
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.ledger.lock(cmd.mentor_id, CANONICAL_CURRENCY, now)
            if await uow.ledger.by_key(earn_key) is not None:
                return False

            def entry(kind: str, amount: int, key: str) -> Entry:
                return Entry(mentor_id=cmd.mentor_id, kind=kind, amount=amount, currency=CANONICAL_CURRENCY,
                             idempotency_key=key, session_id=cmd.session_id, session_type=cmd.session_type,
                             details={"payment": cmd.payment_key, "price": str(cmd.amount)}, created_at=now)

            try:
                if earning > 0:
                    await uow.ledger.append(entry(EARN, earning, earn_key))
                if fee > 0:
                    await uow.ledger.append(entry(FEE, fee, fee_key))
            except Conflict:  # written meanwhile by another delivery (the lock makes this a backstop only)
                return False
            if earning > 0 and await uow.ledger.move(cmd.mentor_id, earning, now) is None:
                raise RuntimeError("crediting cannot make a balance negative")
            uow.views_changed(cmd.mentor_id)
            await uow.commit()
        return True

    # ------------------------------------------------------------------ the mentor

    async def _require_mentor(self, uow: VaultsUnitOfWork, actor_id: int) -> None:
        if not await uow.mentors.is_mentor(actor_id):
            raise PermissionDenied(MENTORS_ONLY)

    async def overview(self, actor_id: int) -> Overview:
        async with self._uow() as uow:
            await self._require_mentor(uow, actor_id)
            # Entries first, then the balance: each statement sees every transaction committed before it (read
            # committed), and an entry commits with its balance change, so the balance covers every entry shown.
            recent = await uow.ledger.recent(actor_id, RECENT)
            vault = await uow.ledger.vault(actor_id)
            rate = await uow.mentors.display_rate(actor_id)
        return Overview(
            balance=vault.balance if vault else 0,
            currency=vault.currency if vault else CANONICAL_CURRENCY,
            rate=rate,
            recent=recent,
        )

    async def transactions(self, actor_id: int, request: PageRequest | None) -> tuple[DisplayRate, Page[Entry]]:
        """Every visible entry newest first (one page holding all when ``request`` is ``None``)."""
        async with self._uow() as uow:
            await self._require_mentor(uow, actor_id)
            rate = await uow.mentors.display_rate(actor_id)
            if request is None:
                items, total = await uow.ledger.page(actor_id, 0, 1_000_000)
                return rate, Page(items, total, PageRequest(1, max(1, total)))
            items, total = await uow.ledger.page(actor_id, request.offset, request.size)
        return rate, Page(items, total, request).check_in_range()

    async def withdraw(self, actor_id: int, cmd: RequestWithdrawal) -> tuple[DisplayRate, Entry]:
        """A pending WITHDRAW entry reserving ``amount`` of the balance (400 when the balance is short)."""
        details = self._check_withdrawal(cmd)
        now = self._clock.now()
        async with self._uow() as uow:
            await self._require_mentor(uow, actor_id)
            await uow.ledger.lock(actor_id, CANONICAL_CURRENCY, now)
            if await uow.ledger.move(actor_id, -cmd.amount, now) is None:
                raise InvalidInput.error(INSUFFICIENT)
            entry = await uow.ledger.append(
                Entry(mentor_id=actor_id, kind=WITHDRAW, amount=cmd.amount, currency=CANONICAL_CURRENCY,
                      idempotency_key=f"withdraw:{uuid.uuid4().hex}", status=PENDING,
                      details={"method": cmd.method, **details}, created_at=now)
            )
            entry.record(WithdrawalRequested(mentor_id=actor_id, entry_id=entry.id, amount=entry.amount,
                                             currency=entry.currency, occurred_at=now))
            uow.track(entry)
            rate = await uow.mentors.display_rate(actor_id)
            uow.views_changed(actor_id)
            await uow.commit()
            events = uow.collect_events()
        await self._events.publish(*events)
        return rate, entry

    def _check_withdrawal(self, cmd: RequestWithdrawal) -> dict[str, str]:
        if cmd.currency.upper() != CANONICAL_CURRENCY:
            raise InvalidInput.field("currency", f"Withdrawals are made in {CANONICAL_CURRENCY}, the vault's currency.")
        if cmd.amount < self._minimum:
            raise InvalidInput.field(
                "amount", f"Minimum withdrawal: {CANONICAL_CURRENCY} {self._minimum // 100}.{self._minimum % 100:02d}."
            )
        if cmd.method not in METHODS:
            raise InvalidInput.field("method", f'"{cmd.method}" is not a valid choice.')
        details = {str(k).strip(): str(v).strip() for k, v in cmd.account_details.items()}
        if len(details) > MAX_DETAILS or any(
            not k or len(k) > 40 or len(v) > MAX_DETAIL_LENGTH for k, v in details.items()
        ):
            raise InvalidInput.field(
                "account_details", f"At most {MAX_DETAILS} details of at most {MAX_DETAIL_LENGTH} characters."
            )
        missing = [name for name in _REQUIRED_DETAILS[cmd.method] if not details.get(name)]
        if missing:
            raise InvalidInput.field("account_details", f"Required for {cmd.method}: {', '.join(missing)}.")
        return details

    # ------------------------------------------------------------------ administrators

    async def _require_admin(self, actor_id: int) -> None:
        if not await self._staff.is_staff(actor_id):
            raise PermissionDenied(ADMIN_ONLY_MESSAGE)

    async def withdrawals(self, actor_id: int, status: str | None, request: PageRequest) -> Page[Entry]:
        await self._require_admin(actor_id)
        if status is not None and status not in WITHDRAWAL_STATUSES:
            raise InvalidInput({"error": "Invalid status parameter", "valid_options": list(WITHDRAWAL_STATUSES)})
        async with self._uow() as uow:
            items, total = await uow.ledger.withdrawals(status, request.offset, request.size)
        return Page(items, total, request).check_in_range()

    async def settle(self, actor_id: int, withdrawal_id: int, status: str) -> Entry:
        """Mark a pending withdrawal ``paid`` (the money left) or ``failed`` (its amount returns to the balance)."""
        await self._require_admin(actor_id)
        if status not in (PAID, FAILED):
            raise InvalidInput.field("status", f'"{status}" is not a valid choice.')
        now = self._clock.now()
        async with self._uow() as uow:
            found = await uow.ledger.entry(withdrawal_id)
            if found is None or found.kind != WITHDRAW:
                raise InvalidInput.field("withdrawal", f'Invalid pk "{withdrawal_id}" - object does not exist.')
            # Lock order as everywhere: the vault first, then its entry.
            await uow.ledger.lock(found.mentor_id, CANONICAL_CURRENCY, now)
            entry = await uow.ledger.entry_for_update(withdrawal_id)
            assert entry is not None
            if entry.status != PENDING:
                raise InvalidInput.error(f"This withdrawal is already {entry.status}.")
            entry.settle(actor_id, status, now)
            await uow.ledger.settle(entry)
            if status == FAILED and await uow.ledger.move(entry.mentor_id, entry.amount, now) is None:
                raise RuntimeError("releasing funds cannot make a balance negative")
            uow.track(entry)
            uow.views_changed(entry.mentor_id)
            await uow.commit()
            events = uow.collect_events()
        await self._events.publish(*events)
        return entry
