"""Schemathesis over every operation of the OpenAPI document, against a live server, signed in as a real
user, with its standard checks; any finding fails the suite. Examples per operation:
``CAREERNEXUS_FUZZ_EXAMPLES`` (default 25)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import PASSWORD, PG_URL, _truncate_pg, code_in, make_settings
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.db]

EXAMPLES = int(os.environ.get("CAREERNEXUS_FUZZ_EXAMPLES", "25"))
# The standard checks: no server errors, documented status codes, right content type, responses that match
# their schema (and documented headers), and schema-violating requests refused with a 4xx.
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
    )
)

# Operations that read JSON *or* multipart bodies (files as parts): both kinds must have been sent.
MULTIPART_OPERATIONS = [
    ("PUT", "/user/profile-update"),
    ("POST", "/user/corporate/signup"),
    ("POST", "/project"),
    ("POST", "/post"),
    ("POST", "/info/library"),
    ("POST", "/newsletter/create"),
    ("POST", "/post/comment"),
]

# Operations that would end the fuzzing session's own identity; covered by the e2e tests instead.
EXCLUDED_PATHS = ["/user/delete/"]  # as the document spells it (the contract's trailing slash)


def _sign_up(base: str, mailer: Any, email: str) -> str:
    body = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    assert httpx.post(f"{base}/user/signup/", json=body).status_code == 201
    deadline = time.monotonic() + 5
    while not [m for m in mailer.sent if m.to == email]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    code = code_in([m for m in mailer.sent if m.to == email][-1])
    done = httpx.post(f"{base}/user/signup/", json={**body, "otp": code})
    assert done.status_code == 201, done.text
    return str(done.json()["access"])


@pytest.fixture(scope="module")
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("fuzz")
    if PG_URL:
        url = request.getfixturevalue("_pg_migrated")
        _truncate_pg(url)
    else:
        template: Path = request.getfixturevalue("_sqlite_template")
        shutil.copyfile(template, tmp / "fuzz.db")
        url = f"sqlite+aiosqlite:///{tmp / 'fuzz.db'}"
    # One fuzzing user sends hundreds of writes and profile reads a minute: budgets high enough that every example
    # reaches the code it targets (the production budgets are tested in tests/unit/test_write_limits.py).
    budgets = {"write_limit_per_minute": 100_000, "write_limit_per_day": 100_000, "profile_reads_per_minute": 100_000}
    container = build_container(make_settings(tmp, url, **budgets))
    seen: set[tuple[str, str, str]] = set()
    with LiveServer(_recording(create_app(container), seen)) as server:
        token = _sign_up(server.url, container.platform.mailer(), "fuzzer@example.org")
        yield {"url": server.url, "token": token, "container": container, "seen": seen}


def _recording(app: Any, seen: set[tuple[str, str, str]]) -> Any:
    """The app, noting (method, path, media type) of every request it receives."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            media = headers.get(b"content-type", b"").split(b";", 1)[0].strip().decode("latin-1").lower()
            seen.add((scope["method"], scope["path"].rstrip("/"), media))
        await app(scope, receive, send)

    return wrapped


# The JobHax users API answers handled failures, invalid input included, with HTTP 200 and ``success: false`` (its
# contract, ``spec/jobhax-api.md``): fuzzed with every check but the one expecting a 4xx for invalid input.
ENVELOPE_PATHS = "^/api/users/"


def _st(live: dict[str, Any], report_dir: Path, checks: str, *filters: str) -> subprocess.CompletedProcess[str]:
    st = str(Path(sys.executable).with_name("st"))
    command = [
        st,
        "run",
        f"{live['url']}/schema/openapi.json",
        "--checks",
        checks,
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "20261123",
        "--generation-deterministic",
        "--workers",
        "1",
        "-H",
        f"Authorization: Bearer {live['token']}",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir),
        "--no-color",
        *filters,
    ]
    report_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=report_dir)


@pytest.mark.timeout(900)  # the runs' own bound (below); every operation × EXAMPLES outgrows the default 120 s
def test_every_operation(live: dict[str, Any], tmp_path: Path) -> None:
    """``st run`` with every check, deterministic seed, bounded examples; exit 0 means no finding."""
    excluded = [arg for path in EXCLUDED_PATHS for arg in ("--exclude-path", path)]
    results = [
        _st(live, tmp_path / "api", CHECKS, *excluded, "--exclude-path-regex", ENVELOPE_PATHS),
        _st(live, tmp_path / "envelope", CHECKS.replace(",negative_data_rejection", ""),
            "--include-path-regex", ENVELOPE_PATHS),
    ]
    output = "\n".join(result.stdout + result.stderr for result in results)
    report = Path(os.environ.get("CAREERNEXUS_FUZZ_OUTPUT", str(tmp_path / "schemathesis.txt")))
    report.write_text(output)
    assert all(result.returncode == 0 for result in results), (
        f"schemathesis findings (full output in {report}):\n" + output[:15000]
    )
    # JSON-or-multipart operations were fuzzed with both kinds of body.
    for method, path in MULTIPART_OPERATIONS:
        media = {m for (verb, p, m) in live["seen"] if verb == method and p == path}
        assert {"application/json", "multipart/form-data"} <= media, (method, path, media)
