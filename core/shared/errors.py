"""Error categories every domain error derives from.

The HTTP adapter maps each category to a status code once:
``InvalidInput`` → 400, ``Unauthenticated`` → 401, ``PermissionDenied`` → 403, ``NotFound`` → 404,
``Conflict`` → 409, ``Gone`` → 410, ``RateLimited`` → 429, ``ProviderUnavailable`` → 502/503 ``{"error": msg}``,
``StorageUnavailable`` → 503.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = (
    "Conflict",
    "DomainError",
    "Gone",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "ProviderUnavailable",
    "RateLimited",
    "StorageUnavailable",
    "Unauthenticated",
)

ErrorBody = Mapping[str, "str | list[str]"]


class DomainError(Exception):
    """Base of every error raised by the core."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """Bad input. ``body`` is the exact JSON error body the wire contract documents.

    Shapes (behaviors §15.2): ``{"<field>": ["msg"]}``, ``{"non_field_errors": ["msg"]}``,
    ``{"error": "msg"}`` and a few documented oddities such as ``{"OTP Error": "Invalid OTP"}``.
    """

    def __init__(self, body: ErrorBody) -> None:
        first = next(iter(body.values()), "invalid input")
        super().__init__(first if isinstance(first, str) else (first[0] if first else "invalid input"))
        self.body: dict[str, str | list[str]] = dict(body)

    @classmethod
    def field(cls, name: str, message: str) -> InvalidInput:
        return cls({name: [message]})

    @classmethod
    def non_field(cls, message: str) -> InvalidInput:
        return cls({"non_field_errors": [message]})

    @classmethod
    def error(cls, message: str) -> InvalidInput:
        return cls({"error": message})


class Unauthenticated(DomainError):
    """The caller's credentials are missing, invalid or revoked (401)."""


class PermissionDenied(DomainError):
    """The caller is known but may not do this (403). ``body``: the exact JSON body where the contract documents
    one (e.g. ``{"error": "..."}``); else ``{"detail": message}``."""

    def __init__(self, message: str = "", *, body: ErrorBody | None = None) -> None:
        super().__init__(message)
        self.body: dict[str, str | list[str]] | None = dict(body) if body is not None else None


class NotFound(DomainError):
    """The object does not exist, or is not visible to the caller (404)."""


class Conflict(DomainError):
    """The request conflicts with the current state (409)."""


class Gone(DomainError):
    """The object existed but can no longer be used: an expired or revoked link (410)."""


class ProviderUnavailable(DomainError):
    """An outside provider (a payment gateway, a mail API) failed or answered nonsense; nothing was changed.
    ``status`` is 502 (it answered badly) or 503 (it could not be reached); the body is ``{"error": message}``."""

    def __init__(self, message: str = "The provider is unavailable.", *, status: int = 503) -> None:
        super().__init__(message)
        self.status = status


class RateLimited(DomainError):
    """Too many attempts; ``retry_after`` seconds until the next one is allowed (429)."""

    def __init__(self, message: str = "Too many attempts. Try again later.", retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StorageUnavailable(DomainError):
    """A backing service (database, blob storage) cannot be reached (503)."""
