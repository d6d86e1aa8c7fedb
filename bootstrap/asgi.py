"""The ASGI application factory."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

import adapters.http
from adapters.db.health import database_ping
from adapters.http.accounts.controller import AccountsController
from adapters.http.content.controller import ContentController
from adapters.http.errors import exception_handlers
from adapters.http.feed.controller import FeedController
from adapters.http.headers import security_headers
from adapters.http.media import media_router
from adapters.http.network.controller import ConnectionController, FollowController
from adapters.http.openapi import document_operations
from adapters.http.profiles.controller import ProfilesController, ProjectsController
from adapters.http.proxies import TrustedProxies
from adapters.http.security import openapi_components, principal_provider
from adapters.http.system import health
from adapters.http.wire import Site
from adapters.storage.local import LocalBlobStorage
from bootstrap.container import Container, build_container
from bootstrap.runtime import running
from bootstrap.settings import load_settings
from core.accounts.corporate import CorporateAccountsService
from core.accounts.deletion import AccountDeletionService
from core.accounts.google import GoogleAccountsService
from core.accounts.organizations import OrganizationsService
from core.accounts.profiles.edit import ProfileEditService
from core.accounts.profiles.insights import ProfileInsightsService
from core.accounts.profiles.pages import ProfilePageService
from core.accounts.profiles.portfolio import PortfolioService
from core.accounts.profiles.records import ProfileRecordsService
from core.accounts.profiles.settings import ProfileSettingsService
from core.accounts.registration import RegistrationService
from core.accounts.reset import PasswordResetService
from core.accounts.sessions import SessionsService
from core.accounts.token_check import TokenCheck

__all__ = ("create_app",)

logger = logging.getLogger("careernexus")

STATIC_DIR = Path(adapters.http.__file__).resolve().parent / "static"

API_DESCRIPTION = """The Career Nexus API (see the contract in spec/career-nexus-api.md).

Errors are JSON: validation errors `{"<field>": ["message"]}` or `{"non_field_errors": ["message"]}`,
hand-written ones `{"error": "message"}`, others `{"detail": "message"}`. Missing or invalid tokens give 401;
a signed-in user without the right gets 403 or 404, never 401. Too many attempts give 429, an unavailable
database or media store 503. Lists are DRF pages `{count, next, previous, results}` with absolute links.
"""


def _openapi(settings_version: str = "1.0.0") -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Career Nexus API",
        version=settings_version,
        description=API_DESCRIPTION,
        path="/schema",
        components=openapi_components,
        render_plugins=[
            SwaggerRenderPlugin(
                js_url="/static/docs/swagger-ui-bundle.js",
                css_url="/static/docs/swagger-ui.css",
                standalone_preset_js_url="/static/docs/swagger-ui-standalone-preset.js",
                favicon="",
                path="/",
            )
        ],
        use_handler_docstrings=False,
    )


def create_app(container: Container | None = None) -> Litestar:
    """Build the app around ``container`` (the SQL profile from the environment when omitted)."""
    if container is None:
        container = build_container(load_settings())
    settings = container.settings()

    # Accounts: one typed dependency per use-case service.
    def provide_registration() -> RegistrationService:
        return container.registration()

    def provide_sessions() -> SessionsService:
        return container.sessions()

    def provide_password_reset() -> PasswordResetService:
        return container.password_reset()

    def provide_google_accounts() -> GoogleAccountsService:
        return container.google_accounts()

    def provide_corporate_accounts() -> CorporateAccountsService:
        return container.corporate_accounts()

    def provide_organizations() -> OrganizationsService:
        return container.organizations()

    def provide_account_deletion() -> AccountDeletionService:
        return container.account_deletion()

    def provide_token_check() -> TokenCheck:
        return container.token_check()

    def provide_profile_pages() -> ProfilePageService:
        return container.profile_pages()

    def provide_profile_edit() -> ProfileEditService:
        return container.profile_edit()

    def provide_profile_records() -> ProfileRecordsService:
        return container.profile_records()

    def provide_portfolio() -> PortfolioService:
        return container.portfolio()

    def provide_profile_settings() -> ProfileSettingsService:
        return container.profile_settings()

    def provide_profile_insights() -> ProfileInsightsService:
        return container.profile_insights()

    def provide_content() -> Any:
        return container.content()

    def provide_feed() -> Any:
        return container.feed()

    def provide_network() -> Any:
        return container.network()

    site = Site(public_url=settings.public_url)

    def provide_site() -> Site:
        return site

    engine = container.engine

    def provide_health() -> Callable[[], Awaitable[bool]]:
        return lambda: database_ping(engine())

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with running(container):
            if settings.gc_tuning:
                gc.collect()
                gc.freeze()
                gc.set_threshold(50_000, 20, 100)
            yield

    route_handlers: list[Any] = [
        AccountsController,
        ProfilesController,
        ProjectsController,
        ContentController,
        FeedController,
        FollowController,
        ConnectionController,
        health,
        create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
    ]
    storage = container.storage()
    if isinstance(storage, LocalBlobStorage):
        route_handlers.append(media_router(storage.resolve))

    app = Litestar(
        route_handlers=[Router(path="/", route_handlers=route_handlers)],
        dependencies={
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
            "content": Provide(provide_content, sync_to_thread=False),
            "feed": Provide(provide_feed, sync_to_thread=False),
            "network": Provide(provide_network, sync_to_thread=False),
            "me": Provide(principal_provider(provide_token_check)),
            "site": Provide(provide_site, sync_to_thread=False),
            "health_check": Provide(provide_health, sync_to_thread=False),
        },
        exception_handlers=exception_handlers,
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-temp-token"],
            max_age=600,
        ),
        openapi_config=_openapi(),
        lifespan=[lifespan],
        request_max_body_size=settings.request_max_body_size,
        # Security headers on every response; X-Forwarded-For believed only from TRUSTED_PROXIES.
        before_send=[security_headers],
        middleware=[proxies.middleware] if (proxies := TrustedProxies(settings.trusted_proxies)) else [],
        debug=False,
        logging_config=None,
    )
    document_operations(app.routes)
    return app
