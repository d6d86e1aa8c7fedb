"""Bearer authentication: the caller's identity from an access token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException
from litestar.openapi.spec import Components, SecurityScheme

from core.accounts.token_check import TokenCheck

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
    """The authenticated caller: the account, the session its token belongs to, and when it was issued."""

    user_id: int
    session_id: str
    issued_at: datetime


def principal_provider(
    token_check: Callable[[], TokenCheck],
) -> Callable[[Request[Any, Any, Any]], Awaitable[Principal]]:
    """A Litestar dependency resolving ``Principal`` from ``Authorization: Bearer <token>`` with the token check
    ``token_check()`` returns (looked up per request, so a test's override applies).

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
        checked = await token_check().caller(token.strip())
        return Principal(user_id=checked.user_id, session_id=checked.session_id, issued_at=checked.issued_at)

    return provide
