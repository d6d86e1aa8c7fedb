"""Per-user budgets of the profile use cases: writes of each kind of sub-record, records a profile may hold, and
reads of other users' profiles per viewer. Shared collaborators, injected into the services that use them."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.accounts.profiles.policies import read_budget_key, read_is_budgeted
from core.shared.errors import InvalidInput
from core.shared.limits import MINUTE, WriteLimits, spend, spend_write
from ports.system import RateLimiter

__all__ = ("ProfileQuotas", "ReadBudget", "WriteBudget")

_RECORD_NAMES = {
    "experience": "experience records",
    "education": "education records",
    "certification": "certifications",
    "portfolio": "portfolio projects",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileQuotas:
    """Per-user budgets (settings ``WRITE_LIMIT_PER_MINUTE``, ``WRITE_LIMIT_PER_DAY``, ``PROFILE_RECORDS_MAX``,
    ``PROFILE_READS_PER_MINUTE``): writes of each kind of sub-record, records of each kind a profile may hold, and
    reads of other users' profiles by id per viewer."""

    writes: WriteLimits = field(default_factory=WriteLimits)
    records_max: int = 100
    reads_per_minute: int = 120


class WriteBudget:
    """Adds and updates of each kind of record per user (429 when spent), and the cap on records per kind."""

    __slots__ = ("_limiter", "_quotas")

    def __init__(self, *, limiter: RateLimiter, quotas: ProfileQuotas | None = None) -> None:
        self._limiter = limiter
        self._quotas = quotas or ProfileQuotas()

    async def spend(self, kind: str, actor_id: int) -> None:
        await spend_write(self._limiter, kind, actor_id, self._quotas.writes)

    def check_room(self, kind: str, held: int) -> None:
        """A profile holds at most ``records_max`` records of each kind (a 400 non-field error)."""
        cap = self._quotas.records_max
        if held >= cap:
            raise InvalidInput.non_field(f"A profile can hold at most {cap} {_RECORD_NAMES[kind]}.")


class ReadBudget:
    """Reads of someone else's profile, portfolio or analytics by id, per viewer and minute (429 when spent)."""

    __slots__ = ("_limiter", "_per_minute")

    def __init__(self, *, limiter: RateLimiter, quotas: ProfileQuotas | None = None) -> None:
        self._limiter = limiter
        self._per_minute = (quotas or ProfileQuotas()).reads_per_minute

    async def spend(self, viewer_id: int, target_id: int) -> None:
        if read_is_budgeted(viewer_id, target_id):
            await spend(self._limiter, read_budget_key(viewer_id), limit=self._per_minute, window_seconds=MINUTE)
