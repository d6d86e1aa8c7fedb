"""Start and stop what the container holds: the inline task worker (``CAREERNEXUS_QUEUE=inline``), the domains'
background loops, engines, clients."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator
from typing import Any

from bootstrap.container import AppContainer
from bootstrap.domain import DomainModule
from bootstrap.tasks import inline_worker

__all__ = ("running",)

logger = logging.getLogger("careernexus.runtime")


@contextlib.asynccontextmanager
async def running(container: AppContainer, *, background: bool = True) -> AsyncIterator[AppContainer]:
    """Run the inline task worker and the domains' background loops (unless ``background=False``: CLI jobs) and
    close every client after."""
    domains: tuple[DomainModule[Any], ...] = container.domains()
    tasks: list[asyncio.Task[None]] = []
    if background:
        if container.platform.settings().tasks.queue == "inline":
            tasks.append(asyncio.create_task(inline_worker(container), name="task-worker"))
        for domain in domains:
            for name, loop in domain.background.items():
                tasks.append(asyncio.create_task(loop(domain.of(container)), name=name))
    try:
        yield container
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            # ``asyncio.wait`` leaves a loop's CancelledError in its task but still lets a cancellation of the
            # caller through (``suppress(CancelledError)`` around ``await task`` would swallow both).
            await asyncio.wait(tasks)
        for task in tasks:
            if not task.cancelled() and (error := task.exception()) is not None:
                logger.error("%s had stopped with an error", task.get_name(), exc_info=error)
        platform = container.platform()
        closing: list[object] = [
            platform.storage(),
            platform.limiter(),
            platform.read_cache(),
            platform.redis_ping(),
            platform.metrics(),
            platform.engine_dispatcher(),
            platform.realtime_hub(),
        ]
        for domain in domains:
            closing.extend(domain.closing(domain.of(container)))
        for instance in closing:
            closer = getattr(instance, "aclose", None) or getattr(instance, "close", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    result = closer()
                    if inspect.isawaitable(result):  # ``close()`` of some clients is synchronous
                        await result
        await platform.engine().dispose()
