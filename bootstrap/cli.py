"""``careernexus``: serve the API, run migrations, and the domain modules' commands (``create-admin``) and batch
jobs (``jobs drain-outbox``, ``jobs prune-tasks``) and ``tasks`` (list, show, retry) on the same core."""

from __future__ import annotations

import os

import click

from bootstrap.commands import settings_or_exit
from bootstrap.domains import DOMAINS
from bootstrap.engine import worker_command
from bootstrap.tasks import PLATFORM_JOBS, job_command, tasks_command

__all__ = ("cli", "jobs", "main")


@click.group()
def cli() -> None:
    """Career Nexus backend."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--migrate/--no-migrate", "do_migrate", default=None, help="Apply migrations first (default: on SQLite).")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="One JSON line per request (costs CPU per request; the benchmark turns it off).")
def serve(host: str, port: int, workers: int, do_migrate: bool | None, access_log: bool) -> None:
    """Serve the API with uvicorn."""
    import uvicorn

    from adapters.db.engine import is_sqlite
    from adapters.db.migrate import upgrade
    from bootstrap.logs import configure_logging
    from bootstrap.serving import uvicorn_options

    os.environ.setdefault("CAREERNEXUS_GC_TUNING", "true")  # read by every worker's settings
    settings = settings_or_exit()
    if workers > 1 and settings.cache.staleness_seconds > 0 and not settings.limits.redis_url:
        # Versions held per process cannot show a write made on one worker to the next read on another.
        click.echo(f"read cache off: {workers} workers need CAREERNEXUS_REDIS_URL to share it", err=True)
        os.environ["CAREERNEXUS_READ_CACHE_STALENESS_SECONDS"] = "0"
    if settings.metrics.enabled:
        from bootstrap.metrics import prepare_multiprocess_dir

        # Before any worker imports prometheus_client: the workers then share (and /metrics adds up) one directory.
        prepare_multiprocess_dir(settings.var_dir)
    log_config = configure_logging(settings.log_level)
    if do_migrate or (do_migrate is None and is_sqlite(settings.database.url)):
        upgrade(settings.database.url)
    click.echo(f"Career Nexus API on http://{host}:{port} (docs at /schema)", err=True)
    uvicorn.run(
        "bootstrap.asgi:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config,
        access_log=access_log,
        loop="uvloop",
        **uvicorn_options(settings),
    )


@cli.command()
@click.option("--revision", default="heads", show_default=True)
def migrate(revision: str) -> None:
    """Apply database migrations."""
    from adapters.db.migrate import upgrade

    settings = settings_or_exit()
    upgrade(settings.database.url, revision)
    click.echo("migrations applied")


@cli.group()
def jobs() -> None:
    """Batch jobs that reuse the core services (each domain module adds its own)."""


cli.add_command(tasks_command)
cli.add_command(worker_command)
for _scheduled in PLATFORM_JOBS:
    jobs.add_command(job_command(_scheduled))
for _domain in DOMAINS:
    for _command in _domain.commands:
        cli.add_command(_command)
    for _job in _domain.jobs:
        jobs.add_command(_job)
    for _scheduled in _domain.schedules:
        jobs.add_command(job_command(_scheduled))


def main() -> None:
    cli(prog_name="careernexus")


if __name__ == "__main__":  # pragma: no cover
    main()
