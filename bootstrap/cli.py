"""``careernexus``: serve the API, run migrations, manage admins, and run batch jobs on the same core."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bootstrap.settings import Settings, SettingsError, load_settings

__all__ = ("cli", "jobs", "main")

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def _run(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """Build the container and run one async job inside its runtime (no HTTP server involved)."""
    from bootstrap.container import build_container
    from bootstrap.runtime import running

    async def go() -> T:
        container = build_container(settings)
        async with running(container, relay=False):
            return await work(container)

    return asyncio.run(go())


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
    settings = _settings()
    log_config = configure_logging(settings.log_level)
    if do_migrate or (do_migrate is None and is_sqlite(settings.database_url)):
        upgrade(settings.database_url)
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

    settings = _settings()
    upgrade(settings.database_url, revision)
    click.echo("migrations applied")


ADMIN_PASSWORD_ENV = "CAREERNEXUS_ADMIN_PASSWORD"


def _admin_password(given: str | None) -> str:
    if given is not None:
        click.echo(
            "warning: --password is visible to other users of this machine (process list, shell history); "
            f"prefer the prompt or {ADMIN_PASSWORD_ENV}",
            err=True,
        )
        return given
    from_env = os.environ.get(ADMIN_PASSWORD_ENV)
    if from_env:
        return from_env
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    return value


@cli.command("create-admin")
@click.option("--email", required=True)
@click.option(
    "--password",
    default=None,
    help=f"Discouraged (visible in the process list and shell history): without it the password is read from "
    f"{ADMIN_PASSWORD_ENV}, else asked for twice at a hidden prompt. At least 6 characters with upper, lower "
    "case and a digit.",
)
def create_admin(email: str, password: str | None) -> None:
    """Create a staff account (or promote an existing one)."""
    from core.shared.errors import InvalidInput

    secret = _admin_password(password)

    async def work(container: Any) -> Any:
        return await container.accounts_admin().create_admin(email, secret)

    try:
        user = _run(_settings(), work)
    except InvalidInput as exc:
        raise click.ClickException(str(exc.body)) from None
    click.echo(f"admin {user.email} (id {user.id}) ready")


@cli.group()
def jobs() -> None:
    """Batch jobs that reuse the core services (later slices add theirs here)."""


@jobs.command("drain-outbox")
def drain_outbox() -> None:
    """Send every due e-mail in the outbox once."""

    async def work(container: Any) -> int:
        total = 0
        while sent := await container.mail_relay().drain():
            total += sent
        return total

    click.echo(f"sent {_run(_settings(), work)} e-mail(s)")


def main() -> None:
    cli(prog_name="careernexus")


if __name__ == "__main__":  # pragma: no cover
    main()
