"""Recording published events is a test-side wrapper: the production bus keeps no history, whatever the
environment, and the test wrapper records without taking delivery away from the registered handlers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bootstrap.container import build_container
from core.shared.events import DomainEvent, EventBus
from tests.conftest import build_test_container, make_settings
from tests.fakes.events import RecordingEventBus

pytestmark = pytest.mark.anyio


@dataclass(frozen=True, kw_only=True)
class Happened(DomainEvent):
    n: int


def test_production_bus_records_nothing_even_in_the_test_environment(tmp_path: Path) -> None:
    bus = build_container(make_settings(tmp_path, env="test"), "memory").event_bus()
    assert type(bus) is EventBus
    assert not hasattr(bus, "published")


async def test_recording_bus_records_and_still_delivers(tmp_path: Path) -> None:
    container = build_test_container(make_settings(tmp_path), "memory")
    bus = container.event_bus()
    assert isinstance(bus, RecordingEventBus)
    seen: list[int] = []

    async def handler(event: Happened) -> None:
        seen.append(event.n)

    bus.subscribe(Happened, handler)
    await bus.publish(Happened(n=1), Happened(n=2))
    assert seen == [1, 2]
    assert bus.published == [Happened(n=1), Happened(n=2)]
