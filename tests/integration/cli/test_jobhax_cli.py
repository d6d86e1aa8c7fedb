"""``careernexus create-oauth-client``: a real process on a fresh SQLite database prints one JSON line with the
client's credentials; the database keeps only a digest of the secret."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.integration.cli.test_cli import _run

pytestmark = pytest.mark.integration


def test_create_oauth_client_prints_one_json_line_and_stores_the_secret_hashed(tmp_path: Path) -> None:
    assert _run(tmp_path, "migrate").returncode == 0
    given = _run(tmp_path, "create-oauth-client", "--name", "JobHax web", "--client-id", "jobhax-web-client",
                 "--client-secret", "a-secret-of-enough-length")
    assert given.returncode == 0, given.stderr
    lines = given.stdout.strip().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {"client_id": "jobhax-web-client", "client_secret": "a-secret-of-enough-length"}

    generated = _run(tmp_path, "create-oauth-client", "--name", "mobile")
    assert generated.returncode == 0, generated.stderr
    made = json.loads(generated.stdout)
    assert set(made) == {"client_id", "client_secret"} and len(made["client_secret"]) >= 40

    taken = _run(tmp_path, "create-oauth-client", "--name", "again", "--client-id", "jobhax-web-client")
    assert taken.returncode != 0 and "taken" in taken.stderr
    short = _run(tmp_path, "create-oauth-client", "--name", "x", "--client-secret", "short")
    assert short.returncode != 0 and "client_secret" in short.stderr
    assert _run(tmp_path, "create-oauth-client").returncode != 0  # --name is required

    with sqlite3.connect(tmp_path / "cli.db") as db:
        rows = dict(db.execute("SELECT client_id, secret_digest FROM oauth_clients").fetchall())
    assert rows["jobhax-web-client"] == hashlib.sha256(b"a-secret-of-enough-length").hexdigest()
    assert rows[made["client_id"]] == hashlib.sha256(made["client_secret"].encode()).hexdigest()
    assert "a-secret-of-enough-length" not in json.dumps(rows)
