"""Shared fixtures: databases (SQLite by default, PostgreSQL when CAREERNEXUS_TEST_DATABASE_URL is set),
containers, the app and its test client, and helpers to sign users up through the real endpoints."""

from __future__ import annotations

import asyncio
import gc
import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.migrate import upgrade
from adapters.db.tables import metadata
from adapters.email.memory import InMemoryMailer
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, Profile, build_container
from bootstrap.settings import Secret, Settings
from tests.fakes.events import RecordingEventBus


def _per_worker_database() -> None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``<name>_gw0``, ``<name>_gw1``…), created
    when missing, and the variable is rewritten for the whole worker process (subprocesses the tests start inherit
    it): the per-test truncation and the schema resets of one worker never touch another's rows."""
    url = os.environ.get("CAREERNEXUS_TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker:
        return
    base, _, name = url.rpartition("/")
    mine = f"{name}_{worker}"

    async def create() -> None:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", mine):
                await conn.execute(f'CREATE DATABASE "{mine}"')
        finally:
            await conn.close()

    asyncio.run(create())
    os.environ["CAREERNEXUS_TEST_DATABASE_URL"] = f"{base}/{mine}"


_per_worker_database()
PG_URL = os.environ.get("CAREERNEXUS_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-key-" + "x" * 40
PASSWORD = "Passw0rd!"


def pytest_configure(config: pytest.Config) -> None:
    """Every test creates an app: hundreds of route handlers, millions of small objects. With the default GC
    thresholds each creation pays for collections over everything the session has imported; freeze what exists
    now and collect less often (full collections still run, so cyclic garbage of finished tests is freed)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


# ----------------------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_migrated() -> str:
    assert PG_URL
    engine_url = PG_URL

    async def reset() -> None:
        engine = create_async_engine(engine_url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(reset())
    upgrade(PG_URL)
    _SEEDED_MAX.update(asyncio.run(_seeded_max(PG_URL)))
    return PG_URL


# The greatest id of each seeded table right after migrating: rows a test adds above it (an industry an
# administrator added) are deleted with the rest, so no later test sees them.
_SEEDED_MAX: dict[str, int] = {}


async def _seeded_max(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        found: dict[str, int] = {}
        for table in metadata.sorted_tables:
            if table.info.get("seeded") and "id" in table.c:
                found[table.name] = int(await conn.fetchval(f'SELECT coalesce(max(id), 0) FROM "{table.name}"'))
        return found
    finally:
        await conn.close()


def _truncate_pg(url: str) -> None:
    """Empty every table but the seeded ones (``info={"seeded": True}``) and restart their id sequences.

    ``DELETE`` on the few rows a test leaves is much cheaper than ``TRUNCATE`` (which recreates every table's
    files), and the whole reset is one round trip."""
    tables = [t for t in reversed(metadata.sorted_tables) if not t.info.get("seeded")]
    names = [t.name for t in tables]
    script = "SET LOCAL session_replication_role = replica;\n" + "".join(f'DELETE FROM "{n}";\n' for n in names)
    script += "".join(f'DELETE FROM "{n}" WHERE id > {top};\n' for n, top in _SEEDED_MAX.items())
    script += (
        "DO $$ DECLARE s record; BEGIN FOR s IN SELECT pg_get_serial_sequence(quote_ident(t), c) AS seq "
        "FROM unnest(ARRAY[" + ", ".join(f"'{n}'" for n in names) + "]) AS t, "
        "LATERAL (SELECT column_name AS c FROM information_schema.columns "
        "WHERE table_name = t AND column_default LIKE 'nextval%') cols "
        "LOOP IF s.seq IS NOT NULL THEN EXECUTE 'ALTER SEQUENCE ' || s.seq || ' RESTART'; END IF; END LOOP; END $$;"
    )

    async def run() -> None:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            async with conn.transaction():
                await conn.execute(script)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database for one test."""
    if PG_URL:
        url = request.getfixturevalue("_pg_migrated")
        _truncate_pg(url)
        yield url
        return
    template: Path = request.getfixturevalue("_sqlite_template")
    target = tmp_path / "test.db"
    shutil.copyfile(template, target)
    yield f"sqlite+aiosqlite:///{target}"


# ---------------------------------------------------------------------------------------- containers


def make_settings(tmp_path: Path, database_url: str = "sqlite+aiosqlite:///:memory:", **overrides: Any) -> Settings:
    base = Settings().with_values(
        env="test",
        database_url=database_url,
        secret_key=Secret(TEST_SECRET),
        var_dir=str(tmp_path / "var"),
        email_backend="memory",
        storage_backend="memory",
        media_root=str(tmp_path / "media"),
        password_hash="cheap",
        auth_cache_seconds=0.0,  # statement guards count the token check on every request
        # Other features' tests read others' writes at once; tests/e2e/test_read_cache*.py turn the cache on.
        read_cache_staleness_seconds=0.0,
        public_url="http://testserver.local",
        google_client_id="test-client-id.apps.googleusercontent.com",
        google_client_secret=Secret("test-google-secret"),
        # The inline worker runs in every app a test starts: woken by commits and by its own retries, it polls
        # rarely (a poll inside a statement-count guard would be counted) and schedules no jobs unless asked to.
        task_poll_seconds=30.0,
        task_scheduler=False,
        # Mail syncs never reach Google from a test: a closed local port unless a test starts the fake Gmail.
        gmail_api_base="http://127.0.0.1:9",
        gmail_timeout_seconds=2.0,
    )
    return base.with_values(**overrides)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


def build_test_container(settings: Settings, profile: Profile = "sql") -> AppContainer:
    """The production container, with an event bus that also records what was published
    (``container.platform.event_bus().published``); the handlers registered in production still run."""
    container = build_container(settings, profile)
    container.platform.event_bus.override(providers.Object(RecordingEventBus(container.platform.event_bus())))
    return container


@pytest.fixture
def container(settings: Settings) -> AppContainer:
    return build_test_container(settings, "sql")


@pytest.fixture
def memory_container(tmp_path: Path) -> AppContainer:
    return build_test_container(make_settings(tmp_path), "memory")


@pytest.fixture
async def client(container: AppContainer) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as test_client:
        yield test_client


# ------------------------------------------------------------------------------------------- helpers


_CODE = re.compile(r"code is (\d{6})")


async def wait_for_mail(mailer: InMemoryMailer, to: str, subject: str, *, after: int = 0, timeout: float = 5.0) -> Any:
    """The newest mail to ``to`` with ``subject`` (the relay delivers asynchronously)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = [m for m in mailer.sent[after:] if m.to == to and m.subject == subject]
        if found:
            return found[-1]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no mail {subject!r} to {to}; sent: {[(m.to, m.subject) for m in mailer.sent]}")
        await asyncio.sleep(0.02)


def code_in(mail: Any) -> str:
    match = _CODE.search(mail.text)
    assert match, mail.text
    return match.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class SignedUp:
    id: int
    email: str
    access: str
    refresh: str
    password: str = PASSWORD

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.access)


async def sign_up(
    client: AsyncTestClient[Any], container: AppContainer, email: str, *, industry: str | None = None
) -> SignedUp:
    """Sign up through both stages of ``/user/signup/`` with the code from the e-mail."""
    mailer = container.platform.mailer()
    before = len(mailer.sent)
    body: dict[str, Any] = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    if industry:
        body["industry"] = industry
    first = await client.post("/user/signup/", json=body)
    assert first.status_code == 201, first.text
    mail = await wait_for_mail(mailer, email.lower(), "Verify your Email", after=before)
    second = await client.post("/user/signup/", json={**body, "otp": code_in(mail)})
    assert second.status_code == 201, second.text
    tokens = second.json()
    signin = await client.post("/user/signin/", json={"email": email, "password": PASSWORD})
    assert signin.status_code == 200, signin.text
    return SignedUp(
        id=signin.json()["user_id"], email=email.lower(), access=tokens["access"], refresh=tokens["refresh"]
    )
