"""What the tracker's services share: time zones and calendar days, messages, and field checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.jobs.model.kernel import EmploymentType, WorkType, choice
from core.shared.errors import InvalidInput, NotFound
from ports.tracker import TrackerUnitOfWork

__all__ = (
    "NOT_FOUND",
    "bounded",
    "local_day",
    "owner_zone",
    "start_of_day",
    "zone",
)

NOT_FOUND = "Not found."
USER_NOT_FOUND = "User not found."


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


async def owner_zone(uow: TrackerUnitOfWork, owner_id: int) -> ZoneInfo:
    name = await uow.people.timezone(owner_id)
    if name is None:
        raise NotFound(USER_NOT_FOUND)
    return zone(name)


# The first and last days a datetime holds cannot always be moved into another time zone (OverflowError).
_OUT_OF_RANGE = "Enter a date between the years 2 and 9998."


def local_day(at: datetime, tz: ZoneInfo) -> date:
    try:
        return at.astimezone(tz).date()
    except OverflowError:
        raise InvalidInput.non_field(_OUT_OF_RANGE) from None


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    try:
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    except OverflowError:
        raise InvalidInput.non_field(_OUT_OF_RANGE) from None


def bounded(field: str, value: str, limit: int, *, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput.field(field, "This field may not be blank.")
    if len(text) > limit:
        raise InvalidInput.field(field, f"Ensure this field has no more than {limit} characters.")
    return text


def employment(value: str | None, field: str = "employment_type") -> str:
    return str(choice(EmploymentType, value, field)) if value else ""


def work(value: str | None, field: str = "work_type") -> str:
    return str(choice(WorkType, value, field)) if value else ""
