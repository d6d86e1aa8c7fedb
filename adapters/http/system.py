"""Operational endpoints: liveness (``/health``), readiness (``/ready``) and Prometheus metrics (``/metrics``)."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from core.shared.errors import Unauthenticated

__all__ = ("HealthRead", "ReadyRead", "health", "metrics_route", "ready")

HealthCheck = Callable[[], Awaitable[bool]]
ReadinessChecks = Mapping[str, Callable[[], Awaitable[bool]]]


class HealthRead(msgspec.Struct, kw_only=True):
    status: str
    database: str


class ReadyRead(msgspec.Struct, kw_only=True):
    status: str  # "ready" or "unavailable"
    checks: dict[str, str]  # dependency -> "ok" or "unreachable"
    down: list[str]  # the unreachable dependencies


@get(
    "/health",
    summary="Health",
    description="Liveness: 200 when the database answers within a second, 503 otherwise.",
    tags=["System"],
    responses={503: ResponseSpec(data_container=HealthRead, description="The database is unreachable.")},
)
async def health(health_check: NamedDependency[HealthCheck]) -> Response[HealthRead]:
    ok = await health_check()
    body = HealthRead(status="ok" if ok else "unavailable", database="ok" if ok else "unreachable")
    return Response(body, status_code=200 if ok else 503)


@get(
    "/ready",
    summary="Readiness",
    description=(
        "Readiness: 200 when every dependency answers within a second (the database; Redis when `REDIS_URL` is "
        "set), 503 naming the unreachable ones in `down` otherwise."
    ),
    tags=["System"],
    responses={503: ResponseSpec(data_container=ReadyRead, description="A dependency is unreachable.")},
)
async def ready(readiness_checks: NamedDependency[ReadinessChecks]) -> Response[ReadyRead]:
    names = list(readiness_checks)
    results = await asyncio.gather(*(check() for check in readiness_checks.values()))
    checks = {name: "ok" if ok else "unreachable" for name, ok in zip(names, results, strict=True)}
    down = [name for name, ok in zip(names, results, strict=True) if not ok]
    body = ReadyRead(status="unavailable" if down else "ready", checks=checks, down=down)
    return Response(body, status_code=503 if down else 200)


def metrics_route(render: Callable[[], tuple[bytes, str]], token: str) -> HTTPRouteHandler:
    """``GET /metrics``: the Prometheus exposition; with ``token`` set, only for ``Authorization: Bearer <token>``.

    Not in the OpenAPI document: it is an operator's scrape target (Prometheus text format, mounted only when
    ``METRICS_ENABLED``), not part of the API contract the frontends use."""
    expected = f"Bearer {token}".encode() if token else b""

    # In a worker thread: with ``serve --workers N`` rendering reads every worker's files (blocking file I/O).
    @get("/metrics", include_in_schema=False, sync_to_thread=True)
    def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
        if expected:
            given = request.headers.get("authorization", "").encode("latin-1", "replace")
            if not hmac.compare_digest(given, expected):
                raise Unauthenticated("Metrics need the configured bearer token.")
        content, media_type = render()
        return Response(content, media_type=media_type, headers={"Cache-Control": "no-store"})

    return metrics
