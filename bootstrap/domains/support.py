"""The support domain (dispute tickets, corporate leads): its wiring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.support import InMemorySupportUnitOfWork, SqlSupportUnitOfWork
from adapters.http.support.controller import DisputesController, LeadsController
from bootstrap.domain import DomainModule
from bootstrap.settings import Section, Settings, var
from core.support.service import SupportService

__all__ = ("DOMAIN", "SupportContainer")


class SupportSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "support"

    lead_registers_per_hour: Annotated[
        int, var("LEAD_REGISTERS_PER_HOUR", "corporate lead registrations per client address and hour")
    ] = 20


def _section(settings: Settings) -> SupportSettings:
    return settings.section(SupportSettings)


class SupportContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    # The tasks a commit wrote (mail.send of an answered ticket's e-mail) wake the task worker.
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(SqlSupportUnitOfWork, engine=platform.writer, task_kick=platform.task_kick),
        memory=providers.Factory(InMemorySupportUnitOfWork, store=platform.store, task_kick=platform.task_kick),
    )
    section = providers.Singleton(_section, platform.settings)
    service = providers.Singleton(
        SupportService,
        uow=uow.provider,
        staff=platform.staff,
        clock=platform.clock,
        events=platform.event_bus,
        limiter=platform.limiter,
        leads_per_hour=section.provided.lead_registers_per_hour,
    )


def _dependencies(c: SupportContainer) -> Mapping[str, Provide]:
    def provide_support() -> SupportService:
        return c.service()

    return {"support": Provide(provide_support, sync_to_thread=False)}


DOMAIN = DomainModule(
    name="support",
    container=SupportContainer,
    tables=("support",),
    settings=SupportSettings,
    controllers=(DisputesController, LeadsController),
    dependencies=_dependencies,
)
