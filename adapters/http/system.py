"""Operational endpoints: health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
from litestar import Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

__all__ = ("HealthRead", "health")

HealthCheck = Callable[[], Awaitable[bool]]


class HealthRead(msgspec.Struct, kw_only=True):
    status: str
    database: str


@get(
    "/health",
    summary="Health",
    description="200 when the database answers within a second, 503 otherwise.",
    tags=["System"],
    responses={503: ResponseSpec(data_container=HealthRead, description="The database is unreachable.")},
)
async def health(health_check: NamedDependency[HealthCheck]) -> Response[HealthRead]:
    ok = await health_check()
    body = HealthRead(status="ok" if ok else "unavailable", database="ok" if ok else "unreachable")
    return Response(body, status_code=200 if ok else 503)
