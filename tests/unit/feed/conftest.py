"""FeedService and NetworkService on the memory profile, with a frozen clock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from bootstrap.domains.notifications import notification_presenters
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType
from core.notifications.model import Notice
from core.shared.events import DomainEvent
from tests.conftest import build_test_container, make_settings
from tests.fakes.names import CardNames

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
_seq = itertools.count(1)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def c(tmp_path: Path, clock: FrozenClock) -> AppContainer:
    container = build_test_container(make_settings(tmp_path), "memory")
    container.platform.clock.override(providers.Object(clock))
    return container


async def add_user(
    c: AppContainer,
    first: str = "Ann",
    *,
    user_type: UserType = UserType.LEARNER,
    industry: str = "others",
    location: str = "",
) -> int:
    async with c.accounts.uow() as uow:
        user = await uow.users.add(
            User(email=f"u{next(_seq)}@example.com", date_joined=T0, user_type=user_type, industry=industry)
        )
        await uow.profiles.add(Profile(user_id=user.id, first_name=first, last_name="Doe", location=location))
        await uow.commit()
    return user.id


def published(c: AppContainer) -> list[DomainEvent]:
    events = c.platform.event_bus().published
    assert events is not None
    return events


async def told(c: AppContainer, event: DomainEvent) -> Notice | None:
    """The notification a published event stands for, named from the profiles as the feed shows them."""
    return await notification_presenters().present(event, CardNames(c.feed.uow))
