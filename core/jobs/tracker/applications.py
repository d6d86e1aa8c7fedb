"""Tracked applications (owner only): create, read, list with filters, edit, status and rejection (one or many),
soft delete (one or many), the event history, and notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.jobs.model.tracker import (
    STATUSES,
    ApplicationEvent,
    EventKind,
    NoteKind,
    Origin,
    TrackedApplication,
    TrackerNote,
    TrackerStatus,
    company_key,
    status_by_id,
)
from core.jobs.tracker.common import NOT_FOUND, bounded, employment, local_day, owner_zone, start_of_day, work
from core.shared.errors import InvalidInput, NotFound
from core.shared.pagination import Page, PageRequest
from ports.system import Clock
from ports.tracker import ApplicationFilters, TrackerReads, TrackerUnitOfWork

__all__ = (
    "BULK_MAX",
    "PAGE_SIZE",
    "ApplicationChanges",
    "NewApplication",
    "TrackerService",
    "apply_status",
)

PAGE_SIZE = 20
BULK_MAX = 500
HISTORY_MAX = 1000
NOTE_MAX = 50_000
_UNSET: Any = object()


@dataclass(frozen=True, kw_only=True)
class NewApplication:
    title: str
    company: str
    source: str = ""
    status_id: int | None = None
    rejected: bool = False
    rejected_stage: str = ""
    applied_at: datetime | None = None
    applied_on: date | None = None
    interviewed_at: datetime | None = None
    site_id: int | None = None
    job_id: int | None = None
    msg_id: str | None = None
    external_url: str = ""
    location: str = ""
    employment_type: str = ""
    work_type: str = ""
    pay_min: int | None = None
    pay_max: int | None = None
    pay_currency: str = ""
    description: str = ""
    tech_stack: list[str] = field(default_factory=list)
    questions: list[Any] = field(default_factory=list)
    time_spent_min: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # ``(kind, body, at)``: notes written in the same transaction (a face that sends them with the application).
    notes: list[tuple[str, str, datetime | None]] = field(default_factory=list)
    origin: str = Origin.USER.value


@dataclass(frozen=True, kw_only=True)
class ApplicationChanges:
    """A partial edit: only the fields given (not ``None``) change; status and rejection go through the
    history like ``set_status``."""

    title: str | None = None
    company: str | None = None
    source: str | None = None
    status_id: int | None = None
    rejected: bool | None = None
    rejected_stage: str | None = None
    applied_at: datetime | None = None
    applied_on: date | None = None
    interviewed_at: datetime | None = None
    site_id: int | None = None
    external_url: str | None = None
    location: str | None = None
    employment_type: str | None = None
    work_type: str | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    pay_currency: str | None = None
    description: str | None = None
    tech_stack: list[str] | None = None
    questions: list[Any] | None = None
    time_spent_min: int | None = None
    extra: dict[str, str] | None = None
    notes: list[tuple[str, str, datetime | None]] | None = None  # the notes become these (None: kept)


def _status(status_id: int | None) -> TrackerStatus:
    status = status_by_id(status_id) if status_id is not None else None
    if status is None:
        raise InvalidInput.field("status", f'Invalid pk "{status_id}" - object does not exist.')
    return status


def _check_pay(pay_min: int | None, pay_max: int | None, currency: str) -> str:
    for name, value in (("pay_min", pay_min), ("pay_max", pay_max)):
        if value is not None and not 0 <= value <= 10**15:
            raise InvalidInput.field(name, "Ensure this value is between 0 and 10^15 (minor units).")
    if pay_min is not None and pay_max is not None and pay_min > pay_max:
        raise InvalidInput.field("pay_max", "Must not be less than pay_min.")
    code = currency.strip().upper()
    if code and not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise InvalidInput.field("pay_currency", "A three-letter ISO 4217 code.")
    if (pay_min is not None or pay_max is not None) and not code:
        raise InvalidInput.field("pay_currency", "Required with a pay range.")
    return code


def apply_status(
    app: TrackedApplication, status_id: int | None, rejected: bool | None, origin: str, now: datetime
) -> list[ApplicationEvent]:
    """Change the status and/or the rejected flag; the events of what actually changed (nothing twice)."""
    events: list[ApplicationEvent] = []
    if status_id is not None and status_id != app.status_id:
        _status(status_id)
        events.append(ApplicationEvent(
            application_id=app.id, owner_id=app.owner_id, kind=EventKind.STATUS_CHANGED.value,
            from_status_id=app.status_id, to_status_id=status_id, origin=origin, at=now,
        ))
        app.status_id = status_id
    if rejected is not None and rejected != app.is_rejected:
        if rejected and not _status(app.status_id).rejectable:
            raise InvalidInput.field("rejected", "An application in TO APPLY cannot be rejected.")
        app.is_rejected = rejected
        app.rejected_at = now if rejected else None
        events.append(ApplicationEvent(
            application_id=app.id, owner_id=app.owner_id,
            kind=(EventKind.REJECTED if rejected else EventKind.UNREJECTED).value,
            from_status_id=app.status_id, to_status_id=app.status_id, origin=origin, at=now,
        ))
    if events:
        app.updated_at = now
    return events


class TrackerService:
    __slots__ = ("_clock", "_reads", "_uow")

    def __init__(self, *, uow: Callable[[], TrackerUnitOfWork], reads: TrackerReads, clock: Clock) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock

    @staticmethod
    def statuses() -> tuple[TrackerStatus, ...]:
        """In board order."""
        return STATUSES

    async def applications(
        self, owner_id: int, filters: ApplicationFilters, page: PageRequest
    ) -> Page[TrackedApplication]:
        if filters.status_id is not None:
            _status(filters.status_id)
        return await self._reads.applications(owner_id, filters, page)

    async def get(self, owner_id: int, application_id: int) -> TrackedApplication:
        async with self._uow() as uow:
            app = await uow.applications.get(owner_id, application_id)
        if app is None:
            raise NotFound(NOT_FOUND)
        return app

    async def create(self, owner_id: int, cmd: NewApplication) -> TrackedApplication:
        now = self._clock.now()
        status = _status(cmd.status_id) if cmd.status_id is not None else next(s for s in STATUSES if s.is_default)
        if cmd.rejected and not status.rejectable:
            raise InvalidInput.field("rejected", "An application in TO APPLY cannot be rejected.")
        currency = _check_pay(cmd.pay_min, cmd.pay_max, cmd.pay_currency)
        notes = _fresh_notes(owner_id, cmd.notes, now)
        async with self._uow() as uow:
            tz = await owner_zone(uow, owner_id)
            if cmd.site_id is not None and await uow.sites.get(owner_id, cmd.site_id) is None:
                raise InvalidInput.field("site", f'Invalid pk "{cmd.site_id}" - object does not exist.')
            if cmd.applied_on is not None:
                applied_on = cmd.applied_on
                applied_at = cmd.applied_at or start_of_day(applied_on, tz)
            else:
                applied_at = cmd.applied_at or now
                applied_on = local_day(applied_at, tz)
            app = TrackedApplication(
                owner_id=owner_id,
                title=bounded("title", cmd.title, 200, required=True),
                company=bounded("company", cmd.company, 200, required=True),
                source=bounded("source", cmd.source, 64),
                status_id=status.id,
                is_rejected=cmd.rejected,
                rejected_at=now if cmd.rejected else None,
                rejected_stage=bounded("rejected_stage", cmd.rejected_stage, 32),
                applied_at=applied_at,
                applied_on=applied_on,
                interviewed_at=cmd.interviewed_at,
                site_id=cmd.site_id,
                job_id=cmd.job_id,
                msg_id=cmd.msg_id,
                external_url=bounded("external_url", cmd.external_url, 2048),
                location=bounded("location", cmd.location, 200),
                employment_type=employment(cmd.employment_type),
                work_type=work(cmd.work_type),
                pay_min=cmd.pay_min,
                pay_max=cmd.pay_max,
                pay_currency=currency,
                description=bounded("description", cmd.description, 50_000),
                tech_stack=[bounded("tech_stack", t, 64) for t in cmd.tech_stack][:100],
                questions=list(cmd.questions)[:100],
                time_spent_min=cmd.time_spent_min,
                extra=_extra(cmd.extra),
                created_at=now,
                updated_at=now,
            )
            if not await uow.applications.add(app):
                raise InvalidInput.non_field("This application is already tracked.")
            events = [ApplicationEvent(application_id=app.id, owner_id=owner_id, kind=EventKind.CREATED.value,
                                       to_status_id=app.status_id, origin=cmd.origin, at=now)]
            if app.is_rejected:
                events.append(ApplicationEvent(application_id=app.id, owner_id=owner_id,
                                               kind=EventKind.REJECTED.value, from_status_id=app.status_id,
                                               to_status_id=app.status_id, origin=cmd.origin, at=now))
            await uow.events.add(events)
            if notes:
                await uow.notes.replace_all(app.id, notes)
            await uow.commit()
        return app

    async def edit(self, owner_id: int, application_id: int, changes: ApplicationChanges,
                   origin: str = Origin.USER.value) -> TrackedApplication:
        now = self._clock.now()
        notes = _fresh_notes(owner_id, changes.notes, now) if changes.notes is not None else None
        async with self._uow() as uow:
            app = await uow.applications.get(owner_id, application_id, for_update=True)
            if app is None:
                raise NotFound(NOT_FOUND)
            tz = await owner_zone(uow, owner_id)
            values: dict[str, Any] = {}
            for name, limit, required in (("title", 200, True), ("company", 200, True), ("source", 64, False),
                                          ("rejected_stage", 32, False), ("external_url", 2048, False),
                                          ("location", 200, False), ("description", 50_000, False)):
                given = getattr(changes, name)
                if given is not None:
                    values[name] = bounded(name, given, limit, required=required)
            if changes.employment_type is not None:
                values["employment_type"] = employment(changes.employment_type)
            if changes.work_type is not None:
                values["work_type"] = work(changes.work_type)
            if changes.site_id is not None:
                if await uow.sites.get(owner_id, changes.site_id) is None:
                    raise InvalidInput.field("site", f'Invalid pk "{changes.site_id}" - object does not exist.')
                values["site_id"] = changes.site_id
            if changes.applied_on is not None:
                values["applied_on"] = changes.applied_on
                values["applied_at"] = changes.applied_at or start_of_day(changes.applied_on, tz)
            elif changes.applied_at is not None:
                values["applied_at"] = changes.applied_at
                values["applied_on"] = local_day(changes.applied_at, tz)
            if changes.extra is not None:
                values["extra"] = _extra(changes.extra)
            for name in ("interviewed_at", "time_spent_min", "tech_stack", "questions"):
                if getattr(changes, name) is not None:
                    values[name] = getattr(changes, name)
            pay_min = changes.pay_min if changes.pay_min is not None else app.pay_min
            pay_max = changes.pay_max if changes.pay_max is not None else app.pay_max
            currency = changes.pay_currency if changes.pay_currency is not None else app.pay_currency
            values.update(pay_min=pay_min, pay_max=pay_max, pay_currency=_check_pay(pay_min, pay_max, currency))
            for name, value in values.items():
                setattr(app, name, value)
            app.company_key = company_key(app.company)
            app.updated_at = now
            events = apply_status(app, changes.status_id, changes.rejected, origin, now)
            await uow.applications.update(app)
            await uow.events.add(events)
            if notes is not None:
                await uow.notes.replace_all(app.id, notes)
            await uow.commit()
        return app

    async def set_status(
        self, owner_id: int, ids: list[int], *, status_id: int | None = None, rejected: bool | None = None,
        origin: str = Origin.USER.value,
    ) -> list[TrackedApplication]:
        """Change the status and/or the rejected flag of the owner's applications ``ids`` (all or none: an id that
        is not the owner's live application answers 404)."""
        if status_id is None and rejected is None:
            raise InvalidInput.non_field("Give status or rejected.")
        wanted = list(dict.fromkeys(ids))
        if not wanted or len(wanted) > BULK_MAX:
            raise InvalidInput.field("ids", f"Give between 1 and {BULK_MAX} ids.")
        if status_id is not None:
            _status(status_id)
        now = self._clock.now()
        async with self._uow() as uow:
            apps = await uow.applications.by_ids(owner_id, wanted)
            if len(apps) != len(wanted):
                raise NotFound(NOT_FOUND)
            events: list[ApplicationEvent] = []
            for app in apps:
                changed = apply_status(app, status_id, rejected, origin, now)
                if changed:
                    await uow.applications.update(app)
                    events.extend(changed)
            await uow.events.add(events)
            await uow.commit()
        return apps

    async def delete(self, owner_id: int, ids: list[int], origin: str = Origin.USER.value) -> int:
        """Soft delete (all or none, 404 when one is not the owner's live application); how many."""
        wanted = list(dict.fromkeys(ids))
        if not wanted or len(wanted) > BULK_MAX:
            raise InvalidInput.field("ids", f"Give between 1 and {BULK_MAX} ids.")
        now = self._clock.now()
        async with self._uow() as uow:
            apps = await uow.applications.by_ids(owner_id, wanted)
            if len(apps) != len(wanted):
                raise NotFound(NOT_FOUND)
            for app in apps:
                app.is_deleted = True
                app.deleted_at = now
                app.updated_at = now
                await uow.applications.update(app)
            await uow.events.add([
                ApplicationEvent(application_id=a.id, owner_id=owner_id, kind=EventKind.DELETED.value,
                                 from_status_id=a.status_id, origin=origin, at=now)
                for a in apps
            ])
            await uow.commit()
        return len(apps)

    async def history(self, owner_id: int, application_id: int) -> list[ApplicationEvent]:
        async with self._uow() as uow:
            if await uow.applications.get(owner_id, application_id) is None:
                raise NotFound(NOT_FOUND)
            return await uow.events.for_application(application_id, HISTORY_MAX)

    # ------------------------------------------------------------------ notes

    async def notes(self, owner_id: int, application_id: int) -> list[TrackerNote]:
        async with self._uow() as uow:
            if await uow.applications.get(owner_id, application_id) is None:
                raise NotFound(NOT_FOUND)
            return await uow.notes.for_application(application_id, HISTORY_MAX)

    async def add_note(
        self, owner_id: int, application_id: int, body: str, kind: str = NoteKind.GENERAL.value,
        at: datetime | None = None,
    ) -> TrackerNote:
        text = bounded("description", body, NOTE_MAX, required=True)
        note_kind = _note_kind(kind)
        now = self._clock.now()
        async with self._uow() as uow:
            if await uow.applications.get(owner_id, application_id) is None:
                raise NotFound(NOT_FOUND)
            note = await uow.notes.add(TrackerNote(application_id=application_id, owner_id=owner_id,
                                                   kind=note_kind, body=text, at=at or now))
            await uow.commit()
        return note

    async def edit_note(self, owner_id: int, note_id: int, body: str, kind: str | None = None) -> TrackerNote:
        text = bounded("description", body, NOTE_MAX, required=True)
        async with self._uow() as uow:
            note = await uow.notes.get(owner_id, note_id)
            if note is None:
                raise NotFound(NOT_FOUND)
            note = dataclasses.replace(note, body=text, updated_at=self._clock.now(),
                                       kind=_note_kind(kind) if kind is not None else note.kind)
            await uow.notes.update(note)
            await uow.commit()
        return note

    async def delete_note(self, owner_id: int, note_id: int) -> None:
        async with self._uow() as uow:
            if await uow.notes.get(owner_id, note_id) is None:
                raise NotFound(NOT_FOUND)
            await uow.notes.delete(note_id)
            await uow.commit()


def _extra(values: dict[str, str]) -> dict[str, str]:
    if len(values) > 20:
        raise InvalidInput.non_field("Too many extra fields.")
    return {bounded("extra", k, 64): bounded(k, v, 512) for k, v in values.items()}


def _note_kind(kind: str) -> str:
    try:
        return NoteKind(kind).value
    except ValueError:
        raise InvalidInput.field("kind", f'"{kind}" is not a valid choice.') from None


NOTES_MAX_GIVEN = 500


def _fresh_notes(owner_id: int, notes: list[tuple[str, str, datetime | None]], now: datetime) -> list[TrackerNote]:
    """Checked notes ``(kind, body, at)`` of the owner's application (written with its id)."""
    if len(notes) > NOTES_MAX_GIVEN:
        raise InvalidInput.field("comments", f"At most {NOTES_MAX_GIVEN}.")
    return [TrackerNote(application_id=0, owner_id=owner_id, kind=_note_kind(kind),
                        body=bounded("comment_content", body, NOTE_MAX), at=at or now) for kind, body, at in notes]
