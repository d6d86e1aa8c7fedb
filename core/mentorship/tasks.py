"""Names and payloads of mentorship's background work (and the vault credit it hands to the vaults domain)."""

from __future__ import annotations

__all__ = ("EXPIRE_TASK", "RECONCILE_TASK", "VAULT_CREDIT_TASK", "credit_payload")

EXPIRE_TASK = "mentorship.expire-sessions"
RECONCILE_TASK = "mentorship.reconcile-payments"
VAULT_CREDIT_TASK = "vaults.credit-earning"


def credit_payload(*, mentor_id: int, session_id: int, session_type: str, payment_key: str,
                   amount: int) -> dict[str, object]:
    """The ``vaults.credit-earning`` payload (docs: /work/notes/contracts.md): the price in US cents."""
    return {"mentor_id": mentor_id, "session_id": session_id, "session_type": session_type,
            "payment_key": payment_key, "amount": amount, "currency": "USD"}
