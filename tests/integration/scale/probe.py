"""``python -m tests.integration.scale.probe <careernexus arguments>``: ``careernexus`` with a test-only task.

Production code stays untouched: this launcher adds, before handing over to ``bootstrap.cli.main``,

- task ``test.probe`` (payload :class:`Probe`): records each execution in table ``probe_runs`` of the database
  (created by the test, not by a migration) — ``start`` with this process's pid, then, unless it is the label's
  first execution and ``sleep_first`` asks it to wait (long enough to be SIGKILLed), ``end``;
- scheduled job ``test-tick`` (task ``test.tick``, every ``CAREERNEXUS_TEST_TICK_SECONDS``): records ``tick``;
- route ``POST /_probe`` on ``serve``: enqueues a probe through a domain unit of work, as any use case does.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from typing import Any

import asyncpg

PROBE_TASK = "test.probe"
TICK_TASK = "test.tick"

DDL = "CREATE TABLE IF NOT EXISTS probe_runs (id serial PRIMARY KEY, label text, pid int, event text, " \
    "at timestamptz NOT NULL DEFAULT clock_timestamp())"


@dataclass(frozen=True, slots=True)
class Probe:
    label: str
    sleep_first: float = 0.0


def _dsn() -> str:
    return os.environ["CAREERNEXUS_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")


async def _record(label: str, event: str) -> int:
    """Insert one row; how many ``start`` rows the label had before."""
    conn = await asyncpg.connect(_dsn())
    try:
        before: int = await conn.fetchval(
            "SELECT count(*) FROM probe_runs WHERE label = $1 AND event = 'start'", label
        )
        await conn.execute("INSERT INTO probe_runs (label, pid, event) VALUES ($1, $2, $3)", label, os.getpid(), event)
        return before
    finally:
        await conn.close()


async def run_probe(probe: Probe) -> None:
    earlier = await _record(probe.label, "start")
    if earlier == 0 and probe.sleep_first:
        await asyncio.sleep(probe.sleep_first)
    await _record(probe.label, "end")


class TickJob:
    """A batch job of one step recording ``tick`` (one instance serves every run: steps alternate)."""

    def __init__(self) -> None:
        self._done = False

    async def remaining(self) -> int:
        return 1

    async def step(self) -> int:
        if self._done:
            self._done = False
            return 0
        self._done = True
        await _record("tick", "start")
        return 1

    def summary(self, total: int) -> str:
        return f"{total} tick"


def _install() -> None:
    import bootstrap.asgi
    import bootstrap.tasks
    from bootstrap.tasks import ScheduledJob
    from core.tasks.registry import TaskHandler

    original_handlers = bootstrap.tasks.task_handlers

    def task_handlers(app: Any) -> dict[str, TaskHandler[Any]]:
        handlers = original_handlers(app)
        handlers[PROBE_TASK] = TaskHandler(payload=Probe, run=run_probe)
        return handlers

    every = float(os.environ.get("CAREERNEXUS_TEST_TICK_SECONDS", "2"))
    bootstrap.tasks.task_handlers = task_handlers
    bootstrap.tasks.PLATFORM_JOBS = (
        *bootstrap.tasks.PLATFORM_JOBS,
        ScheduledJob(
            name="test-tick", task=TICK_TASK, help="test", every_seconds=lambda _: every, job=lambda _: TickJob()
        ),
    )

    from litestar import post

    original_create_app = bootstrap.asgi.create_app

    def create_app(container: Any = None) -> Any:
        from bootstrap.container import build_container
        from bootstrap.settings import load_settings

        container = container or build_container(load_settings())

        @post("/_probe", status_code=202)
        async def enqueue_probe(data: dict[str, Any]) -> dict[str, str]:
            async with container.accounts.uow() as uow:
                probe = Probe(label=str(data["label"]), sleep_first=float(data.get("sleep_first", 0)))
                uow.tasks.enqueue(PROBE_TASK, probe)
                await uow.commit()
            return {"status": "queued"}

        app = original_create_app(container)
        app.register(enqueue_probe)
        return app

    bootstrap.asgi.create_app = create_app


def main() -> None:
    _install()
    from bootstrap.cli import main as cli_main

    sys.argv[0] = "careernexus"
    cli_main()


if __name__ == "__main__":
    main()
