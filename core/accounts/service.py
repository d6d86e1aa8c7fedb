"""Accounts use cases: sign-up with e-mail codes, sign-in, tokens, password reset, Google, organizations."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.accounts.mails import (
    corporate_code_mail,
    member_added_mail,
    password_changed_mail,
    reset_code_mail,
    signup_code_mail,
    welcome_mail,
)
from core.accounts.model.cards import cards_for
from core.accounts.model.events import AccountDeleted, AccountRegistered, MemberAdded, PasswordChanged
from core.accounts.model.profiles import Profile
from core.accounts.model.sessions import LoginSession
from core.accounts.model.users import (
    ChallengePurpose,
    CorporateClaim,
    EmailChallenge,
    MiniUser,
    User,
    UserType,
    check_password_policy,
    normalize_email,
)
from core.shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited, Unauthenticated
from core.shared.links import check_web_url
from core.shared.media import JPEG, PNG, MediaKind, MediaPolicy, Upload, check_upload, new_key
from ports.accounts import AccountsUnitOfWork, GoogleIdentity, IdentityError, PasswordHasher, TokenPair, Tokens
from ports.choices import ChoiceCatalogue
from ports.email import EmailMessage
from ports.events import EventPublisher
from ports.storage import BlobStorage
from ports.system import Clock, RateLimiter

__all__ = (
    "AccountsService",
    "AuthPolicy",
    "AuthResult",
    "Caller",
    "CorporateEmailOutcome",
    "CorporateSignup",
    "ForgetPassword",
    "ResetOutcome",
    "SignUp",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    attempts: int
    window_seconds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthPolicy:
    code_ttl_seconds: int = 300
    max_code_attempts: int = 5
    reset_window_seconds: int = 300
    # The code that confirms a corporate account's company address (its mailbox may be read by someone else).
    corporate_code_ttl_seconds: int = 86_400
    frontend_url: str = "http://127.0.0.1:5173"
    # Sign-in counts failures, never successes: per client IP, per (account, client IP), and per account.
    signin_per_ip: Limit = field(default_factory=lambda: Limit(attempts=30, window_seconds=300))
    signin_per_email: Limit = field(default_factory=lambda: Limit(attempts=10, window_seconds=300))
    # Past this many failures on an account (from anywhere), a client that has failed on it is refused and a
    # client that has not is slowed by ``signin_backoff_seconds`` — never refused.
    signin_per_account: Limit = field(default_factory=lambda: Limit(attempts=20, window_seconds=300))
    signin_backoff_seconds: float = 1.0
    # Code e-mails (sign-up and reset): per client IP, per (address, client IP), and a larger per-address cap
    # that refuses only clients which already asked for this address in the window.
    code_send_per_ip: Limit = field(default_factory=lambda: Limit(attempts=20, window_seconds=600))
    code_send_per_email: Limit = field(default_factory=lambda: Limit(attempts=5, window_seconds=600))
    code_send_per_address: Limit = field(default_factory=lambda: Limit(attempts=15, window_seconds=600))
    # Wrong codes and links per client IP (each wrong code also counts on its challenge).
    code_check_per_ip: Limit = field(default_factory=lambda: Limit(attempts=30, window_seconds=600))
    # Reset stage 3 failures (no or wrong proof): per client IP, per (address, IP), per address.
    reset_set_per_ip: Limit = field(default_factory=lambda: Limit(attempts=20, window_seconds=600))
    reset_set_per_email: Limit = field(default_factory=lambda: Limit(attempts=10, window_seconds=600))
    reset_set_per_address: Limit = field(default_factory=lambda: Limit(attempts=30, window_seconds=600))
    # How long one worker trusts its last look at an account when checking tokens (0 = always look).
    auth_cache_seconds: float = 0.0
    # A refresh chain (a session) is refused this long after the sign-in that began it.
    refresh_chain_max_age_seconds: int = 2_592_000


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaLimits:
    """Upload size limits in bytes (settings ``MAX_IMAGE_BYTES`` …)."""

    image_bytes: int = 2_000_000
    video_bytes: int = 5_000_000
    document_bytes: int = 5_000_000

    @property
    def logo(self) -> MediaPolicy:
        return MediaPolicy(MediaKind.IMAGE, self.image_bytes, frozenset({PNG, JPEG}))


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


@dataclass(frozen=True, slots=True, kw_only=True)
class SignUp:
    email: str
    password1: str
    password2: str
    industry: str | None = None
    otp: str | None = None
    client_ip: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ForgetPassword:
    email: str | None = None
    otp: str | None = None
    hash: str | None = None
    password1: str | None = None
    password2: str | None = None
    reset_token: str | None = None
    client_ip: str = ""
    # Opaque values the client's browser sent back (HttpOnly cookies set by stages 1 and 2).
    challenge_cookie: str | None = None
    proof_cookie: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResetOutcome:
    status: str
    email: str
    reset_token: str | None = None
    # Stage 1: the value binding this client to the address's challenge (an HttpOnly cookie on the wire).
    challenge_cookie: str | None = None
    # Stage 3: the password was changed; the client's reset cookies are spent.
    finished: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CorporateSignup:
    company_name: str
    company_email: str
    company_type: str
    company_size: str
    industry: str
    website: str
    location: str
    tagline: str
    logo: Upload | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CorporateEmailOutcome:
    status: str
    email: str


_CORPORATE_NO_SIGNIN = "Corporate accounts cannot sign in directly; switch to them from a linked account."


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _placeholder_email() -> str:
    """The address of a corporate account until its company address is confirmed: unique, never deliverable
    (``.invalid`` is reserved, RFC 2606), never anybody's."""
    return f"pending-{secrets.token_hex(12)}@corporate.invalid"


def _new_session_id() -> str:
    return secrets.token_urlsafe(24)


class AccountsService:
    """Identity and authentication. Authorisation rules on accounts objects live here too."""

    __slots__ = (
        "_auth_seen",
        "_catalogue",
        "_clock",
        "_dummy_hash",
        "_events",
        "_google",
        "_hasher",
        "_limiter",
        "_media",
        "_policy",
        "_reads",
        "_secret",
        "_sleep",
        "_storage",
        "_tokens",
        "_uow",
    )

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        events: EventPublisher,
        reads: Callable[[], AccountsUnitOfWork] | None = None,
        clock: Clock,
        hasher: PasswordHasher,
        tokens: Tokens,
        limiter: RateLimiter,
        google: GoogleIdentity,
        catalogue: ChoiceCatalogue,
        storage: BlobStorage,
        secret: bytes,
        policy: AuthPolicy | None = None,
        media: MediaLimits | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self._storage = storage
        self._media = media or MediaLimits()
        self._uow = uow
        self._reads = reads or uow
        # user id → session id → (trusted until, tokens_valid_after): the per-worker token-check cache.
        self._auth_seen: dict[int, dict[str, tuple[datetime, datetime | None]]] = {}
        self._dummy_hash: str | None = None
        self._sleep = sleep or asyncio.sleep
        self._events = events
        self._clock = clock
        self._hasher = hasher
        self._tokens = tokens
        self._limiter = limiter
        self._google = google
        self._catalogue = catalogue
        self._secret = secret
        self._policy = policy or AuthPolicy()

    # ------------------------------------------------------------------ helpers

    def _code_digest(self, purpose: ChallengePurpose, code: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{code}".encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def _throttled(retry: int) -> RateLimited:
        return RateLimited(f"Request was throttled. Expected available in {retry} seconds.", retry_after=retry)

    async def _limit(self, key: str, limit: Limit) -> None:
        """Count one attempt; refuse when over the limit."""
        retry = await self._limiter.hit(key, limit=limit.attempts, window_seconds=limit.window_seconds)
        if retry is not None:
            raise self._throttled(retry)

    async def _over(self, key: str, limit: Limit) -> int | None:
        return await self._limiter.peek(key, limit=limit.attempts, window_seconds=limit.window_seconds)

    async def _refuse_if_over(self, key: str, limit: Limit) -> None:
        """Refuse when ``key`` already reached its limit; counts nothing."""
        retry = await self._over(key, limit)
        if retry is not None:
            raise self._throttled(retry)

    async def _failed(self, *keys: tuple[str, Limit]) -> None:
        for key, limit in keys:
            await self._limiter.hit(key, limit=limit.attempts, window_seconds=limit.window_seconds)

    async def _failure_gate(
        self, ip: tuple[str, Limit], pair: tuple[str, Limit], account: tuple[str, Limit]
    ) -> bool:
        """Refuse a client over its own failure budgets (per IP, per (account, IP)); when the account has too
        many failures from everywhere, refuse a client that failed on it too. ``True`` means the account is
        under attack and this client is clean: go on (slowed down, if the caller wishes)."""
        await self._refuse_if_over(*ip)
        await self._refuse_if_over(*pair)
        retry = await self._over(*account)
        if retry is None:
            return False
        if await self._limiter.peek(pair[0], limit=1, window_seconds=pair[1].window_seconds) is not None:
            raise self._throttled(retry)
        return True

    async def _code_send_gate(self, email: str, client_ip: str) -> None:
        """Limits on code e-mails, counted per send. A stranger exhausting an address's cap from other IPs
        never blocks a client that has not asked for that address in the window; a refused send changes
        nothing, so the latest code already mailed stays valid."""
        policy = self._policy
        await self._limit(f"code-send:ip:{client_ip}", policy.code_send_per_ip)
        pair = f"code-send:pair:{email}|{client_ip}"
        await self._limit(pair, policy.code_send_per_email)
        cap = policy.code_send_per_address
        retry = await self._limiter.hit(
            f"code-send:email:{email}", limit=cap.attempts, window_seconds=cap.window_seconds
        )
        if retry is not None and await self._limiter.peek(
            pair, limit=2, window_seconds=policy.code_send_per_email.window_seconds
        ) is not None:
            raise self._throttled(retry)

    async def _code_check_gate(self, client_ip: str) -> tuple[str, Limit]:
        key = (f"code-check:ip:{client_ip}", self._policy.code_check_per_ip)
        await self._refuse_if_over(*key)
        return key

    async def _check_industry(self, industry: str, field_name: str = "industry") -> None:
        if industry not in await self._catalogue.values("industry"):
            raise InvalidInput.field(field_name, f'"{industry}" is not a valid choice.')

    async def _check_choice(self, category: str, value: str, field_name: str) -> None:
        if value not in await self._catalogue.values(category):
            raise InvalidInput.field(field_name, f'"{value}" is not a valid choice.')

    def _new_challenge(
        self, email: str, purpose: ChallengePurpose, industry: str | None = None
    ) -> tuple[EmailChallenge, str, str]:
        now = self._clock.now()
        code = f"{secrets.randbelow(1_000_000):06d}"
        link = secrets.token_urlsafe(32)
        challenge = EmailChallenge(
            email=email,
            purpose=purpose,
            code_digest=self._code_digest(purpose, code),
            link_digest=_sha256(link),
            created_at=now,
            expires_at=now + timedelta(seconds=self._policy.code_ttl_seconds),
            industry=industry,
        )
        return challenge, code, link

    def _link_url(self, token: str) -> str:
        return f"{self._policy.frontend_url.rstrip('/')}/verify/{token}"

    async def _start_session(
        self, uow: AccountsUnitOfWork, user: User, *, chain_started: datetime | None = None
    ) -> TokenPair:
        """A new session of ``user`` (in ``uow``; committed by the caller) and its first token pair."""
        now = self._clock.now()
        session = LoginSession(id=_new_session_id(), user_id=user.id, created_at=chain_started or now)
        await uow.sessions.add(session)
        return self._tokens.issue(user.id, session.id, now)

    async def _dummy(self) -> str:
        """A real hash of a random password, made once with the configured hasher: verifying it costs what
        verifying a user's hash costs, so unknown addresses answer in the same time."""
        if self._dummy_hash is None:
            self._dummy_hash = await self._hasher.hash(secrets.token_urlsafe(18))
        return self._dummy_hash

    def _forget_users(self, user_ids: list[int]) -> None:
        for user_id in user_ids:
            self._auth_seen.pop(user_id, None)

    def _forget_session(self, user_id: int, session_id: str) -> None:
        sessions = self._auth_seen.get(user_id)
        if sessions is not None:
            sessions.pop(session_id, None)

    async def _create_user(
        self,
        uow: AccountsUnitOfWork,
        *,
        email: str,
        password_hash: str | None,
        user_type: UserType,
        industry: str,
        profile: Profile | None = None,
        verified: bool = True,
    ) -> User:
        user = User(
            email=email,
            password_hash=password_hash,
            user_type=user_type,
            industry=industry,
            date_joined=self._clock.now(),
            email_verified=verified,
        )
        try:
            await uow.users.add(user)
        except Conflict as exc:
            raise InvalidInput.field("email", "Existing Email!") from exc
        if verified:
            # The owner of the address has proved it: corporate accounts still waiting for it cannot take it.
            await uow.claims.lapse(email)
        new_profile = profile or Profile(user_id=user.id)
        new_profile.user_id = user.id
        await uow.profiles.add(new_profile)
        user.record(AccountRegistered(user_id=user.id, email=email, user_type=str(user_type)))
        return user

    async def _finish(self, uow: AccountsUnitOfWork) -> None:
        await uow.commit()
        await self._events.publish(*uow.collect_events())

    # ------------------------------------------------------------------ sign-up

    async def _validate_signup(self, cmd: SignUp) -> str:
        email = normalize_email(cmd.email)
        if cmd.industry is not None:
            await self._check_industry(cmd.industry)
        check_password_policy(cmd.password1)
        if cmd.password1 != cmd.password2:
            raise InvalidInput({"Password Mismatch": ["Passwords must be the same"]})
        return email

    async def signup(self, cmd: SignUp) -> AuthResult | None:
        """Stage 1 (no ``otp``) sends a code and returns ``None``; stage 2 creates the account."""
        email = await self._validate_signup(cmd)
        if cmd.otp is None:
            await self._code_send_gate(email, cmd.client_ip)
            async with self._uow() as uow:
                if await uow.users.by_email(email) is not None:
                    raise InvalidInput.field("email", "Existing Email!")
                challenge, code, link = self._new_challenge(email, ChallengePurpose.SIGNUP, cmd.industry)
                await uow.challenges.put(challenge)
                uow.outbox.add(signup_code_mail(email, code, self._link_url(link), self._policy.code_ttl_seconds // 60))
                await uow.commit()
            return None

        check_key = await self._code_check_gate(cmd.client_ip)
        error: InvalidInput | None = None
        async with self._uow() as uow:
            if await uow.users.by_email(email) is not None:
                raise InvalidInput.field("email", "Existing Email!")
            pending = await uow.challenges.for_email(email, ChallengePurpose.SIGNUP)
            if pending is None:
                await self._failed(check_key)
                raise InvalidInput({"OTP Error": "Invalid OTP"})
            if pending.is_expired(self._clock.now()):
                await uow.challenges.delete(pending.id)
                error = InvalidInput({"OTP Error": "Expired OTP"})
            elif not hmac.compare_digest(pending.code_digest, self._code_digest(pending.purpose, cmd.otp.strip())):
                pending.attempts += 1
                if pending.attempts >= self._policy.max_code_attempts:
                    await uow.challenges.delete(pending.id)
                else:
                    await uow.challenges.update(pending)
                error = InvalidInput({"OTP Error": "Invalid OTP"})
                await self._failed(check_key)
            else:
                # The code is single-use: consume it before the (slow) password hashing below.
                await uow.challenges.delete(pending.id)
            await uow.commit()
        if error is not None:
            raise error
        password_hash = await self._hasher.hash(cmd.password1)
        async with self._uow() as uow:
            user = await self._create_user(
                uow,
                email=email,
                password_hash=password_hash,
                user_type=UserType.MENTOR if cmd.industry is not None else UserType.LEARNER,
                industry=cmd.industry or "others",
            )
            uow.outbox.add(welcome_mail(email))
            tokens = await self._start_session(uow, user)
            await self._finish(uow)
        return AuthResult(user=user, tokens=tokens)

    async def verify_link(self, token: str, *, client_ip: str = "") -> AuthResult:
        """``/user/hash/verify/``: the e-mailed link proves the address; the account starts without a password."""
        check_key = await self._code_check_gate(client_ip)
        async with self._uow() as uow:
            challenge = await uow.challenges.by_link(_sha256(token.strip()), ChallengePurpose.SIGNUP)
            if challenge is None:
                await self._failed(check_key)
                raise InvalidInput.non_field("Invalid Link")
            if challenge.is_expired(self._clock.now()):
                await uow.challenges.delete(challenge.id)
                await uow.commit()
                raise InvalidInput.non_field("Link Expired")
            await uow.challenges.delete(challenge.id)
            if await uow.users.by_email(challenge.email) is not None:
                await uow.commit()
                raise InvalidInput.field("email", "Existing Email!")
            user = await self._create_user(
                uow,
                email=challenge.email,
                password_hash=None,
                user_type=UserType.MENTOR if challenge.industry else UserType.LEARNER,
                industry=challenge.industry or "others",
            )
            uow.outbox.add(welcome_mail(challenge.email))
            tokens = await self._start_session(uow, user)
            await self._finish(uow)
        return AuthResult(user=user, tokens=tokens)

    # ------------------------------------------------------------------ sign-in, tokens

    async def signin(self, email: str, password: str, *, client_ip: str = "") -> AuthResult:
        """Failures are counted, successes are not (see ``AuthPolicy``); an unknown address costs one password
        verification like a known one."""
        policy = self._policy
        ip_key = (f"signin:ip:{client_ip}", policy.signin_per_ip)
        try:
            normalized = normalize_email(email)
        except InvalidInput:
            await self._refuse_if_over(*ip_key)
            await self._failed(ip_key)
            raise InvalidInput.non_field("Invalid Credentials") from None
        pair_key = (f"signin:pair:{normalized}|{client_ip}", policy.signin_per_email)
        account_key = (f"signin:email:{normalized}", policy.signin_per_account)
        if await self._failure_gate(ip_key, pair_key, account_key):
            await self._sleep(policy.signin_backoff_seconds)
        async with self._uow() as uow:
            user = await uow.users.by_email(normalized)
        if user is None or not user.password_hash or not user.is_active or user.user_type is UserType.EMPLOYER:
            await self._hasher.verify(await self._dummy(), password)
            verified = False
        else:
            verified = await self._hasher.verify(user.password_hash, password)
        if not verified or user is None:
            await self._failed(ip_key, pair_key, account_key)
            raise InvalidInput.non_field("Invalid Credentials")
        async with self._uow() as uow:
            tokens = await self._start_session(uow, user)
            await uow.commit()
        return AuthResult(user=user, tokens=tokens)

    async def caller(self, access_token: str) -> Caller:
        """Who an access token stands for, while its account exists and is active, its session is live and it
        was issued after the account's last password reset; ``Unauthenticated`` otherwise.

        One statement (the account joined with the session, by primary keys), trusted per worker for
        ``auth_cache_seconds``; this worker's own sign-outs, resets and deletions apply at once."""
        claims = self._tokens.decode(access_token, token_type="access")
        now = self._clock.now()
        seen = self._auth_seen.get(claims.user_id, {}).get(claims.session_id)
        if seen is not None and seen[0] > now:
            valid_after = seen[1]
        else:
            async with self._reads() as uow:
                standing = await uow.sessions.standing(claims.user_id, claims.session_id)
            if standing is None or not standing.is_active:
                self._auth_seen.pop(claims.user_id, None)
                raise Unauthenticated("User not found")
            if not standing.session_found or standing.session_revoked:
                self._forget_session(claims.user_id, claims.session_id)
                raise Unauthenticated("Token is invalid or expired")
            valid_after = standing.tokens_valid_after
            if self._policy.auth_cache_seconds > 0:
                if len(self._auth_seen) > 100_000:
                    self._auth_seen.clear()
                self._auth_seen.setdefault(claims.user_id, {})[claims.session_id] = (
                    now + timedelta(seconds=self._policy.auth_cache_seconds),
                    valid_after,
                )
        if valid_after is not None and claims.issued_at < valid_after:
            raise Unauthenticated("Token is invalid or expired")
        return Caller(user_id=claims.user_id, session_id=claims.session_id, issued_at=claims.issued_at)

    async def authenticate(self, access_token: str) -> int:
        """The user id of ``caller(access_token)``."""
        return (await self.caller(access_token)).user_id

    async def signout(self, user_id: int, refresh: str) -> None:
        """End the session of ``refresh``: its refresh token and every access token of the session."""
        try:
            claims = self._tokens.decode(refresh, token_type="refresh")
        except Unauthenticated:
            raise InvalidInput.non_field("Invalid Token") from None
        if claims.user_id != user_id:
            raise InvalidInput.non_field("Invalid Token")
        async with self._uow() as uow:
            if await uow.users.get(user_id) is None:
                raise InvalidInput.non_field("Invalid Token")
            await uow.revoked_tokens.revoke(claims.jti, claims.user_id, claims.expires_at)
            await uow.sessions.revoke(claims.session_id, self._clock.now())
            await uow.commit()
        self._forget_session(user_id, claims.session_id)

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
            if user.tokens_valid_after is not None and claims.issued_at < user.tokens_valid_after:
                raise Unauthenticated("Token is invalid or expired")
            session = await uow.sessions.get(claims.session_id)
            if session is None or session.user_id != user.id or session.revoked_at is not None:
                raise Unauthenticated("Token is invalid or expired")
            if now - session.created_at >= timedelta(seconds=self._policy.refresh_chain_max_age_seconds):
                raise Unauthenticated("Session expired, sign in again")
            if not await uow.revoked_tokens.revoke(claims.jti, claims.user_id, claims.expires_at):
                # A rotated token came back: someone holds a copy. End the session for everyone.
                await uow.sessions.revoke(session.id, now)
                await uow.commit()
                self._forget_session(user.id, session.id)
                raise Unauthenticated("Token is blacklisted")
            tokens = self._tokens.issue(user.id, session.id, now)
            await uow.commit()
        return AuthResult(user=user, tokens=tokens)

    # ------------------------------------------------------------------ password reset

    def _challenge_cookie(self, email: str) -> str:
        """``<address, base64url>.<expiry, unix seconds>.<HMAC>``: binds this client to the address's live reset
        challenge without naming the code. Only the server can make one (keyed with the secret)."""
        expiry = int(self._clock.now().timestamp()) + self._policy.code_ttl_seconds
        encoded = base64.urlsafe_b64encode(email.encode()).decode().rstrip("=")
        mac = hmac.new(self._secret, f"reset-client:{encoded}:{expiry}".encode(), hashlib.sha256).hexdigest()
        return f"{encoded}.{expiry}.{mac}"

    def _cookie_email(self, cookie: str | None) -> str | None:
        """The address a stage-1 cookie was made for, while it is genuine and unexpired."""
        if not cookie or len(cookie) > 1024:
            return None
        parts = cookie.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        encoded, expiry, mac = parts
        expected = hmac.new(self._secret, f"reset-client:{encoded}:{expiry}".encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, mac) or int(expiry) <= self._clock.now().timestamp():
            return None
        try:
            return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None

    @property
    def reset_cookie_seconds(self) -> int:
        """How long a client keeps its reset binding: the longer of the code's life and the reset window."""
        return max(self._policy.code_ttl_seconds, self._policy.reset_window_seconds)

    async def forget_password(self, cmd: ForgetPassword) -> ResetOutcome:
        if cmd.password1 is not None or cmd.password2 is not None:
            return await self._reset_set_password(cmd)
        if cmd.otp is not None or cmd.hash is not None:
            return await self._reset_verify(cmd)
        if cmd.email is not None:
            return await self._reset_request(cmd.email, cmd.client_ip)
        raise InvalidInput.non_field("Invalid Request!")

    async def _reset_request(self, raw_email: str, client_ip: str) -> ResetOutcome:
        email = normalize_email(raw_email)
        await self._code_send_gate(email, client_ip)
        async with self._uow() as uow:
            user = await uow.users.by_email(email)
            if user is None:
                raise InvalidInput.non_field("Unregistered Email")
            if user.user_type is UserType.EMPLOYER:
                raise InvalidInput.non_field(_CORPORATE_NO_SIGNIN)
            challenge, code, link = self._new_challenge(email, ChallengePurpose.RESET)
            await uow.challenges.put(challenge)
            uow.outbox.add(reset_code_mail(email, code, self._link_url(link), self._policy.code_ttl_seconds // 60))
            await uow.commit()
        return ResetOutcome(
            status="Reset Password OTP sent.", email=email, challenge_cookie=self._challenge_cookie(email)
        )

    async def _reset_verify(self, cmd: ForgetPassword) -> ResetOutcome:
        """Stage 2. ``{otp}`` alone resolves the address from the stage-1 cookie (no cookie → refused, never a
        search across pending resets); ``{email, otp}`` names it; ``{hash}`` is the e-mailed link. Every wrong
        code counts on the address's challenge, whichever form was used."""
        check_key = await self._code_check_gate(cmd.client_ip)
        now = self._clock.now()
        error: InvalidInput | None = None
        async with self._uow() as uow:
            challenge: EmailChallenge | None
            if cmd.otp is not None:
                invalid, expired = "Invalid OTP", "Expired OTP"
                email = (
                    normalize_email(cmd.email) if cmd.email is not None else self._cookie_email(cmd.challenge_cookie)
                )
                challenge = None if email is None else await uow.challenges.for_email(email, ChallengePurpose.RESET)
                digest = self._code_digest(ChallengePurpose.RESET, cmd.otp.strip())
                if (
                    challenge is not None
                    and challenge.verified_at is None
                    and not challenge.is_expired(now)
                    and not hmac.compare_digest(challenge.code_digest, digest)
                ):
                    challenge.attempts += 1
                    if challenge.attempts >= self._policy.max_code_attempts:
                        await uow.challenges.delete(challenge.id)
                    else:
                        await uow.challenges.update(challenge)
                    await uow.commit()
                    await self._failed(check_key)
                    raise InvalidInput.non_field(invalid)
            else:
                challenge = await uow.challenges.by_link(_sha256((cmd.hash or "").strip()), ChallengePurpose.RESET)
                invalid, expired = "Invalid Link", "Link Expired"
            if challenge is None or challenge.verified_at is not None:
                await self._failed(check_key)
                raise InvalidInput.non_field(invalid)
            if challenge.is_expired(now):
                await uow.challenges.delete(challenge.id)
                error = InvalidInput.non_field(expired)
            else:
                reset_token = secrets.token_urlsafe(32)
                challenge.verified_at = now
                challenge.expires_at = now + timedelta(seconds=self._policy.reset_window_seconds)
                challenge.reset_token_digest = _sha256(reset_token)
                await uow.challenges.update(challenge)
            await uow.commit()
        if error is not None:
            raise error
        return ResetOutcome(status="Verified", email=challenge.email, reset_token=reset_token)

    async def _reset_set_password(self, cmd: ForgetPassword) -> ResetOutcome:
        """Stage 3: only with the proof stage 2 gave the verifying client (``reset_token`` in the body, else its
        cookie), once. Ends every session of the person: the account and the corporate accounts it created."""
        missing = {
            name: ["This field is required."]
            for name, value in (("email", cmd.email), ("password1", cmd.password1), ("password2", cmd.password2))
            if value is None
        }
        if missing:
            raise InvalidInput(missing)
        assert cmd.email is not None
        assert cmd.password1 is not None
        assert cmd.password2 is not None
        email = normalize_email(cmd.email)
        policy = self._policy
        ip_key = (f"reset-set:ip:{cmd.client_ip}", policy.reset_set_per_ip)
        pair_key = (f"reset-set:pair:{email}|{cmd.client_ip}", policy.reset_set_per_email)
        address_key = (f"reset-set:email:{email}", policy.reset_set_per_address)
        await self._failure_gate(ip_key, pair_key, address_key)
        proof = cmd.reset_token if cmd.reset_token is not None else cmd.proof_cookie
        now = self._clock.now()
        async with self._uow() as uow:
            challenge = await uow.challenges.for_email(email, ChallengePurpose.RESET)
            user = await uow.users.by_email(email)
            if challenge is None or challenge.verified_at is None or user is None:
                await self._failed(ip_key, pair_key, address_key)
                raise InvalidInput.non_field("Cannot change password. Request new otp.")
            if challenge.is_expired(now):
                await uow.challenges.delete(challenge.id)
                await uow.commit()
                raise InvalidInput.non_field("Expired Request")
            if not proof or not hmac.compare_digest(challenge.reset_token_digest or "", _sha256(proof.strip())):
                await self._failed(ip_key, pair_key, address_key)
                raise InvalidInput.non_field("Invalid reset token")
            if cmd.password1 != cmd.password2:
                raise InvalidInput.non_field("Unmatched passwords")
            check_password_policy(cmd.password1)
        password_hash = await self._hasher.hash(cmd.password1)
        async with self._uow() as uow:
            challenge = await uow.challenges.for_email(email, ChallengePurpose.RESET)
            user = await uow.users.by_email(email)
            if (
                challenge is None
                or challenge.verified_at is None
                or user is None
                or not hmac.compare_digest(challenge.reset_token_digest or "", _sha256(proof.strip()))
            ):
                raise InvalidInput.non_field("Cannot change password. Request new otp.")
            await uow.challenges.delete(challenge.id)
            revoked_at = self._clock.now()
            user.password_hash = password_hash
            user.tokens_valid_after = revoked_at
            user.record(PasswordChanged(user_id=user.id))
            await uow.users.update(user)
            tree = [user.id, *await self._created_tree(uow, user.id)]
            for account in await uow.users.get_many(tree[1:]):
                account.tokens_valid_after = revoked_at
                await uow.users.update(account)
            await uow.sessions.revoke_users(tree, revoked_at)
            uow.outbox.add(password_changed_mail(email))
            await self._finish(uow)
        self._forget_users(tree)
        return ResetOutcome(status="Password Changed", email=email, finished=True)

    # ------------------------------------------------------------------ Google

    async def _google_identity(self, code: str | None, flow: str) -> str:
        if not code:
            raise InvalidInput.error("Missing Code")
        try:
            identity = await self._google.identify(code, flow=flow)
        except IdentityError as exc:
            raise InvalidInput.error(str(exc)) from None
        if not identity.email_verified:
            raise InvalidInput.error("Email not verified")
        return normalize_email(identity.email)

    async def google_signup(self, code: str | None, user_type: str | None) -> AuthResult:
        if not code:
            raise InvalidInput.error("Missing Code")
        try:
            identity = await self._google.identify(code, flow="signup")
        except IdentityError as exc:
            raise InvalidInput.error(str(exc)) from None
        if not identity.email_verified:
            raise InvalidInput.error("Email not verified")
        email = normalize_email(identity.email)
        words = identity.name.split()
        profile = Profile(
            user_id=0,
            first_name=words[0] if words else "N/A",
            last_name=words[-1] if len(words) >= 2 else "N/A",
            middle_name=" ".join(words[1:-1]) if len(words) >= 3 else "N/A",
        )
        async with self._uow() as uow:
            if await uow.users.by_email(email) is not None:
                raise InvalidInput.error("An account with this email exists. Proceed to Login")
            try:
                user = await self._create_user(
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
            tokens = await self._start_session(uow, user)
            await self._finish(uow)
        return AuthResult(user=user, tokens=tokens)

    async def google_signin(self, code: str | None) -> AuthResult:
        email = await self._google_identity(code, "signin")
        async with self._uow() as uow:
            user = await uow.users.by_email(email)
        if user is None or not user.is_active:
            raise InvalidInput.error("No account with this email exist. Signup to continue")
        if user.user_type is UserType.EMPLOYER:
            raise InvalidInput.error(_CORPORATE_NO_SIGNIN)
        async with self._uow() as uow:
            tokens = await self._start_session(uow, user)
            await uow.commit()
        return AuthResult(user=user, tokens=tokens)

    # ------------------------------------------------------------------ deletion, admin

    async def delete_user(self, actor_id: int, email: str | None = None) -> None:
        """Delete the caller, or (staff only) the account with ``email``. Everything it owns goes with it."""
        async with self._uow() as uow:
            actor = await uow.users.get(actor_id)
            if actor is None:
                raise NotFound("User not found.")
            target = actor
            if email is not None and normalize_email(email) != actor.email:
                if not actor.is_staff:
                    raise PermissionDenied("You do not have permission to perform this action.")
                found = await uow.users.by_email(normalize_email(email))
                if found is None:
                    raise InvalidInput.field("email", "Unregistered User")
                target = found
            # The corporate accounts the user created are reachable only through it: they go with it, and so do
            # the ones those created, down the whole tree. Deepest first; each delete runs the deletion steps.
            tree = await self._created_tree(uow, target.id)
            media = [self._media_of(p) for p in await uow.profiles.get_many([target.id, *tree])]
            children = {u.id: u for u in await uow.users.get_many(tree)}
            for child_id in reversed(tree):
                child = children[child_id]
                await uow.users.delete(child.id)
                self._auth_seen.pop(child.id, None)
                child.record(AccountDeleted(user_id=child.id))
                uow.track(child)
            await uow.users.delete(target.id)
            self._auth_seen.pop(target.id, None)
            target.record(AccountDeleted(user_id=target.id))
            uow.track(target)
            await self._finish(uow)
        # After commit: the profile media (photos, logos, covers, videos, résumés) of every deleted account.
        for key in (k for keys in media for k in keys):
            with contextlib.suppress(Exception):  # an orphan object is harmless; the deletion succeeded
                await self._storage.delete(key)

    async def _created_tree(self, uow: AccountsUnitOfWork, root: int) -> list[int]:
        """The corporate accounts ``root`` created, those they created, and so on: parents before children
        (one statement per level)."""
        found: list[int] = []
        seen = {root}
        level = [root]
        while level:
            children = [c for c in await uow.links.created_by(level) if c not in seen]
            employers = {u.id for u in await uow.users.get_many(children) if u.user_type is UserType.EMPLOYER}
            level = [c for c in dict.fromkeys(children) if c in employers]
            seen.update(level)
            found.extend(level)
        return found

    def _media_of(self, profile: Profile) -> list[str]:
        urls = (profile.profile_photo, profile.cover_photo, profile.logo, profile.intro_video, profile.resume)
        # Only URLs this storage produced (every one of these fields is set from an upload, never from text).
        keys = [self._storage.key_of(url) for url in urls if url and "://" in url]
        return [k for k in keys if k]

    async def create_admin(self, email: str, password: str) -> User:
        normalized = normalize_email(email)
        check_password_policy(password)
        password_hash = await self._hasher.hash(password)
        async with self._uow() as uow:
            user = await uow.users.by_email(normalized)
            if user is None:
                user = await self._create_user(
                    uow, email=normalized, password_hash=password_hash, user_type=UserType.LEARNER, industry="others"
                )
            user.is_staff = True
            user.password_hash = password_hash
            await uow.users.update(user)
            await self._finish(uow)
        return user

    async def get_user(self, user_id: int) -> User:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
        if user is None:
            raise NotFound("User not found.")
        return user

    # ------------------------------------------------------------------ corporate accounts

    async def create_corporate(self, actor_id: int, cmd: CorporateSignup) -> tuple[User, Profile]:
        """A corporate (employer) account linked to its creator; reachable only through switch-account.

        The company address is not the account's until the code e-mailed to it comes back
        (``verify_corporate_email``): meanwhile the account has a placeholder address, and the owner of the
        company address can still sign up with it (the claim then lapses).
        """
        company_email = normalize_email(cmd.company_email, field_name="company_email")
        for name in ("company_name", "website", "location", "tagline"):
            if "\x00" in getattr(cmd, name):  # PostgreSQL text cannot hold NUL
                raise InvalidInput.field(name, "Null characters are not allowed.")
        website = check_web_url("website", cmd.website)
        await self._check_choice("company_type", cmd.company_type, "company_type")
        await self._check_choice("company_size", cmd.company_size, "company_size")
        await self._check_industry(cmd.industry)
        logo_key: str | None = None
        if cmd.logo is not None:
            content_type, extension = check_upload(cmd.logo, self._media.logo, "logo")
            logo_key = new_key("profile_photo/company_logo", cmd.logo.filename, extension)
        profile = Profile(
            user_id=0,
            company_name=cmd.company_name,
            company_type=cmd.company_type,
            company_size=cmd.company_size,
            website=website,
            location=cmd.location,
            tagline=cmd.tagline,
        )
        async with self._uow() as uow:
            if await uow.users.get(actor_id) is None:
                raise NotFound("User not found.")
            if await uow.users.by_email(company_email) is not None:
                raise InvalidInput.field("company_email", "An account with this email already exists.")
        # Every corporate sign-up mails a stranger's address: bounded per creator.
        await self._limit(f"corporate-send:user:{actor_id}", self._policy.code_send_per_ip)
        if logo_key is not None and cmd.logo is not None:
            profile.logo = await self._storage.put(logo_key, cmd.logo.data, content_type)
        try:
            async with self._uow() as uow:
                user = await self._create_user(
                    uow,
                    email=_placeholder_email(),
                    password_hash=None,
                    user_type=UserType.EMPLOYER,
                    industry=cmd.industry,
                    profile=profile,
                    verified=False,
                )
                await uow.links.link(actor_id, user.id)
                code = await self._new_claim(uow, user.id, company_email)
                uow.outbox.add(self._claim_mail(company_email, cmd.company_name, code))
                await self._finish(uow)
        except BaseException:
            if logo_key is not None:
                await self._storage.delete(logo_key)
            raise
        return user, profile

    def _claim_mail(self, email: str, company_name: str, code: str) -> EmailMessage:
        return corporate_code_mail(email, company_name, code, self._policy.corporate_code_ttl_seconds // 60)

    async def _new_claim(self, uow: AccountsUnitOfWork, user_id: int, email: str) -> str:
        """Put (or replace) the claim of ``user_id`` on ``email`` with a fresh code; returns the code."""
        now = self._clock.now()
        code = f"{secrets.randbelow(1_000_000):06d}"
        await uow.claims.put(
            CorporateClaim(
                user_id=user_id,
                email=email,
                code_digest=self._code_digest(ChallengePurpose.CORPORATE, f"{user_id}:{code}"),
                created_at=now,
                expires_at=now + timedelta(seconds=self._policy.corporate_code_ttl_seconds),
            )
        )
        return code

    async def _pending_claim(self, uow: AccountsUnitOfWork, organization_id: int) -> CorporateClaim:
        claim = await uow.claims.for_account(organization_id)
        if claim is not None:
            if await uow.users.by_email(claim.email) is None:
                return claim
            # Someone proved the address first (its owner signed up, or another claim was confirmed).
            await uow.claims.delete(claim.id)
            await uow.commit()
            raise InvalidInput.field("company_email", "An account with this email already exists.")
        organization = await uow.users.get(organization_id)
        if organization is not None and organization.email_verified:
            raise InvalidInput.error("The company e-mail is already verified.")
        # No claim left on an unverified account: it lapsed when someone proved the address first.
        raise InvalidInput.field("company_email", "An account with this email already exists.")

    async def verify_corporate_email(
        self, actor_id: int, account_id: int | None = None, otp: str | None = None, *, client_ip: str = ""
    ) -> CorporateEmailOutcome:
        """``POST /user/corporate/verify/``: without ``otp`` e-mail a new code to the pending company address;
        with it, make the address the corporate account's. By the corporate account itself or its creator."""
        if otp is None:
            await self._limit(f"code-send:ip:{client_ip}", self._policy.code_send_per_ip)
            async with self._uow() as uow:
                org_id = await self._organization_of(uow, actor_id, account_id)
                claim = await self._pending_claim(uow, org_id)
                await self._limit(f"corporate-send:account:{org_id}", self._policy.code_send_per_email)
                profile = await uow.profiles.get(org_id)
                code = await self._new_claim(uow, org_id, claim.email)
                uow.outbox.add(self._claim_mail(claim.email, (profile.company_name if profile else None) or "", code))
                await uow.commit()
            return CorporateEmailOutcome(status="Otp sent", email=claim.email)

        await self._limit(f"code-check:ip:{client_ip}", self._policy.code_check_per_ip)
        now = self._clock.now()
        async with self._uow() as uow:
            org_id = await self._organization_of(uow, actor_id, account_id)
            claim = await self._pending_claim(uow, org_id)
            digest = self._code_digest(ChallengePurpose.CORPORATE, f"{org_id}:{otp.strip()}")
            if not claim.code_digest or claim.is_expired(now):
                raise InvalidInput({"OTP Error": "Expired OTP"})
            if not hmac.compare_digest(claim.code_digest, digest):
                claim.attempts += 1
                if claim.attempts >= self._policy.max_code_attempts:
                    claim.code_digest = ""  # void: a new code must be asked for
                await uow.claims.update(claim)
                await uow.commit()
                raise InvalidInput({"OTP Error": "Invalid OTP"})
            organization = await uow.users.get(org_id)
            if organization is None:
                raise NotFound("Invalid organization.")
            organization.email = claim.email
            organization.email_verified = True
            await uow.claims.delete(claim.id)
            try:
                await uow.users.update(organization)
            except Conflict:  # proved by someone else a moment ago
                raise InvalidInput.field("company_email", "An account with this email already exists.") from None
            await self._finish(uow)
        return CorporateEmailOutcome(status="Verified", email=claim.email)

    async def organization_profile(self, organization_id: int) -> tuple[User, Profile, list[MiniUser]]:
        async with self._uow() as uow:
            user = await uow.users.get(organization_id)
            profile = await uow.profiles.get(organization_id)
            if user is None or profile is None:
                raise NotFound("Invalid User Id")
            members = await self.mini_users(uow, await uow.members.members_of(organization_id))
        return user, profile, members

    async def mini_users(self, uow: AccountsUnitOfWork, user_ids: list[int]) -> list[MiniUser]:
        """Cards for ``user_ids`` in that order (two statements whatever the count)."""
        users = {u.id: u for u in await uow.users.get_many(user_ids)}
        profiles = {p.user_id: p for p in await uow.profiles.get_many(user_ids)}
        return cards_for(user_ids, users, profiles)

    async def linked_accounts(self, actor_id: int) -> list[MiniUser]:
        async with self._uow() as uow:
            return await self.mini_users(uow, await uow.links.linked_to(actor_id))

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
                or session is None
                or session.user_id != actor_id
                or session.revoked_at is not None
                or (actor.tokens_valid_after is not None and caller.issued_at < actor.tokens_valid_after)
            ):
                self._forget_session(actor_id, caller.session_id)
                raise Unauthenticated("Token is invalid or expired")
            if account_id not in await uow.links.linked_to(actor_id):
                raise InvalidInput.field("account", "This account is not linked to your profile.")
            target = await uow.users.get(account_id)
            if target is None or not target.is_active:
                raise InvalidInput.field("account", "This account is not linked to your profile.")
            creator_id = await uow.links.main_of(account_id)
            creator = await uow.users.get(creator_id) if creator_id is not None else None
            for guard in (target, creator):
                if guard is not None and guard.tokens_valid_after is not None and (
                    caller.issued_at < guard.tokens_valid_after
                ):
                    raise PermissionDenied("Sign in again to switch to this account.")
            tokens = await self._start_session(uow, target, chain_started=session.created_at)
            await uow.commit()
        return AuthResult(user=target, tokens=tokens)

    # ------------------------------------------------------------------ organization members

    async def _organization_of(self, uow: AccountsUnitOfWork, actor_id: int, organization_id: int | None) -> int:
        """The organization the actor manages: itself when it is one, or one it created."""
        actor = await uow.users.get(actor_id)
        if actor is None:
            raise NotFound("User not found.")
        if organization_id is None or organization_id == actor_id:
            if actor.user_type is not UserType.EMPLOYER:
                raise PermissionDenied("This request is only available to employers.")
            return actor_id
        organization = await uow.users.get(organization_id)
        if organization is None or organization.user_type is not UserType.EMPLOYER:
            raise NotFound("Invalid organization.")
        if await uow.links.main_of(organization_id) != actor_id:
            raise PermissionDenied("Only the organization or its creator can manage its members.")
        return organization_id

    async def add_member(self, actor_id: int, member_id: int, organization_id: int | None = None) -> MiniUser:
        async with self._uow() as uow:
            org_id = await self._organization_of(uow, actor_id, organization_id)
            member = await uow.users.get(member_id)
            if member is None:
                raise InvalidInput.field("member", f'Invalid pk "{member_id}" - object does not exist.')
            if member.user_type is UserType.EMPLOYER:
                raise InvalidInput.field("member", "Another employer cannot be a member of an organization.")
            if not await uow.members.add(org_id, member_id):
                raise InvalidInput.field("member", "This user is already a member.")
            card = (await self.mini_users(uow, [member_id]))[0]
            organization = await uow.profiles.get(org_id)
            # Being listed on an organization's profile is news to the member: tell them, they can leave.
            uow.outbox.add(member_added_mail(member.email, (organization.company_name if organization else "") or ""))
            member.record(MemberAdded(organization_id=org_id, member_id=member_id))
            uow.track(member)
            await self._finish(uow)
        return card

    async def remove_member(self, actor_id: int, member_id: int, organization_id: int | None = None) -> None:
        """By the organization or its creator; or by the member themselves (``member_id`` is the caller), who
        leaves the organization named in ``organization`` — which may be omitted when they are in only one."""
        async with self._uow() as uow:
            if member_id == actor_id:
                joined = await uow.members.organizations_of(actor_id)
                leaving: int | None = None
                if organization_id is None:
                    if len(joined) > 1:
                        raise InvalidInput.field(
                            "organization", "You are a member of several organizations: name the one to leave."
                        )
                    leaving = joined[0] if joined else None
                    if leaving is None:
                        actor = await uow.users.get(actor_id)
                        if actor is not None and actor.user_type is not UserType.EMPLOYER:
                            raise InvalidInput.error("This user is not a member.")
                elif organization_id in joined:
                    leaving = organization_id
                if leaving is not None:
                    await uow.members.remove(leaving, actor_id)
                    await uow.commit()
                    return
            org_id = await self._organization_of(uow, actor_id, organization_id)
            if await uow.users.get(member_id) is None:
                raise NotFound("Invalid member_id")
            if not await uow.members.remove(org_id, member_id):
                raise InvalidInput.error("This user is not a member.")
            await uow.commit()

    async def list_members(self, actor_id: int, organization_id: int | None = None) -> list[MiniUser]:
        async with self._uow() as uow:
            org_id = await self._organization_of(uow, actor_id, organization_id)
            return await self.mini_users(uow, await uow.members.members_of(org_id))
