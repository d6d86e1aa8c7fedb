"""JobHax face and e-mail import repositories and unit of work: SQL and in-memory twins."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import USERS
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.accounts import users
from adapters.db.tables.jobhax import account_usernames, inbound_emails, mail_links, mail_syncs, oauth_clients
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.jobs.model.mail import InboundEmail, MailLink, MailSync, OAuthClient, SyncStatus, Username
from core.shared.errors import Conflict

__all__ = ("InMemoryJobhaxUnitOfWork", "SqlJobhaxUnitOfWork")

CLIENT_TAKEN = "This client id is taken."
USERNAME_TAKEN = "That username is taken"
MAIL_TAKEN = "This message was imported already."
_PENDING = (SyncStatus.QUEUED.value, SyncStatus.RUNNING.value)
_EMAIL_COLUMNS = ("owner_id", "message_id", "source", "sender", "subject", "body", "received_at",
                  "utc_offset_minutes", "job_title", "company", "tracked_id", "created_at")
_SYNC_COLUMNS = ("owner_id", "kind", "status", "imported", "skipped", "error", "upload", "created_at",
                 "finished_at")


def _client(r: Any) -> OAuthClient:
    return OAuthClient(id=r["id"], name=r["name"], client_id=r["client_id"], secret_digest=r["secret_digest"],
                       created_at=r["created_at"])


def _email(r: Any) -> InboundEmail:
    return InboundEmail(id=r["id"], **{c: r[c] for c in _EMAIL_COLUMNS})


def _sync(r: Any) -> MailSync:
    values = {c: r[c] for c in _SYNC_COLUMNS}
    values["upload"] = bytes(values["upload"]) if values["upload"] is not None else None
    return MailSync(id=r["id"], **values)


def _link(r: Any) -> MailLink:
    return MailLink(user_id=r["user_id"], provider=r["provider"], access_token=r["access_token"],
                    read_ok=bool(r["read_ok"]), last_synced_at=r["last_synced_at"], updated_at=r["updated_at"])


class _SqlRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _insert(self) -> Any:
        return pg_insert if self._uow.connection.dialect.name == "postgresql" else sqlite_insert


class SqlOAuthClientRepository(_SqlRepo):
    async def add(self, client: OAuthClient) -> OAuthClient:
        try:
            async with self._uow.connection.begin_nested():
                result = await self._uow.execute(
                    insert(oauth_clients).values(name=client.name, client_id=client.client_id,
                                                 secret_digest=client.secret_digest, created_at=client.created_at)
                    .returning(oauth_clients.c.id)
                )
        except IntegrityError as exc:
            raise Conflict(CLIENT_TAKEN) from exc
        client.id = int(result.scalar_one())
        return client

    async def by_client_id(self, client_id: str) -> OAuthClient | None:
        row = (await self._uow.execute(
            select(oauth_clients).where(oauth_clients.c.client_id == client_id))).mappings().first()
        return _client(row) if row else None


class SqlUsernameRepository(_SqlRepo):
    async def add(self, user_id: int, username: str) -> None:
        try:
            async with self._uow.connection.begin_nested():
                await self._uow.execute(insert(account_usernames).values(user_id=user_id, username=username))
        except IntegrityError as exc:
            raise Conflict(USERNAME_TAKEN) from exc

    async def taken(self, username: str) -> bool:
        stmt = select(account_usernames.c.user_id).where(account_usernames.c.username == username)
        return (await self._uow.execute(stmt)).first() is not None

    async def email_of(self, username: str) -> str | None:
        stmt = (
            select(users.c.email)
            .select_from(account_usernames.join(users, users.c.id == account_usernames.c.user_id))
            .where(account_usernames.c.username == username, users.c.is_active.is_(True))
        )
        value = (await self._uow.execute(stmt)).scalar()
        return str(value) if value is not None else None


class SqlMailLinkRepository(_SqlRepo):
    async def get(self, user_id: int) -> MailLink | None:
        row = (await self._uow.execute(select(mail_links).where(mail_links.c.user_id == user_id))).mappings().first()
        return _link(row) if row else None

    async def put(self, link: MailLink) -> None:
        values = {"user_id": link.user_id, "provider": link.provider, "access_token": link.access_token,
                  "read_ok": link.read_ok, "last_synced_at": link.last_synced_at, "updated_at": link.updated_at}
        base = self._insert()(mail_links).values(**values)
        stmt = base.on_conflict_do_update(
            index_elements=[mail_links.c.user_id],
            set_={k: base.excluded[k] for k in values if k != "user_id"},
        )
        await self._uow.execute(stmt)


class SqlInboundEmailRepository(_SqlRepo):
    async def known(self, owner_id: int, message_ids: Collection[str]) -> set[str]:
        if not message_ids:
            return set()
        stmt = select(inbound_emails.c.message_id).where(
            inbound_emails.c.owner_id == owner_id, inbound_emails.c.message_id.in_(list(message_ids))
        )
        return {str(v) for v in (await self._uow.execute(stmt)).scalars().all()}

    async def add(self, mail: InboundEmail) -> bool:
        values = {c: getattr(mail, c) for c in _EMAIL_COLUMNS}
        stmt = (
            self._insert()(inbound_emails).values(**values)
            .on_conflict_do_nothing(index_elements=[inbound_emails.c.owner_id, inbound_emails.c.message_id])
            .returning(inbound_emails.c.id)
        )
        found = (await self._uow.execute(stmt)).scalar()
        if found is None:
            return False
        mail.id = int(found)
        return True

    async def newest(self, owner_id: int, limit: int) -> list[InboundEmail]:
        stmt = (select(inbound_emails).where(inbound_emails.c.owner_id == owner_id)
                .order_by(inbound_emails.c.received_at.desc(), inbound_emails.c.id.desc()).limit(limit))
        return [_email(r) for r in (await self._uow.execute(stmt)).mappings().all()]


class SqlMailSyncRepository(_SqlRepo):
    async def add(self, sync: MailSync) -> MailSync:
        values = {c: getattr(sync, c) for c in _SYNC_COLUMNS}
        result = await self._uow.execute(insert(mail_syncs).values(**values).returning(mail_syncs.c.id))
        sync.id = int(result.scalar_one())
        return sync

    async def get(self, sync_id: int) -> MailSync | None:
        row = (await self._uow.execute(select(mail_syncs).where(mail_syncs.c.id == sync_id))).mappings().first()
        return _sync(row) if row else None

    async def update(self, sync: MailSync) -> None:
        values = {c: getattr(sync, c) for c in _SYNC_COLUMNS if c not in ("owner_id", "kind", "created_at")}
        await self._uow.execute(update(mail_syncs).where(mail_syncs.c.id == sync.id).values(**values))

    async def pending_for(self, owner_id: int, kind: str) -> MailSync | None:
        stmt = (select(mail_syncs).where(mail_syncs.c.owner_id == owner_id, mail_syncs.c.kind == kind,
                                         mail_syncs.c.status.in_(_PENDING))
                .order_by(mail_syncs.c.id.desc()).limit(1))
        row = (await self._uow.execute(stmt)).mappings().first()
        return _sync(row) if row else None


class SqlJobhaxUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_clients", "_emails", "_links", "_syncs", "_usernames")

    def __init__(
        self, engine: AsyncEngine, after_commit: Callable[[], None] | None = None, *, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(engine, after_commit, task_kick=task_kick)
        self._clients = SqlOAuthClientRepository(self)
        self._usernames = SqlUsernameRepository(self)
        self._links = SqlMailLinkRepository(self)
        self._emails = SqlInboundEmailRepository(self)
        self._syncs = SqlMailSyncRepository(self)

    @property
    def clients(self) -> SqlOAuthClientRepository:
        return self._clients

    @property
    def usernames(self) -> SqlUsernameRepository:
        return self._usernames

    @property
    def links(self) -> SqlMailLinkRepository:
        return self._links

    @property
    def emails(self) -> SqlInboundEmailRepository:
        return self._emails

    @property
    def syncs(self) -> SqlMailSyncRepository:
        return self._syncs


# ------------------------------------------------------------------------------------------ memory

CLIENTS = MemoryTable(oauth_clients, OAuthClient, conflict=CLIENT_TAKEN)
USERNAMES = MemoryTable(account_usernames, Username, conflict=USERNAME_TAKEN)
LINKS = MemoryTable(mail_links, MailLink)
EMAILS = MemoryTable(inbound_emails, InboundEmail, conflict=MAIL_TAKEN)
SYNCS = MemoryTable(mail_syncs, MailSync)


class _MemRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow


class InMemoryOAuthClientRepository(_MemRepo):
    async def add(self, client: OAuthClient) -> OAuthClient:
        client.id = self._uow.insert(CLIENTS, client)
        return client

    async def by_client_id(self, client_id: str) -> OAuthClient | None:
        return self._uow.find(CLIENTS, lambda c: c.client_id == client_id)


class InMemoryUsernameRepository(_MemRepo):
    async def add(self, user_id: int, username: str) -> None:
        if not self._uow.insert_or_ignore(USERNAMES, Username(user_id=user_id, username=username)):
            raise Conflict(USERNAME_TAKEN)

    async def taken(self, username: str) -> bool:
        return self._uow.exists(USERNAMES, lambda u: u.username == username)

    async def email_of(self, username: str) -> str | None:
        alias = self._uow.find(USERNAMES, lambda u: u.username == username)
        user = self._uow.view(USERS).get(alias.user_id) if alias is not None else None
        return user.email if user is not None and user.is_active else None


class InMemoryMailLinkRepository(_MemRepo):
    async def get(self, user_id: int) -> MailLink | None:
        return self._uow.get(LINKS, user_id)

    async def put(self, link: MailLink) -> None:
        self._uow.upsert(LINKS, link, on=("user_id",))


class InMemoryInboundEmailRepository(_MemRepo):
    async def known(self, owner_id: int, message_ids: Collection[str]) -> set[str]:
        wanted = set(message_ids)
        return {m.message_id for m in self._uow.view(EMAILS).values()
                if m.owner_id == owner_id and m.message_id in wanted}

    async def add(self, mail: InboundEmail) -> bool:
        return self._uow.insert_or_ignore(EMAILS, mail)

    async def newest(self, owner_id: int, limit: int) -> list[InboundEmail]:
        rows = self._uow.select(EMAILS, lambda m: m.owner_id == owner_id,
                                order=lambda m: (-m.received_at.timestamp(), -m.id))
        return rows[:limit]


class InMemoryMailSyncRepository(_MemRepo):
    async def add(self, sync: MailSync) -> MailSync:
        sync.id = self._uow.insert(SYNCS, sync)
        return sync

    async def get(self, sync_id: int) -> MailSync | None:
        return self._uow.get(SYNCS, sync_id)

    async def update(self, sync: MailSync) -> None:
        self._uow.update(SYNCS, sync)

    async def pending_for(self, owner_id: int, kind: str) -> MailSync | None:
        rows = self._uow.select(SYNCS, lambda s: s.owner_id == owner_id and s.kind == kind and s.status in _PENDING,
                                order=lambda s: -s.id)
        return rows[0] if rows else None


class InMemoryJobhaxUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self, store: InMemoryStore, after_commit: Callable[[], None] | None = None, *, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(store, after_commit, task_kick=task_kick)
        self._clients = InMemoryOAuthClientRepository(self)
        self._usernames = InMemoryUsernameRepository(self)
        self._links = InMemoryMailLinkRepository(self)
        self._emails = InMemoryInboundEmailRepository(self)
        self._syncs = InMemoryMailSyncRepository(self)

    @property
    def clients(self) -> InMemoryOAuthClientRepository:
        return self._clients

    @property
    def usernames(self) -> InMemoryUsernameRepository:
        return self._usernames

    @property
    def links(self) -> InMemoryMailLinkRepository:
        return self._links

    @property
    def emails(self) -> InMemoryInboundEmailRepository:
        return self._emails

    @property
    def syncs(self) -> InMemoryMailSyncRepository:
        return self._syncs
