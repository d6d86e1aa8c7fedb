"""The app container: the platform container plus one container per domain module (``bootstrap/domains``).

``container.platform.<provider>`` holds what every domain shares (``clock``, ``engine``, ``event_bus``,
``mailer``, ``storage``, ``limiter``, …); ``container.<domain>.<provider>`` a domain's own (use-case services such
as ``accounts.registration``, ``accounts.sessions``, ``accounts.profile_pages``; ``feed.service``, ``feed.network``,
``content.service``, ``messaging.relay``; units of work such as ``accounts.uow``).
Overriding a platform provider reaches every domain that uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dependency_injector import containers, providers

from bootstrap.domain import DomainModule
from bootstrap.domains import DOMAINS
from bootstrap.platform import PlatformContainer, Profile
from bootstrap.settings import Settings

__all__ = ("AppContainer", "Profile", "build_container")


class AppContainer(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    profile = providers.Dependency(instance_of=str, default="sql")
    user_deletion_steps = providers.Dependency(instance_of=tuple, default=())
    # The domain modules this container was built with (``create_app`` and the runtime iterate them).
    domains = providers.Dependency(instance_of=tuple, default=())

    platform = providers.Container(
        PlatformContainer, settings=settings, profile=profile, user_deletion_steps=user_deletion_steps
    )


def build_container(
    settings: Settings, profile: Profile = "sql", domains: Sequence[DomainModule[Any]] = DOMAINS
) -> AppContainer:
    """The SQL profile (real database) or the memory profile (in-memory units of work and adapters), with the
    domain modules of ``bootstrap/domains`` (or ``domains``)."""
    steps = tuple(step for domain in domains for step in domain.user_deletion_steps)
    app = AppContainer(
        settings=providers.Object(settings),
        profile=providers.Object(profile),
        user_deletion_steps=providers.Object(steps),
        domains=providers.Object(tuple(domains)),
    )
    for domain in domains:
        app.set_provider(domain.name, providers.Container(domain.container, platform=app.platform))
    # The profile is fixed once built: pin every SQL/memory Selector to it, so that opening a unit of work does not
    # resolve ``platform.profile`` through its chain of dependencies on each call (overrides still work).
    chosen = providers.Object(profile)
    for selector in app.traverse(types=[providers.Selector]):
        selector.set_selector(chosen)
    bus = app.platform.event_bus()
    for domain in domains:
        if domain.subscribe is not None:
            domain.subscribe(domain.of(app), bus)
    return app
