"""Password reset in three stages: an e-mailed code (and a cookie binding the asking browser), its
verification (a single-use proof), and the new password, which ends every session of the person."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from core.accounts.auth_cache import AuthCache
from core.accounts.challenges import CodeChallenges, sha256_hex
from core.accounts.common import commit_and_publish, created_tree
from core.accounts.config import AuthPolicy
from core.accounts.limits import Limits
from core.accounts.mails import password_changed_mail, reset_code_mail
from core.accounts.model.events import PasswordChanged
from core.accounts.model.users import ChallengePurpose, EmailChallenge, check_password_policy, normalize_email
from core.accounts.policies import CORPORATE_NO_SIGNIN, signs_in_directly
from core.shared.errors import InvalidInput
from ports.accounts import AccountsUnitOfWork, PasswordHasher
from ports.events import EventPublisher
from ports.system import Clock

__all__ = ("ForgetPassword", "PasswordResetService", "ResetOutcome")


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


class PasswordResetService:
    __slots__ = ("_cache", "_challenges", "_clock", "_events", "_hasher", "_limits", "_policy", "_secret", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        events: EventPublisher,
        clock: Clock,
        hasher: PasswordHasher,
        challenges: CodeChallenges,
        limits: Limits,
        cache: AuthCache,
        secret: bytes,
        policy: AuthPolicy | None = None,
    ) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._hasher = hasher
        self._challenges = challenges
        self._limits = limits
        self._cache = cache
        self._secret = secret
        self._policy = policy or AuthPolicy()

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
        await self._limits.code_send_gate(email, client_ip)
        challenges = self._challenges
        async with self._uow() as uow:
            user = await uow.users.by_email(email)
            if user is None:
                raise InvalidInput.non_field("Unregistered Email")
            if not signs_in_directly(user):
                raise InvalidInput.non_field(CORPORATE_NO_SIGNIN)
            challenge, code, link = challenges.new(email, ChallengePurpose.RESET)
            await uow.challenges.put(challenge)
            uow.outbox.add(reset_code_mail(email, code, challenges.link_url(link), challenges.code_minutes))
            await uow.commit()
        return ResetOutcome(
            status="Reset Password OTP sent.", email=email, challenge_cookie=self._challenge_cookie(email)
        )

    async def _reset_verify(self, cmd: ForgetPassword) -> ResetOutcome:
        """Stage 2. ``{otp}`` alone resolves the address from the stage-1 cookie (no cookie → refused, never a
        search across pending resets); ``{email, otp}`` names it; ``{hash}`` is the e-mailed link. Every wrong
        code counts on the address's challenge, whichever form was used."""
        check_key = await self._limits.code_check_gate(cmd.client_ip)
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
                digest = self._challenges.digest(ChallengePurpose.RESET, cmd.otp.strip())
                if (
                    challenge is not None
                    and challenge.verified_at is None
                    and not challenge.is_expired(now)
                    and not hmac.compare_digest(challenge.code_digest, digest)
                ):
                    await self._challenges.count_wrong_code(uow, challenge)
                    await uow.commit()
                    await self._limits.failed(check_key)
                    raise InvalidInput.non_field(invalid)
            else:
                challenge = await uow.challenges.by_link(sha256_hex((cmd.hash or "").strip()), ChallengePurpose.RESET)
                invalid, expired = "Invalid Link", "Link Expired"
            if challenge is None or challenge.verified_at is not None:
                await self._limits.failed(check_key)
                raise InvalidInput.non_field(invalid)
            if challenge.is_expired(now):
                await uow.challenges.delete(challenge.id)
                error = InvalidInput.non_field(expired)
            else:
                reset_token = secrets.token_urlsafe(32)
                challenge.verified_at = now
                challenge.expires_at = now + timedelta(seconds=self._policy.reset_window_seconds)
                challenge.reset_token_digest = sha256_hex(reset_token)
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
        limits = self._limits
        ip_key = (f"reset-set:ip:{cmd.client_ip}", policy.reset_set_per_ip)
        pair_key = (f"reset-set:pair:{email}|{cmd.client_ip}", policy.reset_set_per_email)
        address_key = (f"reset-set:email:{email}", policy.reset_set_per_address)
        await limits.failure_gate(ip_key, pair_key, address_key)
        proof = cmd.reset_token if cmd.reset_token is not None else cmd.proof_cookie
        now = self._clock.now()
        async with self._uow() as uow:
            challenge = await uow.challenges.for_email(email, ChallengePurpose.RESET)
            user = await uow.users.by_email(email)
            if challenge is None or challenge.verified_at is None or user is None:
                await limits.failed(ip_key, pair_key, address_key)
                raise InvalidInput.non_field("Cannot change password. Request new otp.")
            if challenge.is_expired(now):
                await uow.challenges.delete(challenge.id)
                await uow.commit()
                raise InvalidInput.non_field("Expired Request")
            if not proof or not hmac.compare_digest(challenge.reset_token_digest or "", sha256_hex(proof.strip())):
                await limits.failed(ip_key, pair_key, address_key)
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
                or not hmac.compare_digest(challenge.reset_token_digest or "", sha256_hex(proof.strip()))
            ):
                raise InvalidInput.non_field("Cannot change password. Request new otp.")
            await uow.challenges.delete(challenge.id)
            revoked_at = self._clock.now()
            user.password_hash = password_hash
            user.tokens_valid_after = revoked_at
            user.record(PasswordChanged(user_id=user.id))
            await uow.users.update(user)
            tree = [user.id, *await created_tree(uow, user.id)]
            await uow.users.revoke_tokens(tree[1:], revoked_at)
            await uow.sessions.revoke_users(tree, revoked_at)
            uow.outbox.add(password_changed_mail(email))
            await commit_and_publish(uow, self._events)
        await self._cache.forget_users(tree)
        return ResetOutcome(status="Password Changed", email=email, finished=True)
