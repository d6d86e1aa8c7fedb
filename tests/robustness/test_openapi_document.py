"""The OpenAPI document at ``/schema`` describes every operation truthfully: every route is in it, every
operation lists its success code and the error codes with a JSON body, authenticated operations carry the
bearer scheme, query parameters read by handlers are declared, and handlers that read JSON-or-multipart bodies
themselves document both content types."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

from adapters.http.openapi import contract_path
from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import make_settings

ERROR_CODES = {"400", "401", "403", "404", "409", "413", "429", "503"}
# Routes left out of the document on purpose: the document itself, the offline Swagger UI assets, and the
# Prometheus scrape target (text format for operators, mounted only with METRICS_ENABLED; not API contract).
UNDOCUMENTED_PREFIXES = ("/schema", "/static", "/metrics")
# Operations anyone may call (no bearer scheme).
PUBLIC = {
    ("POST", "/user/signup/"),
    ("POST", "/user/signin/"),
    ("POST", "/user/token/refresh/"),
    ("POST", "/user/forget-password/"),
    ("POST", "/user/hash/verify/"),
    ("POST", "/user/google/signup/"),
    ("POST", "/user/google/signin/"),
    ("GET", "/info/country-permit/"),
    ("GET", "/info/exchange-rate/"),
    ("GET", "/info/"),
    ("POST", "/user/newsletter-subscribe/"),
    ("GET", "/user/newsletter-unsubscribe/"),
    ("POST", "/user/lead/register/"),
    ("GET", "/post/share/"),
    ("GET", "/job/search/"),
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/media/{key}"),
    ("POST", "/payments/stripe/webhook/"),
    ("POST", "/payments/flutterwave/webhook/"),
    ("GET", "/payments/stripe/redirect/"),
    ("GET", "/payments/callback/"),
    ("GET", "/payments/sandbox/"),
    ("POST", "/payments/sandbox/"),
    ("POST", "/api/auth/register/"),
    ("POST", "/api/auth/login/"),
    ("POST", "/api/auth/logout/"),
    ("POST", "/api/token/"),
    ("POST", "/api/token/refresh/"),
    ("POST", "/api/users/login/"),
    ("POST", "/api/users/register/"),
    ("POST", "/api/users/logout/"),
    ("POST", "/api/users/refresh_token/"),
    ("POST", "/api/users/auth_social_user/"),
    ("GET", "/ats/public/screenings/{key}/"),
    ("POST", "/ats/public/screenings/{key}/complete/"),
    ("GET", "/ats/public/tests/{key}/"),
    ("POST", "/ats/public/tests/{key}/complete/"),
    ("GET", "/ats/check-email/{job_id}/{email}/"),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Litestar:
    # Local storage, so the media route is mounted and must be documented too.
    tmp: Path = tmp_path_factory.mktemp("openapi")
    return create_app(build_container(make_settings(tmp, storage_backend="local", metrics_enabled=True)))


@pytest.fixture(scope="module")
def document(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()


def _handlers(app: Litestar) -> list[tuple[str, str, HTTPRouteHandler]]:
    found: list[tuple[str, str, HTTPRouteHandler]] = []
    for route in app.routes:
        if route.path.startswith(UNDOCUMENTED_PREFIXES):
            continue
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            for method in handler.http_methods:
                if method in ("OPTIONS", "HEAD"):
                    continue
                found.append((method, _doc_path(route.path), handler))
    return found


def _doc_path(path: str) -> str:
    # "/project/{project_id:int}" is documented as "/project/{project_id}/" (the contract's trailing slash).
    parts = [p.split(":", 1)[0] + "}" if p.startswith("{") else p for p in path.split("/")]
    return contract_path("/".join(parts).rstrip("/") or "/")


def test_every_route_is_documented(app: Litestar, document: dict[str, Any]) -> None:
    handlers = _handlers(app)
    assert len(handlers) >= 80
    missing = [(m, p) for m, p, _ in handlers if m.lower() not in document["paths"].get(p, {})]
    assert missing == []


def test_every_operation_documents_success_and_error_codes(app: Litestar, document: dict[str, Any]) -> None:
    for method, path, handler in _handlers(app):
        op = document["paths"][path][method.lower()]
        codes = set(op["responses"])
        assert str(handler.status_code) in codes, (method, path, codes)
        assert ERROR_CODES <= codes, (method, path, ERROR_CODES - codes)
        for code in ERROR_CODES:
            assert "application/json" in op["responses"][code]["content"], (method, path, code)


def test_bearer_scheme_on_every_authenticated_operation(app: Litestar, document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["BearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for method, path, _ in _handlers(app):
        op = document["paths"][path][method.lower()]
        if (method, path) in PUBLIC:
            assert not op.get("security"), (method, path)
        else:
            assert op.get("security") == [{"BearerAuth": []}], (method, path)


def test_query_parameters_are_declared(app: Litestar, document: dict[str, Any]) -> None:
    """Handlers take their query parameters as declared arguments (none reads ``request.query_params``), and
    every declared query or path parameter is in the document under its wire name."""
    for method, path, handler in _handlers(app):
        assert "query_params" not in inspect.getsource(handler.fn), (method, path)
        expected = {
            getattr(field.kwarg_definition, "name", None) or name
            for name, field in handler.parsed_fn_signature.parameters.items()
            if type(field.kwarg_definition).__name__ in ("QueryParameter", "PathParameter")
        }
        expected |= {part[1:-1] for part in path.split("/") if part.startswith("{")}
        documented = {p["name"] for p in document["paths"][path][method.lower()].get("parameters", [])}
        assert expected <= documented, (method, path, expected - documented)


def test_json_or_multipart_handlers_document_both_bodies(app: Litestar, document: dict[str, Any]) -> None:
    readers = []
    for method, path, handler in _handlers(app):
        if "read_body(" not in inspect.getsource(handler.fn):
            continue
        readers.append((method, path))
        assert handler.opt.get("form"), f"{method} {path} reads its body itself but declares no opt['form']"
        body = document["paths"][path][method.lower()]["requestBody"]
        assert set(body["content"]) == {"application/json", "multipart/form-data"}, (method, path)
        model, files = handler.opt["form"]
        multipart = body["content"]["multipart/form-data"]["schema"]["properties"]
        for name in files:
            assert multipart[name] == {"type": "string", "format": "binary"}, (method, path, name)
        for name in model.__struct_fields__:
            assert name in body["content"]["application/json"]["schema"]["properties"], (method, path, name)
    assert sorted(readers) == sorted(
        [
            ("PUT", "/user/profile-update/"),
            ("POST", "/user/corporate/signup/"),
            ("POST", "/project/"),
            ("POST", "/post/"),
            ("POST", "/post/comment/"),
            ("POST", "/info/library/"),
            ("POST", "/newsletter/create/"),
            ("POST", "/api/users/login/"),
            ("POST", "/api/users/register/"),
            ("POST", "/api/users/logout/"),
            ("POST", "/api/users/refresh_token/"),
            ("POST", "/api/users/auth_social_user/"),
            ("POST", "/api/users/update_gmail_token/"),
            ("POST", "/api/users/upload_emails/"),
            ("POST", "/ats/candidates/"),
        ]
    )


def test_list_pages_document_their_envelope(document: dict[str, Any]) -> None:
    """Paginated lists answer ``{count, next, previous, results}``, not an untyped object."""
    for path in ("/post/posted/", "/post/by-user/", "/post/by-mentors/", "/post/following/",
                 "/follow/recommendation/", "/connection/recommendation/", "/user/search/"):
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        ref = schema["$ref"].rsplit("/", 1)[-1]
        required = set(document["components"]["schemas"][ref]["required"])
        assert {"count", "next", "previous", "results"} <= required, (path, required)
