"""The accounts domain (sign-up, sessions, Google sign-in, organizations, profiles): its wiring."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, ClassVar

import click
from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.accounts import InMemoryAccountsUnitOfWork, SqlAccountsUnitOfWork
from adapters.db.content import InMemoryCountryCodes, InMemoryCurrencyLookup, SqlCountryCodes, SqlCurrencyLookup
from adapters.db.feed_memory import InMemorySocialGraph
from adapters.db.profile_sheets import SqlProfileSheets
from adapters.db.profiles import InMemoryProfilesUnitOfWork, InMemoryUserSearch, SqlProfilesUnitOfWork, SqlUserSearch
from adapters.db.social import SqlSocialGraph
from adapters.http.accounts.controller import AccountsController
from adapters.http.profiles.controller import ProfilesController, ProjectsController
from adapters.http.security import principal_provider
from adapters.identity.google import GoogleOAuthIdentity
from adapters.identity.jwt_tokens import JwtTokens
from adapters.identity.passwords import Argon2PasswordHasher
from adapters.system.auth_peers import RedisAuthCachePeers
from bootstrap.commands import run_job, settings_or_exit
from bootstrap.domain import DomainModule
from bootstrap.settings import Secret, Section, Settings, var
from core.accounts.admin import AccountsAdminService
from core.accounts.auth_cache import AuthCache
from core.accounts.challenges import CodeChallenges
from core.accounts.common import UserCreator
from core.accounts.config import AuthPolicy, MediaLimits
from core.accounts.corporate import CorporateAccountsService
from core.accounts.deletion import AccountDeletionService
from core.accounts.google import GoogleAccountsService
from core.accounts.issuing import SessionIssuer
from core.accounts.limits import Limits
from core.accounts.model.events import AccountDeleted, AccountRegistered
from core.accounts.model.users import User
from core.accounts.organizations import OrganizationsService
from core.accounts.profiles.budgets import ProfileQuotas, ReadBudget, WriteBudget
from core.accounts.profiles.edit import ProfileEditService
from core.accounts.profiles.insights import ProfileInsightsService
from core.accounts.profiles.media import ProfileMedia, ProfileMediaLimits
from core.accounts.profiles.pages import ComposedProfileSheets, ProfilePageService
from core.accounts.profiles.portfolio import PortfolioService
from core.accounts.profiles.records import ProfileRecordsService
from core.accounts.profiles.settings import ProfileSettingsService
from core.accounts.registration import RegistrationService
from core.accounts.reset import PasswordResetService
from core.accounts.sessions import SessionsService
from core.accounts.token_check import TokenCheck
from core.shared.events import EventBus
from core.shared.limits import WriteLimits

if TYPE_CHECKING:
    from bootstrap.container import AppContainer

__all__ = ("DOMAIN", "AccountsContainer", "AccountsSettings")

logger = logging.getLogger("careernexus.events")


class AccountsSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "accounts"

    google_client_id: Annotated[str, var("GOOGLE_CLIENT_ID", "Google sign-in: OAuth client id")] = ""
    google_client_secret: Annotated[Secret, var("GOOGLE_CLIENT_SECRET", "Google sign-in: client secret")] = Secret("")
    google_redirect_uri: Annotated[
        str, var("GOOGLE_REDIRECT_URI", "Google sign-in: redirect URI (the frontend's callback)")
    ] = "http://127.0.0.1:5173/auth/google/callback"
    google_redirect_uri_signup: Annotated[
        str, var("GOOGLE_REDIRECT_URI_SIGNUP", "Google sign-up's redirect URI", shown="`GOOGLE_REDIRECT_URI`")
    ] = ""
    google_token_url: Annotated[str, var("GOOGLE_TOKEN_URL", "Google's code exchange endpoint")] = (
        "https://oauth2.googleapis.com/token"
    )
    google_jwks_url: Annotated[str, var("GOOGLE_JWKS_URL", "Google's id_token keys")] = (
        "https://www.googleapis.com/oauth2/v3/certs"
    )
    max_portfolio_image_bytes: Annotated[
        int, var("MAX_PORTFOLIO_IMAGE_BYTES", "upload limit of a portfolio project's image")
    ] = 1_000_000
    profile_records_max: Annotated[
        int,
        var(
            "PROFILE_RECORDS_MAX",
            "experience, education, certification and portfolio records each profile may hold (400 past it)",
        ),
    ] = 100
    profile_reads_per_minute: Annotated[
        int,
        var(
            "PROFILE_READS_PER_MINUTE",
            "reads of other users' profiles, analytics or portfolios by `user_id`, per viewer (429 past it)",
        ),
    ] = 120


# ------------------------------------------------------------------------------------------- builders


def _section(settings: Settings) -> AccountsSettings:
    return settings.section(AccountsSettings)


def _hasher(settings: Settings) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(cheap=settings.auth.password_hash == "cheap")


def _tokens(settings: Settings) -> JwtTokens:
    auth = settings.auth
    return JwtTokens(auth.secret_key.get(), access_ttl=auth.access_token_ttl, refresh_ttl=auth.refresh_token_ttl)


def _google(settings: Settings) -> GoogleOAuthIdentity:
    section = settings.section(AccountsSettings)
    return GoogleOAuthIdentity(
        client_id=section.google_client_id,
        client_secret=section.google_client_secret.get(),
        redirect_uri_signin=section.google_redirect_uri,
        redirect_uri_signup=section.google_redirect_uri_signup or section.google_redirect_uri,
        token_url=section.google_token_url,
        jwks_url=section.google_jwks_url,
    )


def _cache_peers(settings: Settings) -> RedisAuthCachePeers | None:
    """With Redis, every process's token-check cache hears the others' sign-outs, resets and deletions."""
    return RedisAuthCachePeers(settings.limits.redis_url) if settings.limits.redis_url else None


def _secret(settings: Settings) -> bytes:
    return settings.auth.secret_key.get().encode()


def _policy(settings: Settings) -> AuthPolicy:
    return AuthPolicy(
        frontend_url=settings.http.frontend_url,
        auth_cache_seconds=settings.auth.auth_cache_seconds,
        refresh_chain_max_age_seconds=settings.auth.refresh_chain_max_age,
    )


def _media(settings: Settings) -> MediaLimits:
    limits = settings.limits
    return MediaLimits(
        image_bytes=limits.max_image_bytes,
        video_bytes=limits.max_video_bytes,
        document_bytes=limits.max_document_bytes,
    )


def _profile_media(settings: Settings) -> ProfileMediaLimits:
    limits = settings.limits
    return ProfileMediaLimits(
        image_bytes=limits.max_image_bytes,
        portfolio_image_bytes=settings.section(AccountsSettings).max_portfolio_image_bytes,
        video_bytes=limits.max_video_bytes,
        document_bytes=limits.max_document_bytes,
    )


def _profile_quotas(settings: Settings, writes: WriteLimits) -> ProfileQuotas:
    section = settings.section(AccountsSettings)
    return ProfileQuotas(
        writes=writes, records_max=section.profile_records_max, reads_per_minute=section.profile_reads_per_minute
    )


# ------------------------------------------------------------------------------------------- container


class AccountsContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    settings = providers.Callable(_section, platform.settings)
    hasher = providers.Singleton(_hasher, platform.settings)
    tokens = providers.Singleton(_tokens, platform.settings)
    google = providers.Singleton(_google, platform.settings)

    # Deleting a user first runs every domain's deletion steps in its transaction (the feed's counters).
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlAccountsUnitOfWork,
            engine=platform.writer,
            task_kick=platform.task_kick,
            before_user_delete=platform.user_deletion_steps,
            views=platform.read_cache,
        ),
        memory=providers.Factory(
            InMemoryAccountsUnitOfWork, store=platform.store, task_kick=platform.task_kick, views=platform.read_cache
        ),
    )
    # Read-only use (token checks) on the read engine.
    reads = providers.Selector(
        platform.profile,
        sql=providers.Factory(SqlAccountsUnitOfWork, engine=platform.reader),
        memory=providers.Factory(InMemoryAccountsUnitOfWork, store=platform.store),
    )
    # One service per group of use cases, over small shared collaborators. The token-check cache is ONE object per
    # process: the token check fills it; sign-out, refresh, switch, reset and deletion clear it, and tell the other
    # processes' caches through Redis when there is one (``cache_peers``; ``auth_cache_listener`` hears them).
    policy = providers.Singleton(_policy, platform.settings)
    secret = providers.Callable(_secret, platform.settings)
    cache_peers = providers.Singleton(_cache_peers, platform.settings)
    auth_cache = providers.Singleton(AuthCache, seconds=policy.provided.auth_cache_seconds, peers=cache_peers)
    limits = providers.Singleton(Limits, limiter=platform.limiter, policy=policy)
    challenges = providers.Singleton(CodeChallenges, secret=secret, clock=platform.clock, policy=policy)
    issuer = providers.Singleton(SessionIssuer, clock=platform.clock, tokens=tokens)
    users = providers.Singleton(UserCreator, clock=platform.clock)
    token_check = providers.Singleton(
        TokenCheck, reads=reads.provider, tokens=tokens, clock=platform.clock, cache=auth_cache
    )
    registration = providers.Singleton(
        RegistrationService,
        uow=uow.provider,
        events=platform.event_bus,
        clock=platform.clock,
        hasher=hasher,
        catalogue=platform.catalogue,
        challenges=challenges,
        limits=limits,
        users=users,
        issuer=issuer,
        cache=auth_cache,
    )
    sessions = providers.Singleton(
        SessionsService,
        uow=uow.provider,
        clock=platform.clock,
        hasher=hasher,
        tokens=tokens,
        issuer=issuer,
        limits=limits,
        cache=auth_cache,
        policy=policy,
    )
    password_reset = providers.Singleton(
        PasswordResetService,
        uow=uow.provider,
        events=platform.event_bus,
        clock=platform.clock,
        hasher=hasher,
        challenges=challenges,
        limits=limits,
        cache=auth_cache,
        secret=secret,
        policy=policy,
    )
    google_accounts = providers.Singleton(
        GoogleAccountsService,
        uow=uow.provider,
        events=platform.event_bus,
        google=google,
        users=users,
        issuer=issuer,
        clock=platform.clock,
    )
    corporate_accounts = providers.Singleton(
        CorporateAccountsService,
        uow=uow.provider,
        events=platform.event_bus,
        clock=platform.clock,
        catalogue=platform.catalogue,
        storage=platform.storage,
        challenges=challenges,
        limits=limits,
        users=users,
        policy=policy,
        media=providers.Callable(_media, platform.settings),
    )
    organizations = providers.Singleton(OrganizationsService, uow=uow.provider, events=platform.event_bus)
    account_deletion = providers.Singleton(
        AccountDeletionService,
        uow=uow.provider,
        events=platform.event_bus,
        storage=platform.storage,
        cache=auth_cache,
    )
    admin = providers.Singleton(
        AccountsAdminService, uow=uow.provider, events=platform.event_bus, hasher=hasher, users=users
    )

    # Profiles.
    profiles_uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlProfilesUnitOfWork, engine=platform.writer, task_kick=platform.task_kick, views=platform.read_cache
        ),
        memory=providers.Factory(
            InMemoryProfilesUnitOfWork, store=platform.store, task_kick=platform.task_kick, views=platform.read_cache
        ),
    )
    profiles_reads = providers.Selector(
        platform.profile,
        sql=providers.Factory(SqlProfilesUnitOfWork, engine=platform.reader),
        memory=providers.Factory(InMemoryProfilesUnitOfWork, store=platform.store),
    )
    user_search = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlUserSearch, engine=platform.engine),
        memory=providers.Singleton(InMemoryUserSearch, store=platform.store),
    )
    social_graph = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlSocialGraph, engine=platform.engine),
        memory=providers.Singleton(InMemorySocialGraph, store=platform.store),
    )
    # The profile page's data: one statement on SQL; the repositories plus the social graph in memory.
    profile_sheets = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlProfileSheets, engine=platform.engine, social=social_graph),
        memory=providers.Singleton(ComposedProfileSheets, reads=profiles_reads.provider, social=social_graph),
    )
    country_codes = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlCountryCodes, engine=platform.engine),
        memory=providers.Singleton(InMemoryCountryCodes, store=platform.store),
    )
    currencies = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlCurrencyLookup, engine=platform.engine),
        memory=providers.Singleton(InMemoryCurrencyLookup, store=platform.store),
    )
    # The profile use cases, one service each, and the collaborators they share.
    profile_quotas = providers.Callable(_profile_quotas, platform.settings, platform.write_limits)
    profile_media = providers.Singleton(
        ProfileMedia, storage=platform.storage, limits=providers.Callable(_profile_media, platform.settings)
    )
    profile_write_budget = providers.Singleton(WriteBudget, limiter=platform.limiter, quotas=profile_quotas)
    profile_read_budget = providers.Singleton(ReadBudget, limiter=platform.limiter, quotas=profile_quotas)
    profile_pages = providers.Singleton(
        ProfilePageService,
        uow=profiles_uow.provider,
        reads=profiles_reads.provider,
        clock=platform.clock,
        social=social_graph,
        read_budget=profile_read_budget,
        sheets=profile_sheets,
    )
    profile_edit = providers.Singleton(
        ProfileEditService,
        uow=profiles_uow.provider,
        catalogue=platform.catalogue,
        countries=country_codes,
        currencies=currencies,
        media=profile_media,
    )
    profile_records = providers.Singleton(
        ProfileRecordsService,
        uow=profiles_uow.provider,
        reads=profiles_reads.provider,
        catalogue=platform.catalogue,
        writes=profile_write_budget,
    )
    portfolio = providers.Singleton(
        PortfolioService,
        uow=profiles_uow.provider,
        reads=profiles_reads.provider,
        media=profile_media,
        writes=profile_write_budget,
        read_budget=profile_read_budget,
    )
    profile_settings = providers.Singleton(
        ProfileSettingsService, uow=profiles_uow.provider, reads=profiles_reads.provider, catalogue=platform.catalogue
    )
    profile_insights = providers.Singleton(
        ProfileInsightsService,
        reads=profiles_reads.provider,
        social=social_graph,
        search=user_search,
        read_budget=profile_read_budget,
    )


# ------------------------------------------------------------------------------------------------ HTTP


def _dependencies(c: AccountsContainer) -> Mapping[str, Provide]:
    """One typed dependency per use-case service, named as the controllers' parameters."""

    def provide_registration() -> RegistrationService:
        return c.registration()

    def provide_sessions() -> SessionsService:
        return c.sessions()

    def provide_password_reset() -> PasswordResetService:
        return c.password_reset()

    def provide_google_accounts() -> GoogleAccountsService:
        return c.google_accounts()

    def provide_corporate_accounts() -> CorporateAccountsService:
        return c.corporate_accounts()

    def provide_organizations() -> OrganizationsService:
        return c.organizations()

    def provide_account_deletion() -> AccountDeletionService:
        return c.account_deletion()

    def provide_token_check() -> TokenCheck:
        return c.token_check()

    def provide_profile_pages() -> ProfilePageService:
        return c.profile_pages()

    def provide_profile_edit() -> ProfileEditService:
        return c.profile_edit()

    def provide_profile_records() -> ProfileRecordsService:
        return c.profile_records()

    def provide_portfolio() -> PortfolioService:
        return c.portfolio()

    def provide_profile_settings() -> ProfileSettingsService:
        return c.profile_settings()

    def provide_profile_insights() -> ProfileInsightsService:
        return c.profile_insights()

    return {
        "registration": Provide(provide_registration, sync_to_thread=False),
        "sessions": Provide(provide_sessions, sync_to_thread=False),
        "password_reset": Provide(provide_password_reset, sync_to_thread=False),
        "google_accounts": Provide(provide_google_accounts, sync_to_thread=False),
        "corporate_accounts": Provide(provide_corporate_accounts, sync_to_thread=False),
        "organizations": Provide(provide_organizations, sync_to_thread=False),
        "account_deletion": Provide(provide_account_deletion, sync_to_thread=False),
        "profile_pages": Provide(provide_profile_pages, sync_to_thread=False),
        "profile_edit": Provide(provide_profile_edit, sync_to_thread=False),
        "profile_records": Provide(provide_profile_records, sync_to_thread=False),
        "portfolio": Provide(provide_portfolio, sync_to_thread=False),
        "profile_settings": Provide(provide_profile_settings, sync_to_thread=False),
        "profile_insights": Provide(provide_profile_insights, sync_to_thread=False),
        # The caller of authenticated routes (every domain's controllers use it).
        "me": Provide(principal_provider(provide_token_check)),
        # The token check itself, for the websockets (their token comes in the query string).
        "token_check": Provide(provide_token_check, sync_to_thread=False),
    }


# ---------------------------------------------------------------------------------------------- events


def _subscribe(_: AccountsContainer, bus: EventBus) -> None:
    async def log_registered(event: AccountRegistered) -> None:
        logger.info("account registered", extra={"user_id": event.user_id, "user_type": event.user_type})

    async def log_deleted(event: AccountDeleted) -> None:
        logger.info("account deleted", extra={"user_id": event.user_id})

    bus.subscribe(AccountRegistered, log_registered)
    bus.subscribe(AccountDeleted, log_deleted)


# ------------------------------------------------------------------------------------------------- CLI

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


@click.command("create-admin")
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

    async def work(app: AppContainer) -> User:
        return await DOMAIN.of(app).admin().create_admin(email, secret)

    try:
        user = run_job(settings_or_exit(), work)
    except InvalidInput as exc:
        raise click.ClickException(str(exc.body)) from None
    click.echo(f"admin {user.email} (id {user.id}) ready")


async def _auth_cache_listener(c: AccountsContainer) -> None:
    """Drop what the other processes say they changed (returns at once without Redis: the time bound only)."""
    peers = c.cache_peers()
    if peers is None:
        return
    cache = c.auth_cache()
    await peers.listen(drop_users=cache.drop_users, drop_session=cache.drop_session, clear=cache.clear)


def _closing(c: AccountsContainer) -> Iterable[object]:
    return (c.google(), c.cache_peers())


DOMAIN = DomainModule(
    name="accounts",
    container=AccountsContainer,
    tables=("accounts", "profiles"),
    settings=AccountsSettings,
    controllers=(AccountsController, ProfilesController, ProjectsController),
    dependencies=_dependencies,
    subscribe=_subscribe,
    commands=(create_admin,),
    background={"auth-cache-listener": _auth_cache_listener},
    closing=_closing,
)
