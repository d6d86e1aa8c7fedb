"""Registration: sign-up in two stages (an e-mailed code, then the account) and the e-mailed link."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from core.accounts.auth_cache import AuthCache
from core.accounts.challenges import CodeChallenges, sha256_hex
from core.accounts.common import UserCreator, check_choice, commit_and_publish
from core.accounts.issuing import AuthResult, SessionIssuer
from core.accounts.limits import Limits
from core.accounts.mails import signup_code_mail, welcome_mail
from core.accounts.model.profiles import Profile
from core.accounts.model.users import ChallengePurpose, User, UserType, check_password_policy, normalize_email
from core.shared.errors import InvalidInput
from ports.accounts import AccountsUnitOfWork, PasswordHasher
from ports.choices import ChoiceCatalogue
from ports.events import EventPublisher
from ports.system import Clock

__all__ = ("RegistrationService", "SignUp")


@dataclass(frozen=True, slots=True, kw_only=True)
class SignUp:
    email: str
    password1: str
    password2: str
    industry: str | None = None
    otp: str | None = None
    client_ip: str = ""


class RegistrationService:
    __slots__ = ("_cache", "_catalogue", "_challenges", "_clock", "_events", "_hasher", "_issuer", "_limits", "_uow",
                 "_users")

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        events: EventPublisher,
        clock: Clock,
        hasher: PasswordHasher,
        catalogue: ChoiceCatalogue,
        challenges: CodeChallenges,
        limits: Limits,
        users: UserCreator,
        issuer: SessionIssuer,
        cache: AuthCache | None = None,
    ) -> None:
        """``cache``: the token-check cache, told when a sign-up takes over an unverified account."""
        self._cache = cache
        self._uow = uow
        self._events = events
        self._clock = clock
        self._hasher = hasher
        self._catalogue = catalogue
        self._challenges = challenges
        self._limits = limits
        self._users = users
        self._issuer = issuer

    async def _validate_signup(self, cmd: SignUp) -> str:
        email = normalize_email(cmd.email)
        if cmd.industry is not None:
            await check_choice(self._catalogue, "industry", cmd.industry, "industry")
        check_password_policy(cmd.password1)
        if cmd.password1 != cmd.password2:
            raise InvalidInput({"Password Mismatch": ["Passwords must be the same"]})
        return email

    async def signup(self, cmd: SignUp) -> AuthResult | None:
        """Stage 1 (no ``otp``) sends a code and returns ``None``; stage 2 creates the account."""
        email = await self._validate_signup(cmd)
        challenges = self._challenges
        if cmd.otp is None:
            await self._limits.code_send_gate(email, cmd.client_ip)
            async with self._uow() as uow:
                if _blocks(await uow.users.by_email(email)):
                    raise InvalidInput.field("email", "Existing Email!")
                challenge, code, link = challenges.new(email, ChallengePurpose.SIGNUP, cmd.industry)
                await uow.challenges.put(challenge)
                uow.outbox.add(signup_code_mail(email, code, challenges.link_url(link), challenges.code_minutes))
                await uow.commit()
            return None

        check_key = await self._limits.code_check_gate(cmd.client_ip)
        error: InvalidInput | None = None
        async with self._uow() as uow:
            if _blocks(await uow.users.by_email(email)):
                raise InvalidInput.field("email", "Existing Email!")
            pending = await uow.challenges.for_email(email, ChallengePurpose.SIGNUP)
            if pending is None:
                await self._limits.failed(check_key)
                raise InvalidInput({"OTP Error": "Invalid OTP"})
            if pending.is_expired(self._clock.now()):
                await uow.challenges.delete(pending.id)
                error = InvalidInput({"OTP Error": "Expired OTP"})
            elif not hmac.compare_digest(pending.code_digest, challenges.digest(pending.purpose, cmd.otp.strip())):
                await challenges.count_wrong_code(uow, pending)
                error = InvalidInput({"OTP Error": "Invalid OTP"})
                await self._limits.failed(check_key)
            else:
                # The code is single-use: consume it before the (slow) password hashing below.
                await uow.challenges.delete(pending.id)
            await uow.commit()
        if error is not None:
            raise error
        password_hash = await self._hasher.hash(cmd.password1)
        async with self._uow() as uow:
            unverified = await uow.users.by_email(email)
            if unverified is not None and not _blocks(unverified):
                return await self._take_over(uow, unverified, password_hash)
            user = await self._users.create(
                uow,
                email=email,
                password_hash=password_hash,
                user_type=UserType.MENTOR if cmd.industry is not None else UserType.LEARNER,
                industry=cmd.industry or "others",
            )
            uow.outbox.add(welcome_mail(email))
            tokens = await self._issuer.start(uow, user)
            await commit_and_publish(uow, self._events)
        return AuthResult(user=user, tokens=tokens)

    async def _take_over(self, uow: AccountsUnitOfWork, user: User, password_hash: str) -> AuthResult:
        """The owner of the address proved it with the e-mailed code: the unverified account becomes theirs — new
        password, address verified, every earlier session and token void (as a password reset does)."""
        now = self._clock.now()
        user.password_hash = password_hash
        user.email_verified = True
        user.tokens_valid_after = now
        await uow.users.update(user)
        await uow.sessions.revoke_users([user.id], now)
        await uow.claims.lapse(user.email)
        tokens = await self._issuer.start(uow, user)
        await commit_and_publish(uow, self._events)
        if self._cache is not None:
            await self._cache.forget_users([user.id])
        return AuthResult(user=user, tokens=tokens)

    async def register_unverified(
        self, email: str, password: str, *, first_name: str = "", last_name: str = ""
    ) -> User:
        """An account made by a compatible face's register (no e-mailed code, as the originals did): it signs in
        at once with its password, but its address is unverified, so it never blocks the address's real owner,
        whose sign-up with the e-mailed code takes it over (``signup``). 400 ``Existing Email!`` when taken."""
        address = normalize_email(email)
        check_password_policy(password)
        async with self._uow() as uow:
            if await uow.users.by_email(address) is not None:
                raise InvalidInput.field("email", "Existing Email!")
        password_hash = await self._hasher.hash(password)
        async with self._uow() as uow:
            user = await self._users.create(
                uow, email=address, password_hash=password_hash, user_type=UserType.LEARNER, industry="others",
                profile=Profile(user_id=0, first_name=first_name[:500], last_name=last_name[:500]), verified=False,
            )
            await commit_and_publish(uow, self._events)
        return user

    async def verify_link(self, token: str, *, client_ip: str = "") -> AuthResult:
        """``/user/hash/verify/``: the e-mailed link proves the address; the account starts without a password."""
        check_key = await self._limits.code_check_gate(client_ip)
        async with self._uow() as uow:
            challenge = await uow.challenges.by_link(sha256_hex(token.strip()), ChallengePurpose.SIGNUP)
            if challenge is None:
                await self._limits.failed(check_key)
                raise InvalidInput.non_field("Invalid Link")
            if challenge.is_expired(self._clock.now()):
                await uow.challenges.delete(challenge.id)
                await uow.commit()
                raise InvalidInput.non_field("Link Expired")
            await uow.challenges.delete(challenge.id)
            if await uow.users.by_email(challenge.email) is not None:
                await uow.commit()
                raise InvalidInput.field("email", "Existing Email!")
            user = await self._users.create(
                uow,
                email=challenge.email,
                password_hash=None,
                user_type=UserType.MENTOR if challenge.industry else UserType.LEARNER,
                industry=challenge.industry or "others",
            )
            uow.outbox.add(welcome_mail(challenge.email))
            tokens = await self._issuer.start(uow, user)
            await commit_and_publish(uow, self._events)
        return AuthResult(user=user, tokens=tokens)


def _blocks(existing: User | None) -> bool:
    """Whether an account holding an address refuses a sign-up with it: every account but an unverified one
    (made by a compatible face's register), which the sign-up takes over."""
    return existing is not None and (existing.email_verified or existing.user_type is UserType.EMPLOYER)
