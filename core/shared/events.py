"""Domain event base and the in-process event bus."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ("DomainEvent", "EventBus", "Handler")

logger = logging.getLogger("careernexus.events")


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened. Subclasses are frozen dataclasses named in the past tense that hold facts only:
    ids and what happened (who, to whom, which object, when) — never how it is told to someone (texts, pages,
    routes: the notifications presenters derive those; ``tests/unit/test_events_are_facts.py``)."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], Awaitable[None]]


class EventBus:
    """Pure in-process dispatcher; satisfies ``ports.events.EventPublisher``.

    Handlers run in subscription order after the publishing unit of work committed. A failing handler is
    logged and the others still run: events describe facts that already happened.
    """

    __slots__ = ("_handlers",)

    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type[E], handler: Callable[[E], Awaitable[None]]) -> None:
        self._handlers[event_type].append(handler)

    async def publish(self, *events: DomainEvent) -> None:
        for event in events:
            for handler in self._handlers.get(type(event), ()):
                try:
                    await handler(event)
                except Exception:
                    logger.exception("event handler failed", extra={"event": type(event).__name__})
