"""Translation between the job-search-tracker face's vocabulary and the tracker's: posting and opportunity status
labels, employment and location types, pay ranges, comments, and the accounts calls whose failures this face
answers in its own words (401 ``Invalid credentials.``, 400 ``{"error": …}``)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.accounts.issuing import AuthResult
from core.accounts.registration import RegistrationService
from core.accounts.sessions import SessionsService
from core.jobs.model.tracker import (
    APPLIED,
    OFFER,
    ONSITE_INTERVIEW,
    OPPORTUNITY_LABELS,
    PHONE_SCREEN,
    TO_APPLY,
    NoteKind,
    OpportunityStatus,
    TrackedApplication,
    TrackerNote,
)
from core.shared.errors import InvalidInput, Unauthenticated

__all__ = (
    "comment_items",
    "employment_in",
    "employment_out",
    "login",
    "opportunity_label",
    "opportunity_status",
    "parse_pay",
    "posting_label",
    "posting_state",
    "refresh",
    "register",
    "signout",
    "work_in",
    "work_out",
)

# posting_status label → (status, rejected)
POSTING_STATES: dict[str, tuple[int, bool]] = {
    "1 - Actively Engaged": (PHONE_SCREEN, False),
    "2 - Awaiting Feedback": (PHONE_SCREEN, False),
    "2.4 - Post Interview Silence": (ONSITE_INTERVIEW, False),
    "2.5 - Post Interview Declined": (ONSITE_INTERVIEW, True),
    "3 - Rejected": (APPLIED, True),
    "4 - No Response": (APPLIED, False),
}
_DERIVED = {TO_APPLY: "4 - No Response", APPLIED: "4 - No Response", PHONE_SCREEN: "2 - Awaiting Feedback",
            ONSITE_INTERVIEW: "2.4 - Post Interview Silence", OFFER: "1 - Actively Engaged"}
ACTIVE_POSTING_STATUSES = (PHONE_SCREEN, ONSITE_INTERVIEW, OFFER)

_EMPLOYMENT = {"full-time": "full_time", "full time": "full_time", "part-time": "part_time",
               "part time": "part_time", "freelance": "freelance", "contract": "contract", "internship": "internship"}
_EMPLOYMENT_OUT = {"full_time": "Full-time", "part_time": "Part-time", "freelance": "Freelance",
                   "contract": "Contract", "internship": "Internship"}
_WORK = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite", "in office": "onsite",
         "in-office": "onsite"}
_WORK_OUT = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-Site"}
_COMMENT_KINDS = {"Recruiter emailed Me": NoteKind.RECRUITER_EMAIL.value,
                  "I e-mailed recruiter": NoteKind.MY_EMAIL.value, "Phone Call Notes": NoteKind.CALL.value}
_COMMENT_TYPES = {v: k for k, v in _COMMENT_KINDS.items()}
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([kK])?")
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "₦": "NGN"}


def posting_state(label: str, current: int | None = None) -> tuple[int, bool]:
    """The status and rejected flag a label stands for; "3 - Rejected" keeps a later current stage."""
    state = POSTING_STATES.get(label.strip())
    if state is None:
        raise InvalidInput.field("posting_status", f'"{label}" is not a valid choice.')
    status, rejected = state
    if label.strip() == "3 - Rejected" and current is not None and current > APPLIED and current != TO_APPLY:
        status = current
    return status, rejected


def posting_label(app: TrackedApplication) -> str:
    stored = app.extra.get("posting_status", "")
    if stored in POSTING_STATES:
        status, rejected = POSTING_STATES[stored]
        if rejected == app.is_rejected and (status == app.status_id or stored == "3 - Rejected"):
            return stored
    return label_of(app.status_id, app.is_rejected)


def label_of(status_id: int, rejected: bool) -> str:
    if rejected:
        return "3 - Rejected" if status_id in (TO_APPLY, APPLIED) else "2.5 - Post Interview Declined"
    return _DERIVED.get(status_id, "4 - No Response")


def employment_in(value: str) -> str:
    text = value.strip()
    if not text:
        return ""
    found = _EMPLOYMENT.get(text.lower())
    if found is None:
        raise InvalidInput.field("employment_type", f'"{value}" is not a valid choice.')
    return found


def employment_out(value: str) -> str:
    return _EMPLOYMENT_OUT.get(value, "")


def work_in(value: str, field: str = "location_type") -> str:
    text = value.strip()
    if not text:
        return ""
    found = _WORK.get(text.lower())
    if found is None:
        raise InvalidInput.field(field, f'"{value}" is not a valid choice.')
    return found


def work_out(value: str, onsite: str = "On-Site") -> str:
    return onsite if value == "onsite" else _WORK_OUT.get(value, "")


def parse_pay(text: str) -> tuple[int | None, int | None, str]:
    """``"$120,000 - $150k"`` → minor units ``(12000000, 15000000, "USD")``; no amount → ``(None, None, "")``."""
    amounts: list[int] = []
    for number, thousands in _AMOUNT.findall(text):
        value = Decimal(number.replace(",", "")) * (1000 if thousands else 1)  # money: never a float
        amounts.append(int((value * 100).to_integral_value(ROUND_HALF_UP)))
    if not amounts:
        return None, None, ""
    currency = next((code for sign, code in _CURRENCY.items() if sign in text), "")
    if not currency:
        letters = re.search(r"\b([A-Z]{3})\b", text)
        currency = letters.group(1) if letters else "USD"
    low, high = min(amounts[:2]), max(amounts[:2])
    return low, high, currency


def opportunity_status(label: str | None) -> str:
    if label is None or not label.strip():
        return OpportunityStatus.IGNORED.value
    for status, text in OPPORTUNITY_LABELS.items():
        if text == label.strip():
            return status.value
    raise InvalidInput.field("opportunity_status", f'"{label}" is not a valid choice.')


def opportunity_label(status: str) -> str:
    try:
        return OPPORTUNITY_LABELS[OpportunityStatus(status)]
    except ValueError:
        return status


def comment_kind(comment_type: str) -> str:
    return _COMMENT_KINDS.get(comment_type.strip(), NoteKind.GENERAL.value)


def comment_items(notes: list[TrackerNote]) -> list[dict[str, Any]]:
    return [{"id": n.id, "commented_at": n.at.isoformat(), "comment_type": _COMMENT_TYPES.get(n.kind, "Note"),
             "comment_content": n.body} for n in notes]


# ------------------------------------------------------------------------------------------- accounts calls


async def login(sessions: SessionsService, username: str, password: str, client_ip: str) -> AuthResult | None:
    """``None`` for wrong credentials (the face answers 401 in its own words)."""
    try:
        return await sessions.signin(username, password, client_ip=client_ip)
    except InvalidInput:
        return None


async def refresh(sessions: SessionsService, token: str) -> AuthResult | None:
    """``None`` when the refresh fails for any reason (a real 401, not the original's 500)."""
    try:
        return await sessions.refresh(token)
    except (Unauthenticated, InvalidInput):
        return None


async def signout(sessions: SessionsService, token: str) -> bool:
    try:
        await sessions.signout_token(token)
    except InvalidInput:
        return False
    return True


async def register(
    registration: RegistrationService, email: str, password: str, first_name: str, last_name: str
) -> str | None:
    """``None`` when registered, else the original's error message."""
    try:
        await registration.register_unverified(email, password, first_name=first_name, last_name=last_name)
    except InvalidInput as exc:
        if "email" in exc.body and exc.body["email"] == ["Existing Email!"]:
            return "Email address is already registered."
        values = [v if isinstance(v, str) else " ".join(v) for v in exc.body.values()]
        return " ".join(values) or "Invalid input."
    return None


def at_or_none(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
