"""An event bus that remembers what was published, for tests (production wiring has no recording)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.shared.events import DomainEvent, EventBus

__all__ = ("RecordingEventBus",)

E = TypeVar("E", bound=DomainEvent)


class RecordingEventBus(EventBus):
    """Wraps the container's bus: subscriptions and delivery stay with ``inner`` (the handlers that
    ``bootstrap.events`` registered keep running), and every published event is also kept in ``published``."""

    __slots__ = ("inner", "published")

    def __init__(self, inner: EventBus) -> None:
        super().__init__()
        self.inner = inner
        self.published: list[DomainEvent] = []

    def subscribe(self, event_type: type[E], handler: Callable[[E], Awaitable[None]]) -> None:
        self.inner.subscribe(event_type, handler)

    async def publish(self, *events: DomainEvent) -> None:
        self.published.extend(events)
        await self.inner.publish(*events)
