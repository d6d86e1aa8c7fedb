"""The OpenAPI document names every path as the contract does (``../shared/spec/career-nexus-api.md``), trailing
slash included: a client generated from the document calls the paths the contract documents.

``spec_paths.txt`` is the contract's list of HTTP paths (every ``**Endpoint:**`` of the spec without its query
string, with a leading slash, websockets left out); when the spec is beside the repository the first test checks
the list is still the spec's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from adapters.http.openapi import UNSLASHED_PATHS
from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "spec" / "career-nexus-api.md"
SPEC_PATHS = frozenset(
    line.strip() for line in (Path(__file__).with_name("spec_paths.txt")).read_text().splitlines() if line.strip()
)


def spec_paths(markdown: str) -> set[str]:
    found = set()
    for raw in re.findall(r"\*\*Endpoint:\*\*\s*`([^`]+)`", markdown):
        path = raw.split("?", 1)[0].strip()
        path = path if path.startswith("/") else f"/{path}"
        if not path.startswith("/ws/"):
            found.add(path)
    return found


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Litestar:
    tmp: Path = tmp_path_factory.mktemp("openapi-paths")
    return create_app(build_container(make_settings(tmp, storage_backend="local", metrics_enabled=True)))


@pytest.fixture(scope="module")
def documented(app: Litestar) -> list[str]:
    with TestClient(app=app) as client:
        served: dict[str, Any] = client.get("/schema/openapi.json").json()
    assert sorted(served["paths"]) == sorted(app.openapi_schema.to_schema()["paths"])
    return sorted(served["paths"])


def test_the_checked_in_list_is_the_specs() -> None:
    if not SPEC.exists():
        pytest.skip(f"the contract is not beside the repository ({SPEC})")
    assert spec_paths(SPEC.read_text()) == set(SPEC_PATHS)


def test_every_contract_path_is_documented_with_its_spelling(documented: list[str]) -> None:
    by_stem = {p.rstrip("/"): p for p in SPEC_PATHS}
    misspelled = [(p, by_stem[p.rstrip("/")]) for p in documented if p.rstrip("/") in by_stem and p not in SPEC_PATHS]
    assert misspelled == []
    implemented = [p for p in documented if p in SPEC_PATHS]
    assert {"/post/", "/post/comment/", "/user/signout/", "/user/hash/verify/", "/connection/"} <= set(implemented)
    assert len(implemented) >= 50


def test_our_additions_end_with_a_slash_too(documented: list[str]) -> None:
    """Paths the contract does not name (token refresh, corporate verify, a project by id…) follow its style;
    only the operational routes (health, readiness, metrics, media files) have no trailing slash."""
    additions = [p for p in documented if p not in SPEC_PATHS]
    assert "/user/token/refresh/" in additions
    assert [p for p in additions if not p.endswith("/") and p not in UNSLASHED_PATHS] == []
    assert {"/health", "/ready", "/media/{key}"} <= set(additions)


@pytest.mark.parametrize("path", ["/post/", "/post", "/user/signout/"])
def test_both_spellings_still_route(app: Litestar, path: str) -> None:
    with TestClient(app=app) as client:
        assert client.get(path).status_code in (401, 405)  # routed (no token / wrong method), not 404
