"""The one dependency-injector container: builds adapters and services for HTTP, WS, the CLI and tests."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from dependency_injector import containers, providers

from adapters.classifier.keywords import KeywordIndustryClassifier
from adapters.db.accounts import InMemoryAccountsUnitOfWork, SqlAccountsUnitOfWork
from adapters.db.choices import SqlChoiceCatalogue, StaticChoiceCatalogue
from adapters.db.content import (
    InMemoryContentUnitOfWork,
    InMemoryCountryCodes,
    InMemoryCurrencyLookup,
    InMemoryStaffDirectory,
    SqlContentUnitOfWork,
    SqlCountryCodes,
    SqlCurrencyLookup,
    SqlStaffDirectory,
)
from adapters.db.engine import make_engine, read_engine, write_engine
from adapters.db.feed import SqlFeedUnitOfWork
from adapters.db.feed_deletion import forget_user_in_feed
from adapters.db.feed_memory import InMemoryFeedReads, InMemoryFeedUnitOfWork, InMemorySocialGraph
from adapters.db.feed_queries import SqlFeedReads
from adapters.db.memory import InMemoryStore
from adapters.db.outbox import InMemoryMailOutboxStore, SqlMailOutboxStore
from adapters.db.profiles import InMemoryProfilesUnitOfWork, InMemoryUserSearch, SqlProfilesUnitOfWork, SqlUserSearch
from adapters.db.social import SqlSocialGraph
from adapters.email.console import ConsoleMailer
from adapters.email.memory import InMemoryMailer
from adapters.email.smtp import SmtpMailer
from adapters.identity.google import GoogleOAuthIdentity
from adapters.identity.jwt_tokens import JwtTokens
from adapters.identity.passwords import Argon2PasswordHasher
from adapters.storage.local import LocalBlobStorage
from adapters.storage.memory import InMemoryBlobStorage
from adapters.storage.s3 import S3BlobStorage
from adapters.system.clock import SystemClock
from adapters.system.ratelimit import InMemoryRateLimiter, RedisRateLimiter
from bootstrap.settings import Settings
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
from core.accounts.organizations import OrganizationsService
from core.accounts.profiles.budgets import ProfileQuotas, ReadBudget, WriteBudget
from core.accounts.profiles.edit import ProfileEditService
from core.accounts.profiles.insights import ProfileInsightsService
from core.accounts.profiles.media import ProfileMedia, ProfileMediaLimits
from core.accounts.profiles.pages import ProfilePageService
from core.accounts.profiles.portfolio import PortfolioService
from core.accounts.profiles.records import ProfileRecordsService
from core.accounts.profiles.settings import ProfileSettingsService
from core.accounts.registration import RegistrationService
from core.accounts.reset import PasswordResetService
from core.accounts.sessions import SessionsService
from core.accounts.token_check import TokenCheck
from core.content.service import ContentService
from core.feed.network import NetworkService
from core.feed.service import FeedService
from core.messaging.service import MailRelay
from core.shared.events import EventBus
from core.shared.limits import WriteLimits

__all__ = ("Container", "MailKick", "Profile", "build_container")

Profile = Literal["sql", "memory"]


class MailKick:
    """Wakes the mail relay right after a commit that wrote to the outbox."""

    __slots__ = ("_event", "_loop")

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self) -> asyncio.Event:
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()
        return self._event

    def __call__(self) -> None:
        if self._event is None or self._loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._event.set()
        else:
            self._loop.call_soon_threadsafe(self._event.set)


def _mailer(settings: Settings) -> Any:
    if settings.email_backend == "smtp":
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            username=settings.smtp_username or None,
            password=settings.smtp_password.get() or None,
            tls=settings.smtp_tls,
            sender=settings.email_from,
        )
    if settings.email_backend == "memory":
        return InMemoryMailer()
    return ConsoleMailer()


def _storage(settings: Settings) -> Any:
    if settings.storage_backend == "s3":
        return S3BlobStorage(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url or None,
            region=settings.s3_region,
            public_base_url=settings.s3_public_url or None,
            access_key_id=settings.s3_access_key_id or None,
            secret_access_key=settings.s3_secret_access_key.get() or None,
        )
    if settings.storage_backend == "memory":
        return InMemoryBlobStorage(settings.public_media_url)
    return LocalBlobStorage(settings.media_root, settings.public_media_url)


def _limiter(settings: Settings) -> Any:
    if settings.redis_url:
        return RedisRateLimiter.from_url(settings.redis_url)
    return InMemoryRateLimiter(max_keys=settings.rate_limit_max_keys)


def _policy(settings: Settings) -> AuthPolicy:
    return AuthPolicy(
        frontend_url=settings.frontend_url,
        auth_cache_seconds=settings.auth_cache_seconds,
        refresh_chain_max_age_seconds=settings.refresh_chain_max_age,
    )


def _profile_media(settings: Settings) -> ProfileMediaLimits:
    return ProfileMediaLimits(
        image_bytes=settings.max_image_bytes,
        portfolio_image_bytes=settings.max_portfolio_image_bytes,
        video_bytes=settings.max_video_bytes,
        document_bytes=settings.max_document_bytes,
    )


def _write_limits(settings: Settings) -> WriteLimits:
    return WriteLimits(per_minute=settings.write_limit_per_minute, per_day=settings.write_limit_per_day)


def _profile_quotas(settings: Settings) -> ProfileQuotas:
    return ProfileQuotas(
        writes=_write_limits(settings),
        records_max=settings.profile_records_max,
        reads_per_minute=settings.profile_reads_per_minute,
    )


def _media(settings: Settings) -> MediaLimits:
    return MediaLimits(
        image_bytes=settings.max_image_bytes,
        video_bytes=settings.max_video_bytes,
        document_bytes=settings.max_document_bytes,
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    event_bus = providers.Singleton(EventBus)
    mail_kick = providers.Singleton(MailKick)
    store = providers.Singleton(InMemoryStore)

    engine = providers.Singleton(
        make_engine, url=settings.provided.database_url, pool_size=settings.provided.db_pool_size
    )
    writer = providers.Singleton(write_engine, engine)

    # Deleting a user first runs the features' deletion steps in its transaction (the feed's counters).
    accounts_uow = providers.Factory(
        SqlAccountsUnitOfWork, engine=writer, after_commit=mail_kick, before_user_delete=(forget_user_in_feed,)
    )
    # Read-only use (token checks): a deferred transaction, so SQLite readers never queue for the write lock.
    reader = providers.Singleton(read_engine, engine)
    accounts_reads = providers.Factory(SqlAccountsUnitOfWork, engine=reader)
    outbox_store = providers.Singleton(SqlMailOutboxStore, engine=engine)

    mailer = providers.Singleton(_mailer, settings)
    storage = providers.Singleton(_storage, settings)
    limiter = providers.Singleton(_limiter, settings)
    catalogue = providers.Singleton(SqlChoiceCatalogue, engine=engine)
    hasher = providers.Singleton(
        Argon2PasswordHasher, cheap=providers.Callable(lambda s: s.password_hash == "cheap", settings)
    )
    tokens = providers.Singleton(
        JwtTokens,
        providers.Callable(lambda s: s.secret_key.get(), settings),
        access_ttl=settings.provided.access_token_ttl,
        refresh_ttl=settings.provided.refresh_token_ttl,
    )
    google = providers.Singleton(
        GoogleOAuthIdentity,
        client_id=settings.provided.google_client_id,
        client_secret=providers.Callable(lambda s: s.google_client_secret.get(), settings),
        redirect_uri_signin=settings.provided.google_redirect_uri,
        redirect_uri_signup=providers.Callable(
            lambda s: s.google_redirect_uri_signup or s.google_redirect_uri, settings
        ),
        token_url=settings.provided.google_token_url,
        jwks_url=settings.provided.google_jwks_url,
    )

    # Profiles and content (issue 3).
    profiles_uow = providers.Factory(SqlProfilesUnitOfWork, engine=writer, after_commit=mail_kick)
    profiles_reads = providers.Factory(SqlProfilesUnitOfWork, engine=reader)
    content_uow = providers.Factory(SqlContentUnitOfWork, engine=writer, after_commit=catalogue.provided.invalidate)
    user_search = providers.Singleton(SqlUserSearch, engine=engine)
    social_graph = providers.Singleton(SqlSocialGraph, engine=engine)
    staff = providers.Singleton(SqlStaffDirectory, engine=engine)
    country_codes = providers.Singleton(SqlCountryCodes, engine=engine)
    currencies = providers.Singleton(SqlCurrencyLookup, engine=engine)
    # The profile use cases, one service each, and the collaborators they share.
    profile_media = providers.Singleton(
        ProfileMedia, storage=storage, limits=providers.Callable(_profile_media, settings)
    )
    profile_write_budget = providers.Singleton(
        WriteBudget, limiter=limiter, quotas=providers.Callable(_profile_quotas, settings)
    )
    profile_read_budget = providers.Singleton(
        ReadBudget, limiter=limiter, quotas=providers.Callable(_profile_quotas, settings)
    )
    profile_pages = providers.Singleton(
        ProfilePageService,
        uow=profiles_uow.provider,
        reads=profiles_reads.provider,
        clock=clock,
        social=social_graph,
        read_budget=profile_read_budget,
    )
    profile_edit = providers.Singleton(
        ProfileEditService,
        uow=profiles_uow.provider,
        catalogue=catalogue,
        countries=country_codes,
        currencies=currencies,
        media=profile_media,
    )
    profile_records = providers.Singleton(
        ProfileRecordsService,
        uow=profiles_uow.provider,
        reads=profiles_reads.provider,
        catalogue=catalogue,
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
        ProfileSettingsService, uow=profiles_uow.provider, reads=profiles_reads.provider, catalogue=catalogue
    )
    profile_insights = providers.Singleton(
        ProfileInsightsService,
        reads=profiles_reads.provider,
        social=social_graph,
        search=user_search,
        read_budget=profile_read_budget,
    )
    content = providers.Singleton(ContentService, uow=content_uow.provider, staff=staff)

    # Accounts: one service per group of use cases, over small shared collaborators. The token-check cache is
    # ONE object per worker: the token check fills it; sign-out, refresh, switch, reset and deletion clear it.
    accounts_policy = providers.Singleton(_policy, settings)
    accounts_secret = providers.Callable(lambda s: s.secret_key.get().encode(), settings)
    accounts_auth_cache = providers.Singleton(AuthCache, seconds=accounts_policy.provided.auth_cache_seconds)
    accounts_limits = providers.Singleton(Limits, limiter=limiter, policy=accounts_policy)
    accounts_challenges = providers.Singleton(
        CodeChallenges, secret=accounts_secret, clock=clock, policy=accounts_policy
    )
    accounts_issuer = providers.Singleton(SessionIssuer, clock=clock, tokens=tokens)
    accounts_users = providers.Singleton(UserCreator, clock=clock)
    token_check = providers.Singleton(
        TokenCheck, reads=accounts_reads.provider, tokens=tokens, clock=clock, cache=accounts_auth_cache
    )
    registration = providers.Singleton(
        RegistrationService,
        uow=accounts_uow.provider,
        events=event_bus,
        clock=clock,
        hasher=hasher,
        catalogue=catalogue,
        challenges=accounts_challenges,
        limits=accounts_limits,
        users=accounts_users,
        issuer=accounts_issuer,
        policy=accounts_policy,
    )
    sessions = providers.Singleton(
        SessionsService,
        uow=accounts_uow.provider,
        clock=clock,
        hasher=hasher,
        tokens=tokens,
        issuer=accounts_issuer,
        limits=accounts_limits,
        cache=accounts_auth_cache,
        policy=accounts_policy,
    )
    password_reset = providers.Singleton(
        PasswordResetService,
        uow=accounts_uow.provider,
        events=event_bus,
        clock=clock,
        hasher=hasher,
        challenges=accounts_challenges,
        limits=accounts_limits,
        cache=accounts_auth_cache,
        secret=accounts_secret,
        policy=accounts_policy,
    )
    google_accounts = providers.Singleton(
        GoogleAccountsService,
        uow=accounts_uow.provider,
        events=event_bus,
        google=google,
        users=accounts_users,
        issuer=accounts_issuer,
    )
    corporate_accounts = providers.Singleton(
        CorporateAccountsService,
        uow=accounts_uow.provider,
        events=event_bus,
        clock=clock,
        catalogue=catalogue,
        storage=storage,
        challenges=accounts_challenges,
        limits=accounts_limits,
        users=accounts_users,
        policy=accounts_policy,
        media=providers.Callable(_media, settings),
    )
    organizations = providers.Singleton(OrganizationsService, uow=accounts_uow.provider, events=event_bus)
    account_deletion = providers.Singleton(
        AccountDeletionService, uow=accounts_uow.provider, events=event_bus, storage=storage, cache=accounts_auth_cache
    )
    accounts_admin = providers.Singleton(
        AccountsAdminService, uow=accounts_uow.provider, events=event_bus, hasher=hasher, users=accounts_users
    )
    mail_relay = providers.Singleton(
        MailRelay,
        store=outbox_store,
        mailer=mailer,
        clock=clock,
        base_delay_seconds=settings.provided.mail_retry_base_seconds,
    )

    # Feed (issue 4): writes through the write engine, list pages through the read-model queries.
    classifier = providers.Singleton(KeywordIndustryClassifier)
    feed_uow = providers.Factory(SqlFeedUnitOfWork, engine=writer, clock=clock)
    feed_reads = providers.Singleton(SqlFeedReads, engine=engine)
    feed = providers.Singleton(
        FeedService,
        uow=feed_uow.provider,
        reads=feed_reads,
        events=event_bus,
        clock=clock,
        classifier=classifier,
        storage=storage,
        limiter=limiter,
        writes=providers.Callable(_write_limits, settings),
    )
    network = providers.Singleton(
        NetworkService, uow=feed_uow.provider, reads=feed_reads, events=event_bus, clock=clock
    )


def build_container(settings: Settings, profile: Profile = "sql") -> Container:
    """The SQL profile (real database) or the memory profile (in-memory units of work and adapters)."""
    container = Container(settings=settings)
    if profile == "memory":
        container.accounts_uow.override(
            providers.Factory(InMemoryAccountsUnitOfWork, store=container.store, after_commit=container.mail_kick)
        )
        container.accounts_reads.override(providers.Factory(InMemoryAccountsUnitOfWork, store=container.store))
        container.outbox_store.override(providers.Singleton(InMemoryMailOutboxStore, store=container.store))
        container.mailer.override(providers.Singleton(InMemoryMailer))
        container.storage.override(providers.Singleton(InMemoryBlobStorage, settings.public_media_url))
        container.catalogue.override(providers.Singleton(StaticChoiceCatalogue))
        container.profiles_uow.override(
            providers.Factory(InMemoryProfilesUnitOfWork, store=container.store, after_commit=container.mail_kick)
        )
        container.profiles_reads.override(providers.Factory(InMemoryProfilesUnitOfWork, store=container.store))
        container.content_uow.override(providers.Factory(InMemoryContentUnitOfWork, store=container.store))
        container.user_search.override(providers.Singleton(InMemoryUserSearch, store=container.store))
        container.social_graph.override(providers.Singleton(InMemorySocialGraph, store=container.store))
        container.staff.override(providers.Singleton(InMemoryStaffDirectory, store=container.store))
        container.country_codes.override(providers.Singleton(InMemoryCountryCodes, store=container.store))
        container.currencies.override(providers.Singleton(InMemoryCurrencyLookup, store=container.store))
        container.feed_uow.override(
            providers.Factory(InMemoryFeedUnitOfWork, store=container.store, clock=container.clock)
        )
        container.feed_reads.override(providers.Singleton(InMemoryFeedReads, store=container.store))
    from bootstrap.events import register_handlers

    register_handlers(container)
    return container
