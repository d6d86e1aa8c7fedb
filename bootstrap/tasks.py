"""Background tasks in the composition root: the handlers and scheduled jobs every domain module declares
(collected here, never named), the runner and scheduler built from them, the inline worker loop of
``careernexus serve``, and the ``careernexus tasks`` / ``careernexus jobs <name>`` commands.

An engine (a separate worker process) builds the same runner with :func:`build_runner` and calls
``runner.run_one(task_id)`` per delivery; its sweeper asks ``platform.task_store()`` for ``due_ids`` and
``expired_ids``; its cron calls ``build_scheduler(app).tick()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import click

from bootstrap.commands import run_job, settings_or_exit
from core.shared.errors import StorageUnavailable
from core.tasks.jobs import BatchJob, PruneTasks, run_batches
from core.tasks.registry import TaskHandler
from core.tasks.runner import RunnerConfig, TaskOutcome, TaskRunner
from core.tasks.scheduler import Schedule, Scheduler
from ports.tasks import ALL_STATUSES, TaskInfo

if TYPE_CHECKING:
    from bootstrap.container import AppContainer
    from bootstrap.settings import Settings

__all__ = (
    "ScheduledJob",
    "build_runner",
    "build_scheduler",
    "inline_worker",
    "jobs_of",
    "queue_ping",
    "task_handlers",
    "tasks_command",
    "worker_id",
)

logger = logging.getLogger("careernexus.tasks")


@dataclass(frozen=True, kw_only=True)
class ScheduledJob:
    """A job run every ``every_seconds(settings)`` by the scheduler, as task ``task``, and once by
    ``careernexus jobs <name>``. ``job(container)`` builds it from its domain's container (the app container for
    the platform's own jobs)."""

    name: str
    task: str
    help: str
    every_seconds: Callable[[Settings], float]
    job: Callable[[Any], BatchJob]


def _prune_tasks(app: AppContainer) -> BatchJob:
    settings = app.platform.settings().tasks
    return PruneTasks(
        store=app.platform.task_store(),
        clock=app.platform.clock(),
        retention=timedelta(days=settings.retention_days),
    )


# The platform's own scheduled jobs (domain modules declare theirs in ``DomainModule.schedules``).
PLATFORM_JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob(
        name="prune-tasks",
        task="tasks.prune",
        help="Delete done tasks older than TASK_RETENTION_DAYS.",
        every_seconds=lambda _: 3600.0,
        job=_prune_tasks,
    ),
)


def jobs_of(app: AppContainer) -> Iterator[tuple[ScheduledJob, Any]]:
    """Every scheduled job with the container it is built from."""
    for job in PLATFORM_JOBS:
        yield job, app
    for domain in app.domains():
        inner = domain.of(app)
        for job in domain.schedules:
            yield job, inner


def _job_handler(job: BatchJob) -> TaskHandler[Any]:
    async def run(_: object) -> int:
        return await run_batches(job)

    return TaskHandler(payload=dict, run=run)


def task_handlers(app: AppContainer) -> dict[str, TaskHandler[Any]]:
    """Every task handler by name: the domains' ``tasks`` and one per scheduled job."""
    handlers: dict[str, TaskHandler[Any]] = {}

    def add(name: str, handler: TaskHandler[Any]) -> None:
        if name in handlers:
            raise ValueError(f"task {name!r} is declared twice")
        handlers[name] = handler

    for domain in app.domains():
        inner = domain.of(app)
        for name, spec in domain.tasks.items():
            add(name, spec(inner))
    for job, container in jobs_of(app):
        add(job.task, _job_handler(job.job(container)))
    return handlers


def worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def runner_config(settings: Settings) -> RunnerConfig:
    tasks = settings.tasks
    return RunnerConfig(
        lease_seconds=tasks.lease_seconds,
        max_attempts=tasks.max_attempts,
        backoff_base_seconds=tasks.backoff_base_seconds,
        backoff_cap_seconds=tasks.backoff_cap_seconds,
        timeout_seconds=tasks.timeout_seconds,
    )


def build_runner(app: AppContainer, *, worker: str | None = None) -> TaskRunner:
    """The runner over this container's task store, with every handler, observed by the metrics."""
    handlers = task_handlers(app)
    metrics = app.platform.metrics()
    observe: Callable[[TaskOutcome], None] | None = None
    if metrics is not None:
        known = frozenset(handlers)

        def observe(outcome: TaskOutcome) -> None:
            metrics.observe_task(outcome.name if outcome.name in known else "unknown", outcome.status, outcome.seconds)

    return TaskRunner(
        store=app.platform.task_store(),
        handlers=handlers,
        codec=app.platform.task_codec(),
        clock=app.platform.clock(),
        worker_id=worker or worker_id(),
        config=runner_config(app.platform.settings()),
        observe=observe,
    )


def build_scheduler(app: AppContainer) -> Scheduler:
    settings = app.platform.settings()
    schedules = [
        Schedule(name=job.name, task=job.task, every_seconds=job.every_seconds(settings)) for job, _ in jobs_of(app)
    ]
    return Scheduler(store=app.platform.task_store(), clock=app.platform.clock(), schedules=schedules)


async def refresh_queue_depth(app: AppContainer) -> None:
    metrics = app.platform.metrics()
    if metrics is not None:
        metrics.set_queue_depth(await app.platform.task_store().counts())


def queue_ping(app: AppContainer, *, limit_seconds: float = 2.0) -> Callable[[], Awaitable[bool]]:
    """``/ready``'s queue check: the tasks table answers (and the queue-depth gauge is refreshed)."""

    async def ping() -> bool:
        try:
            async with asyncio.timeout(limit_seconds):
                await refresh_queue_depth(app)
                await app.platform.task_store().counts()
        except Exception:
            return False
        return True

    return ping


SHUTDOWN_GRACE_SECONDS = 3.0


async def inline_worker(app: AppContainer) -> None:
    """Claim and run due tasks in this process: at once when a commit kicks it, else every
    ``TASK_POLL_SECONDS`` (and when a retry it scheduled falls due); at most ``TASK_CONCURRENCY`` at a time.
    Runs the scheduler too (``TASK_SCHEDULER``).
    Processes sharing the database share the work (claims never hand a task to two of them)."""
    settings = app.platform.settings().tasks
    event = app.platform.task_kick().bind()
    runner = build_runner(app)
    scheduler = build_scheduler(app) if settings.schedule else None
    running: set[asyncio.Task[Any]] = set()
    clock = app.platform.clock()
    loop = asyncio.get_running_loop()
    wake_ups: set[asyncio.TimerHandle] = set()

    def finished(task: asyncio.Task[Any]) -> None:
        running.discard(task)
        event.set()  # a slot is free: look for more
        if task.cancelled():
            return
        if (error := task.exception()) is not None:  # the store failed while marking: the lease runs out
            logger.error("task run %s failed to finish", task.get_name(), exc_info=error)
            return
        outcome: TaskOutcome = task.result()
        if outcome.retry_at is not None:  # wake up for the retry rather than wait for the next poll
            delay = max((outcome.retry_at - clock.now()).total_seconds(), 0.0) + 0.01
            handle = loop.call_later(delay, event.set)
            wake_ups.add(handle)
            loop.call_later(delay + 1, wake_ups.discard, handle)

    try:
        while True:
            busy = False
            try:
                if scheduler is not None:
                    await scheduler.tick()
                free = settings.concurrency - len(running)
                if free > 0:
                    claimed = await runner.claim_due(free)
                    for task in claimed:
                        job = asyncio.create_task(runner.run_claimed(task), name=f"task-{task.id}")
                        running.add(job)
                        job.add_done_callback(finished)
                    busy = len(claimed) == free
                await refresh_queue_depth(app)
            except StorageUnavailable:
                logger.warning("task worker: database unavailable, retrying later")
            except Exception:
                logger.exception("task worker failed")
            if busy:
                await asyncio.sleep(0)
                continue
            # ``asyncio.timeout``, not ``asyncio.wait_for``: on Python 3.11 ``wait_for`` swallows a cancellation
            # that arrives after the kick fired but before it resumed, and shutdown then waits for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(settings.poll_seconds):
                    await event.wait()
            event.clear()
    finally:
        for handle in wake_ups:
            handle.cancel()
        if running:
            # Shutting down: the tasks already running may finish for a moment (one cancelled inside a transaction
            # leaves its connection to be rolled back later, and on SQLite the next writer waits out the busy
            # timeout); those still running then are cancelled and made claimable again.
            _, late = await asyncio.wait(running, timeout=SHUTDOWN_GRACE_SECONDS)
            for job in late:
                job.cancel()
            if late:
                await asyncio.wait(late)


# ------------------------------------------------------------------------------------------ CLI


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else "-"


def _line(task: TaskInfo) -> str:
    error = (task.last_error or "").replace("\n", " ")
    error = error if len(error) <= 80 else error[:77] + "..."
    return (
        f"{task.id:>8}  {task.status:<7}  {task.name:<24}  {task.attempts:>3}  {_when(task.run_at):<25}  {error}"
    )


@click.group("tasks")
def tasks_command() -> None:
    """Background tasks: list them, show one, retry a dead one."""


@tasks_command.command("list")
@click.option("--status", type=click.Choice(ALL_STATUSES), default=None, help="Only tasks in this state.")
@click.option("--name", default=None, help="Only tasks of this name.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
def list_tasks(status: Any, name: str | None, limit: int) -> None:
    """Tasks, newest first, with their last error."""

    async def work(app: AppContainer) -> tuple[Sequence[TaskInfo], dict[str, int]]:
        store = app.platform.task_store()
        return await store.list(status, name=name, limit=limit), dict(await store.counts())

    found, counts = run_job(settings_or_exit(), work)
    click.echo("  ".join(f"{s}={counts.get(s, 0)}" for s in ALL_STATUSES))
    click.echo(f"{'ID':>8}  {'STATUS':<7}  {'NAME':<24}  {'TRY':>3}  {'RUN AT':<25}  LAST ERROR")
    for task in found:
        click.echo(_line(task))


@tasks_command.command("show")
@click.argument("task_id", type=int)
def show_task(task_id: int) -> None:
    """Every field of one task."""

    async def work(app: AppContainer) -> TaskInfo | None:
        found: TaskInfo | None = await app.platform.task_store().get(task_id)
        return found

    task = run_job(settings_or_exit(), work)
    if task is None:
        raise click.ClickException(f"no task {task_id}")
    for label, value in (
        ("id", task.id),
        ("name", task.name),
        ("status", task.status),
        ("attempts", f"{task.attempts} (max {task.max_attempts or 'default'})"),
        ("dedupe key", task.dedupe_key or "-"),
        ("payload", task.payload),
        ("created at", _when(task.created_at)),
        ("run at", _when(task.run_at)),
        ("started at", _when(task.started_at)),
        ("finished at", _when(task.finished_at)),
        ("locked by", f"{task.locked_by or '-'} until {_when(task.locked_until)}"),
        ("last error", task.last_error or "-"),
    ):
        click.echo(f"{label:>12}: {value}")


@tasks_command.command("retry")
@click.argument("task_id", type=int, required=False)
@click.option("--all-dead", is_flag=True, help="Retry every dead task.")
def retry_task(task_id: int | None, all_dead: bool) -> None:
    """Put a dead task (or every dead one) back in the queue, due now."""
    if (task_id is None) == (not all_dead):
        raise click.UsageError("give a TASK_ID or --all-dead")

    async def work(app: AppContainer) -> list[int]:
        store = app.platform.task_store()
        now = app.platform.clock().now()
        if task_id is not None:
            return [task_id] if await store.retry(task_id, now) else []
        retried: list[int] = []
        while dead := await store.list("dead", limit=500):
            for task in dead:
                if await store.retry(task.id, now):
                    retried.append(task.id)
        return retried

    retried = run_job(settings_or_exit(), work)
    if task_id is not None and not retried:
        raise click.ClickException(f"task {task_id} is not dead (or does not exist)")
    click.echo(f"queued again: {len(retried)} task(s)")


def job_command(job: ScheduledJob) -> click.Command:
    """``careernexus jobs <name>``: run the job once now, with a progress bar and a summary line."""

    @click.command(job.name, help=f"{job.help} (scheduled as task {job.task}.)")
    def command() -> None:
        async def work(app: AppContainer) -> str:
            container = next(c for j, c in jobs_of(app) if j.name == job.name)
            batch = job.job(container)
            started = time.monotonic()
            total = 0
            with click.progressbar(length=max(await batch.remaining(), 1), label=job.name) as bar:
                while handled := await batch.step():
                    total += handled
                    bar.update(handled)
            return f"{batch.summary(total)} in {time.monotonic() - started:.1f}s"

        click.echo(run_job(settings_or_exit(), work))

    return command
