"""E-mail import: a user's Gmail link (token kept server-side), syncs and uploads run as queued tasks (never in
the request), each message parsed once per owner (dedupe by owner and provider message id), applications
recorded through the tracker (``ApplicationRecorder``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.jobs.model.mail import InboundEmail, MailLink, MailSync, SyncKind, SyncStatus
from core.jobs.tracker.mail.message import MailMessage, read_message, split_upload
from core.jobs.tracker.mail.parsers import SOURCES, parse
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from ports.inbox import InboxAccessDenied, InboxReader, InboxUnavailable
from ports.jobhax import ApplicationRecorder, JobhaxUnitOfWork
from ports.system import Clock

__all__ = (
    "GMAIL_NOT_LINKED",
    "MAIL_SYNC_TASK",
    "MAX_UPLOAD_BYTES",
    "MailImportService",
    "RunMailSync",
)

logger = logging.getLogger("careernexus.mail")

MAIL_SYNC_TASK = "tracker.mail-sync"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_MESSAGES_PER_QUERY = 500
BODY_MAX = 200_000
# Gmail's ``after:`` has a granularity of days in some clients and mail may arrive late: each sync looks back
# one day before the last one; what it sees again is skipped by the (owner, message id) dedupe.
OVERLAP = timedelta(hours=24)
GMAIL_NOT_LINKED = "Google token has expired. Please refresh Google token."
GMAIL_UNAVAILABLE = "Gmail did not answer; try again later."
# A sync still queued or running after this long is taken for lost (its worker died past its retries): a new
# request starts another instead of answering it.
STALE_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunMailSync:
    """The payload of the mail-sync task."""

    sync_id: int


class MailImportService:
    __slots__ = ("_clock", "_inbox", "_recorder", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], JobhaxUnitOfWork],
        clock: Clock,
        inbox: InboxReader,
        recorder: ApplicationRecorder | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._inbox = inbox
        self._recorder = recorder

    # ------------------------------------------------------------------------------------------ requests

    async def link_gmail(self, user_id: int, token: str) -> MailSync:
        """Store (or replace) the user's Gmail token, mark the link usable and queue a sync."""
        token = token.strip()
        if not token or len(token) > 4096 or "\x00" in token:
            raise InvalidInput.field("token", "A Google access token is required.")
        now = self._clock.now()
        async with self._uow() as uow:
            link = await uow.links.get(user_id)
            await uow.links.put(
                MailLink(
                    user_id=user_id,
                    provider="google",
                    access_token=token,
                    read_ok=True,
                    last_synced_at=link.last_synced_at if link else None,
                    updated_at=now,
                )
            )
            sync = await self._queue(uow, user_id, SyncKind.GMAIL, None)
            await uow.commit()
        return sync

    async def start_gmail_sync(self, user_id: int) -> MailSync:
        """Queue a sync of the linked mailbox (or answer the one already queued or running).
        ``PermissionDenied(GMAIL_NOT_LINKED)`` without a usable link."""
        async with self._uow() as uow:
            link = await uow.links.get(user_id)
            if link is None or not link.read_ok:
                raise PermissionDenied(GMAIL_NOT_LINKED)
            sync = await self._queue(uow, user_id, SyncKind.GMAIL, None)
            await uow.commit()
        return sync

    async def start_upload(self, user_id: int, filename: str, data: bytes) -> MailSync:
        """Queue the import of an uploaded ``.eml`` or ``.mbox`` file (kept until its task ran)."""
        filename = filename.replace("\x00", "")  # kept as text (the sync's note) until the run replaces it
        lowered = filename.lower()
        if not lowered.endswith((".eml", ".mbox")):
            raise InvalidInput.field("file", "Upload an .eml or .mbox file.")
        if not data:
            raise InvalidInput.field("file", "The file is empty.")
        if len(data) > MAX_UPLOAD_BYTES:
            raise InvalidInput.field("file", f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        async with self._uow() as uow:
            sync = await self._queue(uow, user_id, SyncKind.UPLOAD, (filename[-200:], data))
            await uow.commit()
        return sync

    async def _queue(
        self, uow: JobhaxUnitOfWork, user_id: int, kind: SyncKind, upload: tuple[str, bytes] | None
    ) -> MailSync:
        if upload is None:
            pending = await uow.syncs.pending_for(user_id, kind)
            if pending is not None and self._clock.now() - pending.created_at < STALE_AFTER:
                return pending
        name, data = upload if upload is not None else ("", None)
        sync = await uow.syncs.add(
            MailSync(
                owner_id=user_id,
                kind=kind,
                status=SyncStatus.QUEUED,
                error=name,  # the file name until the run replaces it with its outcome
                upload=data,
                created_at=self._clock.now(),
            )
        )
        uow.tasks.enqueue(MAIL_SYNC_TASK, RunMailSync(sync_id=sync.id), dedupe_key=f"mail-sync:{sync.id}")
        return sync

    async def status(self, user_id: int, sync_id: int) -> MailSync:
        """The owner's sync; another user's or an unknown one is ``NotFound``."""
        async with self._uow() as uow:
            sync = await uow.syncs.get(sync_id)
        if sync is None or sync.owner_id != user_id:
            raise NotFound("Record not found...")
        sync.upload = None
        return sync

    async def emails(self, user_id: int, limit: int = 500) -> list[InboundEmail]:
        """The owner's imported e-mails, newest first."""
        async with self._uow() as uow:
            return await uow.emails.newest(user_id, limit)

    async def gmail_readable(self, user_id: int) -> bool:
        async with self._uow() as uow:
            link = await uow.links.get(user_id)
        return link is not None and link.read_ok

    # ------------------------------------------------------------------------------------------ the task

    async def run(self, payload: RunMailSync) -> None:
        """The mail-sync task. Idempotent by (owner, provider message id): a run again after a crash imports
        nothing twice; a finished sync is not run again."""
        async with self._uow() as uow:
            sync = await uow.syncs.get(payload.sync_id)
            if sync is None or sync.status in (SyncStatus.DONE, SyncStatus.FAILED):
                return
            sync.status = SyncStatus.RUNNING
            await uow.syncs.update(sync)
            await uow.commit()
        started = self._clock.now()
        try:
            if sync.kind == SyncKind.UPLOAD:
                imported, skipped = await self._run_upload(sync)
            else:
                imported, skipped = await self._run_gmail(sync, started)
        except InboxAccessDenied:
            await self._finish(sync, SyncStatus.FAILED, 0, 0, GMAIL_NOT_LINKED, read_ok=False)
            return
        except InboxUnavailable as exc:
            # Told to the user, who starts another (what was imported before this point stays imported).
            logger.warning("mail sync: inbox unavailable", extra={"sync_id": sync.id, "error": str(exc)})
            await self._finish(sync, SyncStatus.FAILED, 0, 0, GMAIL_UNAVAILABLE)
            return
        await self._finish(sync, SyncStatus.DONE, imported, skipped, "", synced_at=started)

    async def _finish(
        self,
        sync: MailSync,
        status: SyncStatus,
        imported: int,
        skipped: int,
        error: str,
        *,
        read_ok: bool | None = None,
        synced_at: datetime | None = None,
    ) -> None:
        async with self._uow() as uow:
            current = await uow.syncs.get(sync.id)
            if current is None:
                return
            current.status = status
            current.imported = imported
            current.skipped = skipped
            current.error = error[:300]
            current.upload = None
            current.finished_at = self._clock.now()
            await uow.syncs.update(current)
            if current.kind == SyncKind.GMAIL:
                link = await uow.links.get(current.owner_id)
                if link is not None:
                    if read_ok is not None:
                        link.read_ok = read_ok
                    if synced_at is not None:
                        link.last_synced_at = synced_at
                    await uow.links.put(link)
            await uow.commit()

    async def _run_upload(self, sync: MailSync) -> tuple[int, int]:
        if sync.upload is None:
            return 0, 0
        try:
            raws = split_upload(sync.error or "upload.mbox", sync.upload)
        except (OSError, ValueError):
            return 0, 0
        fallback = self._clock.now()
        messages = [read_message(raw, fallback_date=fallback) for raw in raws]
        return await self._import(sync.owner_id, messages)

    async def _run_gmail(self, sync: MailSync, now: datetime) -> tuple[int, int]:
        async with self._uow() as uow:
            link = await uow.links.get(sync.owner_id)
        if link is None or not link.read_ok:
            raise InboxAccessDenied("no usable link")
        after = ""
        if link.last_synced_at is not None:
            after = f" after:{int((link.last_synced_at - OVERLAP).timestamp())}"
        seen: dict[str, None] = {}
        for source in SOURCES:
            for message_id in await self._inbox.list_ids(link.access_token, source.query + after,
                                                         limit=MAX_MESSAGES_PER_QUERY):
                seen.setdefault(message_id)
        ids = list(seen)
        async with self._uow() as uow:
            known = await uow.emails.known(sync.owner_id, ids)
        messages: list[MailMessage] = []
        for message_id in ids:
            if message_id in known:
                continue
            mail = await self._inbox.fetch(link.access_token, message_id)
            fallback = (
                datetime.fromtimestamp(mail.internal_date_ms / 1000, UTC) if mail.internal_date_ms else now
            )
            messages.append(read_message(mail.raw, message_id=mail.message_id, fallback_date=fallback))
        imported, skipped = await self._import(sync.owner_id, messages)
        return imported, skipped + len(known)

    async def _import(self, owner_id: int, messages: list[MailMessage]) -> tuple[int, int]:
        """Store each new message of the owner and record the application it announces; ``(imported,
        skipped)``: messages seen before, or that announce no application, are skipped."""
        imported = skipped = 0
        for msg in messages:
            parsed = parse(msg)
            if parsed is None:
                skipped += 1
                continue
            # The application first: the tracker is unique on (owner, message id), so a run again after a crash
            # between the two steps finds it instead of adding it twice.
            tracked_id = None
            if self._recorder is not None:
                tracked_id = await self._recorder.record(
                    owner_id,
                    source=parsed.source,
                    job_title=parsed.job_title,
                    company=parsed.company,
                    applied_at=msg.received_at,
                    message_id=msg.message_id,
                )
            mail = InboundEmail(
                owner_id=owner_id,
                message_id=msg.message_id,
                source=parsed.source,
                sender=msg.sender[:320],
                subject=msg.subject[:500],
                body=(msg.html or msg.text)[:BODY_MAX],
                received_at=msg.received_at,
                utc_offset_minutes=msg.utc_offset_minutes,
                job_title=parsed.job_title,
                company=parsed.company,
                tracked_id=tracked_id,
                created_at=self._clock.now(),
            )
            async with self._uow() as uow:
                added = await uow.emails.add(mail)
                await uow.commit()
            if added:
                imported += 1
            else:
                skipped += 1
        return imported, skipped
