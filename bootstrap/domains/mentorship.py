"""The mentorship domain: mentor discovery, sessions, the JaaS meeting tokens and the payment orchestration over
the payment gateways (the real providers' adapters where a secret key is set, the sandbox otherwise)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Annotated, ClassVar

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.mentorship import SqlMentorReads, SqlMentorshipUnitOfWork
from adapters.db.mentorship_memory import InMemoryMentorReads, InMemoryMentorshipUnitOfWork
from adapters.http.mentorship.controller import MentorController, PaymentsController
from adapters.identity.jaas import JaasMeetingTokens
from adapters.payments.sandbox import SandboxPaymentGateway
from bootstrap.domain import DomainModule
from bootstrap.payments import PaymentsSettings, build_gateways
from bootstrap.settings import Section, Settings, var
from bootstrap.tasks import ScheduledJob, job_command
from core.mentorship.discovery import DiscoveryService
from core.mentorship.expiry import ExpireSessions
from core.mentorship.payments import PaymentLinks, PaymentService, ReconcilePayments
from core.mentorship.sessions import SessionService
from core.mentorship.tasks import EXPIRE_TASK, RECONCILE_TASK
from ports.payments import PaymentGateway, SandboxDesk

__all__ = ("DOMAIN", "Gateways", "MentorshipContainer", "MentorshipSettings")


class MentorshipSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "mentorship"

    session_minutes: Annotated[
        int, var("MENTORSHIP_SESSION_MINUTES", "how long a mentorship session lasts from its start (its end: joining "
                 "stops, the meeting token expires)")
    ] = 60
    join_early_minutes: Annotated[
        int, var("MENTORSHIP_JOIN_EARLY_MINUTES", "how many minutes before its start a session can be joined")
    ] = 10
    jaas_app_id: Annotated[str, var("JAAS_APP_ID", "JaaS (8x8) tenant, `vpaas-magic-cookie-…`; joining is 503 "
                                    "until the three JaaS settings are set")] = ""
    jaas_key_id: Annotated[str, var("JAAS_KEY_ID", "JaaS API key id (the token's `kid`)")] = ""
    jaas_private_key_file: Annotated[
        str, var("JAAS_PRIVATE_KEY_FILE", "path of the PEM private key of that JaaS API key (never committed)")
    ] = ""
    payments_sandbox: Annotated[
        bool, var("PAYMENTS_SANDBOX", "a provider without a secret key is played by the sandbox (a page of this "
                  "app confirms the payment); `false`: such a provider answers 503")
    ] = True
    reconcile_after_minutes: Annotated[
        int, var("RECONCILE_PAYMENTS_AFTER_MINUTES", "open checkouts older than this are re-verified with their "
                 "provider by `reconcile-payments`")
    ] = 60


def _section(settings: Settings) -> MentorshipSettings:
    return settings.section(MentorshipSettings)


class Gateways:
    """The gateways by provider name and the sandbox desks among them."""

    def __init__(self, settings: Settings) -> None:
        section = _section(settings)
        self.sandboxes: dict[str, SandboxPaymentGateway] = {}

        def sandbox(provider: str, currency: str) -> PaymentGateway:
            gateway = SandboxPaymentGateway(provider, currency, secret=settings.auth.secret_key.get(),
                                            public_url=settings.http.public_url)
            self.sandboxes[provider] = gateway
            return gateway

        self.gateways: dict[str, PaymentGateway] = _build(settings, sandbox)
        if not section.payments_sandbox:
            for name in list(self.sandboxes):
                del self.gateways[name]
            self.sandboxes.clear()

    @property
    def desks(self) -> Mapping[str, SandboxDesk]:
        return self.sandboxes


def _build(settings: Settings, sandbox: Callable[[str, str], PaymentGateway]) -> dict[str, PaymentGateway]:
    """Stripe (USD) and Flutterwave (NGN) through their adapters when their secret keys are set, else the
    sandbox (``bootstrap/payments.py: build_gateways``)."""
    return build_gateways(settings.section(PaymentsSettings), sandbox)


def _meetings(settings: Settings) -> JaasMeetingTokens:
    s = _section(settings)
    return JaasMeetingTokens(app_id=s.jaas_app_id, key_id=s.jaas_key_id, private_key_file=s.jaas_private_key_file)


def _links(settings: Settings) -> PaymentLinks:
    return PaymentLinks(public_url=settings.http.public_url, frontend_url=settings.http.frontend_url)


def _minutes(settings: Settings, name: str) -> timedelta:
    return timedelta(minutes=getattr(_section(settings), name))


class MentorshipContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlMentorshipUnitOfWork, engine=platform.writer, views=platform.read_cache, task_kick=platform.task_kick
        ),
        memory=providers.Factory(
            InMemoryMentorshipUnitOfWork, store=platform.store, views=platform.read_cache,
            task_kick=platform.task_kick,
        ),
    )
    reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlMentorReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryMentorReads, store=platform.store),
    )
    meetings = providers.Singleton(_meetings, platform.settings)
    gateways = providers.Singleton(Gateways, platform.settings)
    discovery = providers.Singleton(
        DiscoveryService, uow=uow.provider, reads=reads, clock=platform.clock, catalogue=platform.catalogue
    )
    sessions = providers.Singleton(
        SessionService,
        uow=uow.provider,
        events=platform.event_bus,
        clock=platform.clock,
        meetings=meetings,
        duration=providers.Callable(_minutes, platform.settings, "session_minutes"),
        join_early=providers.Callable(_minutes, platform.settings, "join_early_minutes"),
    )
    payments = providers.Singleton(
        PaymentService,
        uow=uow.provider,
        events=platform.event_bus,
        clock=platform.clock,
        gateways=gateways.provided.gateways,
        sandboxes=gateways.provided.desks,
        links=providers.Callable(_links, platform.settings),
    )
    expiry = providers.Singleton(ExpireSessions, uow=uow.provider, events=platform.event_bus, clock=platform.clock)
    reconcile = providers.Singleton(
        ReconcilePayments, uow=uow.provider, payments=payments, clock=platform.clock,
        after=providers.Callable(_minutes, platform.settings, "reconcile_after_minutes"),
    )


def _dependencies(c: MentorshipContainer) -> Mapping[str, Provide]:
    def provide_discovery() -> DiscoveryService:
        return c.discovery()

    def provide_sessions() -> SessionService:
        return c.sessions()

    def provide_payments() -> PaymentService:
        return c.payments()

    return {
        "mentor_discovery": Provide(provide_discovery, sync_to_thread=False),
        "mentor_sessions": Provide(provide_sessions, sync_to_thread=False),
        "session_payments": Provide(provide_payments, sync_to_thread=False),
    }


EXPIRE_SESSIONS = ScheduledJob(
    name="expire-sessions",
    task=EXPIRE_TASK,
    help="Move session requests nobody answered before their start to EXPIRED and tell their mentees.",
    every_seconds=lambda _: 300.0,
    job=lambda c: c.expiry(),
)

RECONCILE_PAYMENTS = ScheduledJob(
    name="reconcile-payments",
    task=RECONCILE_TASK,
    help="Re-verify open checkouts older than RECONCILE_PAYMENTS_AFTER_MINUTES with their provider; record any "
    "payment completed but never confirmed.",
    every_seconds=lambda _: 900.0,
    job=lambda c: c.reconcile(),
)

DOMAIN = DomainModule(
    name="mentorship",
    container=MentorshipContainer,
    tables=("mentorship",),
    settings=MentorshipSettings,
    more_settings=(PaymentsSettings,),
    controllers=(MentorController, PaymentsController),
    dependencies=_dependencies,
    schedules=(EXPIRE_SESSIONS, RECONCILE_PAYMENTS),
    commands=(job_command(EXPIRE_SESSIONS), job_command(RECONCILE_PAYMENTS)),
    closing=lambda c: list(c.gateways().gateways.values()),
)
