"""Bearer authentication: the caller's identity from an access token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException
from litestar.openapi.spec import Components, SecurityScheme

__all__ = ("BEARER", "Principal", "openapi_components", "principal_provider")

BEARER: list[dict[str, list[str]]] = [{"BearerAuth": []}]

openapi_components = Components(
    security_schemes={
        "BearerAuth": SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="Access token from /user/signin/ (or signup, switch-account, token refresh).",
        )
    }
)


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    user_id: int


def principal_provider(
    authenticate: Callable[[], Callable[[str], Awaitable[int]]],
) -> Callable[[Request[Any, Any, Any]], Awaitable[Principal]]:
    """A Litestar dependency resolving ``Principal`` from ``Authorization: Bearer <token>``.

    No header → 401 "Authentication credentials were not provided."; a bad token → 401 from the
    token adapter (``Unauthenticated``).
    """

    async def provide(request: Request[Any, Any, Any]) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            raise NotAuthorizedException(detail="Authentication credentials were not provided.")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException(detail="Authorization header must contain two space-delimited values")
        user_id = await authenticate()(token.strip())
        return Principal(user_id=user_id)

    return provide
