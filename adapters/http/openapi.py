"""Make the OpenAPI document truthful: every operation lists the error answers it can give, and every path is
spelled as the contract spells it (with its trailing slash)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, Operation, RequestBody, Schema
from litestar.routes import BaseRoute

__all__ = (
    "PROFILE_READ_NOTE",
    "UNSLASHED_PATHS",
    "ContractOpenAPIConfig",
    "DocumentedOperation",
    "contract_path",
    "document_operations",
    "record_cap_note",
    "write_budget_note",
)


def write_budget_note(what: str) -> str:
    """The operation description's sentence on per-user write budgets (issue 16 rule 12)."""
    return (
        f" Each user may write {what} 30 times a minute and 500 times a day (defaults of `WRITE_LIMIT_PER_MINUTE` "
        "and `WRITE_LIMIT_PER_DAY`); past that → 429 `{\"detail\": \"Request was throttled. …\"}` with "
        "`Retry-After` (seconds)."
    )


def record_cap_note(records: str) -> str:
    """The operation description's sentence on the per-profile cap of sub-records."""
    return (
        f" A profile holds at most 100 {records} (default of `PROFILE_RECORDS_MAX`); adding one more → 400 "
        f"`{{\"non_field_errors\": [\"A profile can hold at most 100 {records}.\"]}}`."
    )


PROFILE_READ_NOTE = (
    " Reads of another user's profile, analytics or portfolio by `user_id` share a budget per viewer of 120 a "
    "minute (default of `PROFILE_READS_PER_MINUTE`); past that → 429 with `Retry-After`."
)

_ERROR = Schema(
    type="object",  # type: ignore[arg-type]
    description=(
        'A JSON error: `{"detail": "..."}`, `{"error": "..."}`, `{"<field>": ["..."]}` or '
        '`{"non_field_errors": ["..."]}`.'
    ),
    additional_properties=True,
)

_DESCRIPTIONS = {
    "400": "Malformed input (JSON error body in the documented shapes).",
    "401": "Missing, invalid or expired access token.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found (or not visible to the caller).",
    "409": "Conflicts with the current state.",
    "413": "Request body too large.",
    "429": "Too many attempts; see Retry-After.",
    "503": "The database or media storage is unavailable; retry later.",
}


class DocumentedOperation(Operation):
    """An operation that also lists the error answers it can give; 400 uses our error shapes, not Litestar's
    generated validation-error schema. Litestar builds it (``HTTPRouteHandler.operation_class``) when the
    document is first asked for."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        responses = dict(self.responses or {})
        for code, description in _DESCRIPTIONS.items():
            if code not in responses or code == "400":
                responses[code] = OpenAPIResponse(
                    description=description, content={"application/json": OpenAPIMediaType(schema=_ERROR)}
                )
        self.responses = responses


def _schema(data: dict[str, Any], defs: dict[str, Any]) -> Schema:
    if "$ref" in data:
        return _schema(defs[data["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in data:
        return Schema(one_of=[_schema(d, defs) for d in data["anyOf"]])
    return Schema(
        type=data.get("type"),
        format=data.get("format"),
        description=data.get("description"),
        max_length=data.get("maxLength"),
        min_length=data.get("minLength"),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        pattern=data.get("pattern"),
        items=_schema(data["items"], defs) if "items" in data else None,
        properties={k: _schema(v, defs) for k, v in data.get("properties", {}).items()} or None,
        required=data.get("required") or None,
    )


def _defs_required(generated: dict[str, Any]) -> bool:
    ref = generated.get("$ref")
    if not ref:
        return False
    return bool(generated.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {}).get("required"))


def _form_body(model: type[Any], files: tuple[str, ...]) -> RequestBody:
    generated = msgspec.json.schema(model)
    base = _schema(generated, generated.get("$defs", {}))
    multipart = _schema(generated, generated.get("$defs", {}))
    multipart.properties = dict(multipart.properties or {})
    for name in files:
        multipart.properties[name] = Schema(type="string", format="binary")  # type: ignore[arg-type]
    # A form whose fields are all optional accepts a missing body (an empty update).
    return RequestBody(
        required=bool(generated.get("required") or _defs_required(generated)),
        content={
            "application/json": OpenAPIMediaType(schema=base),
            "multipart/form-data": OpenAPIMediaType(schema=multipart),
        },
    )


def _form_operation(model: type[Any], files: tuple[str, ...]) -> type[Operation]:
    body = _form_body(model, files)

    class FormOperation(DocumentedOperation):
        """Request body of a handler that reads JSON *or* multipart itself (``opt={"form": (Struct, files)}``)."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.request_body = body

    return FormOperation


def document_operations(routes: Iterable[BaseRoute]) -> None:
    """Give every documented handler of an app's ``routes`` (its own copies) the operation class that documents
    its errors, and its JSON-or-multipart body when it reads one. Public Litestar API only; the document is
    still built lazily, on the first request for it."""
    for route in routes:
        if route.path.startswith(("/schema", "/static")):
            continue
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            form = handler.opt.get("form")
            handler.operation_class = _form_operation(*form) if form else DocumentedOperation


# Operational routes outside the contract, served and documented without a trailing slash. Every other path
# (the contract's, ``../shared/spec/career-nexus-api.md``, and our additions such as ``/user/token/refresh/``) is
# declared with one, and Litestar serves it with or without.
UNSLASHED_PATHS = frozenset({"/health", "/ready", "/metrics", "/media/{key}"})


def contract_path(path: str) -> str:
    """``path`` as the OpenAPI document names it: Litestar stores route paths without their trailing slash
    (``/post``); the contract's clients call ``/post/``."""
    if path.endswith("/") or path in UNSLASHED_PATHS:
        return path
    return f"{path}/"


class _ContractOpenAPI(OpenAPI):
    """The document whose ``paths`` are renamed to their contract spelling as Litestar sets them."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "paths" and value:
            value = {contract_path(path): item for path, item in value.items()}
        super().__setattr__(name, value)


class ContractOpenAPIConfig(OpenAPIConfig):
    """``OpenAPIConfig`` whose document names every path with its trailing slash, exactly as the contract
    (public API only: Litestar builds the document from ``to_openapi_schema()`` and then sets its ``paths``)."""

    def to_openapi_schema(self) -> OpenAPI:
        base = super().to_openapi_schema()
        return _ContractOpenAPI(**{f.name: getattr(base, f.name) for f in fields(base) if f.init})
