"""Real ``careernexus`` processes sharing one PostgreSQL database and one Redis (the multi-host tests).

Each test gets a PostgreSQL database of its own, created next to ``CAREERNEXUS_TEST_DATABASE_URL``'s and dropped
after (the ``database_url`` fixture empties that one between tests, which would pull the floor from under running
servers). Processes write their output to files (a full pipe would block them), read back by the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import asyncpg
import httpx
import pytest
import redis

from adapters.db.migrate import upgrade

CLI = str(Path(sys.executable).with_name("careernexus"))
ROOT = Path(__file__).resolve().parents[3]
# ``careernexus`` with the test-only probe task, route and scheduled job (``probe.py``).
PROBE_CLI = [sys.executable, "-m", "tests.integration.scale.probe"]
PG_URL = os.environ.get("CAREERNEXUS_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("CAREERNEXUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

T = TypeVar("T")


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


needs_pg = pytest.mark.skipif(not PG_URL.startswith("postgresql"), reason="needs CAREERNEXUS_TEST_DATABASE_URL")
# Skipped without Redis unless CAREERNEXUS_TEST_REDIS_URL names one (then a down Redis is a failure).
needs_redis = pytest.mark.skipif(
    "CAREERNEXUS_TEST_REDIS_URL" not in os.environ and not _redis_up(), reason="no Redis at " + REDIS_URL
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@contextlib.contextmanager
def own_pg_database() -> Iterator[str]:
    """A migrated PostgreSQL database for this test alone (SQLAlchemy URL), dropped afterwards."""
    base, _, _ = PG_URL.rpartition("/")
    name = f"cn_scale_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(_plain(f"{base}/postgres"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        url = f"{base}/{name}"
        upgrade(url)
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def pg_fetch(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(_plain(url))
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(run())


def env_for(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    var = tmp_path / "var"
    env.update(
        {
            "CAREERNEXUS_DATABASE_URL": database_url,
            "CAREERNEXUS_VAR_DIR": str(var),
            "CAREERNEXUS_SECRET_KEY": "scale-test-secret-" + "x" * 40,
            "CAREERNEXUS_MEDIA_ROOT": str(var / "media"),
            "CAREERNEXUS_PASSWORD_HASH": "cheap",
            "CAREERNEXUS_EMAIL_BACKEND": "console",
            "CAREERNEXUS_DB_POOL_SIZE": "3",
        }
    )
    env.update({f"CAREERNEXUS_{k.upper()}": v for k, v in extra.items()})
    return env


class Proc:
    """One ``careernexus`` process with its output in a file."""

    def __init__(
        self, name: str, args: list[str], env: dict[str, str], directory: Path, *, command: list[str] | None = None
    ) -> None:
        self.name = name
        self.log = directory / f"{name}.log"
        self._file = self.log.open("wb")
        self.popen = subprocess.Popen(
            [*(command or [CLI]), *args],
            env=env,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up at all (a crashed host)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._file.close()


class Web(Proc):
    def __init__(self, name: str, env: dict[str, str], directory: Path, *, command: list[str] | None = None) -> None:
        self.port = free_port()
        super().__init__(name, ["serve", "--port", str(self.port), "--no-access-log"], env, directory, command=command)
        self.base = f"http://127.0.0.1:{self.port}"
        self.http = httpx.Client(base_url=self.base, timeout=10)

    def wait_ready(self, within: float = 30) -> None:
        def healthy() -> bool:
            assert self.alive(), f"{self.name} exited:\n{self.output()[-3000:]}"
            try:
                return self.http.get("/health").status_code == 200
            except httpx.TransportError:
                return False

        eventually(healthy, within, f"{self.name} did not start")

    def stop(self) -> None:
        self.http.close()
        super().stop()


def eventually(probe: Callable[[], T | None], within: float, what: str, *, every: float = 0.05) -> T:
    """Poll ``probe`` until it returns something truthy (returned), failing after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} (after {within} s)")
        time.sleep(every)


def run_cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60, start_new_session=True
    )
