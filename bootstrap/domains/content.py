"""The content domain (countries, choice lists, exchange rates; staff-edited): its wiring."""

from __future__ import annotations

from collections.abc import Mapping

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.content import (
    InMemoryContentUnitOfWork,
    InMemoryStaffDirectory,
    SqlContentUnitOfWork,
    SqlStaffDirectory,
)
from adapters.http.content.controller import ContentController
from bootstrap.domain import DomainModule
from core.content.service import ContentService

__all__ = ("DOMAIN", "ContentContainer")


class ContentContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    # A commit that changed the choice lists drops the platform's cached catalogue.
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlContentUnitOfWork,
            engine=platform.writer,
            after_commit=platform.catalogue.provided.invalidate,
            task_kick=platform.task_kick,
        ),
        memory=providers.Factory(InMemoryContentUnitOfWork, store=platform.store, task_kick=platform.task_kick),
    )
    staff = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlStaffDirectory, engine=platform.engine),
        memory=providers.Singleton(InMemoryStaffDirectory, store=platform.store),
    )
    service = providers.Singleton(ContentService, uow=uow.provider, staff=staff)


def _dependencies(c: ContentContainer) -> Mapping[str, Provide]:
    def provide_content() -> ContentService:
        return c.service()

    return {"content": Provide(provide_content, sync_to_thread=False)}


DOMAIN = DomainModule(
    name="content",
    container=ContentContainer,
    tables=("content",),
    controllers=(ContentController,),
    dependencies=_dependencies,
)
