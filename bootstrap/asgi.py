"""The ASGI application factory."""

from __future__ import annotations

import contextlib
import gc
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from litestar import Controller, Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.handlers import BaseRouteHandler
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

import adapters.http
from adapters.db.engine import is_sqlite
from adapters.db.health import database_ping
from adapters.http.errors import exception_handlers
from adapters.http.headers import security_headers
from adapters.http.media import media_router
from adapters.http.observability import observed
from adapters.http.openapi import ContractOpenAPIConfig, document_operations
from adapters.http.proxies import TrustedProxies
from adapters.http.security import openapi_components
from adapters.http.system import health, metrics_route, ready
from adapters.http.wire import Site
from adapters.storage.local import LocalBlobStorage
from bootstrap.container import AppContainer, build_container
from bootstrap.domain import DomainModule
from bootstrap.runtime import running
from bootstrap.settings import load_settings
from bootstrap.tasks import queue_ping
from ports.readcache import ReadCache

__all__ = ("create_app",)

logger = logging.getLogger("careernexus")

STATIC_DIR = Path(adapters.http.__file__).resolve().parent / "static"

API_DESCRIPTION = """The Career Nexus API (see the contract in spec/career-nexus-api.md).

Errors are JSON: validation errors `{"<field>": ["message"]}` or `{"non_field_errors": ["message"]}`,
hand-written ones `{"error": "message"}`, others `{"detail": "message"}`. Missing or invalid tokens give 401;
a signed-in user without the right gets 403 or 404, never 401. Too many attempts give 429, an unavailable
database or media store 503. Lists are DRF pages `{count, next, previous, results}` with absolute links.
"""


def _openapi(settings_version: str = "1.0.0") -> ContractOpenAPIConfig:
    return ContractOpenAPIConfig(
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


def create_app(container: AppContainer | None = None) -> Litestar:
    """Build the app around ``container`` (the SQL profile from the environment when omitted): the platform's
    routes, and each domain module's controllers and typed dependencies."""
    if container is None:
        container = build_container(load_settings())
    platform = container.platform()
    settings = platform.settings()

    site = Site(public_url=settings.http.public_url)

    def provide_site() -> Site:
        return site

    read_cache = platform.read_cache()

    def provide_read_cache() -> ReadCache:
        return read_cache

    engine = platform.engine

    def ping_database() -> Awaitable[bool]:
        return database_ping(engine())

    def provide_health() -> Callable[[], Awaitable[bool]]:
        return ping_database

    readiness: dict[str, Callable[[], Awaitable[bool]]] = {"database": ping_database}
    if (redis_ping := platform.redis_ping()) is not None:
        readiness["redis"] = redis_ping
    readiness["queue"] = queue_ping(container)
    if (dispatcher := platform.engine_dispatcher()) is not None:
        readiness["engine"] = dispatcher.ping  # QUEUE=saq: the engine's Redis

    def provide_readiness() -> dict[str, Callable[[], Awaitable[bool]]]:
        return readiness

    metrics = platform.metrics()
    if metrics is not None and not is_sqlite(settings.database.url):
        metrics.watch_pool(engine())

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with running(container):
            if settings.http.gc_tuning:
                gc.collect()
                gc.freeze()
                gc.set_threshold(50_000, 20, 100)
            yield

    dependencies: dict[str, Provide] = {
        "site": Provide(provide_site, sync_to_thread=False),
        "read_cache": Provide(provide_read_cache, sync_to_thread=False),
        "health_check": Provide(provide_health, sync_to_thread=False),
        "readiness_checks": Provide(provide_readiness, sync_to_thread=False),
    }
    routers: list[ControllerRouterHandler] = []
    domains: tuple[DomainModule[Any], ...] = container.domains()
    for domain in domains:
        inner = domain.of(container)
        for name, provide in domain.dependencies(inner).items():
            if name in dependencies:
                raise ValueError(f"dependency {name!r} of domain {domain.name!r} is already provided")
            dependencies[name] = provide
    for domain in domains:
        routers.append(_scoped(domain.controllers, dependencies))
    route_handlers: list[ControllerRouterHandler] = [
        health,
        ready,
        create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
    ]
    storage = platform.storage()
    if isinstance(storage, LocalBlobStorage):
        route_handlers.append(media_router(storage.resolve))
    if metrics is not None:
        route_handlers.append(metrics_route(metrics.render, settings.metrics.token.get()))

    proxies = TrustedProxies(settings.http.trusted_proxies)
    app = Litestar(
        route_handlers=[*routers, _scoped(route_handlers, dependencies)],
        exception_handlers=exception_handlers,
        cors_config=CORSConfig(
            allow_origins=list(settings.http.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-temp-token"],
            max_age=600,
        ),
        openapi_config=_openapi(),
        lifespan=[lifespan],
        request_max_body_size=settings.http.request_max_body_size,
        # Security headers on every response; X-Forwarded-For believed only from TRUSTED_PROXIES.
        before_send=[security_headers],
        middleware=[proxies.middleware] if proxies else [],
        debug=False,
        logging_config=None,
    )
    document_operations(app.routes)
    # Around everything (route middleware does not see requests no route matched): the request id (from a
    # trusted proxy's X-Request-ID, else new) and the request metrics, before X-Forwarded-For rewrites the peer.
    app.asgi_handler = observed(app.asgi_handler, proxies=proxies, metrics=metrics)
    return app


def _scoped(handlers: Sequence[ControllerRouterHandler], dependencies: Mapping[str, Provide]) -> Router:
    """A router for ``handlers`` with just the dependencies they name (and what those dependencies name in turn).

    Litestar resolves every dependency of every layer for every handler and checks each against all the others:
    app-wide, the cost grows with handlers × dependencies², and creating the app (once per test) came to dominate
    the test suite as domains were added. Scoped per domain, each handler resolves a handful."""
    wanted: set[str] = set()
    for handler in handlers:
        wanted |= _parameters(handler)
    needed: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in needed or name not in dependencies:
            continue
        needed.add(name)
        wanted |= set(inspect.signature(dependencies[name].dependency).parameters)
    scoped = {n: dependencies[n] for n in sorted(needed)}
    return _OwnRouter(path="/", route_handlers=list(handlers), dependencies=scoped)


class _OwnRouter(Router):
    """A router built for one app and registered on it once: Litestar deep-copies a registered router (in case it
    is shared between apps), which copied every handler of the domain again and was a third of creating the app."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _OwnRouter:
        return self


def _parameters(handler: Any) -> set[str]:
    if isinstance(handler, BaseRouteHandler):
        return set(inspect.signature(handler.fn).parameters)
    if isinstance(handler, Router):  # the static and media file routers
        inner = (h for route in handler.routes for h in getattr(route, "route_handlers", ()))
        return {name for h in inner for name in _parameters(h)}
    if isinstance(handler, type) and issubclass(handler, Controller):
        found: set[str] = set()
        for name in dir(handler):
            value = getattr(handler, name, None)
            if isinstance(value, BaseRouteHandler):
                found |= _parameters(value)
        return found
    return set()
