"""The recruiter ATS (the ``ats`` module of the jobs domain, issue 26): its wiring, settings and tasks
(``ats.application-received``: a board application joins its organisation's ATS; ``ats.score-resume``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.classifier.keywords import KeywordIndustryClassifier
from adapters.db.ats import SqlAtsUnitOfWork
from adapters.db.ats_memory import InMemoryAtsReads, InMemoryAtsUnitOfWork
from adapters.db.ats_queries import SqlAtsReads
from adapters.documents.extract import ThreadedDocumentText
from adapters.http.ats.controller import AtsController, AtsPublicController
from bootstrap.domain import DomainModule
from bootstrap.settings import Section, Settings, var
from core.jobs.ats.candidates import CandidateService, CheckEmailLimit
from core.jobs.ats.hiring import HiringService
from core.jobs.ats.pipeline import PipelineService, StepLinks
from core.jobs.ats.resumes import ResumeScoring
from core.jobs.ats.tasks import APPLICATION_TASK, SCORE_TASK, ReceiveApplication, ScoreResume
from core.tasks.registry import TaskHandler
from ports.storage import BlobReader, BlobStorage

__all__ = ("DOMAIN", "AtsContainer", "AtsSettings")


class AtsSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "ats"

    ats_link_valid_days: Annotated[
        int, var("ATS_LINK_VALID_DAYS", "days a test or screening link stays valid when no valid_to is given")
    ] = 7
    ats_link_max_opens: Annotated[
        int, var("ATS_LINK_MAX_OPENS", "times a candidate may open a test or screening link (then 429)")
    ] = 3
    ats_check_email_per_minute: Annotated[
        int, var("ATS_CHECK_EMAIL_PER_MINUTE", "public /ats/check-email/ look-ups per client address and minute")
    ] = 30


def _section(settings: Settings) -> AtsSettings:
    return settings.section(AtsSettings)


def _links(settings: Settings, section: AtsSettings) -> StepLinks:
    return StepLinks(public_url=settings.http.public_url, valid_days=section.ats_link_valid_days,
                     max_opens=section.ats_link_max_opens)


def _reader(storage: BlobStorage) -> BlobReader:
    """Every storage adapter reads back (``get``): the scoring task reads the uploaded résumé."""
    if not callable(getattr(storage, "get", None)):
        raise TypeError(f"{type(storage).__name__} cannot read objects back")
    return storage  # type: ignore[return-value]


def _check_limit(section: AtsSettings) -> CheckEmailLimit:
    return CheckEmailLimit(attempts=section.ats_check_email_per_minute, window_seconds=60)


class AtsContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    section = providers.Singleton(_section, platform.settings)
    classifier = providers.Singleton(KeywordIndustryClassifier)
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlAtsUnitOfWork, engine=platform.writer, views=platform.read_cache, task_kick=platform.task_kick
        ),
        memory=providers.Factory(
            InMemoryAtsUnitOfWork, store=platform.store, views=platform.read_cache, task_kick=platform.task_kick
        ),
    )
    reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlAtsReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryAtsReads, store=platform.store),
    )
    hiring = providers.Singleton(
        HiringService, uow=uow.provider, reads=reads, events=platform.event_bus, clock=platform.clock,
        classifier=classifier,
    )
    candidates = providers.Singleton(
        CandidateService, uow=uow.provider, reads=reads, clock=platform.clock, storage=platform.storage,
        limiter=platform.limiter, check_limit=providers.Singleton(_check_limit, section),
    )
    pipeline = providers.Singleton(
        PipelineService, uow=uow.provider, reads=reads, clock=platform.clock,
        links=providers.Singleton(_links, platform.settings, section),
    )
    documents = providers.Singleton(ThreadedDocumentText)
    scoring = providers.Singleton(
        ResumeScoring, uow=uow.provider, clock=platform.clock, storage=platform.storage,
        reader=providers.Singleton(_reader, platform.storage), documents=documents,
    )


def _dependencies(c: AtsContainer) -> Mapping[str, Provide]:
    def provide_hiring() -> HiringService:
        return c.hiring()

    def provide_candidates() -> CandidateService:
        return c.candidates()

    def provide_pipeline() -> PipelineService:
        return c.pipeline()

    return {
        "hiring": Provide(provide_hiring, sync_to_thread=False),
        "candidate_book": Provide(provide_candidates, sync_to_thread=False),
        "pipeline": Provide(provide_pipeline, sync_to_thread=False),
    }


def _receive_application(c: AtsContainer) -> TaskHandler[ReceiveApplication]:
    """Idempotent per board application (``ats_applications.board_application_id`` is unique)."""

    async def run(payload: ReceiveApplication) -> None:
        await c.candidates().receive_application(payload.application_id)

    return TaskHandler(payload=ReceiveApplication, run=run)


def _score_resume(c: AtsContainer) -> TaskHandler[ScoreResume]:
    """Idempotent per resume: only a pending resume is scored."""

    async def run(payload: ScoreResume) -> None:
        await c.scoring().run(payload.resume_id)

    return TaskHandler(payload=ScoreResume, run=run)


DOMAIN = DomainModule(
    name="ats",
    container=AtsContainer,
    tables=("ats",),
    settings=AtsSettings,
    controllers=(AtsController, AtsPublicController),
    dependencies=_dependencies,
    tasks={APPLICATION_TASK: _receive_application, SCORE_TASK: _score_resume},
)
