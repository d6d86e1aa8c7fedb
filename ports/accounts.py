"""Ports of the accounts domain: repositories, unit of work, credentials, external identity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Self

from core.accounts.model.profiles import Profile
from core.accounts.model.sessions import LoginSession, TokenStanding
from core.accounts.model.users import ChallengePurpose, CorporateClaim, EmailChallenge, User
from core.shared.events import DomainEvent
from ports.email import MailOutbox
from ports.tasks import TaskQueue

__all__ = (
    "AccountsUnitOfWork",
    "AuthCachePeers",
    "ChallengeRepository",
    "CorporateClaimRepository",
    "ExternalIdentity",
    "GoogleIdentity",
    "IdentityError",
    "LinkRepository",
    "MemberRepository",
    "PasswordHasher",
    "ProfileRepository",
    "RevokedTokenRepository",
    "SessionRepository",
    "TokenClaims",
    "TokenPair",
    "Tokens",
    "UserRepository",
)


class UserRepository(Protocol):
    async def get(self, user_id: int) -> User | None: ...

    async def get_many(self, user_ids: list[int]) -> list[User]:
        """Users with these ids, in no particular order; unknown ids are skipped."""
        ...

    async def by_email(self, email: str) -> User | None:
        """The user with this normalised e-mail address."""
        ...

    async def add(self, user: User) -> User:
        """Insert; returns the user with its new id. A taken e-mail raises ``Conflict``."""
        ...

    async def update(self, user: User) -> None:
        """Save the user. An e-mail address taken by another user raises ``Conflict``."""
        ...

    async def revoke_tokens(self, user_ids: list[int], at: datetime) -> None:
        """Set ``tokens_valid_after`` of these users to ``at`` in one statement; unknown ids are skipped."""
        ...

    async def delete(self, user_id: int) -> None:
        """Delete the user and everything it owns (cascade)."""
        ...


class ProfileRepository(Protocol):
    async def get(self, user_id: int) -> Profile | None: ...

    async def get_many(self, user_ids: list[int]) -> list[Profile]: ...

    async def add(self, profile: Profile) -> None: ...

    async def update(self, profile: Profile) -> None: ...


class ChallengeRepository(Protocol):
    async def for_email(self, email: str, purpose: ChallengePurpose) -> EmailChallenge | None:
        """The live challenge of an address (a new one replaces the old)."""
        ...

    async def by_link(self, link_digest: str, purpose: ChallengePurpose) -> EmailChallenge | None: ...

    async def put(self, challenge: EmailChallenge) -> EmailChallenge:
        """Insert, replacing any challenge of the same address and purpose."""
        ...

    async def update(self, challenge: EmailChallenge) -> None: ...

    async def delete(self, challenge_id: int) -> None: ...


class CorporateClaimRepository(Protocol):
    async def for_account(self, user_id: int) -> CorporateClaim | None:
        """The pending claim of a corporate account."""
        ...

    async def put(self, claim: CorporateClaim) -> CorporateClaim:
        """Insert, replacing any claim of the same account."""
        ...

    async def update(self, claim: CorporateClaim) -> None: ...

    async def delete(self, claim_id: int) -> None: ...

    async def lapse(self, email: str) -> int:
        """Delete every pending claim of this address (its owner has proved it); how many there were."""
        ...


class RevokedTokenRepository(Protocol):
    async def is_revoked(self, jti: str) -> bool: ...

    async def revoke(self, jti: str, user_id: int, expires_at: datetime) -> bool:
        """Record a revoked refresh token; ``False`` if it was revoked already."""
        ...


class SessionRepository(Protocol):
    async def add(self, session: LoginSession) -> None: ...

    async def get(self, session_id: str) -> LoginSession | None: ...

    async def revoke(self, session_id: str, at: datetime) -> None:
        """End one session (no-op when unknown or already ended)."""
        ...

    async def revoke_users(self, user_ids: list[int], at: datetime) -> None:
        """End every live session of these users."""
        ...

    async def standing(self, user_id: int, session_id: str) -> TokenStanding | None:
        """The account (``None`` when it does not exist) and whether ``session_id`` is one of its live sessions,
        in ONE statement: the token check runs on every authenticated request and is counted by page guards."""
        ...


class LinkRepository(Protocol):
    async def link(self, main_id: int, child_id: int) -> None: ...

    async def linked_to(self, user_id: int) -> list[int]:
        """Ids of the accounts linked to ``user_id`` in either direction, oldest link first."""
        ...

    async def main_of(self, child_id: int) -> int | None: ...

    async def created_by(self, main_ids: list[int]) -> list[int]:
        """Ids of the accounts these accounts created (``main_id`` in ``main_ids``), oldest link first."""
        ...


class MemberRepository(Protocol):
    async def add(self, organization_id: int, member_id: int) -> bool:
        """``False`` when already a member."""
        ...

    async def remove(self, organization_id: int, member_id: int) -> bool:
        """``False`` when not a member."""
        ...

    async def members_of(self, organization_id: int) -> list[int]:
        """Member ids, in the order they were added."""
        ...

    async def organizations_of(self, member_id: int) -> list[int]:
        """Ids of the organizations this user is a member of, in the order they were joined."""
        ...


class AccountsUnitOfWork(Protocol):
    @property
    def users(self) -> UserRepository: ...
    @property
    def profiles(self) -> ProfileRepository: ...
    @property
    def challenges(self) -> ChallengeRepository: ...
    @property
    def claims(self) -> CorporateClaimRepository: ...
    @property
    def revoked_tokens(self) -> RevokedTokenRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def links(self) -> LinkRepository: ...
    @property
    def members(self) -> MemberRepository: ...
    @property
    def outbox(self) -> MailOutbox: ...
    @property
    def tasks(self) -> TaskQueue:
        """Background tasks staged with this unit of work, written by its commit (``ports/tasks.py``)."""
        ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    def collect_events(self) -> list[DomainEvent]: ...
    def track(self, *entities: object) -> None:
        """Remember entities whose ``pending_events`` are collected after commit."""
        ...

    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None:
        """Cached reads of ``viewer_ids`` (of everyone) are out of date once this unit of work commits
        (``ports.readcache``)."""
        ...


class AuthCachePeers(Protocol):
    """The token-check caches of the other processes (web workers on this and other hosts).

    Best effort and never raising: a message that does not arrive (the broadcast is down) is covered by the
    cache's own time bound (``auth_cache_seconds``); a process that receives it drops its cached checks at once.
    """

    async def forget_users(self, user_ids: Sequence[int]) -> None:
        """Every other process must look these accounts up again (reset, deletion)."""
        ...

    async def forget_session(self, user_id: int, session_id: str) -> None:
        """Every other process must look this session up again (sign-out, revocation)."""
        ...


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenClaims:
    user_id: int
    session_id: str
    token_type: str
    jti: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenPair:
    access: str
    refresh: str


class Tokens(Protocol):
    def issue(self, user_id: int, session_id: str, now: datetime) -> TokenPair:
        """An access and a refresh token of ``user_id`` inside session ``session_id`` (claim ``sid``)."""
        ...

    def decode(self, token: str, *, token_type: str) -> TokenClaims:
        """Verify signature, expiry and type; raise ``Unauthenticated`` otherwise."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalIdentity:
    email: str
    email_verified: bool
    name: str


class IdentityError(Exception):
    """The identity provider refused the code or returned an invalid token. ``str(e)`` is client-safe."""


class GoogleIdentity(Protocol):
    async def identify(self, code: str, *, flow: str) -> ExternalIdentity:
        """Exchange an authorization code (``flow`` is ``signin`` or ``signup``) for a verified identity.

        Raises ``IdentityError("Failed to get ID token")`` when the exchange yields no id_token and
        ``IdentityError("Invalid Token")`` when the id_token does not verify.
        """
        ...
