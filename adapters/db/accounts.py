"""Accounts repositories and unit of work: SQL and in-memory twins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import RowMapping, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.outbox import InMemoryMailOutbox, SqlMailOutbox
from adapters.db.tables.accounts import (
    corporate_claims,
    email_challenges,
    linked_accounts,
    organization_members,
    profiles,
    revoked_tokens,
    sessions,
    users,
)
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.accounts.model.profiles import Profile
from core.accounts.model.sessions import LoginSession, TokenStanding
from core.accounts.model.users import ChallengePurpose, CorporateClaim, EmailChallenge, User, UserType
from core.shared.errors import Conflict
from ports.readcache import ViewInvalidation

__all__ = ("InMemoryAccountsUnitOfWork", "SqlAccountsUnitOfWork", "UserDeletionStep")

# Run in the deleting transaction before ``DELETE FROM users``: other features (the feed's counters) adjust what
# the cascade would leave wrong. Given to the unit of work by the container, so accounts import no feature.
UserDeletionStep = Callable[[SqlUnitOfWork, int], Awaitable[None]]

_USER_FIELDS = [f.name for f in fields(User) if f.name not in {"pending_events"}]
_PROFILE_FIELDS = [f.name for f in fields(Profile)]
_CHALLENGE_FIELDS = [f.name for f in fields(EmailChallenge) if f.name not in {"pending_events"}]
_CLAIM_FIELDS = [f.name for f in fields(CorporateClaim) if f.name not in {"pending_events"}]


def _user(row: RowMapping | Mapping[str, Any]) -> User:
    data = {k: row[k] for k in _USER_FIELDS}
    data["user_type"] = UserType(data["user_type"])
    return User(**data)


def _user_values(user: User) -> dict[str, Any]:
    data = {k: getattr(user, k) for k in _USER_FIELDS if k != "id"}
    data["user_type"] = str(user.user_type)
    return data


def _profile(row: RowMapping | Mapping[str, Any]) -> Profile:
    data = {k: row[k] for k in _PROFILE_FIELDS}
    for key in ("areas_of_expertise", "technical_skills", "mentorship_styles"):
        data[key] = list(data[key] or [])
    return Profile(**data)


# Public names for read models of this family that select the same columns (``adapters/db/profile_sheets.py``).
user_from_row = _user
profile_from_row = _profile


def _challenge(row: RowMapping | Mapping[str, Any]) -> EmailChallenge:
    data = {k: row[k] for k in _CHALLENGE_FIELDS}
    data["purpose"] = ChallengePurpose(data["purpose"])
    return EmailChallenge(**data)


def _challenge_values(ch: EmailChallenge) -> dict[str, Any]:
    data = {k: getattr(ch, k) for k in _CHALLENGE_FIELDS if k != "id"}
    data["purpose"] = str(ch.purpose)
    return data


# --------------------------------------------------------------------------------------------- SQL


class _SqlRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow


class SqlUserRepository(_SqlRepo):
    __slots__ = ("_before_delete",)

    def __init__(self, uow: SqlUnitOfWork, before_delete: Sequence[UserDeletionStep] = ()) -> None:
        super().__init__(uow)
        self._before_delete = tuple(before_delete)

    async def get(self, user_id: int) -> User | None:
        row = (await self._uow.execute(select(users).where(users.c.id == user_id))).mappings().first()
        return _user(row) if row else None

    async def get_many(self, user_ids: list[int]) -> list[User]:
        if not user_ids:
            return []
        rows = (await self._uow.execute(select(users).where(users.c.id.in_(set(user_ids))))).mappings().all()
        return [_user(r) for r in rows]

    async def by_email(self, email: str) -> User | None:
        row = (await self._uow.execute(select(users).where(users.c.email == email))).mappings().first()
        return _user(row) if row else None

    async def add(self, user: User) -> User:
        try:
            result = await self._uow.execute(insert(users).values(**_user_values(user)).returning(users.c.id))
        except IntegrityError as exc:
            raise Conflict("A user with this email already exists.") from exc
        user.id = int(result.scalar_one())
        self._uow.track(user)
        return user

    async def update(self, user: User) -> None:
        try:
            await self._uow.execute(update(users).where(users.c.id == user.id).values(**_user_values(user)))
        except IntegrityError as exc:
            raise Conflict("A user with this email already exists.") from exc
        self._uow.track(user)

    async def revoke_tokens(self, user_ids: list[int], at: datetime) -> None:
        if user_ids:
            await self._uow.execute(update(users).where(users.c.id.in_(set(user_ids))).values(tokens_valid_after=at))

    async def delete(self, user_id: int) -> None:
        for step in self._before_delete:
            await step(self._uow, user_id)
        await self._uow.execute(delete(users).where(users.c.id == user_id))


class SqlProfileRepository(_SqlRepo):
    async def get(self, user_id: int) -> Profile | None:
        row = (await self._uow.execute(select(profiles).where(profiles.c.user_id == user_id))).mappings().first()
        return _profile(row) if row else None

    async def get_many(self, user_ids: list[int]) -> list[Profile]:
        if not user_ids:
            return []
        stmt = select(profiles).where(profiles.c.user_id.in_(set(user_ids)))
        return [_profile(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def add(self, profile: Profile) -> None:
        await self._uow.execute(insert(profiles).values(**{k: getattr(profile, k) for k in _PROFILE_FIELDS}))

    async def update(self, profile: Profile) -> None:
        values = {k: getattr(profile, k) for k in _PROFILE_FIELDS if k != "user_id"}
        await self._uow.execute(update(profiles).where(profiles.c.user_id == profile.user_id).values(**values))


class SqlChallengeRepository(_SqlRepo):
    async def for_email(self, email: str, purpose: ChallengePurpose) -> EmailChallenge | None:
        stmt = select(email_challenges).where(
            email_challenges.c.email == email, email_challenges.c.purpose == str(purpose)
        )
        row = (await self._uow.execute(stmt)).mappings().first()
        return _challenge(row) if row else None

    async def by_link(self, link_digest: str, purpose: ChallengePurpose) -> EmailChallenge | None:
        stmt = select(email_challenges).where(
            email_challenges.c.link_digest == link_digest, email_challenges.c.purpose == str(purpose)
        )
        row = (await self._uow.execute(stmt)).mappings().first()
        return _challenge(row) if row else None

    async def put(self, challenge: EmailChallenge) -> EmailChallenge:
        """Upsert on (email, purpose): concurrent requests for one address leave one live challenge."""
        values = _challenge_values(challenge)
        dialect = self._uow.connection.dialect.name
        insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
        base = insert_fn(email_challenges).values(**values)
        stmt = base.on_conflict_do_update(
            index_elements=[email_challenges.c.email, email_challenges.c.purpose],
            set_={k: base.excluded[k] for k in values if k not in ("email", "purpose")},
        ).returning(email_challenges.c.id)
        try:
            result = await self._uow.execute(stmt)
        except IntegrityError as exc:  # a link digest collision: astronomically unlikely
            raise Conflict("A verification is already in progress for this address.") from exc
        challenge.id = int(result.scalar_one())
        return challenge

    async def update(self, challenge: EmailChallenge) -> None:
        await self._uow.execute(
            update(email_challenges)
            .where(email_challenges.c.id == challenge.id)
            .values(**_challenge_values(challenge))
        )

    async def delete(self, challenge_id: int) -> None:
        await self._uow.execute(delete(email_challenges).where(email_challenges.c.id == challenge_id))


def _claim(row: RowMapping) -> CorporateClaim:
    return CorporateClaim(**{k: row[k] for k in _CLAIM_FIELDS})


class SqlCorporateClaimRepository(_SqlRepo):
    async def for_account(self, user_id: int) -> CorporateClaim | None:
        stmt = select(corporate_claims).where(corporate_claims.c.user_id == user_id)
        row = (await self._uow.execute(stmt)).mappings().first()
        return _claim(row) if row else None

    async def put(self, claim: CorporateClaim) -> CorporateClaim:
        values = {k: getattr(claim, k) for k in _CLAIM_FIELDS if k != "id"}
        insert_fn = pg_insert if self._uow.connection.dialect.name == "postgresql" else sqlite_insert
        base = insert_fn(corporate_claims).values(**values)
        stmt = base.on_conflict_do_update(
            index_elements=[corporate_claims.c.user_id],
            set_={k: base.excluded[k] for k in values if k != "user_id"},
        ).returning(corporate_claims.c.id)
        claim.id = int((await self._uow.execute(stmt)).scalar_one())
        return claim

    async def update(self, claim: CorporateClaim) -> None:
        values = {k: getattr(claim, k) for k in _CLAIM_FIELDS if k not in ("id", "user_id")}
        await self._uow.execute(update(corporate_claims).where(corporate_claims.c.id == claim.id).values(**values))

    async def delete(self, claim_id: int) -> None:
        await self._uow.execute(delete(corporate_claims).where(corporate_claims.c.id == claim_id))

    async def lapse(self, email: str) -> int:
        result = await self._uow.execute(delete(corporate_claims).where(corporate_claims.c.email == email))
        return int(getattr(result, "rowcount", 0) or 0)


class SqlRevokedTokenRepository(_SqlRepo):
    async def is_revoked(self, jti: str) -> bool:
        stmt = select(revoked_tokens.c.jti).where(revoked_tokens.c.jti == jti)
        return (await self._uow.execute(stmt)).first() is not None

    async def revoke(self, jti: str, user_id: int, expires_at: datetime) -> bool:
        # ON CONFLICT DO NOTHING: a concurrent revocation of the same token answers False without aborting
        # the transaction (PostgreSQL), so the caller can still end the session in it.
        insert_fn = pg_insert if self._uow.connection.dialect.name == "postgresql" else sqlite_insert
        stmt = (
            insert_fn(revoked_tokens)
            .values(jti=jti, user_id=user_id, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[revoked_tokens.c.jti])
        )
        result = await self._uow.execute(stmt)
        return bool(getattr(result, "rowcount", 0))


def _session(row: RowMapping) -> LoginSession:
    return LoginSession(
        id=row["id"], user_id=int(row["user_id"]), created_at=row["created_at"], revoked_at=row["revoked_at"]
    )


class SqlSessionRepository(_SqlRepo):
    async def add(self, session: LoginSession) -> None:
        # An account deleted meanwhile: the foreign key fails, which the unit of work answers as ``NotFound``.
        await self._uow.execute(
            insert(sessions).values(
                id=session.id, user_id=session.user_id, created_at=session.created_at, revoked_at=session.revoked_at
            )
        )

    async def get(self, session_id: str) -> LoginSession | None:
        row = (await self._uow.execute(select(sessions).where(sessions.c.id == session_id))).mappings().first()
        return _session(row) if row else None

    async def revoke(self, session_id: str, at: datetime) -> None:
        await self._uow.execute(
            update(sessions).where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None)).values(revoked_at=at)
        )

    async def revoke_users(self, user_ids: list[int], at: datetime) -> None:
        if not user_ids:
            return
        await self._uow.execute(
            update(sessions)
            .where(sessions.c.user_id.in_(set(user_ids)), sessions.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def standing(self, user_id: int, session_id: str) -> TokenStanding | None:
        # One statement by primary keys: the user row, and the session row only when it is this user's.
        stmt = (
            select(users.c.id, users.c.is_active, users.c.tokens_valid_after, sessions.c.id.label("sid"),
                   sessions.c.revoked_at)
            .select_from(
                users.outerjoin(sessions, (sessions.c.id == session_id) & (sessions.c.user_id == users.c.id))
            )
            .where(users.c.id == user_id)
        )  # fmt: skip
        row = (await self._uow.execute(stmt)).mappings().first()
        if row is None:
            return None
        return TokenStanding(
            user_id=int(row["id"]),
            is_active=bool(row["is_active"]),
            tokens_valid_after=row["tokens_valid_after"],
            session_found=row["sid"] is not None,
            session_revoked=row["revoked_at"] is not None,
        )


class SqlLinkRepository(_SqlRepo):
    async def link(self, main_id: int, child_id: int) -> None:
        await self._uow.execute(insert(linked_accounts).values(main_id=main_id, child_id=child_id))

    async def linked_to(self, user_id: int) -> list[int]:
        stmt = (
            select(linked_accounts.c.main_id, linked_accounts.c.child_id)
            .where(or_(linked_accounts.c.main_id == user_id, linked_accounts.c.child_id == user_id))
            .order_by(linked_accounts.c.id)
        )
        rows = (await self._uow.execute(stmt)).mappings().all()
        return [int(r["child_id"]) if r["main_id"] == user_id else int(r["main_id"]) for r in rows]

    async def main_of(self, child_id: int) -> int | None:
        stmt = select(linked_accounts.c.main_id).where(linked_accounts.c.child_id == child_id).limit(1)
        value = (await self._uow.execute(stmt)).scalar()
        return int(value) if value is not None else None

    async def created_by(self, main_ids: list[int]) -> list[int]:
        if not main_ids:
            return []
        stmt = (
            select(linked_accounts.c.child_id)
            .where(linked_accounts.c.main_id.in_(set(main_ids)))
            .order_by(linked_accounts.c.id)
        )
        return [int(v) for v in (await self._uow.execute(stmt)).scalars().all()]


class SqlMemberRepository(_SqlRepo):
    async def add(self, organization_id: int, member_id: int) -> bool:
        exists = select(organization_members.c.id).where(
            organization_members.c.organization_id == organization_id,
            organization_members.c.member_id == member_id,
        )
        if (await self._uow.execute(exists)).first() is not None:
            return False
        try:
            await self._uow.execute(
                insert(organization_members).values(organization_id=organization_id, member_id=member_id)
            )
        except IntegrityError:
            return False
        return True

    async def remove(self, organization_id: int, member_id: int) -> bool:
        result = await self._uow.execute(
            delete(organization_members).where(
                organization_members.c.organization_id == organization_id,
                organization_members.c.member_id == member_id,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def members_of(self, organization_id: int) -> list[int]:
        stmt = (
            select(organization_members.c.member_id)
            .where(organization_members.c.organization_id == organization_id)
            .order_by(organization_members.c.id)
        )
        return [int(v) for v in (await self._uow.execute(stmt)).scalars().all()]

    async def organizations_of(self, member_id: int) -> list[int]:
        stmt = (
            select(organization_members.c.organization_id)
            .where(organization_members.c.member_id == member_id)
            .order_by(organization_members.c.id)
        )
        return [int(v) for v in (await self._uow.execute(stmt)).scalars().all()]


class SqlAccountsUnitOfWork(SqlUnitOfWork):
    __slots__ = (
        "_challenges",
        "_claims",
        "_links",
        "_members",
        "_outbox",
        "_profiles",
        "_revoked",
        "_sessions",
        "_users",
        "clock",
    )

    def __init__(
        self,
        engine: AsyncEngine,
        after_commit: Callable[[], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        before_user_delete: Sequence[UserDeletionStep] = (),
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(engine, after_commit, views=views, task_kick=task_kick)
        self._users = SqlUserRepository(self, before_user_delete)
        self._profiles = SqlProfileRepository(self)
        self._challenges = SqlChallengeRepository(self)
        self._claims = SqlCorporateClaimRepository(self)
        self._revoked = SqlRevokedTokenRepository(self)
        self._sessions = SqlSessionRepository(self)
        self._links = SqlLinkRepository(self)
        self._members = SqlMemberRepository(self)
        self._outbox = SqlMailOutbox(self)
        self.clock = clock

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._outbox = SqlMailOutbox(self)
        return self

    @property
    def users(self) -> SqlUserRepository:
        return self._users

    @property
    def profiles(self) -> SqlProfileRepository:
        return self._profiles

    @property
    def challenges(self) -> SqlChallengeRepository:
        return self._challenges

    @property
    def claims(self) -> SqlCorporateClaimRepository:
        return self._claims

    @property
    def revoked_tokens(self) -> SqlRevokedTokenRepository:
        return self._revoked

    @property
    def sessions(self) -> SqlSessionRepository:
        return self._sessions

    @property
    def links(self) -> SqlLinkRepository:
        return self._links

    @property
    def members(self) -> SqlMemberRepository:
        return self._members

    @property
    def outbox(self) -> SqlMailOutbox:
        return self._outbox

    async def commit(self) -> None:
        await self._outbox.flush(self.clock() if self.clock else datetime.now(UTC))
        await super().commit()


# ------------------------------------------------------------------------------------------ memory


@dataclass(kw_only=True)
class _Revoked:
    jti: str
    user_id: int
    expires_at: datetime


@dataclass(kw_only=True)
class _Link:
    id: int = 0
    main_id: int
    child_id: int


@dataclass(kw_only=True)
class _Member:
    id: int = 0
    organization_id: int
    member_id: int


USERS = MemoryTable(users, User, conflict="A user with this email already exists.")
PROFILES = MemoryTable(profiles, Profile)
CHALLENGES = MemoryTable(
    email_challenges, EmailChallenge, conflict="A verification is already in progress for this address."
)
CLAIMS = MemoryTable(corporate_claims, CorporateClaim)
REVOKED = MemoryTable(revoked_tokens, _Revoked)
SESSIONS = MemoryTable(sessions, LoginSession, conflict="Session id taken.")
LINKS = MemoryTable(linked_accounts, _Link, conflict="Already linked.")
MEMBERS = MemoryTable(organization_members, _Member)


class _MemRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow


class InMemoryUserRepository(_MemRepo):
    async def get(self, user_id: int) -> User | None:
        return self._uow.get(USERS, user_id)

    async def get_many(self, user_ids: list[int]) -> list[User]:
        wanted = set(user_ids)
        return self._uow.select(USERS, lambda u: u.id in wanted)

    async def by_email(self, email: str) -> User | None:
        return self._uow.find(USERS, lambda u: u.email == email)

    async def add(self, user: User) -> User:
        user.id = 0
        self._uow.insert(USERS, user)
        self._uow.track(user)
        return user

    async def update(self, user: User) -> None:
        self._uow.update(USERS, user)
        self._uow.track(user)

    async def revoke_tokens(self, user_ids: list[int], at: datetime) -> None:
        for user_id in set(user_ids):
            self._uow.patch(USERS, user_id, tokens_valid_after=at)

    async def delete(self, user_id: int) -> None:
        self._uow.delete(USERS, user_id)


class InMemoryProfileRepository(_MemRepo):
    async def get(self, user_id: int) -> Profile | None:
        return self._uow.get(PROFILES, user_id)

    async def get_many(self, user_ids: list[int]) -> list[Profile]:
        wanted = set(user_ids)
        return self._uow.select(PROFILES, lambda p: p.user_id in wanted)

    async def add(self, profile: Profile) -> None:
        self._uow.insert(PROFILES, profile)

    async def update(self, profile: Profile) -> None:
        self._uow.update(PROFILES, profile)


class InMemoryChallengeRepository(_MemRepo):
    async def for_email(self, email: str, purpose: ChallengePurpose) -> EmailChallenge | None:
        return self._uow.find(CHALLENGES, lambda c: c.email == email and c.purpose == purpose)

    async def by_link(self, link_digest: str, purpose: ChallengePurpose) -> EmailChallenge | None:
        return self._uow.find(CHALLENGES, lambda c: c.link_digest == link_digest and c.purpose == purpose)

    async def put(self, challenge: EmailChallenge) -> EmailChallenge:
        challenge.id = self._uow.upsert(CHALLENGES, challenge, on=("email", "purpose"))
        return challenge

    async def update(self, challenge: EmailChallenge) -> None:
        self._uow.update(CHALLENGES, challenge)

    async def delete(self, challenge_id: int) -> None:
        self._uow.delete(CHALLENGES, challenge_id)


class InMemoryCorporateClaimRepository(_MemRepo):
    async def for_account(self, user_id: int) -> CorporateClaim | None:
        return self._uow.find(CLAIMS, lambda c: c.user_id == user_id)

    async def put(self, claim: CorporateClaim) -> CorporateClaim:
        claim.id = self._uow.upsert(CLAIMS, claim, on=("user_id",))
        return claim

    async def update(self, claim: CorporateClaim) -> None:
        self._uow.update(CLAIMS, claim, keep=("user_id",))

    async def delete(self, claim_id: int) -> None:
        self._uow.delete(CLAIMS, claim_id)

    async def lapse(self, email: str) -> int:
        return self._uow.delete_where(CLAIMS, lambda c: c.email == email)


class InMemoryRevokedTokenRepository(_MemRepo):
    async def is_revoked(self, jti: str) -> bool:
        return jti in self._uow.view(REVOKED)

    async def revoke(self, jti: str, user_id: int, expires_at: datetime) -> bool:
        return self._uow.insert_or_ignore(REVOKED, _Revoked(jti=jti, user_id=user_id, expires_at=expires_at))


class InMemorySessionRepository(_MemRepo):
    async def add(self, session: LoginSession) -> None:
        self._uow.insert(SESSIONS, session)

    async def get(self, session_id: str) -> LoginSession | None:
        return self._uow.get(SESSIONS, session_id)

    async def revoke(self, session_id: str, at: datetime) -> None:
        found = self._uow.view(SESSIONS).get(session_id)
        if found is not None and found.revoked_at is None:
            self._uow.patch(SESSIONS, session_id, revoked_at=at)

    async def revoke_users(self, user_ids: list[int], at: datetime) -> None:
        ids = set(user_ids)
        for found in self._uow.select(SESSIONS, lambda s: s.user_id in ids and s.revoked_at is None):
            self._uow.patch(SESSIONS, found.id, revoked_at=at)

    async def standing(self, user_id: int, session_id: str) -> TokenStanding | None:
        user = self._uow.view(USERS).get(user_id)
        if user is None:
            return None
        found = self._uow.view(SESSIONS).get(session_id)
        mine = found is not None and found.user_id == user_id
        return TokenStanding(
            user_id=user_id,
            is_active=user.is_active,
            tokens_valid_after=user.tokens_valid_after,
            session_found=mine,
            session_revoked=mine and found is not None and found.revoked_at is not None,
        )


class InMemoryLinkRepository(_MemRepo):
    def _links(self) -> list[_Link]:
        return sorted(self._uow.view(LINKS).values(), key=lambda r: r.id)

    async def link(self, main_id: int, child_id: int) -> None:
        self._uow.insert(LINKS, _Link(main_id=main_id, child_id=child_id))

    async def linked_to(self, user_id: int) -> list[int]:
        rows = self._links()
        return [r.child_id if r.main_id == user_id else r.main_id for r in rows if user_id in (r.main_id, r.child_id)]

    async def main_of(self, child_id: int) -> int | None:
        return next((r.main_id for r in self._links() if r.child_id == child_id), None)

    async def created_by(self, main_ids: list[int]) -> list[int]:
        wanted = set(main_ids)
        return [r.child_id for r in self._links() if r.main_id in wanted]


class InMemoryMemberRepository(_MemRepo):
    def _members(self) -> list[_Member]:
        return sorted(self._uow.view(MEMBERS).values(), key=lambda r: r.id)

    async def add(self, organization_id: int, member_id: int) -> bool:
        return self._uow.insert_or_ignore(MEMBERS, _Member(organization_id=organization_id, member_id=member_id))

    async def remove(self, organization_id: int, member_id: int) -> bool:
        return bool(
            self._uow.delete_where(MEMBERS, lambda r: r.organization_id == organization_id and r.member_id == member_id)
        )

    async def members_of(self, organization_id: int) -> list[int]:
        return [r.member_id for r in self._members() if r.organization_id == organization_id]

    async def organizations_of(self, member_id: int) -> list[int]:
        return [r.organization_id for r in self._members() if r.member_id == member_id]


class InMemoryAccountsUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self,
        store: InMemoryStore,
        after_commit: Callable[[], None] | None = None,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        super().__init__(store, after_commit, views=views, task_kick=task_kick)
        self._users = InMemoryUserRepository(self)
        self._profiles = InMemoryProfileRepository(self)
        self._challenges = InMemoryChallengeRepository(self)
        self._claims = InMemoryCorporateClaimRepository(self)
        self._revoked = InMemoryRevokedTokenRepository(self)
        self._sessions = InMemorySessionRepository(self)
        self._links = InMemoryLinkRepository(self)
        self._members = InMemoryMemberRepository(self)
        self._outbox = InMemoryMailOutbox(self)
    @property
    def users(self) -> InMemoryUserRepository:
        return self._users

    @property
    def profiles(self) -> InMemoryProfileRepository:
        return self._profiles

    @property
    def challenges(self) -> InMemoryChallengeRepository:
        return self._challenges

    @property
    def claims(self) -> InMemoryCorporateClaimRepository:
        return self._claims

    @property
    def revoked_tokens(self) -> InMemoryRevokedTokenRepository:
        return self._revoked

    @property
    def sessions(self) -> InMemorySessionRepository:
        return self._sessions

    @property
    def links(self) -> InMemoryLinkRepository:
        return self._links

    @property
    def members(self) -> InMemoryMemberRepository:
        return self._members

    @property
    def outbox(self) -> InMemoryMailOutbox:
        return self._outbox
