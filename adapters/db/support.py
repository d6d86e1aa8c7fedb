"""Support repositories (dispute tickets, corporate leads) and unit of work: SQL and in-memory twins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import USERS
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.outbox import InMemoryMailOutbox, SqlMailOutbox
from adapters.db.tables.accounts import users
from adapters.db.tables.support import disputes, leads
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.shared.errors import Conflict
from core.support.model import Dispute, DisputeFilter, Lead

__all__ = ("InMemorySupportUnitOfWork", "SqlSupportUnitOfWork")

LEAD_TAKEN = "This email already exists"
_DISPUTE_COLUMNS = ("user_id", "category", "priority", "message", "status", "admin_response", "created_at",
                    "updated_at")


def _dispute(r: Any) -> Dispute:
    return Dispute(id=r["id"], **{c: r[c] for c in _DISPUTE_COLUMNS})


def _lead(r: Any) -> Lead:
    return Lead(id=r["id"], full_name=r["full_name"], email_address=r["email_address"],
                phone_number=r["phone_number"], interested_services=list(r["interested_services"] or []),
                package=r["package"], created_at=r["created_at"])


def _where(where: DisputeFilter) -> list[Any]:
    out: list[Any] = []
    if where.user_id is not None:
        out.append(disputes.c.user_id == where.user_id)
    for name in ("status", "priority", "category"):
        value = getattr(where, name)
        if value is not None:
            out.append(disputes.c[name] == value)
    return out


class SqlDisputeRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, dispute: Dispute) -> Dispute:
        values = {c: getattr(dispute, c) for c in _DISPUTE_COLUMNS}
        result = await self._uow.execute(insert(disputes).values(**values).returning(disputes.c.id))
        dispute.id = int(result.scalar_one())
        return dispute

    async def get(self, dispute_id: int) -> Dispute | None:
        stmt = select(disputes).where(disputes.c.id == dispute_id)
        if self._uow.connection.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = (await self._uow.execute(stmt)).mappings().first()
        return _dispute(row) if row else None

    async def update(self, dispute: Dispute) -> None:
        await self._uow.execute(
            update(disputes).where(disputes.c.id == dispute.id).values(
                status=dispute.status, admin_response=dispute.admin_response, updated_at=dispute.updated_at)
        )

    async def page(self, where: DisputeFilter, offset: int, limit: int) -> tuple[list[Dispute], int]:
        conditions = _where(where)
        total = (await self._uow.execute(select(func.count()).select_from(disputes).where(*conditions))).scalar_one()
        stmt = select(disputes).where(*conditions).order_by(disputes.c.id.desc()).offset(offset).limit(limit)
        return [_dispute(r) for r in (await self._uow.execute(stmt)).mappings().all()], int(total)

    async def counts(self) -> dict[tuple[str, str], int]:
        stmt = select(disputes.c.category, disputes.c.status, func.count().label("n")).group_by(
            disputes.c.category, disputes.c.status
        )
        rows = (await self._uow.execute(stmt)).mappings().all()
        return {(str(r["category"]), str(r["status"])): int(r["n"]) for r in rows}


class SqlLeadRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, lead: Lead) -> Lead:
        try:
            async with self._uow.connection.begin_nested():
                result = await self._uow.execute(
                    insert(leads).values(full_name=lead.full_name, email_address=lead.email_address,
                                         phone_number=lead.phone_number,
                                         interested_services=lead.interested_services, package=lead.package,
                                         created_at=lead.created_at).returning(leads.c.id)
                )
        except IntegrityError as exc:
            raise Conflict(LEAD_TAKEN) from exc
        lead.id = int(result.scalar_one())
        return lead

    async def email_taken(self, email: str) -> bool:
        stmt = select(leads.c.id).where(func.lower(leads.c.email_address) == email.lower())
        return (await self._uow.execute(stmt)).first() is not None

    async def page(self, offset: int, limit: int) -> tuple[list[Lead], int]:
        total = (await self._uow.execute(select(func.count()).select_from(leads))).scalar_one()
        stmt = select(leads).order_by(leads.c.id).offset(offset).limit(limit)
        return [_lead(r) for r in (await self._uow.execute(stmt)).mappings().all()], int(total)


class SqlPeople:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def email(self, user_id: int) -> str | None:
        stmt = select(users.c.email).where(users.c.id == user_id, users.c.is_active.is_(True))
        value = (await self._uow.execute(stmt)).scalar()
        return str(value) if value is not None else None


class SqlSupportUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_disputes", "_leads", "_outbox", "_people")

    def __init__(
        self, engine: AsyncEngine, after_commit: Callable[[], None] | None = None, *, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(engine, after_commit, task_kick=task_kick)
        self._disputes = SqlDisputeRepository(self)
        self._leads = SqlLeadRepository(self)
        self._people = SqlPeople(self)
        self._outbox = SqlMailOutbox(self)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._outbox = SqlMailOutbox(self)
        return self

    async def commit(self) -> None:
        await self._outbox.flush(datetime.now(UTC))
        await super().commit()

    @property
    def disputes(self) -> SqlDisputeRepository:
        return self._disputes

    @property
    def leads(self) -> SqlLeadRepository:
        return self._leads

    @property
    def people(self) -> SqlPeople:
        return self._people

    @property
    def outbox(self) -> SqlMailOutbox:
        return self._outbox


# ------------------------------------------------------------------------------------------ memory

DISPUTES = MemoryTable(disputes, Dispute)
LEADS = MemoryTable(leads, Lead, conflict=LEAD_TAKEN)
_FIELDS = [f.name for f in fields(Dispute) if f.name != "pending_events"]


def _matches(d: Dispute, where: DisputeFilter) -> bool:
    return all(
        getattr(where, name) is None or getattr(d, name) == getattr(where, name)
        for name in ("user_id", "status", "priority", "category")
    )


class _MemRepo:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow


class InMemoryDisputeRepository(_MemRepo):
    async def add(self, dispute: Dispute) -> Dispute:
        dispute.id = self._uow.insert(DISPUTES, dispute)
        return dispute

    async def get(self, dispute_id: int) -> Dispute | None:
        return self._uow.get(DISPUTES, dispute_id)

    async def update(self, dispute: Dispute) -> None:
        self._uow.update(DISPUTES, dispute)

    async def page(self, where: DisputeFilter, offset: int, limit: int) -> tuple[list[Dispute], int]:
        rows = self._uow.select(DISPUTES, lambda d: _matches(d, where), order=lambda d: -d.id)
        return rows[offset : offset + limit], len(rows)

    async def counts(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for d in self._uow.view(DISPUTES).values():
            out[(d.category, d.status)] = out.get((d.category, d.status), 0) + 1
        return out


class InMemoryLeadRepository(_MemRepo):
    async def add(self, lead: Lead) -> Lead:
        lead.id = self._uow.insert(LEADS, lead)
        return lead

    async def email_taken(self, email: str) -> bool:
        return self._uow.exists(LEADS, lambda r: r.email_address.lower() == email.lower())

    async def page(self, offset: int, limit: int) -> tuple[list[Lead], int]:
        rows = self._uow.select(LEADS, order=lambda r: r.id)
        return rows[offset : offset + limit], len(rows)


class InMemoryPeople(_MemRepo):
    async def email(self, user_id: int) -> str | None:
        user = self._uow.view(USERS).get(user_id)
        return user.email if user is not None and user.is_active else None


class InMemorySupportUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self, store: InMemoryStore, after_commit: Callable[[], None] | None = None, *, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(store, after_commit, task_kick=task_kick)
        self._disputes = InMemoryDisputeRepository(self)
        self._leads = InMemoryLeadRepository(self)
        self._people = InMemoryPeople(self)
        self._outbox = InMemoryMailOutbox(self)

    @property
    def disputes(self) -> InMemoryDisputeRepository:
        return self._disputes

    @property
    def leads(self) -> InMemoryLeadRepository:
        return self._leads

    @property
    def people(self) -> InMemoryPeople:
        return self._people

    @property
    def outbox(self) -> InMemoryMailOutbox:
        return self._outbox
