"""One table from error categories to HTTP answers; every error body is JSON."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from adapters.http.observability import request_id
from adapters.http.wire import pattern_message
from core.shared.errors import (
    Conflict,
    Gone,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
    StorageUnavailable,
    Unauthenticated,
)

__all__ = ("exception_handlers", "validation_body")

logger = logging.getLogger("careernexus.http")

_MISSING = re.compile(r"missing required field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$(?:\.([A-Za-z0-9_]+))?[^`]*`$")


def _friendly(message: str) -> str:
    if _MISSING.search(message):
        return "This field is required."
    message = _AT_PATH.sub("", message)
    pattern = pattern_message(message)
    if pattern is not None:
        return pattern
    if message.startswith("Expected `"):
        return message.replace("`", "").replace("Expected", "Invalid value: expected", 1) + "."
    return message


def validation_body(errors: list[dict[str, Any]] | None, fallback: str) -> dict[str, list[str]]:
    """Litestar/msgspec validation errors in the DRF shape ``{"field": ["msg"]}``."""
    body: dict[str, list[str]] = {}
    for err in errors or []:
        message = str(err.get("message", fallback))
        key = err.get("key")
        missing = _MISSING.search(message)
        if missing:
            key = missing.group(1)
        else:
            at = _AT_PATH.search(message)
            if at and at.group(1):
                key = at.group(1)
        name = str(key) if key and err.get("source") in (None, "body") else (str(key) if key else "non_field_errors")
        body.setdefault(name or "non_field_errors", []).append(_friendly(message))
    return body or {"non_field_errors": [fallback]}


def _json(status: int, content: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(content=content, status_code=status, media_type=MediaType.JSON, headers=headers)


def _invalid(_: Request[Any, Any, Any], exc: InvalidInput) -> Response[Any]:
    return _json(400, exc.body)


def _unauthenticated(_: Request[Any, Any, Any], exc: Unauthenticated) -> Response[Any]:
    return _json(401, {"detail": exc.message, "code": "token_not_valid"}, {"WWW-Authenticate": 'Bearer realm="api"'})


def _forbidden(_: Request[Any, Any, Any], exc: PermissionDenied) -> Response[Any]:
    if exc.body is not None:
        return _json(403, exc.body)
    return _json(403, {"detail": exc.message or "You do not have permission to perform this action."})


def _not_found(_: Request[Any, Any, Any], exc: NotFound) -> Response[Any]:
    return _json(404, {"detail": exc.message or "Not found."})


def _conflict(_: Request[Any, Any, Any], exc: Conflict) -> Response[Any]:
    return _json(409, {"detail": exc.message})


def _gone(_: Request[Any, Any, Any], exc: Gone) -> Response[Any]:
    return _json(410, {"detail": exc.message or "Gone."})


def _provider(_: Request[Any, Any, Any], exc: ProviderUnavailable) -> Response[Any]:
    return _json(exc.status, {"error": exc.message, "request_id": request_id.get() or ""})


def _throttled(_: Request[Any, Any, Any], exc: RateLimited) -> Response[Any]:
    return _json(429, {"detail": exc.message}, {"Retry-After": str(exc.retry_after)})


def _server_error(status: int, detail: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    """A 5xx body names the request (``request_id``, also in the response header and the log lines)."""
    return _json(status, {"detail": detail, "request_id": request_id.get() or ""}, headers)


def _unavailable(_: Request[Any, Any, Any], exc: StorageUnavailable) -> Response[Any]:
    return _server_error(503, exc.message or "Service temporarily unavailable.", {"Retry-After": "1"})


def _validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    extra = exc.extra if isinstance(exc.extra, list) else None
    if extra is None and "JSON" in (exc.detail or ""):
        return _json(400, {"detail": f"JSON parse error - {exc.detail}"})
    return _json(400, validation_body(extra, exc.detail or "Invalid input."))


def _undecodable(_: Request[Any, Any, Any], exc: UnicodeDecodeError | RecursionError) -> Response[Any]:
    # Raised while decoding a request body: bytes that are not UTF-8, or JSON nested deeper than the decoder
    # recurses. Nothing in the services recurses or decodes bytes, so these are always the client's input.
    reason = "invalid UTF-8" if isinstance(exc, UnicodeDecodeError) else "nested too deeply"
    return _json(400, {"detail": f"JSON parse error - {reason}"})


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.status_code >= 500 and exc.status_code != 503:
        return _unexpected(request, exc)
    detail = exc.detail
    if exc.status_code == 404:
        # Never echo the requested path (the static files router puts it in its message): a 404 body that
        # reflects attacker-chosen text is a content-injection vector.
        detail = "Not found."
    if exc.status_code >= 500:
        return _server_error(exc.status_code, detail, dict(exc.headers or {}))
    body: dict[str, Any] = {"detail": detail}
    if exc.status_code == 401:
        body = {"detail": detail or "Authentication credentials were not provided."}
    return _json(exc.status_code, body, dict(exc.headers or {}))


def _out_of_range(exc: BaseException) -> bool:
    """``exc`` is, or was raised from, an OverflowError: a date at the edge of what a datetime holds moved into
    another time zone, or a number too large for its type (also when the database driver raised it on binding)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OverflowError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if _out_of_range(exc):
        logger.warning("out-of-range input", extra={"method": request.method, "path": request.url.path})
        return _json(400, {"non_field_errors": ["A date or number is out of range."]})
    logger.error(
        "unhandled error",
        exc_info=exc,
        extra={"method": request.method, "path": request.url.path},
    )
    return _server_error(HTTP_500_INTERNAL_SERVER_ERROR, "A server error occurred.")


exception_handlers: dict[type[Exception] | int, Any] = {
    InvalidInput: _invalid,
    Unauthenticated: _unauthenticated,
    PermissionDenied: _forbidden,
    NotFound: _not_found,
    Conflict: _conflict,
    Gone: _gone,
    ProviderUnavailable: _provider,
    RateLimited: _throttled,
    StorageUnavailable: _unavailable,
    ValidationException: _validation,
    UnicodeDecodeError: _undecodable,
    RecursionError: _undecodable,
    HTTPException: _http,
    HTTP_500_INTERNAL_SERVER_ERROR: _unexpected,
    Exception: _unexpected,
}
