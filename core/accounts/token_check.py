"""The token check behind every authenticated request: who an access token stands for."""

from __future__ import annotations

from collections.abc import Callable

from core.accounts.auth_cache import AuthCache
from core.accounts.issuing import Caller
from core.accounts.policies import predates_reset
from core.shared.errors import Unauthenticated
from ports.accounts import AccountsUnitOfWork, Tokens
from ports.system import Clock

__all__ = ("TokenCheck",)


class TokenCheck:
    __slots__ = ("_cache", "_clock", "_reads", "_tokens")

    def __init__(
        self, *, reads: Callable[[], AccountsUnitOfWork], tokens: Tokens, clock: Clock, cache: AuthCache
    ) -> None:
        self._reads = reads
        self._tokens = tokens
        self._clock = clock
        self._cache = cache

    async def caller(self, access_token: str) -> Caller:
        """Who an access token stands for, while its account exists and is active, its session is live and it
        was issued after the account's last password reset; ``Unauthenticated`` otherwise.

        One statement (the account joined with the session, by primary keys), trusted per process for
        ``auth_cache_seconds``; this process's own sign-outs, resets and deletions apply at once (they share
        the ``AuthCache``), other processes' at once when the cache has peers (Redis), else within that time."""
        claims = self._tokens.decode(access_token, token_type="access")
        now = self._clock.now()
        seen = self._cache.lookup(claims.user_id, claims.session_id, now)
        if seen is not None:
            valid_after = seen.tokens_valid_after
        else:
            epoch = self._cache.epoch
            async with self._reads() as uow:
                standing = await uow.sessions.standing(claims.user_id, claims.session_id)
            if standing is None or not standing.is_active:
                self._cache.drop_users([claims.user_id])
                raise Unauthenticated("User not found")
            if not standing.session_found or standing.session_revoked:
                self._cache.drop_session(claims.user_id, claims.session_id)
                raise Unauthenticated("Token is invalid or expired")
            valid_after = standing.tokens_valid_after
            self._cache.remember(claims.user_id, claims.session_id, now, valid_after, epoch=epoch)
        if predates_reset(claims.issued_at, valid_after):
            raise Unauthenticated("Token is invalid or expired")
        return Caller(user_id=claims.user_id, session_id=claims.session_id, issued_at=claims.issued_at)

    async def authenticate(self, access_token: str) -> int:
        """The user id of ``caller(access_token)``."""
        return (await self.caller(access_token)).user_id
