"""Rate-limit helpers shared by the accounts services: count attempts, count failures only, and the gates on
code e-mails and code checks (budgets in ``AuthPolicy``)."""

from __future__ import annotations

from core.accounts.config import AuthPolicy, Limit
from core.shared.errors import RateLimited
from ports.system import RateLimiter

__all__ = ("Limits",)


class Limits:
    __slots__ = ("_limiter", "_policy")

    def __init__(self, *, limiter: RateLimiter, policy: AuthPolicy) -> None:
        self._limiter = limiter
        self._policy = policy

    @staticmethod
    def throttled(retry: int) -> RateLimited:
        return RateLimited(f"Request was throttled. Expected available in {retry} seconds.", retry_after=retry)

    async def count(self, key: str, limit: Limit) -> None:
        """Count one attempt; refuse when over the limit."""
        retry = await self._limiter.hit(key, limit=limit.attempts, window_seconds=limit.window_seconds)
        if retry is not None:
            raise self.throttled(retry)

    async def over(self, key: str, limit: Limit) -> int | None:
        return await self._limiter.peek(key, limit=limit.attempts, window_seconds=limit.window_seconds)

    async def refuse_if_over(self, key: str, limit: Limit) -> None:
        """Refuse when ``key`` already reached its limit; counts nothing."""
        retry = await self.over(key, limit)
        if retry is not None:
            raise self.throttled(retry)

    async def failed(self, *keys: tuple[str, Limit]) -> None:
        """Count one failure on each key (never refuses: the gate before the attempt does)."""
        for key, limit in keys:
            await self._limiter.hit(key, limit=limit.attempts, window_seconds=limit.window_seconds)

    async def failure_gate(
        self, ip: tuple[str, Limit], pair: tuple[str, Limit], account: tuple[str, Limit]
    ) -> bool:
        """Refuse a client over its own failure budgets (per IP, per (account, IP)); when the account has too
        many failures from everywhere, refuse a client that failed on it too. ``True`` means the account is
        under attack and this client is clean: go on (slowed down, if the caller wishes)."""
        await self.refuse_if_over(*ip)
        await self.refuse_if_over(*pair)
        retry = await self.over(*account)
        if retry is None:
            return False
        if await self._limiter.peek(pair[0], limit=1, window_seconds=pair[1].window_seconds) is not None:
            raise self.throttled(retry)
        return True

    async def code_send_gate(self, email: str, client_ip: str) -> None:
        """Limits on code e-mails, counted per send. A stranger exhausting an address's cap from other IPs
        never blocks a client that has not asked for that address in the window; a refused send changes
        nothing, so the latest code already mailed stays valid."""
        policy = self._policy
        await self.count(f"code-send:ip:{client_ip}", policy.code_send_per_ip)
        pair = f"code-send:pair:{email}|{client_ip}"
        await self.count(pair, policy.code_send_per_email)
        cap = policy.code_send_per_address
        retry = await self._limiter.hit(
            f"code-send:email:{email}", limit=cap.attempts, window_seconds=cap.window_seconds
        )
        if retry is not None and await self._limiter.peek(
            pair, limit=2, window_seconds=policy.code_send_per_email.window_seconds
        ) is not None:
            raise self.throttled(retry)

    async def code_check_gate(self, client_ip: str) -> tuple[str, Limit]:
        """Refuse a client over its budget of wrong codes and links; returns the key its failures count on."""
        key = (f"code-check:ip:{client_ip}", self._policy.code_check_per_ip)
        await self.refuse_if_over(*key)
        return key
