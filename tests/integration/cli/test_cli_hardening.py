"""``careernexus`` hardening as real processes: the admin password off argv, owner-only files in a fresh var dir,
and ``serve``'s header deadline, header size limit, keep-alive timeout and connection limit."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.integration

CLI = str(Path(sys.executable).with_name("careernexus"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    var = tmp_path / "var"
    env.update(
        {
            "CAREERNEXUS_DATABASE_URL": f"sqlite+aiosqlite:///{var}/careernexus.db",
            "CAREERNEXUS_VAR_DIR": str(var),
            "CAREERNEXUS_MEDIA_ROOT": str(var / "media"),
            "CAREERNEXUS_PASSWORD_HASH": "cheap",
        }
    )
    env.update({f"CAREERNEXUS_{k.upper()}": v for k, v in extra.items()})
    return env


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # A new session has no controlling terminal: the hidden prompt reads the piped stdin, as a script would.
    return subprocess.run(
        [CLI, *args],
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )


def _staff(tmp_path: Path, email: str) -> bool:
    with sqlite3.connect(tmp_path / "var" / "careernexus.db") as db:
        row = db.execute("SELECT is_staff FROM users WHERE email = ?", (email,)).fetchone()
    return bool(row and row[0])


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_migrate_creates_an_owner_only_var_dir_and_database(tmp_path: Path) -> None:
    env = _env(tmp_path)
    done = _run(env, "migrate")
    assert done.returncode == 0, done.stderr
    var = tmp_path / "var"
    assert _mode(var) == 0o700
    assert _mode(var / "careernexus.db") == 0o600
    assert _mode(var / "secret_key") == 0o600
    for name in ("careernexus.db-wal", "careernexus.db-shm"):
        if (var / name).exists():
            assert _mode(var / name) == 0o600, name


def test_create_admin_reads_the_password_from_the_environment(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(env, "migrate").returncode == 0
    made = _run(env | {"CAREERNEXUS_ADMIN_PASSWORD": "Secret123"}, "create-admin", "--email", "root@example.org")
    assert made.returncode == 0, made.stderr
    assert "admin root@example.org" in made.stdout
    assert "Secret123" not in made.stdout + made.stderr
    assert _staff(tmp_path, "root@example.org")
    weak = _run(env | {"CAREERNEXUS_ADMIN_PASSWORD": "short"}, "create-admin", "--email", "x@example.org")
    assert weak.returncode != 0
    assert "Passwords cannot be less than 6 characters" in weak.stderr


def test_create_admin_prompts_twice_for_a_hidden_password(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(env, "migrate").returncode == 0
    made = _run(env, "create-admin", "--email", "prompted@example.org", stdin="Secret123\nSecret123\n")
    assert made.returncode == 0, made.stderr
    assert "Password" in made.stderr and "Repeat for confirmation" in made.stderr
    assert "Secret123" not in made.stdout + made.stderr  # never echoed
    assert _staff(tmp_path, "prompted@example.org")
    # Two different entries are asked again; without a matching pair nothing is created.
    mismatch = _run(env, "create-admin", "--email", "typo@example.org", stdin="Secret123\nSecret124\n")
    assert mismatch.returncode != 0
    assert "do not match" in mismatch.stderr
    assert not _staff(tmp_path, "typo@example.org")


def test_create_admin_still_takes_password_on_argv_with_a_warning(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(env, "migrate").returncode == 0
    made = _run(env, "create-admin", "--email", "argv@example.org", "--password", "Secret123")
    assert made.returncode == 0, made.stderr
    assert "warning: --password is visible" in made.stderr
    assert _staff(tmp_path, "argv@example.org")


# ----------------------------------------------------------------------------------------------- serve


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    tmp_path = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = _env(
        tmp_path,
        serve_header_timeout="1.5",
        serve_max_header_bytes="4096",
        serve_timeout_keep_alive="1",
        serve_limit_concurrency="3",
    )
    proc = subprocess.Popen(
        [CLI, "serve", "--port", str(port), "--no-access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("serve did not start")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.communicate(timeout=15)


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def _read_until_closed(sock: socket.socket, within: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and after how long; fails after ``within``."""
    started = time.monotonic()
    sock.settimeout(within)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        raise AssertionError(f"the server kept the connection open for {within} s; got {received[:200]!r}") from None
    except ConnectionResetError:
        pass
    return received, time.monotonic() - started


def test_serve_closes_connections_whose_headers_do_not_arrive_in_time(served: int) -> None:
    # Slowloris: a request line and one header, then a byte now and then, never the blank line.
    with _connect(served) as slow:
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.5)
        slow.sendall(b"X-A: 1\r\n")
        answer, waited = _read_until_closed(slow, within=6)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert b'"detail"' in answer
    assert waited < 4
    # A connection that never sends anything is closed too (silently).
    with _connect(served) as silent:
        answer, waited = _read_until_closed(silent, within=6)
    assert answer == b""
    assert waited < 4


def test_serve_refuses_oversized_headers(served: int) -> None:
    with _connect(served) as greedy:
        greedy.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8000)
        answer, _ = _read_until_closed(greedy, within=6)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
    # Ordinary requests are untouched.
    assert httpx.get(f"http://127.0.0.1:{served}/health", headers={"X-Ok": "b" * 1000}).status_code == 200


def test_serve_closes_idle_keep_alive_connections(served: int) -> None:
    with _connect(served) as idle:
        idle.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        answer, waited = _read_until_closed(idle, within=6)
    assert answer.startswith(b"HTTP/1.1 200")
    assert waited < 4  # SERVE_TIMEOUT_KEEP_ALIVE=1


def test_serve_limits_concurrent_connections(served: int) -> None:
    held = [_connect(served), _connect(served)]
    try:
        time.sleep(0.2)
        crowded = httpx.get(f"http://127.0.0.1:{served}/health", timeout=5)
        assert crowded.status_code == 503
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 5
    while httpx.get(f"http://127.0.0.1:{served}/health", timeout=5).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)
