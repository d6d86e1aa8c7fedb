"""The support domain (dispute tickets, corporate leads): its wiring."""

from __future__ import annotations

from collections.abc import Mapping

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.support import InMemorySupportUnitOfWork, SqlSupportUnitOfWork
from adapters.http.support.controller import DisputesController, LeadsController
from bootstrap.domain import DomainModule
from core.support.service import SupportService

__all__ = ("DOMAIN", "SupportContainer")


class SupportContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    # The tasks a commit wrote (mail.send of an answered ticket's e-mail) wake the task worker.
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(SqlSupportUnitOfWork, engine=platform.writer, task_kick=platform.task_kick),
        memory=providers.Factory(InMemorySupportUnitOfWork, store=platform.store, task_kick=platform.task_kick),
    )
    service = providers.Singleton(
        SupportService, uow=uow.provider, staff=platform.staff, clock=platform.clock, events=platform.event_bus
    )


def _dependencies(c: SupportContainer) -> Mapping[str, Provide]:
    def provide_support() -> SupportService:
        return c.service()

    return {"support": Provide(provide_support, sync_to_thread=False)}


DOMAIN = DomainModule(
    name="support",
    container=SupportContainer,
    tables=("support",),
    controllers=(DisputesController, LeadsController),
    dependencies=_dependencies,
)
