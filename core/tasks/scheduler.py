"""Scheduled jobs: each period, enqueue a job's task once, whatever the number of schedulers alive.

A period's task carries the dedupe key ``schedule:<name>:<slot start, ISO>``, so the database's unique key lets
exactly one enqueue per period through; and a job whose previous run is still queued, running or waiting for a
retry is not enqueued again (one instance at a time). A period skipped that way is not made up later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ports.system import Clock
from ports.tasks import TaskStore

__all__ = ("Schedule", "Scheduler", "slot_start")


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """Job ``name`` enqueues task ``task`` (with ``payload``) every ``every_seconds``, in periods aligned on the
    Unix epoch (every 3600 s: on the hour)."""

    name: str
    task: str
    every_seconds: float
    payload: object = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.every_seconds <= 0:
            raise ValueError("every_seconds must be positive")


def slot_start(now: datetime, every_seconds: float) -> datetime:
    """The start of the period ``now`` falls in."""
    seconds = now.timestamp() // every_seconds * every_seconds
    return datetime.fromtimestamp(seconds, UTC)


class Scheduler:
    __slots__ = ("_clock", "_done", "_schedules", "_store")

    def __init__(self, *, store: TaskStore, clock: Clock, schedules: Sequence[Schedule]) -> None:
        names = [s.name for s in schedules]
        if len(names) != len(set(names)):
            raise ValueError("two schedules share a name")
        self._store = store
        self._clock = clock
        self._schedules = tuple(schedules)
        # The period each job was last enqueued in (by anyone): nothing to ask the database until the next one.
        self._done: dict[str, datetime] = {}

    @property
    def schedules(self) -> tuple[Schedule, ...]:
        return self._schedules

    def dedupe_key(self, schedule: Schedule, now: datetime) -> str:
        return f"schedule:{schedule.name}:{slot_start(now, schedule.every_seconds).isoformat()}"

    async def tick(self) -> list[int]:
        """Enqueue the jobs whose current period has no task yet; the ids enqueued (by this scheduler)."""
        now = self._clock.now()
        enqueued: list[int] = []
        for schedule in self._schedules:
            slot = slot_start(now, schedule.every_seconds)
            if self._done.get(schedule.name) == slot or await self._store.has_active(schedule.task):
                continue
            task_id = await self._store.enqueue(
                schedule.task, schedule.payload, now=now, dedupe_key=self.dedupe_key(schedule, now)
            )
            self._done[schedule.name] = slot  # enqueued here or by another scheduler (the key was taken)
            if task_id is not None:
                enqueued.append(task_id)
        return enqueued
