"""Support use cases: users open dispute tickets and read their own; administrators answer them, list and count
them; visitors register as corporate leads, administrators list the leads.

Filters and options are validated against the documented choices (``core.support.model``). An answer (a response
and/or a new status) tells the ticket's owner by e-mail, staged in the same transaction, and records a
``DisputeAnswered`` fact for the notifications.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from core.shared.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from core.shared.pagination import Page, PageRequest
from core.support.model import (
    CATEGORIES,
    PACKAGES,
    PRIORITIES,
    SERVICES,
    STATUSES,
    Dispute,
    DisputeFilter,
    DisputeSummary,
    Lead,
)
from ports.email import EmailMessage
from ports.events import EventPublisher
from ports.staff import ADMIN_ONLY_MESSAGE, StaffDirectory
from ports.support import SupportUnitOfWork
from ports.system import Clock, RateLimiter

__all__ = ("PAGE_SIZE", "AnswerDispute", "NewLead", "OpenDispute", "SupportService", "dispute_answered_mail")

PAGE_SIZE = 10
MAX_MESSAGE = 5_000
MAX_RESPONSE = 5_000
LEAD_EMAIL_TAKEN = "This email already exists"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,30}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenDispute:
    category: str
    priority: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerDispute:
    dispute: int
    status: str | None = None
    response: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewLead:
    full_name: str
    email_address: str
    phone_number: str
    interested_services: list[str]
    package: str | None = None


def _choice(name: str, value: str, options: tuple[str, ...]) -> str:
    if value not in options:
        raise InvalidInput.field(name, f'"{value}" is not a valid choice.')
    return value


def _query(name: str, value: str | None, options: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in options:
        raise InvalidInput({"error": f"Invalid {name} parameter", "valid_options": list(options)})
    return value


def dispute_answered_mail(to: str, dispute: Dispute) -> EmailMessage:
    status = dispute.status.replace("_", " ")
    response = dispute.admin_response or ""
    text = (
        f"Your support ticket #{dispute.id} ({dispute.category}) was updated.\n\nStatus: {status}\n"
        + (f"Response from the Career Nexus team:\n{response}\n" if response else "")
    )
    html = (
        '<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1b1b1b">'
        '<h2 style="color:#5b2a86">Career Nexus</h2>'
        f"<p>Your support ticket #{dispute.id} ({escape(dispute.category)}) was updated.</p>"
        f"<p>Status: <strong>{escape(status)}</strong></p>"
        + (f"<p>Response from the Career Nexus team:</p><blockquote>{escape(response)}</blockquote>"
           if response else "")
        + "</body></html>"
    )
    return EmailMessage(to=to, subject=f"Your support ticket #{dispute.id} was updated", text=text, html=html)


class SupportService:
    __slots__ = ("_clock", "_events", "_limiter", "_per_hour", "_staff", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], SupportUnitOfWork],
        staff: StaffDirectory,
        clock: Clock,
        events: EventPublisher,
        limiter: RateLimiter | None = None,
        leads_per_hour: int = 20,
    ) -> None:
        self._uow = uow
        self._staff = staff
        self._clock = clock
        self._events = events
        self._limiter = limiter
        self._per_hour = leads_per_hour

    async def _require_admin(self, actor_id: int) -> None:
        if not await self._staff.is_staff(actor_id):
            raise PermissionDenied(ADMIN_ONLY_MESSAGE)

    # ------------------------------------------------------------------ disputes (owners)

    async def open(self, actor_id: int, cmd: OpenDispute) -> Dispute:
        category = _choice("category", cmd.category, CATEGORIES)
        priority = _choice("priority", cmd.priority, PRIORITIES)
        message = cmd.message.strip()
        if not message:
            raise InvalidInput.field("message", "This field may not be blank.")
        if len(message) > MAX_MESSAGE:
            raise InvalidInput.field("message", f"Ensure this field has no more than {MAX_MESSAGE} characters.")
        now = self._clock.now()
        async with self._uow() as uow:
            dispute = await uow.disputes.add(
                Dispute(user_id=actor_id, category=category, priority=priority, message=message,
                        created_at=now, updated_at=now)
            )
            await uow.commit()
        return dispute

    async def mine(self, actor_id: int, status: str | None, request: PageRequest) -> Page[Dispute]:
        status = _query("status", status, STATUSES)
        async with self._uow() as uow:
            items, total = await uow.disputes.page(
                DisputeFilter(user_id=actor_id, status=status), request.offset, request.size
            )
        return Page(items, total, request).check_in_range()

    # ------------------------------------------------------------------ disputes (admins)

    async def all(
        self,
        actor_id: int,
        request: PageRequest,
        *,
        status: str | None = None,
        priority: str | None = None,
        category: str | None = None,
    ) -> Page[Dispute]:
        await self._require_admin(actor_id)
        where = DisputeFilter(
            status=_query("status", status, STATUSES),
            priority=_query("priority", priority, PRIORITIES),
            category=_query("category", category, CATEGORIES),
        )
        async with self._uow() as uow:
            items, total = await uow.disputes.page(where, request.offset, request.size)
        return Page(items, total, request).check_in_range()

    async def answer(self, actor_id: int, cmd: AnswerDispute) -> Dispute:
        await self._require_admin(actor_id)
        status = _choice("status", cmd.status, STATUSES) if cmd.status is not None else None
        response = cmd.response.strip() if cmd.response is not None else None
        if response is not None and len(response) > MAX_RESPONSE:
            raise InvalidInput.field("response", f"Ensure this field has no more than {MAX_RESPONSE} characters.")
        if status is None and not response:
            raise InvalidInput.non_field("Provide a status and/or a response.")
        async with self._uow() as uow:
            dispute = await uow.disputes.get(cmd.dispute)
            if dispute is None:
                raise InvalidInput.field("dispute", f'Invalid pk "{cmd.dispute}" - object does not exist.')
            dispute.answer(actor_id, status, response or None, self._clock.now())
            await uow.disputes.update(dispute)
            uow.track(dispute)
            if dispute.pending_events:
                email = await uow.people.email(dispute.user_id)
                if email is not None:
                    uow.outbox.add(dispute_answered_mail(email, dispute))
            await uow.commit()
            events = uow.collect_events()
        await self._events.publish(*events)
        return dispute

    async def summary(self, actor_id: int) -> DisputeSummary:
        await self._require_admin(actor_id)
        async with self._uow() as uow:
            counts = await uow.disputes.counts()
        by_category = dict.fromkeys(CATEGORIES, 0)
        by_status = dict.fromkeys(STATUSES, 0)
        for (category, status), n in counts.items():
            if category in by_category:
                by_category[category] += n
            if status in by_status:
                by_status[status] += n
        return DisputeSummary(by_category=by_category, by_status=by_status)

    # ------------------------------------------------------------------ leads

    async def register_lead(self, cmd: NewLead, client_ip: str = "") -> Lead:
        """Public: at most ``leads_per_hour`` attempts per client."""
        if self._limiter is not None:
            retry = await self._limiter.hit(f"lead-register:ip:{client_ip}", limit=self._per_hour, window_seconds=3600)
            if retry is not None:
                raise RateLimited(f"Request was throttled. Expected available in {retry} seconds.", retry_after=retry)
        full_name = " ".join(cmd.full_name.split())
        if not full_name:
            raise InvalidInput.field("full_name", "This field may not be blank.")
        if len(full_name) > 200:
            raise InvalidInput.field("full_name", "Ensure this field has no more than 200 characters.")
        email = cmd.email_address.strip()
        local, _, domain = email.rpartition("@")
        email = f"{local}@{domain.lower()}" if local else email
        if len(email) > 254 or not _EMAIL.match(email) or not email.isprintable():
            raise InvalidInput.field("email_address", "Enter a valid email address.")
        phone = cmd.phone_number.strip()
        if not _PHONE.match(phone):
            raise InvalidInput.field("phone_number", "Enter a valid phone number.")
        if not cmd.interested_services:
            raise InvalidInput.field("interested_services", "Choose at least one service.")
        services: list[str] = []
        for value in cmd.interested_services:
            _choice("interested_services", value, SERVICES)
            if value not in services:
                services.append(value)
        package = _choice("package", cmd.package, PACKAGES) if cmd.package else None
        async with self._uow() as uow:
            if await uow.leads.email_taken(email):
                raise InvalidInput.field("email_address", LEAD_EMAIL_TAKEN)
            try:
                lead = await uow.leads.add(
                    Lead(full_name=full_name, email_address=email, phone_number=phone,
                         interested_services=services, package=package, created_at=self._clock.now())
                )
            except Conflict:
                raise InvalidInput.field("email_address", LEAD_EMAIL_TAKEN) from None
            await uow.commit()
        return lead

    async def leads(self, actor_id: int, request: PageRequest) -> Page[Lead]:
        await self._require_admin(actor_id)
        async with self._uow() as uow:
            items, total = await uow.leads.page(request.offset, request.size)
        return Page(items, total, request).check_in_range()
