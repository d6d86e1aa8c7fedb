"""Make the OpenAPI document truthful about errors: every operation lists the error answers it can give."""

from __future__ import annotations

from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, Operation, PathItem, Schema

__all__ = ("document_errors",)

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


def _operations(item: PathItem) -> list[Operation]:
    return [
        op
        for op in (item.get, item.put, item.post, item.delete, item.patch, item.options, item.head, item.trace)
        if op is not None
    ]


def document_errors(schema: OpenAPI) -> OpenAPI:
    """Add the error answers to every operation (secured ones also get 401 and 403)."""
    for path, item in (schema.paths or {}).items():
        for op in _operations(item):
            responses = op.responses if op.responses is not None else {}
            codes = ["400", "404", "409", "413", "429", "503"]
            if op.security:
                codes += ["401", "403"]
            if path.startswith(("/schema", "/static")):
                continue
            for code in codes:
                if code not in responses:
                    responses[code] = OpenAPIResponse(
                        description=_DESCRIPTIONS[code],
                        content={"application/json": OpenAPIMediaType(schema=_ERROR)},
                    )
            op.responses = responses
    return schema
