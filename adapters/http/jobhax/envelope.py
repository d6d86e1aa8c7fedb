"""The JobHax envelope ``{success, error_code, error_message, data}`` and its error codes (behaviors §2.8).

Handled errors answer HTTP 200 with ``success: false``, the documented code and ``data: null`` (the original's
clients read ``success``). A missing or invalid token stays a 401 outside the envelope, a wrong method a 405,
a body that is not a JSON object a 400 (the platform's handlers); rate limits stay 429.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response

from core.shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Unauthenticated

__all__ = (
    "CODES",
    "Envelope",
    "JobhaxFailure",
    "convert_body",
    "envelope_handlers",
    "fail",
    "guarded",
    "ok",
)

T = TypeVar("T")

INVALID_CREDENTIALS = 1
PROFILE_NOT_FOUND = 2
GOOGLE_TOKEN_UPDATE_FAILED = 3
GOOGLE_TOKEN_EXPIRED = 4
LOGOUT_FAILED = 5
LOGIN_FAILED = 6
PASSWORDS_DIFFER = 7
USERNAME_TAKEN = 8
EMAIL_TAKEN = 9
INVALID_PARAMETERS = 10
NOT_FOUND = 11

CODES: dict[int, str] = {
    0: "",
    INVALID_CREDENTIALS: "Invalid credentials",
    PROFILE_NOT_FOUND: "User profile not found.",
    GOOGLE_TOKEN_UPDATE_FAILED: "Error occured while updating the google token.",
    GOOGLE_TOKEN_EXPIRED: "Google token has expired. Please refresh Google token.",
    LOGOUT_FAILED: "Couldnt logout user...",
    LOGIN_FAILED: "Could not login... Please check your credentials...",
    PASSWORDS_DIFFER: "Passwords do not match",
    USERNAME_TAKEN: "That username is taken",
    EMAIL_TAKEN: "That email is being used",
    INVALID_PARAMETERS: "Invalid parameters...",
    NOT_FOUND: "Record not found...",
}


class Envelope(msgspec.Struct):
    success: bool
    error_code: int
    error_message: str
    data: Any = None


def ok(data: Any = None) -> Envelope:
    return Envelope(success=True, error_code=0, error_message="", data=data)


def fail(code: int) -> Envelope:
    return Envelope(success=False, error_code=code, error_message=CODES.get(code, "Unknown error"), data=None)


class JobhaxFailure(Exception):
    """A handled failure: HTTP 200, ``success: false``, ``error_code``."""

    def __init__(self, code: int) -> None:
        super().__init__(CODES.get(code, "Unknown error"))
        self.code = code


async def guarded(code: int, work: Awaitable[T]) -> T:
    """``work``'s result; a domain refusal (bad input, bad credentials, not found, not allowed, conflict)
    becomes the handled failure ``code``."""
    try:
        return await work
    except (InvalidInput, Unauthenticated, NotFound, PermissionDenied, Conflict):
        raise JobhaxFailure(code) from None


def convert_body(kind: type[T], body: Any) -> T:
    """A request body as ``kind``; missing or mistyped fields are ``Invalid parameters...`` (code 10)."""
    try:
        return msgspec.convert(body, kind, strict=False)
    except msgspec.ValidationError:
        raise JobhaxFailure(INVALID_PARAMETERS) from None


def _handled(_: Request[Any, Any, Any], exc: JobhaxFailure) -> Response[Envelope]:
    return Response(fail(exc.code), status_code=200)


envelope_handlers: dict[type[Exception] | int, Any] = {JobhaxFailure: _handled}
