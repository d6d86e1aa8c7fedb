"""Entity base: id equality and recorded events."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.shared.events import DomainEvent

__all__ = ("Entity",)


@dataclass(eq=False, kw_only=True)
class Entity:
    id: int = 0
    pending_events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, Entity) and other.id == self.id != 0

    def __hash__(self) -> int:
        return hash((type(self), self.id))

    def record(self, event: DomainEvent) -> None:
        self.pending_events.append(event)
