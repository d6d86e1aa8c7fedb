"""The vaults domain (mentors' earnings ledger, withdrawals): its wiring and the ``vaults.credit-earning`` task."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.vaults import InMemoryVaultsUnitOfWork, SqlVaultsUnitOfWork
from adapters.http.vaults.controller import VaultAdminController, VaultController
from bootstrap.domain import DomainModule
from bootstrap.settings import Section, Settings, var
from core.shared.errors import InvalidInput
from core.tasks.registry import PermanentTaskError, TaskHandler
from core.vaults.model import CreditEarning
from core.vaults.service import VaultService

__all__ = ("CREDIT_EARNING_TASK", "DOMAIN", "VaultsContainer", "VaultsSettings")

CREDIT_EARNING_TASK = "vaults.credit-earning"


class VaultsSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "vaults"

    platform_fee_basis_points: Annotated[
        int,
        var(
            "PLATFORM_FEE_BASIS_POINTS",
            "the platform's share of a paid session's price, in basis points (2000 = 20 %, the original's); the fee "
            "is rounded down to the cent, the mentor earns the rest",
        ),
    ] = 2000
    minimum_withdrawal: Annotated[
        int, var("VAULT_MINIMUM_WITHDRAWAL", "smallest withdrawal a mentor may request, in US cents (2000 = USD 20)")
    ] = 2000


def _section(settings: Settings) -> VaultsSettings:
    return settings.section(VaultsSettings)


class VaultsContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlVaultsUnitOfWork, engine=platform.writer, views=platform.read_cache, task_kick=platform.task_kick
        ),
        memory=providers.Factory(
            InMemoryVaultsUnitOfWork, store=platform.store, views=platform.read_cache, task_kick=platform.task_kick
        ),
    )
    section = providers.Singleton(_section, platform.settings)
    service = providers.Singleton(
        VaultService,
        uow=uow.provider,
        staff=platform.staff,
        clock=platform.clock,
        events=platform.event_bus,
        fee_basis_points=section.provided.platform_fee_basis_points,
        minimum_withdrawal=section.provided.minimum_withdrawal,
    )


def _dependencies(c: VaultsContainer) -> Mapping[str, Provide]:
    def provide_vaults() -> VaultService:
        return c.service()

    return {"vaults": Provide(provide_vaults, sync_to_thread=False)}


def _credit_earning(c: VaultsContainer) -> TaskHandler[CreditEarning]:
    """Idempotent by ``payment_key``: the ledger's ``earn:<payment_key>`` entry is written once (row lock + UNIQUE
    key); a payload that can never be credited gives up at once."""
    service: VaultService = c.service()

    async def run(payload: CreditEarning) -> None:
        try:
            await service.credit_earning(payload)
        except InvalidInput as exc:
            raise PermanentTaskError(f"vault credit refused: {exc.body}") from exc

    return TaskHandler(payload=CreditEarning, run=run)


DOMAIN = DomainModule(
    name="vaults",
    container=VaultsContainer,
    tables=("vaults",),
    settings=VaultsSettings,
    controllers=(VaultController, VaultAdminController),
    dependencies=_dependencies,
    tasks={CREDIT_EARNING_TASK: _credit_earning},
)
