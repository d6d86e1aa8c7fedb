"""``careernexus tasks`` (list, show, retry) and ``careernexus jobs <name>`` with click's CliRunner on a real,
migrated SQLite database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.tasks import SqlTaskStore
from bootstrap.cli import cli

pytestmark = pytest.mark.integration


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path}/tasks.db"
    for name, value in {
        "DATABASE_URL": url,
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PASSWORD_HASH": "cheap",
        "EMAIL_BACKEND": "memory",
    }.items():
        monkeypatch.setenv(f"CAREERNEXUS_{name}", value)
    upgrade(url)
    return url


def seed(url: str) -> dict[str, int]:
    """A queued task, a dead one (with its error) and a done one."""

    async def go() -> dict[str, int]:
        engine = make_engine(url)
        store = SqlTaskStore(engine)
        now = datetime.now(UTC)
        lease = timedelta(seconds=60)
        try:
            queued = await store.enqueue("demo.queued", {"n": 1}, now=now, run_at=now + timedelta(hours=1))
            dead = await store.enqueue("demo.dead", {"n": 2}, now=now)
            done = await store.enqueue("demo.done", {"n": 3}, now=now - timedelta(days=30))
            assert queued and dead and done
            claimed = await store.claim(dead, now, "w", lease)
            assert claimed is not None
            await store.mark_failed(claimed, now, None, "SMTPError: mailbox unavailable")
            claimed = await store.claim(done, now, "w", lease)
            assert claimed is not None
            await store.mark_done(claimed, now - timedelta(days=30))
        finally:
            await engine.dispose()
        return {"queued": queued, "dead": dead, "done": done}

    return asyncio.run(go())


def test_list_filters_by_status_and_shows_the_last_error(db: str) -> None:
    ids = seed(db)
    everything = CliRunner().invoke(cli, ["tasks", "list"])
    assert everything.exit_code == 0, everything.output
    assert "queued=1  running=0  failed=0  dead=1  done=1" in everything.output
    assert all(f"demo.{s}" in everything.output for s in ("queued", "dead", "done"))
    dead = CliRunner().invoke(cli, ["tasks", "list", "--status", "dead"])
    assert dead.exit_code == 0
    assert "demo.dead" in dead.output and "SMTPError: mailbox unavailable" in dead.output
    assert "demo.queued" not in dead.output
    assert str(ids["dead"]) in dead.output
    bad = CliRunner().invoke(cli, ["tasks", "list", "--status", "lost"])
    assert bad.exit_code == 2


def test_show_prints_every_field(db: str) -> None:
    ids = seed(db)
    shown = CliRunner().invoke(cli, ["tasks", "show", str(ids["dead"])])
    assert shown.exit_code == 0, shown.output
    for text in ("demo.dead", "dead", '{"n":2}', "SMTPError: mailbox unavailable", "locked by"):
        assert text in shown.output
    missing = CliRunner().invoke(cli, ["tasks", "show", "999999"])
    assert missing.exit_code == 1 and "no task 999999" in missing.output


def test_retry_puts_a_dead_task_back_and_refuses_others(db: str) -> None:
    ids = seed(db)
    refused = CliRunner().invoke(cli, ["tasks", "retry", str(ids["queued"])])
    assert refused.exit_code == 1 and "is not dead" in refused.output
    retried = CliRunner().invoke(cli, ["tasks", "retry", str(ids["dead"])])
    assert retried.exit_code == 0 and "queued again: 1 task(s)" in retried.output
    listed = CliRunner().invoke(cli, ["tasks", "list", "--status", "queued"])
    assert "demo.dead" in listed.output
    assert CliRunner().invoke(cli, ["tasks", "retry"]).exit_code == 2
    none_left = CliRunner().invoke(cli, ["tasks", "retry", "--all-dead"])
    assert none_left.exit_code == 0 and "queued again: 0 task(s)" in none_left.output


def test_jobs_run_once_with_a_summary(db: str) -> None:
    seed(db)
    pruned = CliRunner().invoke(cli, ["jobs", "prune-tasks"])
    assert pruned.exit_code == 0, pruned.output
    assert "pruned 1 done task(s) in" in pruned.output
    drained = CliRunner().invoke(cli, ["jobs", "drain-outbox"])
    assert drained.exit_code == 0, drained.output
    assert "sent 0 e-mail(s) in" in drained.output
    listed = CliRunner().invoke(cli, ["tasks", "list", "--status", "done"])
    assert "demo.done" not in listed.output
