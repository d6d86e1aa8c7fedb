"""The jobs domain (the job board; the tracker and ATS modules join it later): its wiring."""

from __future__ import annotations

from collections.abc import Mapping

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.classifier.keywords import KeywordIndustryClassifier
from adapters.db.jobs import SqlJobsUnitOfWork
from adapters.db.jobs_memory import InMemoryJobsReads, InMemoryJobsUnitOfWork
from adapters.db.jobs_queries import SqlJobsReads
from adapters.http.jobs.controller import JobController
from bootstrap.domain import DomainModule
from bootstrap.tasks import ScheduledJob, job_command
from core.jobs.board.alerts import AlertMatching
from core.jobs.board.expiry import ExpiryService
from core.jobs.board.postings import PostingService
from core.jobs.board.seeking import SeekingService
from core.jobs.board.tasks import ALERT_TASK, CLOSE_EXPIRED_TASK, MatchAlerts
from core.tasks.registry import TaskHandler

__all__ = ("DOMAIN", "JobsContainer")


class JobsContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    classifier = providers.Singleton(KeywordIndustryClassifier)
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlJobsUnitOfWork, engine=platform.writer, views=platform.read_cache, task_kick=platform.task_kick
        ),
        memory=providers.Factory(
            InMemoryJobsUnitOfWork, store=platform.store, views=platform.read_cache, task_kick=platform.task_kick
        ),
    )
    reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlJobsReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryJobsReads, store=platform.store),
    )
    postings = providers.Singleton(
        PostingService,
        uow=uow.provider,
        reads=reads,
        events=platform.event_bus,
        clock=platform.clock,
        classifier=classifier,
    )
    seeking = providers.Singleton(
        SeekingService,
        uow=uow.provider,
        reads=reads,
        events=platform.event_bus,
        clock=platform.clock,
        catalogue=platform.catalogue,
    )
    alerts = providers.Singleton(AlertMatching, uow=uow.provider, events=platform.event_bus, clock=platform.clock)
    expiry = providers.Singleton(ExpiryService, uow=uow.provider, clock=platform.clock)


def _dependencies(c: JobsContainer) -> Mapping[str, Provide]:
    def provide_postings() -> PostingService:
        return c.postings()

    def provide_seeking() -> SeekingService:
        return c.seeking()

    return {
        "postings": Provide(provide_postings, sync_to_thread=False),
        "seeking": Provide(provide_seeking, sync_to_thread=False),
    }


def _match_alerts(c: JobsContainer) -> TaskHandler[MatchAlerts]:
    """Idempotent per (job, user): the ledger ``job_alert_deliveries`` remembers who was alerted."""
    return TaskHandler(payload=MatchAlerts, run=c.alerts().run)


CLOSE_EXPIRED_JOBS = ScheduledJob(
    name="close-expired-jobs",
    task=CLOSE_EXPIRED_TASK,
    help="Close active jobs past their application deadline.",
    every_seconds=lambda _: 86400.0,
    job=lambda c: c.expiry(),
)

DOMAIN = DomainModule(
    name="jobs",
    container=JobsContainer,
    tables=("jobs",),
    controllers=(JobController,),
    dependencies=_dependencies,
    tasks={ALERT_TASK: _match_alerts},
    schedules=(CLOSE_EXPIRED_JOBS,),
    # Also top level, as the issue names it: ``careernexus close-expired-jobs``.
    commands=(job_command(CLOSE_EXPIRED_JOBS),),
)
