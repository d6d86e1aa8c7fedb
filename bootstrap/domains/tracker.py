"""The tracker module of the jobs domain (``core/jobs/tracker``): personal application tracking, its metrics, the
native ``/tracker/`` API and the job-search-tracker-compatible face; and the handler of the task
``tracker.board-application-moved`` that the board's apply and the ATS enqueue."""

from __future__ import annotations

from collections.abc import Mapping

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.jobs_memory import InMemoryJobsReads
from adapters.db.jobs_queries import SqlJobsReads
from adapters.db.tracker import SqlTrackerMetrics, SqlTrackerReads, SqlTrackerUnitOfWork
from adapters.db.tracker_memory import InMemoryTrackerMetrics, InMemoryTrackerReads, InMemoryTrackerUnitOfWork
from adapters.http.tracker.controller import TrackerController
from adapters.http.tracker.jst import JobSearchTrackerController
from bootstrap.domain import DomainModule
from core.jobs.tracker.applications import TrackerService
from core.jobs.tracker.metrics import MetricsService
from core.jobs.tracker.moves import BoardMoves
from core.jobs.tracker.records import RecordsService
from core.jobs.tracker.tasks import MOVE_TASK, BoardApplicationMoved
from core.tasks.registry import TaskHandler

__all__ = ("DOMAIN", "TrackerContainer")


class TrackerContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlTrackerUnitOfWork, engine=platform.writer, views=platform.read_cache, task_kick=platform.task_kick
        ),
        memory=providers.Factory(
            InMemoryTrackerUnitOfWork, store=platform.store, views=platform.read_cache, task_kick=platform.task_kick
        ),
    )
    reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlTrackerReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryTrackerReads, store=platform.store),
    )
    metrics_queries = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlTrackerMetrics, engine=platform.engine),
        memory=providers.Singleton(InMemoryTrackerMetrics, store=platform.store),
    )
    # The board's read model (job title and organization of a move), read only.
    board_reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlJobsReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryJobsReads, store=platform.store),
    )
    tracker = providers.Singleton(TrackerService, uow=uow.provider, reads=reads, clock=platform.clock)
    records = providers.Singleton(RecordsService, uow=uow.provider, clock=platform.clock, staff=platform.staff)
    metrics = providers.Singleton(MetricsService, uow=uow.provider, metrics=metrics_queries, clock=platform.clock)
    moves = providers.Singleton(BoardMoves, uow=uow.provider, jobs=board_reads, clock=platform.clock)


def _dependencies(c: TrackerContainer) -> Mapping[str, Provide]:
    def provide_tracker() -> TrackerService:
        return c.tracker()

    def provide_records() -> RecordsService:
        return c.records()

    def provide_metrics() -> MetricsService:
        return c.metrics()

    return {
        "tracker": Provide(provide_tracker, sync_to_thread=False),
        "records": Provide(provide_records, sync_to_thread=False),
        "metrics": Provide(provide_metrics, sync_to_thread=False),
    }


def _board_moves(c: TrackerContainer) -> TaskHandler[BoardApplicationMoved]:
    """Idempotent: a move that changes nothing writes nothing; a board application is linked once per owner."""
    return TaskHandler(payload=BoardApplicationMoved, run=c.moves().run)


DOMAIN = DomainModule(
    name="tracker",
    container=TrackerContainer,
    tables=("tracker",),
    controllers=(TrackerController, JobSearchTrackerController),
    dependencies=_dependencies,
    tasks={MOVE_TASK: _board_moves},
)
