"""Support model: dispute tickets with their options, corporate leads with theirs, and the facts support records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.shared.events import DomainEvent
from core.shared.model import Entity

__all__ = (
    "CATEGORIES",
    "PACKAGES",
    "PRIORITIES",
    "SERVICES",
    "STATUSES",
    "Dispute",
    "DisputeAnswered",
    "DisputeFilter",
    "DisputeSummary",
    "Lead",
)

CATEGORIES = ("technical", "payment", "account", "request", "others")
PRIORITIES = ("low", "medium", "high", "urgent")
STATUSES = ("pending", "in_progress", "resolved", "closed")
SERVICES = ("hr_solutions", "corporate_training", "L&D", "organizational_development")
PACKAGES = ("basic", "premium", "inclusive")


@dataclass(frozen=True, kw_only=True)
class DisputeAnswered(DomainEvent):
    """Administrator ``actor_id`` responded to ticket ``dispute_id`` of ``recipient_id`` (its owner) and/or changed
    its status (now ``status``) at ``occurred_at``."""

    dispute_id: int
    actor_id: int
    recipient_id: int
    status: str
    status_changed: bool
    responded: bool
    occurred_at: datetime


@dataclass(eq=False, kw_only=True)
class Dispute(Entity):
    user_id: int
    category: str
    priority: str
    message: str
    status: str = "pending"
    admin_response: str | None = None
    created_at: datetime
    updated_at: datetime

    def answer(self, admin_id: int, status: str | None, response: str | None, now: datetime) -> None:
        changed = status is not None and status != self.status
        if status is not None:
            self.status = status
        if response is not None:
            self.admin_response = response
        self.updated_at = now
        if changed or response is not None:
            self.record(DisputeAnswered(dispute_id=self.id, actor_id=admin_id, recipient_id=self.user_id,
                                        status=self.status, status_changed=changed, responded=response is not None,
                                        occurred_at=now))


@dataclass(frozen=True, slots=True, kw_only=True)
class DisputeFilter:
    user_id: int | None = None
    status: str | None = None
    priority: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DisputeSummary:
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass(kw_only=True)
class Lead:
    id: int = 0
    full_name: str
    email_address: str
    phone_number: str
    interested_services: list[str]
    package: str | None = None
    created_at: datetime
