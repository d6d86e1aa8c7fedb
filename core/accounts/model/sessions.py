"""Sign-in sessions: every token pair belongs to one; signing out or a password reset ends it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ("LoginSession", "TokenStanding")


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginSession:
    """One sign-in (or sign-up, Google sign-in, switch) and the refresh chain rotating inside it.

    ``id`` is a random, unguessable string carried by the tokens as ``sid``. ``created_at`` is when the chain
    began: a session started by switch-account inherits it from the caller's session, so switching back and
    forth never extends the chain's absolute lifetime.
    """

    id: str
    user_id: int
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenStanding:
    """What the token check needs to know about an account and one of its sessions (one statement)."""

    user_id: int
    is_active: bool
    tokens_valid_after: datetime | None
    session_found: bool
    session_revoked: bool
