"""Smoke tests of every ``careernexus`` command, run as real processes on a fresh SQLite database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

CLI = str(Path(sys.executable).with_name("careernexus"))


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    env.update(
        {
            "CAREERNEXUS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
            "CAREERNEXUS_VAR_DIR": str(tmp_path / "var"),
            "CAREERNEXUS_MEDIA_ROOT": str(tmp_path / "media"),
            "CAREERNEXUS_PASSWORD_HASH": "cheap",
        }
    )
    return env


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=_env(tmp_path), capture_output=True, text=True, timeout=60)


def test_migrate_create_admin_and_drain_outbox(tmp_path: Path) -> None:
    assert _run(tmp_path, "migrate").returncode == 0
    made = _run(tmp_path, "create-admin", "--email", "Root@Example.org", "--password", "Secret123")
    assert made.returncode == 0, made.stderr
    assert "admin root@example.org" in made.stdout
    again = _run(tmp_path, "create-admin", "--email", "root@example.org", "--password", "Secret123")
    assert again.returncode == 0, again.stderr
    weak = _run(tmp_path, "create-admin", "--email", "x@example.org", "--password", "short")
    assert weak.returncode != 0
    assert "Passwords cannot be less than 6 characters" in weak.stderr
    drained = _run(tmp_path, "jobs", "drain-outbox")
    assert drained.returncode == 0, drained.stderr
    assert "sent 0 e-mail(s)" in drained.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = _env(tmp_path) | {"CAREERNEXUS_ENV": "production"}
    result = subprocess.run([CLI, "migrate"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_serve_migrates_the_embedded_default_and_answers(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [CLI, "serve", "--port", str(port)], env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        signup = httpx.post(
            f"http://127.0.0.1:{port}/user/signup/",
            json={"email": "ada@example.org", "password1": "Passw0rd", "password2": "Passw0rd"},
        )
        assert signup.status_code == 201
        assert signup.json() == {"status": "Otp sent"}
    finally:
        proc.terminate()
        output = proc.communicate(timeout=15)[0].decode()
    # The console mailer printed the code; the structured log lines never carry it.
    assert "Your verification code is" in output
    log_lines = [line for line in output.splitlines() if line.startswith("{")]
    assert log_lines
    assert not any("verification code" in line for line in log_lines)
