"""The distributed task engine (``QUEUE=saq``) in the composition root.

- ``QUEUE=inline`` (default): each ``careernexus serve`` process runs its own tasks (``bootstrap/tasks.py``);
  ``REDIS_URL`` alone changes nothing here.
- ``QUEUE=saq``: web processes only enqueue — the platform's ``task_kick`` becomes a :class:`SaqDispatcher`
  that pushes ``run_task`` pointers after each commit, and no inline worker runs; ``careernexus worker``
  processes (any number, on any host) run the tasks and the scheduled jobs (:class:`SaqEngine`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import click

from adapters.tasks.saq import SaqDispatcher, SaqEngine
from bootstrap.commands import settings_or_exit
from ports.tasks import TaskKick

if TYPE_CHECKING:
    from bootstrap.container import AppContainer
    from bootstrap.settings import Settings

__all__ = ("engine_dispatcher", "task_kick", "uses_engine", "work", "worker_command")

logger = logging.getLogger("careernexus.tasks")


def uses_engine(settings: Settings) -> bool:
    return settings.tasks.queue == "saq"


def _job_timeout(settings: Settings) -> int:
    # Longer than the runner's own timeout (< 0.9 lease): SAQ only sweeps the pointer of a worker that died.
    return int(settings.tasks.lease_seconds) + 60


def engine_dispatcher(settings: Settings) -> SaqDispatcher | None:
    """The web processes' dispatcher in ``saq`` mode (short Redis timeouts), else ``None``."""
    if not uses_engine(settings):
        return None
    return SaqDispatcher.from_url(
        settings.limits.redis_url, queue_name=settings.tasks.saq_queue, job_timeout=_job_timeout(settings)
    )


def task_kick(settings: Settings, dispatcher: SaqDispatcher | None) -> TaskKick:
    """The platform's ``task_kick``: the engine's dispatcher in ``saq`` mode, else the inline worker's wake-up."""
    from bootstrap.platform import WorkerKick

    return dispatcher if dispatcher is not None else WorkerKick()


async def work(app: AppContainer) -> None:
    """``careernexus worker``'s loop: a SAQ worker over this container's runner, store and scheduler."""
    from bootstrap.tasks import build_runner, build_scheduler

    settings = app.platform.settings()
    runner = build_runner(app)
    scheduler = build_scheduler(app) if settings.tasks.schedule else None
    dispatcher = SaqDispatcher.from_url(
        settings.limits.redis_url,
        queue_name=settings.tasks.saq_queue,
        job_timeout=_job_timeout(settings),
        timeout=None,  # the worker's dequeue blocks
    )
    engine = SaqEngine(
        dispatcher,
        run_one=runner.run_one,
        store=app.platform.task_store(),
        clock=app.platform.clock(),
        tick=scheduler.tick if scheduler is not None else None,
        worker_id=runner.worker_id,
        concurrency=settings.tasks.concurrency,
        sweep_seconds=settings.tasks.sweep_seconds,
    )
    logger.info("task worker %s started (queue %s)", runner.worker_id, settings.tasks.saq_queue)
    try:
        await engine.run()
    finally:
        await dispatcher.aclose()


@click.command("worker")
def worker_command() -> None:
    """Run background tasks and scheduled jobs from the SAQ queue (QUEUE=saq) until SIGTERM/SIGINT."""
    from bootstrap.container import build_container
    from bootstrap.logs import configure_logging
    from bootstrap.runtime import running

    settings = settings_or_exit()
    configure_logging(settings.log_level)
    if settings.log_level.upper() != "DEBUG":
        logging.getLogger("saq").setLevel(logging.WARNING)  # a line per job enqueued, started and finished
    if not uses_engine(settings):
        raise click.ClickException("careernexus worker needs CAREERNEXUS_QUEUE=saq (inline: `serve` runs tasks)")

    async def main() -> None:
        async with running(build_container(settings), background=False) as app:
            await work(app)

    asyncio.run(main())
