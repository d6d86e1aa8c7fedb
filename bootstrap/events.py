"""Event wiring: which handlers react to which domain events."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.accounts.model.events import AccountDeleted, AccountRegistered

if TYPE_CHECKING:
    from bootstrap.container import Container

__all__ = ("register_handlers",)

logger = logging.getLogger("careernexus.events")


def register_handlers(container: Container) -> None:
    bus = container.event_bus()

    async def log_registered(event: AccountRegistered) -> None:
        logger.info("account registered", extra={"user_id": event.user_id, "user_type": event.user_type})

    async def log_deleted(event: AccountDeleted) -> None:
        logger.info("account deleted", extra={"user_id": event.user_id})

    bus.subscribe(AccountRegistered, log_registered)
    bus.subscribe(AccountDeleted, log_deleted)
