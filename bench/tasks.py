"""Background work through the engine: tasks per second, enqueue → done, with two ``careernexus worker`` processes.

The task is the real ``mail.send`` (the outbox row is leased, "sent" through the memory mail backend and marked
sent): ``count`` e-mails are staged through the accounts unit of work in batches, as a use case stages them, and the
commit's ``task_kick`` pushes the SAQ pointers (``QUEUE=saq``). The clock runs from the first commit to the moment
the ``tasks`` table holds no unfinished ``mail.send`` task, so it covers enqueue, dispatch through Redis, claim,
handler and marks.

    .venv/bin/python -m bench.tasks [--count 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from redis import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "bench-secret-key-for-load-runs-only-0123456789"
QUEUE_NAME = "careernexus-bench"
WORKERS = 2
BATCH = 100


@dataclass(frozen=True)
class TaskRun:
    count: int
    seconds: float
    workers: int
    concurrency: int

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def worker_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    DATA.mkdir(parents=True, exist_ok=True)
    env.update(
        CAREERNEXUS_DATABASE_URL=url,
        CAREERNEXUS_SECRET_KEY=SECRET,
        CAREERNEXUS_REDIS_URL=REDIS,
        CAREERNEXUS_QUEUE="saq",
        CAREERNEXUS_SAQ_QUEUE=QUEUE_NAME,
        CAREERNEXUS_VAR_DIR=str(DATA / "var"),
        CAREERNEXUS_MEDIA_ROOT=str(DATA / "var" / "media"),
        CAREERNEXUS_LOG_LEVEL="WARNING",
        CAREERNEXUS_EMAIL_BACKEND="memory",
        CAREERNEXUS_READ_CACHE_STALENESS_SECONDS="0",
    )
    return env


@contextlib.contextmanager
def workers(url: str, n: int = WORKERS) -> Iterator[None]:
    """``n`` ``careernexus worker`` processes on ``url`` (SAQ on ``BENCH_REDIS_URL``), stopped on exit."""
    procs = []
    logs = []
    try:
        for i in range(n):
            log_file = (DATA / f"worker-{i}.log").open("w")
            logs.append(log_file)
            procs.append(
                subprocess.Popen(
                    [str(BIN / "careernexus"), "worker"],
                    env=worker_env(url),
                    cwd=ROOT,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        time.sleep(2)  # start-up (imports, SAQ connection); a worker that died says so below
        for proc, log_file in zip(procs, logs, strict=True):
            if proc.poll() is not None:
                raise SystemExit(f"a task worker exited at start; see {log_file.name}")
        yield
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log_file in logs:
            log_file.close()


async def ensure_database(name: str = "bench_tasks") -> str:
    """A fresh, migrated PostgreSQL database for the task run."""
    from adapters.db.migrate import upgrade

    engine = create_async_engine(f"{PG_ADMIN}/postgres", isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    url = f"{PG_ADMIN}/{name}"
    await asyncio.to_thread(upgrade, url)
    return url


async def enqueue_and_wait(url: str, count: int, limit_seconds: float = 300.0) -> float:
    """Stage ``count`` e-mails (batches of ``BATCH`` per unit of work); seconds until every task is done."""
    from bootstrap.container import build_container
    from bootstrap.settings import load_settings
    from ports.email import EmailMessage

    container = build_container(load_settings(worker_env(url)))
    engine = create_async_engine(url)
    try:
        started = time.perf_counter()
        for first in range(0, count, BATCH):
            async with container.accounts.uow() as uow:
                for i in range(first, min(count, first + BATCH)):
                    uow.outbox.add(EmailMessage(to=f"bench{i}@example.com", subject="bench", text="hi", html=""))
                await uow.commit()
        deadline = started + limit_seconds
        async with engine.connect() as conn:
            while True:
                left = (
                    await conn.execute(
                        text("SELECT count(*) FROM tasks WHERE name = 'mail.send' AND status <> 'done'")
                    )
                ).scalar_one()
                await conn.commit()
                if left == 0:
                    return time.perf_counter() - started
                if time.perf_counter() > deadline:
                    raise SystemExit(f"{left} of {count} tasks still unfinished after {limit_seconds:.0f} s")
                await asyncio.sleep(0.02)
    finally:
        await engine.dispose()
        dispatcher = container.platform.engine_dispatcher()
        if dispatcher is not None:
            await dispatcher.aclose()
        await container.platform.engine().dispose()


def clear_queue() -> None:
    client = Redis.from_url(REDIS)
    try:
        keys = list(client.scan_iter(match=f"saq:{QUEUE_NAME}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def run(count: int = 2000) -> TaskRun:
    """The whole measurement: fresh database, two workers, ``count`` tasks."""
    from bootstrap.settings import load_settings

    url = asyncio.run(ensure_database())
    clear_queue()
    concurrency = load_settings(worker_env(url)).tasks.concurrency
    with workers(url):
        seconds = asyncio.run(enqueue_and_wait(url, count))
    clear_queue()
    return TaskRun(count=count, seconds=seconds, workers=WORKERS, concurrency=concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    os.chdir(ROOT)
    result = run(args.count)
    print(
        f"{result.count} mail.send tasks, enqueue → done, {result.workers} workers × {result.concurrency}: "
        f"{result.seconds:.1f} s, {result.per_second:.0f} tasks/s"
    )


if __name__ == "__main__":
    main()
