"""The persisted mail outbox: staged inside a unit of work, drained by the mail relay."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import write_engine
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.system import mail_outbox
from adapters.db.uow import SqlUnitOfWork, is_connection_error
from core.shared.errors import StorageUnavailable
from ports.email import SEND_MAIL, EmailMessage, OutboxEntry, SendMail

__all__ = (
    "InMemoryMailOutbox",
    "InMemoryMailOutboxStore",
    "SqlMailOutbox",
    "SqlMailOutboxStore",
    "send_task_key",
)


def send_task_key(message_id: str) -> str:
    return f"mail:{message_id}"


def _with_id(message: EmailMessage) -> EmailMessage:
    if message.message_id:
        return message
    return EmailMessage(
        to=message.to,
        subject=message.subject,
        text=message.text,
        html=message.html,
        message_id=f"<{uuid.uuid4().hex}@careernexus>",
    )


class SqlMailOutbox:
    """Writes staged messages in the unit of work's transaction when it commits."""

    __slots__ = ("_pending", "_uow")

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._pending: list[EmailMessage] = []

    def add(self, message: EmailMessage) -> None:
        message = _with_id(message)
        self._pending.append(message)
        self._uow.tasks.enqueue(
            SEND_MAIL, SendMail(message_id=message.message_id), dedupe_key=send_task_key(message.message_id)
        )

    async def flush(self, now: datetime) -> None:
        if not self._pending:
            return
        rows = [
            {
                "recipient": m.to,
                "subject": m.subject,
                "text_body": m.text,
                "html_body": m.html,
                "message_id": m.message_id,
                "created_at": now,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for m in self._pending
        ]
        self._pending = []
        await self._uow.execute_many(insert(mail_outbox), rows)


class SqlMailOutboxStore:
    """The relay's view of the outbox table."""

    __slots__ = ("_engine", "_lease")

    def __init__(self, engine: AsyncEngine, lease_seconds: float = 120.0) -> None:
        self._engine = engine
        self._lease = timedelta(seconds=lease_seconds)

    async def due(self, now: datetime, limit: int) -> list[OutboxEntry]:
        """Claim due messages: their next attempt moves ``lease_seconds`` ahead in the same transaction, so
        another relay (another worker) does not pick them up meanwhile; a relay that dies before marking
        them lets the lease run out and the message is tried again (at-least-once)."""
        pick = (
            select(mail_outbox.c.id)
            .where(mail_outbox.c.sent_at.is_(None))
            .where(mail_outbox.c.next_attempt_at.is_not(None))
            .where(mail_outbox.c.next_attempt_at <= now)
            .order_by(mail_outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        try:
            async with write_engine(self._engine).begin() as conn:
                ids = [int(i) for i in (await conn.execute(pick)).scalars().all()]
                if not ids:
                    return []
                await conn.execute(
                    update(mail_outbox).where(mail_outbox.c.id.in_(ids)).values(next_attempt_at=now + self._lease)
                )
                rows = (
                    await conn.execute(select(mail_outbox).where(mail_outbox.c.id.in_(ids)).order_by(mail_outbox.c.id))
                ).mappings().all()
        except Exception as exc:
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            raise
        return [
            OutboxEntry(
                id=r["id"],
                attempts=r["attempts"],
                message=EmailMessage(
                    to=r["recipient"],
                    subject=r["subject"],
                    text=r["text_body"],
                    html=r["html_body"],
                    message_id=r["message_id"],
                ),
            )
            for r in rows
        ]

    async def claim(self, message_id: str, now: datetime) -> OutboxEntry | None:
        stmt = (
            update(mail_outbox)
            .where(
                and_(
                    mail_outbox.c.message_id == message_id,
                    mail_outbox.c.sent_at.is_(None),
                    mail_outbox.c.next_attempt_at.is_not(None),
                    mail_outbox.c.next_attempt_at <= now,
                )
            )
            .values(next_attempt_at=now + self._lease)
            .returning(*mail_outbox.c)
        )
        try:
            async with write_engine(self._engine).begin() as conn:
                r = (await conn.execute(stmt)).mappings().first()
        except Exception as exc:
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            raise
        if r is None:
            return None
        return OutboxEntry(
            id=r["id"],
            attempts=r["attempts"],
            message=EmailMessage(
                to=r["recipient"],
                subject=r["subject"],
                text=r["text_body"],
                html=r["html_body"],
                message_id=r["message_id"],
            ),
        )

    async def count_due(self, now: datetime) -> int:
        stmt = select(func.count()).where(
            and_(
                mail_outbox.c.sent_at.is_(None),
                mail_outbox.c.next_attempt_at.is_not(None),
                mail_outbox.c.next_attempt_at <= now,
            )
        )
        try:
            async with self._engine.connect() as conn:
                return int((await conn.execute(stmt)).scalar_one())
        except Exception as exc:
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            raise

    async def _update(self, entry_id: int, **values: object) -> None:
        try:
            async with write_engine(self._engine).begin() as conn:
                await conn.execute(update(mail_outbox).where(mail_outbox.c.id == entry_id).values(**values))
        except Exception as exc:
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            raise

    async def mark_sent(self, entry_id: int, now: datetime) -> None:
        await self._update(entry_id, sent_at=now, next_attempt_at=None, attempts=mail_outbox.c.attempts + 1)

    async def mark_failed(self, entry_id: int, now: datetime, retry_at: datetime | None, error: str) -> None:
        await self._update(
            entry_id, next_attempt_at=retry_at, attempts=mail_outbox.c.attempts + 1, last_error=error[:500]
        )


@dataclass(kw_only=True)
class _OutboxRow:
    id: int = 0
    message: EmailMessage
    created_at: datetime | None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OUTBOX = MemoryTable(mail_outbox, _OutboxRow, computed={"message_id": lambda r: r.message.message_id})


class InMemoryMailOutbox:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, message: EmailMessage) -> None:
        message = _with_id(message)
        self._uow.insert(OUTBOX, _OutboxRow(message=message, created_at=None, next_attempt_at=_EPOCH))
        self._uow.tasks.enqueue(
            SEND_MAIL, SendMail(message_id=message.message_id), dedupe_key=send_task_key(message.message_id)
        )


class InMemoryMailOutboxStore:
    __slots__ = ("_lease", "_store")

    def __init__(self, store: InMemoryStore, lease_seconds: float = 120.0) -> None:
        self._store = store
        self._lease = timedelta(seconds=lease_seconds)

    def _rows(self) -> Mapping[int, _OutboxRow]:
        return self._store.committed(OUTBOX)

    # Each call takes the store lock: a unit of work holds it from enter to exit and publishes a copy of every
    # table on commit, so an update made while one is open would be overwritten (and the mail sent twice).

    async def due(self, now: datetime, limit: int) -> list[OutboxEntry]:
        async with self._store.lock:
            rows = sorted(self._rows().values(), key=lambda r: r.id)
            due = [r for r in rows if r.sent_at is None and r.next_attempt_at is not None and r.next_attempt_at <= now]
            for row in due[:limit]:
                row.next_attempt_at = now + self._lease  # claimed, like the SQL store
            return [OutboxEntry(id=r.id, message=copy.copy(r.message), attempts=r.attempts) for r in due[:limit]]

    async def claim(self, message_id: str, now: datetime) -> OutboxEntry | None:
        async with self._store.lock:
            for row in self._rows().values():
                if row.message.message_id != message_id:
                    continue
                if row.sent_at is not None or row.next_attempt_at is None or row.next_attempt_at > now:
                    return None
                row.next_attempt_at = now + self._lease
                return OutboxEntry(id=row.id, message=copy.copy(row.message), attempts=row.attempts)
        return None

    async def count_due(self, now: datetime) -> int:
        return sum(
            1
            for r in self._rows().values()
            if r.sent_at is None and r.next_attempt_at is not None and r.next_attempt_at <= now
        )

    async def mark_sent(self, entry_id: int, now: datetime) -> None:
        async with self._store.lock:
            row = self._rows()[entry_id]  # no unit of work is open: the published row is changed in place
            row.sent_at, row.next_attempt_at, row.attempts = now, None, row.attempts + 1

    async def mark_failed(self, entry_id: int, now: datetime, retry_at: datetime | None, error: str) -> None:
        async with self._store.lock:
            row = self._rows()[entry_id]
            row.attempts += 1
            row.next_attempt_at = retry_at
            row.last_error = error

    def pending(self) -> list[EmailMessage]:
        """Unsent messages (for tests)."""
        return [r.message for r in sorted(self._rows().values(), key=lambda r: r.id) if r.sent_at is None]
