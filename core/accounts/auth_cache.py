"""The per-worker token-check cache: one object, shared by the token check (which fills it) and by every use
case that must make this worker forget an account or a session at once (sign-out, refresh replay, password
reset, deletion, switch-account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ("AuthCache", "Seen")

_MAX_USERS = 100_000


@dataclass(frozen=True, slots=True)
class Seen:
    """What the token check last saw of a live session: trusted until ``until``."""

    until: datetime
    tokens_valid_after: datetime | None


class AuthCache:
    __slots__ = ("_seconds", "_seen")

    def __init__(self, *, seconds: float = 0.0) -> None:
        self._seconds = seconds
        # user id → session id → what was seen.
        self._seen: dict[int, dict[str, Seen]] = {}

    def lookup(self, user_id: int, session_id: str, now: datetime) -> Seen | None:
        """The last look at this session while it is still trusted; ``None`` means look again."""
        seen = self._seen.get(user_id, {}).get(session_id)
        return seen if seen is not None and seen.until > now else None

    def remember(self, user_id: int, session_id: str, now: datetime, tokens_valid_after: datetime | None) -> None:
        """Trust this look for ``seconds`` (nothing is kept when the cache is off)."""
        if self._seconds <= 0:
            return
        if len(self._seen) > _MAX_USERS:
            self._seen.clear()
        self._seen.setdefault(user_id, {})[session_id] = Seen(
            until=now + timedelta(seconds=self._seconds), tokens_valid_after=tokens_valid_after
        )

    def forget_user(self, user_id: int) -> None:
        self._seen.pop(user_id, None)

    def forget_users(self, user_ids: list[int]) -> None:
        for user_id in user_ids:
            self._seen.pop(user_id, None)

    def forget_session(self, user_id: int, session_id: str) -> None:
        sessions = self._seen.get(user_id)
        if sessions is not None:
            sessions.pop(session_id, None)
