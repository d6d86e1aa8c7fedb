"""The domain modules, listed once: the app container, ``create_app``, event wiring, deletion steps, settings
sections, the CLI and the runtime all iterate ``DOMAINS`` (see docs/conventions.md, "How to add a domain")."""

from __future__ import annotations

from typing import Any

from bootstrap.domain import DomainModule
from bootstrap.domains import (
    accounts,
    ats,
    content,
    feed,
    jobhax,
    jobs,
    mentorship,
    messaging,
    notifications,
    support,
    tracker,
    vaults,
)

__all__ = ("DOMAINS", "PLATFORM_TABLES")

DOMAINS: tuple[DomainModule[Any], ...] = (
    accounts.DOMAIN,
    content.DOMAIN,
    feed.DOMAIN,
    jobs.DOMAIN,
    messaging.DOMAIN,
    notifications.DOMAIN,
    support.DOMAIN,
    mentorship.DOMAIN,
    vaults.DOMAIN,
    tracker.DOMAIN,
    jobhax.DOMAIN,
    ats.DOMAIN,
)

# Table modules of adapters/db/tables that belong to the platform, not to a domain (the mail outbox).
PLATFORM_TABLES = ("system",)
