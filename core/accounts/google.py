"""Signing up and in with a Google account (the identity port verifies the authorization code)."""

from __future__ import annotations

from collections.abc import Callable

from core.accounts.common import UserCreator, commit_and_publish
from core.accounts.issuing import AuthResult, SessionIssuer
from core.accounts.mails import welcome_mail
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType, normalize_email
from core.accounts.policies import CORPORATE_NO_SIGNIN, signs_in_directly
from core.shared.errors import InvalidInput
from ports.accounts import AccountsUnitOfWork, ExternalIdentity, GoogleIdentity, IdentityError
from ports.events import EventPublisher
from ports.system import Clock

__all__ = ("GoogleAccountsService",)


class GoogleAccountsService:
    __slots__ = ("_clock", "_events", "_google", "_issuer", "_uow", "_users")

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        events: EventPublisher,
        google: GoogleIdentity,
        users: UserCreator,
        issuer: SessionIssuer,
        clock: Clock,
    ) -> None:
        self._clock = clock
        self._uow = uow
        self._events = events
        self._google = google
        self._users = users
        self._issuer = issuer

    async def _identity(self, code: str | None, flow: str) -> tuple[str, ExternalIdentity]:
        """The verified, normalized address behind ``code``, and the identity Google gave."""
        if not code:
            raise InvalidInput.error("Missing Code")
        try:
            identity = await self._google.identify(code, flow=flow)
        except IdentityError as exc:
            raise InvalidInput.error(str(exc)) from None
        if not identity.email_verified:
            raise InvalidInput.error("Email not verified")
        return normalize_email(identity.email), identity

    async def _create(
        self, uow: AccountsUnitOfWork, email: str, identity: ExternalIdentity, user_type: str | None
    ) -> User:
        words = identity.name.split()
        profile = Profile(
            user_id=0,
            first_name=words[0] if words else "N/A",
            last_name=words[-1] if len(words) >= 2 else "N/A",
            middle_name=" ".join(words[1:-1]) if len(words) >= 3 else "N/A",
        )
        try:
            user = await self._users.create(
                uow,
                email=email,
                password_hash=None,
                user_type=UserType.MENTOR if user_type == "mentor" else UserType.LEARNER,
                industry="others",
                profile=profile,
            )
        except InvalidInput:
            raise InvalidInput.error("An account with this email exists. Proceed to Login") from None
        uow.outbox.add(welcome_mail(email))
        return user

    async def google_signup(self, code: str | None, user_type: str | None) -> AuthResult:
        email, identity = await self._identity(code, "signup")
        async with self._uow() as uow:
            if await uow.users.by_email(email) is not None:
                raise InvalidInput.error("An account with this email exists. Proceed to Login")
            user = await self._create(uow, email, identity, user_type)
            tokens = await self._issuer.start(uow, user)
            await commit_and_publish(uow, self._events)
        return AuthResult(user=user, tokens=tokens)

    async def google_sign_in_or_up(self, code: str | None) -> AuthResult:
        """Sign in with Google, creating the account when the address has none (JobHax ``auth_social_user``,
        like the original's convert-token). Google proved the address: an unverified account holding it (made by
        a compatibility face's register) is taken over — its password dropped, its sessions ended."""
        email, identity = await self._identity(code, "signin")
        async with self._uow() as uow:
            user = await uow.users.by_email(email)
            if user is None:
                user = await self._create(uow, email, identity, None)
                tokens = await self._issuer.start(uow, user)
                await commit_and_publish(uow, self._events)
                return AuthResult(user=user, tokens=tokens)
            if not user.is_active:
                raise InvalidInput.error("No account with this email exist. Signup to continue")
            if not signs_in_directly(user):
                raise InvalidInput.error(CORPORATE_NO_SIGNIN)
            if not user.email_verified:
                now = self._clock.now()
                user.email_verified = True
                user.password_hash = None
                user.tokens_valid_after = now
                await uow.users.update(user)
                await uow.sessions.revoke_users([user.id], now)
            tokens = await self._issuer.start(uow, user)
            await uow.commit()
        return AuthResult(user=user, tokens=tokens)

    async def google_signin(self, code: str | None) -> AuthResult:
        email, _ = await self._identity(code, "signin")
        async with self._uow() as uow:
            user = await uow.users.by_email(email)
        if user is None or not user.is_active:
            raise InvalidInput.error("No account with this email exist. Signup to continue")
        if not signs_in_directly(user):
            raise InvalidInput.error(CORPORATE_NO_SIGNIN)
        async with self._uow() as uow:
            tokens = await self._issuer.start(uow, user)
            await uow.commit()
        return AuthResult(user=user, tokens=tokens)
