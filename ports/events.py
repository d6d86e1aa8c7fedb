"""Publishing domain events after commit."""

from __future__ import annotations

from typing import Protocol

from core.shared.events import DomainEvent

__all__ = ("EventPublisher",)


class EventPublisher(Protocol):
    async def publish(self, *events: DomainEvent) -> None:
        """Deliver events to their subscribers, in order."""
        ...
