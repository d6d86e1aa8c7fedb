"""Sessions: password sign-in, refresh-token rotation, sign-out, switching to a linked account."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta

from core.accounts.auth_cache import AuthCache
from core.accounts.config import AuthPolicy
from core.accounts.issuing import AuthResult, Caller, SessionIssuer
from core.accounts.limits import Limits
from core.accounts.model.users import INVISIBLE_EMAIL_MESSAGE, has_invisible_characters, normalize_email
from core.accounts.policies import predates_reset, session_is_live, signs_in_directly
from core.shared.errors import InvalidInput, PermissionDenied, Unauthenticated
from ports.accounts import AccountsUnitOfWork, PasswordHasher, Tokens
from ports.system import Clock

__all__ = ("SessionsService",)


class SessionsService:
    __slots__ = ("_cache", "_clock", "_dummy_hash", "_hasher", "_issuer", "_limits", "_policy", "_sleep", "_tokens",
                 "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        clock: Clock,
        hasher: PasswordHasher,
        tokens: Tokens,
        issuer: SessionIssuer,
        limits: Limits,
        cache: AuthCache,
        policy: AuthPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._tokens = tokens
        self._issuer = issuer
        self._limits = limits
        self._cache = cache
        self._policy = policy or AuthPolicy()
        self._sleep = sleep or asyncio.sleep
        self._dummy_hash: str | None = None

    async def _dummy(self) -> str:
        """A real hash of a random password, made once with the configured hasher: verifying it costs what
        verifying a user's hash costs, so unknown addresses answer in the same time."""
        if self._dummy_hash is None:
            self._dummy_hash = await self._hasher.hash(secrets.token_urlsafe(18))
        return self._dummy_hash

    async def signin(self, email: str, password: str, *, client_ip: str = "") -> AuthResult:
        """Failures are counted, successes are not (see ``AuthPolicy``); an unknown address costs one password
        verification like a known one. Invisible characters in the address are a field error, as for every
        e-mail field (``normalize_email``); any other unusable address answers only "Invalid Credentials"."""
        if has_invisible_characters(email.strip()):
            raise InvalidInput.field("email", INVISIBLE_EMAIL_MESSAGE)
        policy = self._policy
        limits = self._limits
        ip_key = (f"signin:ip:{client_ip}", policy.signin_per_ip)
        try:
            normalized = normalize_email(email)
        except InvalidInput:
            await limits.refuse_if_over(*ip_key)
            await limits.failed(ip_key)
            raise InvalidInput.non_field("Invalid Credentials") from None
        pair_key = (f"signin:pair:{normalized}|{client_ip}", policy.signin_per_email)
        account_key = (f"signin:email:{normalized}", policy.signin_per_account)
        if await limits.failure_gate(ip_key, pair_key, account_key):
            await self._sleep(policy.signin_backoff_seconds)
        async with self._uow() as uow:
            user = await uow.users.by_email(normalized)
        if user is None or not user.password_hash or not user.is_active or not signs_in_directly(user):
            await self._hasher.verify(await self._dummy(), password)
            verified = False
        else:
            verified = await self._hasher.verify(user.password_hash, password)
        if not verified or user is None:
            await limits.failed(ip_key, pair_key, account_key)
            raise InvalidInput.non_field("Invalid Credentials")
        async with self._uow() as uow:
            tokens = await self._issuer.start(uow, user)
            await uow.commit()
        return AuthResult(user=user, tokens=tokens)

    async def signout(self, user_id: int, refresh: str) -> None:
        """End the session of ``refresh``: its refresh token and every access token of the session. Only a valid,
        live refresh token of the caller can be blacklisted: one already revoked (signed out, or rotated by a
        refresh), of an ended session or from before a password reset is ``Invalid Token`` (400), and nothing
        changes."""
        try:
            claims = self._tokens.decode(refresh, token_type="refresh")
        except Unauthenticated:
            raise InvalidInput.non_field("Invalid Token") from None
        if claims.user_id != user_id:
            raise InvalidInput.non_field("Invalid Token")
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or predates_reset(claims.issued_at, user.tokens_valid_after):
                raise InvalidInput.non_field("Invalid Token")
            if not session_is_live(await uow.sessions.get(claims.session_id), user_id):
                raise InvalidInput.non_field("Invalid Token")
            # Insert-or-ignore: a token revoked already (or by a concurrent sign-out) answers False.
            if not await uow.revoked_tokens.revoke(claims.jti, claims.user_id, claims.expires_at):
                raise InvalidInput.non_field("Invalid Token")
            await uow.sessions.revoke(claims.session_id, self._clock.now())
            await uow.commit()
        await self._cache.forget_session(user_id, claims.session_id)

    async def signout_access(self, access: str) -> None:
        """End the session an access token belongs to (JobHax ``logout`` revokes by access token): every token
        of that session stops working. A token that is not a live access token is ``Invalid Token`` (400)."""
        try:
            claims = self._tokens.decode(access, token_type="access")
        except Unauthenticated:
            raise InvalidInput.non_field("Invalid Token") from None
        async with self._uow() as uow:
            user = await uow.users.get(claims.user_id)
            if user is None or predates_reset(claims.issued_at, user.tokens_valid_after):
                raise InvalidInput.non_field("Invalid Token")
            if not session_is_live(await uow.sessions.get(claims.session_id), claims.user_id):
                raise InvalidInput.non_field("Invalid Token")
            await uow.sessions.revoke(claims.session_id, self._clock.now())
            await uow.commit()
        await self._cache.forget_session(claims.user_id, claims.session_id)

    async def signout_token(self, refresh: str) -> None:
        """``signout`` for a caller known only by the refresh token (a compatible face's logout)."""
        try:
            claims = self._tokens.decode(refresh, token_type="refresh")
        except Unauthenticated:
            raise InvalidInput.non_field("Invalid Token") from None
        await self.signout(claims.user_id, refresh)

    async def refresh(self, refresh: str) -> AuthResult:
        """Rotate a refresh token inside its session: the old one is revoked, a new pair is issued. Replaying a
        rotated (revoked) refresh token ends the whole session; a chain older than
        ``refresh_chain_max_age_seconds`` is refused."""
        claims = self._tokens.decode(refresh, token_type="refresh")
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.get(claims.user_id)
            if user is None or not user.is_active:
                raise Unauthenticated("User not found")
            if predates_reset(claims.issued_at, user.tokens_valid_after):
                raise Unauthenticated("Token is invalid or expired")
            session = await uow.sessions.get(claims.session_id)
            if not session_is_live(session, user.id):
                raise Unauthenticated("Token is invalid or expired")
            if now - session.created_at >= timedelta(seconds=self._policy.refresh_chain_max_age_seconds):
                raise Unauthenticated("Session expired, sign in again")
            if not await uow.revoked_tokens.revoke(claims.jti, claims.user_id, claims.expires_at):
                # A rotated token came back: someone holds a copy. End the session for everyone.
                await uow.sessions.revoke(session.id, now)
                await uow.commit()
                await self._cache.forget_session(user.id, session.id)
                raise Unauthenticated("Token is blacklisted")
            tokens = self._issuer.renew(user.id, session.id, now)
            await uow.commit()
        return AuthResult(user=user, tokens=tokens)

    async def switch_account(self, caller: Caller, account_id: int) -> AuthResult:
        """Tokens of a linked account, in a new session that inherits the caller's chain start (switching never
        extends ``refresh_chain_max_age_seconds``). Checked afresh, past the token-check cache: the caller's
        session must be live and its token newer than the caller's, the target's and the target creator's last
        password reset — a token from before a reset cannot hop into a linked account."""
        actor_id = caller.user_id
        if account_id == actor_id:
            raise InvalidInput.field("account", "You are currently logged in as this user.")
        async with self._uow() as uow:
            actor = await uow.users.get(actor_id)
            session = await uow.sessions.get(caller.session_id)
            if (
                actor is None
                or not actor.is_active
                or not session_is_live(session, actor_id)
                or predates_reset(caller.issued_at, actor.tokens_valid_after)
            ):
                self._cache.drop_session(actor_id, caller.session_id)
                raise Unauthenticated("Token is invalid or expired")
            if account_id not in await uow.links.linked_to(actor_id):
                raise InvalidInput.field("account", "This account is not linked to your profile.")
            target = await uow.users.get(account_id)
            if target is None or not target.is_active:
                raise InvalidInput.field("account", "This account is not linked to your profile.")
            creator_id = await uow.links.main_of(account_id)
            creator = await uow.users.get(creator_id) if creator_id is not None else None
            for guard in (target, creator):
                if guard is not None and predates_reset(caller.issued_at, guard.tokens_valid_after):
                    raise PermissionDenied("Sign in again to switch to this account.")
            tokens = await self._issuer.start(uow, target, chain_started=session.created_at)
            await uow.commit()
        return AuthResult(user=target, tokens=tokens)
