"""Start and stop what the container holds: the mail relay loop, engines, clients."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from bootstrap.container import Container
from core.shared.errors import StorageUnavailable

__all__ = ("relay_loop", "running")

logger = logging.getLogger("careernexus.runtime")


async def relay_loop(container: Container, *, poll_seconds: float | None = None) -> None:
    """Drain the mail outbox whenever a commit kicks it, and every ``poll_seconds`` for retries."""
    event = container.mail_kick().bind()
    relay = container.mail_relay()
    poll_seconds = poll_seconds or container.settings().mail_poll_seconds
    while True:
        # ``asyncio.timeout``, not ``asyncio.wait_for``: on Python 3.11 ``wait_for`` swallows a cancellation that
        # arrives after the kick fired but before it resumed, and shutdown then waits for this loop for ever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(poll_seconds):
                await event.wait()
        event.clear()
        try:
            while await relay.drain():
                pass
        except StorageUnavailable:
            logger.warning("mail relay: database unavailable, retrying later")
        except Exception:
            logger.exception("mail relay failed")


@contextlib.asynccontextmanager
async def running(container: Container, *, relay: bool = True) -> AsyncIterator[Container]:
    task = asyncio.create_task(relay_loop(container), name="mail-relay") if relay else None
    try:
        yield container
    finally:
        if task is not None:
            task.cancel()
            # ``asyncio.wait`` leaves the relay's CancelledError in the task but still lets a cancellation of
            # the caller through (``suppress(CancelledError)`` around ``await task`` would swallow both).
            await asyncio.wait({task})
            if not task.cancelled() and (error := task.exception()) is not None:
                logger.error("mail relay had stopped with an error", exc_info=error)
        for instance in (container.google(), container.storage(), container.limiter()):
            closer = getattr(instance, "aclose", None) or getattr(instance, "close", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()
        await container.engine().dispose()
