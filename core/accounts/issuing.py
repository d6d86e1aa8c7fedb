"""Sessions and the tokens that stand for them: who a token is (``Caller``), what a sign-in gives
(``AuthResult``), and the one place sessions are started and token pairs issued (``SessionIssuer``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from core.accounts.model.sessions import LoginSession
from core.accounts.model.users import User
from ports.accounts import AccountsUnitOfWork, TokenPair, Tokens
from ports.system import Clock

__all__ = ("AuthResult", "Caller", "SessionIssuer")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthResult:
    user: User
    tokens: TokenPair


@dataclass(frozen=True, slots=True, kw_only=True)
class Caller:
    """Who an access token stands for: the account, its session, and when the token was issued."""

    user_id: int
    session_id: str
    issued_at: datetime


def _new_session_id() -> str:
    return secrets.token_urlsafe(24)


class SessionIssuer:
    __slots__ = ("_clock", "_tokens")

    def __init__(self, *, clock: Clock, tokens: Tokens) -> None:
        self._clock = clock
        self._tokens = tokens

    async def start(
        self, uow: AccountsUnitOfWork, user: User, *, chain_started: datetime | None = None
    ) -> TokenPair:
        """A new session of ``user`` (in ``uow``; committed by the caller) and its first token pair."""
        now = self._clock.now()
        session = LoginSession(id=_new_session_id(), user_id=user.id, created_at=chain_started or now)
        await uow.sessions.add(session)
        return self._tokens.issue(user.id, session.id, now)

    def renew(self, user_id: int, session_id: str, now: datetime) -> TokenPair:
        """The next token pair of a live session (refresh rotation)."""
        return self._tokens.issue(user_id, session_id, now)
