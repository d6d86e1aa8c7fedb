"""Helpers for the vault tests: mentors, and earnings credited the way the ``vaults.credit-earning`` task does."""

from __future__ import annotations

import itertools
from typing import Any

from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from core.vaults.model import CreditEarning
from tests.conftest import SignedUp, sign_up
from tests.e2e.profiles_support import direct

__all__ = ("credit", "make_mentor")

_payments = itertools.count(1)


async def make_mentor(client: AsyncTestClient[Any], container: AppContainer, email: str) -> SignedUp:
    """A mentor account (signing up with an industry makes one)."""
    return await sign_up(client, container, email, industry="health")


async def credit(
    container: AppContainer, mentor_id: int, amount: int, *, payment_key: str | None = None, session_id: int = 1
) -> str:
    """Credit a completed paid session's price (US cents) to the mentor through the vault service (on a container
    of our own: the app's engine lives on the test client's loop). Returns the payment key."""
    key = payment_key or f"test:{next(_payments)}"
    async with direct(container) as side:
        await side.vaults.service().credit_earning(
            CreditEarning(mentor_id=mentor_id, session_id=session_id, session_type="individual", payment_key=key,
                          amount=amount)
        )
    return key
