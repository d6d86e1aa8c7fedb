"""The per-process token-check cache: one object, shared by the token check (which fills it) and by every use
case that must make the deployment forget an account or a session (sign-out, refresh replay, password reset,
deletion, switch-account).

Two bounds, whichever comes first:

- **time**: a check is trusted for ``seconds`` (``AUTH_CACHE_SECONDS``) at most, whatever else happens — this
  alone bounds how long another process may accept a token after a reset, a sign-out or a deletion;
- **peers** (optional, ``REDIS_URL``): the ``forget_*`` use cases tell the other processes' caches
  (:class:`~ports.accounts.AuthCachePeers`), which drop their entries at once (``drop_*``). A message lost while
  the broadcast is down only falls back on the time bound.

A check that started before an invalidation reached this process is not remembered (the ``epoch`` taken before
the database read must still be current), so a concurrent request cannot put back what a peer just dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ports.accounts import AuthCachePeers

__all__ = ("AuthCache", "Seen")

_MAX_USERS = 100_000


@dataclass(frozen=True, slots=True)
class Seen:
    """What the token check last saw of a live session: trusted until ``until``."""

    until: datetime
    tokens_valid_after: datetime | None


class AuthCache:
    __slots__ = ("_epoch", "_peers", "_seconds", "_seen")

    def __init__(self, *, seconds: float = 0.0, peers: AuthCachePeers | None = None) -> None:
        self._seconds = seconds
        self._peers = peers
        # user id → session id → what was seen.
        self._seen: dict[int, dict[str, Seen]] = {}
        self._epoch = 0

    @property
    def epoch(self) -> int:
        """Changes with every drop: take it before a database read and hand it to ``remember``."""
        return self._epoch

    def lookup(self, user_id: int, session_id: str, now: datetime) -> Seen | None:
        """The last look at this session while it is still trusted; ``None`` means look again."""
        seen = self._seen.get(user_id, {}).get(session_id)
        return seen if seen is not None and seen.until > now else None

    def remember(
        self,
        user_id: int,
        session_id: str,
        now: datetime,
        tokens_valid_after: datetime | None,
        *,
        epoch: int | None = None,
    ) -> None:
        """Trust this look for ``seconds`` (nothing is kept when the cache is off, nor when something was dropped
        since ``epoch``: the look may predate what was dropped)."""
        if self._seconds <= 0 or (epoch is not None and epoch != self._epoch):
            return
        if len(self._seen) > _MAX_USERS:
            self._seen.clear()
        self._seen.setdefault(user_id, {})[session_id] = Seen(
            until=now + timedelta(seconds=self._seconds), tokens_valid_after=tokens_valid_after
        )

    # ---------------------------------------------------------------- this process only (and the peers' listener)

    def drop_users(self, user_ids: Sequence[int]) -> None:
        self._epoch += 1
        for user_id in user_ids:
            self._seen.pop(user_id, None)

    def drop_session(self, user_id: int, session_id: str) -> None:
        self._epoch += 1
        sessions = self._seen.get(user_id)
        if sessions is not None:
            sessions.pop(session_id, None)

    def clear(self) -> None:
        """Forget everything (the broadcast was down: what it carried meanwhile is lost)."""
        self._epoch += 1
        self._seen.clear()

    # ------------------------------------------------------------------ every process (after the change committed)

    async def forget_user(self, user_id: int) -> None:
        await self.forget_users([user_id])

    async def forget_users(self, user_ids: Sequence[int]) -> None:
        """Here at once, in the other processes at once with peers, else within ``seconds``."""
        self.drop_users(user_ids)
        if self._peers is not None and user_ids:
            await self._peers.forget_users(list(user_ids))

    async def forget_session(self, user_id: int, session_id: str) -> None:
        self.drop_session(user_id, session_id)
        if self._peers is not None:
            await self._peers.forget_session(user_id, session_id)
