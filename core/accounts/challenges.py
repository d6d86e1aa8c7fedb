"""E-mailed codes and links: keyed digests (the code itself is never stored) and new challenges."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from core.accounts.config import AuthPolicy
from core.accounts.model.users import ChallengePurpose, EmailChallenge
from ports.accounts import AccountsUnitOfWork
from ports.system import Clock

__all__ = ("CodeChallenges", "new_code", "sha256_hex")


def sha256_hex(value: str) -> str:
    """The stored form of a long random secret (an e-mailed link, a reset proof)."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_code() -> str:
    """Six random digits."""
    return f"{secrets.randbelow(1_000_000):06d}"


class CodeChallenges:
    __slots__ = ("_clock", "_policy", "_secret")

    def __init__(self, *, secret: bytes, clock: Clock, policy: AuthPolicy) -> None:
        self._secret = secret
        self._clock = clock
        self._policy = policy

    def digest(self, purpose: ChallengePurpose, code: str) -> str:
        """The keyed digest of a code for ``purpose`` (a code of one purpose never matches another's)."""
        return hmac.new(self._secret, f"{purpose}:{code}".encode(), hashlib.sha256).hexdigest()

    def new(
        self, email: str, purpose: ChallengePurpose, industry: str | None = None
    ) -> tuple[EmailChallenge, str, str]:
        """A challenge for ``email`` living ``code_ttl_seconds``, with its code and its link token."""
        now = self._clock.now()
        code = new_code()
        link = secrets.token_urlsafe(32)
        challenge = EmailChallenge(
            email=email,
            purpose=purpose,
            code_digest=self.digest(purpose, code),
            link_digest=sha256_hex(link),
            created_at=now,
            expires_at=now + timedelta(seconds=self._policy.code_ttl_seconds),
            industry=industry,
        )
        return challenge, code, link

    async def count_wrong_code(self, uow: AccountsUnitOfWork, challenge: EmailChallenge) -> None:
        """A wrong code counts on its challenge (in ``uow``; committed by the caller); the last allowed attempt
        voids it."""
        challenge.attempts += 1
        if challenge.attempts >= self._policy.max_code_attempts:
            await uow.challenges.delete(challenge.id)
        else:
            await uow.challenges.update(challenge)

    def link_url(self, token: str) -> str:
        return f"{self._policy.frontend_url.rstrip('/')}/verify/{token}"

    @property
    def code_minutes(self) -> int:
        """A code's life in whole minutes, as the e-mails say it."""
        return self._policy.code_ttl_seconds // 60
