"""The JobHax face and e-mail import (issue 25; jobs domain, tracker module): OAuth clients, username aliases,
the Gmail link, mail syncs as tasks, and the ``/api/users|jobapps|metrics`` controllers. Its wiring."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar

import click
from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.jobhax import InMemoryJobhaxUnitOfWork, SqlJobhaxUnitOfWork
from adapters.db.tracker import SqlTrackerReads, SqlTrackerUnitOfWork
from adapters.db.tracker_memory import InMemoryTrackerReads, InMemoryTrackerUnitOfWork
from adapters.http.jobhax.jobapps import JobhaxJobappsController, JobhaxMetricsController
from adapters.http.jobhax.users import JobhaxConfig, JobhaxUsersController
from adapters.inbox.gmail import GMAIL_API_BASE, GmailInboxReader
from bootstrap.commands import run_job, settings_or_exit
from bootstrap.domain import DomainModule
from bootstrap.settings import Section, Settings, var
from core.jobs.jobhax.clients import ClientCredentials, JobhaxIdentity
from core.jobs.model.tracker import Origin, company_key
from core.jobs.tracker.applications import NewApplication, TrackerService
from core.jobs.tracker.mail.sync import MAIL_SYNC_TASK, MailImportService, RunMailSync
from core.shared.errors import InvalidInput
from core.shared.pagination import PageRequest
from core.tasks.registry import TaskHandler
from ports.tracker import ApplicationFilters

if TYPE_CHECKING:
    from bootstrap.container import AppContainer

__all__ = ("DOMAIN", "JobhaxContainer", "JobhaxSettings")


class JobhaxSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "jobhax"

    gmail_api_base: Annotated[
        str, var("GMAIL_API_BASE", "base URL of the Gmail REST API read by mail syncs (a local fake in tests)")
    ] = GMAIL_API_BASE
    gmail_timeout_seconds: Annotated[
        float, var("GMAIL_TIMEOUT_SECONDS", "timeout of one Gmail API request during a mail sync")
    ] = 15.0


def _section(settings: Settings) -> JobhaxSettings:
    return settings.section(JobhaxSettings)


def _gmail(section: JobhaxSettings) -> GmailInboxReader:
    return GmailInboxReader(section.gmail_api_base, timeout=section.gmail_timeout_seconds)


def _config(settings: Settings) -> JobhaxConfig:
    return JobhaxConfig(access_token_ttl=settings.auth.access_token_ttl)


class TrackerRecorder:
    """``ApplicationRecorder`` over the tracker's service (e-mail import never writes tracker tables itself): the
    owner's item for the same message, else the item of a platform job with the same title and company (a mail
    about a job applied to on our board links to it), else a new APPLIED item with the message id (the tracker is
    unique on owner and message id, so a task run again finds it instead of adding it twice)."""

    __slots__ = ("_tracker",)

    def __init__(self, tracker: TrackerService) -> None:
        self._tracker = tracker

    async def _existing(self, owner_id: int, company: str, title: str, message_id: str) -> int | None:
        page = await self._tracker.applications(owner_id, ApplicationFilters(q=company[:100]), PageRequest(1, 100))
        for app in page.items:
            if app.msg_id == message_id:
                return app.id
        for app in page.items:
            if app.job_id is not None and app.company_key == company_key(company) and (
                company_key(app.title) == company_key(title)
            ):
                return app.id
        return None

    async def record(
        self, owner_id: int, *, source: str, job_title: str, company: str, applied_at: datetime, message_id: str
    ) -> int | None:
        found = await self._existing(owner_id, company, job_title, message_id)
        if found is not None:
            return found
        try:
            app = await self._tracker.create(owner_id, NewApplication(
                title=job_title, company=company, source=source, applied_at=applied_at, msg_id=message_id,
                origin=Origin.MAIL.value))
        except InvalidInput:
            # Tracked already: by a concurrent run (found now), or deleted by its owner (nothing to link).
            return await self._existing(owner_id, company, job_title, message_id)
        return app.id


class JobhaxContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(SqlJobhaxUnitOfWork, engine=platform.writer, task_kick=platform.task_kick),
        memory=providers.Factory(InMemoryJobhaxUnitOfWork, store=platform.store, task_kick=platform.task_kick),
    )
    section = providers.Singleton(_section, platform.settings)
    config = providers.Singleton(_config, platform.settings)
    inbox = providers.Singleton(_gmail, section)
    identity = providers.Singleton(JobhaxIdentity, uow=uow.provider, clock=platform.clock)
    # The tracker's service, for the JobHax face and for recording imported applications (same tables, same rules).
    tracker_uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlTrackerUnitOfWork, engine=platform.writer, views=platform.read_cache, task_kick=platform.task_kick
        ),
        memory=providers.Factory(
            InMemoryTrackerUnitOfWork, store=platform.store, views=platform.read_cache, task_kick=platform.task_kick
        ),
    )
    tracker_reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlTrackerReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryTrackerReads, store=platform.store),
    )
    tracker = providers.Singleton(TrackerService, uow=tracker_uow.provider, reads=tracker_reads, clock=platform.clock)
    recorder = providers.Singleton(TrackerRecorder, tracker)
    mail_import = providers.Singleton(
        MailImportService, uow=uow.provider, clock=platform.clock, inbox=inbox, recorder=recorder
    )


def _dependencies(c: JobhaxContainer) -> Mapping[str, Provide]:
    def provide_identity() -> JobhaxIdentity:
        return c.identity()

    def provide_mail_import() -> MailImportService:
        return c.mail_import()

    def provide_config() -> JobhaxConfig:
        return c.config()

    return {
        "jobhax_identity": Provide(provide_identity, sync_to_thread=False),
        "mail_import": Provide(provide_mail_import, sync_to_thread=False),
        "jobhax_config": Provide(provide_config, sync_to_thread=False),
    }


def _mail_sync(c: JobhaxContainer) -> TaskHandler[RunMailSync]:
    """Idempotent per (owner, provider message id): ``inbound_emails`` is unique on it."""
    return TaskHandler(payload=RunMailSync, run=c.mail_import().run, timeout_seconds=600.0)


@click.command("create-oauth-client")
@click.option("--name", required=True, help="What the client is (shown nowhere but the database).")
@click.option("--client-id", default=None, help="Default: generated.")
@click.option(
    "--client-secret",
    default=None,
    help="Default: generated (recommended: a given secret is visible in the process list and shell history).",
)
def create_oauth_client(name: str, client_id: str | None, client_secret: str | None) -> None:
    """Register an OAuth client of the JobHax face; prints one JSON line {"client_id": …, "client_secret": …}
    (the secret is stored hashed: this is the only time it is shown)."""

    async def work(app: AppContainer) -> ClientCredentials:
        return await DOMAIN.of(app).identity().create_client(name, client_id, client_secret)

    try:
        made = run_job(settings_or_exit(), work)
    except InvalidInput as exc:
        raise click.ClickException(json.dumps(exc.body)) from None
    click.echo(json.dumps({"client_id": made.client_id, "client_secret": made.client_secret}))


def _closing(c: JobhaxContainer) -> Iterable[object]:
    return (c.inbox(),)


DOMAIN = DomainModule(
    name="jobhax",
    container=JobhaxContainer,
    tables=("jobhax",),
    settings=JobhaxSettings,
    controllers=(JobhaxUsersController, JobhaxJobappsController, JobhaxMetricsController),
    dependencies=_dependencies,
    commands=(create_oauth_client,),
    tasks={MAIL_SYNC_TASK: _mail_sync},
    closing=_closing,
)
