"""Wire shapes of the vault endpoints (spec: Retrieve Mentor Vault Data, Retrieve Vault Transactions; behaviors
§7.4) and of the additions (withdrawals, their settlement by administrators)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from adapters.http.wire import NO_NUL

__all__ = (
    "AmountRead",
    "SettleBody",
    "TransactionPageRead",
    "TransactionRead",
    "ValueRead",
    "VaultRead",
    "WithdrawBody",
    "WithdrawalPageRead",
    "WithdrawalRead",
)

Detail = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=200)]
Number = int | float
"""A display amount in major units of the display currency: an integer when whole, else at most two decimals
(computed exactly, rounded half up, at this edge only)."""


class _In(msgspec.Struct, kw_only=True):
    pass


class _Out(msgspec.Struct, kw_only=True):
    pass


class AmountRead(_Out):
    amount: Number
    currency: str


class ValueRead(_Out):
    value: Number
    currency: str


class TransactionRead(_Out):
    id: int
    action: str
    amount: ValueRead
    extra_data: dict[str, Any]
    timestamp: datetime


class VaultRead(_Out):
    amount: AmountRead
    recent_transaction_history: list[TransactionRead]


class TransactionPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[TransactionRead]


class WithdrawBody(_In):
    amount: Annotated[int, msgspec.Meta(ge=1, le=10**12, description="minor units (cents) of `currency`")]
    currency: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=3, description="`USD`, the vault's currency")]
    method: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=40, description="Bank Transfer | Crypto")]
    account_details: Annotated[
        dict[Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=40)], Detail],
        msgspec.Meta(
            max_length=10,
            description="Bank Transfer: `bank_name`, `account_number`, `account_holder`; Crypto: `wallet_address` "
            "(and optionally `network`)",
        ),
    ]


class SettleBody(_In):
    withdrawal: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
    status: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=20, description="paid | failed")]


class WithdrawalRead(_Out):
    id: int
    mentor: int
    amount: int
    """Minor units of ``currency``."""
    currency: str
    method: str
    account_details: dict[str, str]
    status: str
    requested_at: datetime
    settled_at: datetime | None


class WithdrawalPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[WithdrawalRead]
