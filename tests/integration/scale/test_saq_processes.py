"""``QUEUE=saq`` on one machine as on many: two ``careernexus serve`` processes (which only enqueue) and two
``careernexus worker`` processes, on one PostgreSQL database and one Redis.

- a task enqueued through either web process runs exactly once;
- a worker SIGKILLed in the middle of a task leaves it to the other, which runs it after the lease;
- a scheduled job runs once per period with two schedulers alive.

The processes run ``careernexus`` through ``probe.py`` (a test-only task, route and scheduled job recording their
executions in table ``probe_runs``). Short lease, sweep and tick settings; every wait polls with a deadline.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis

from tests.integration.scale.probe import DDL, PROBE_TASK, TICK_TASK
from tests.integration.scale.processes import (
    PROBE_CLI,
    REDIS_URL,
    Proc,
    Web,
    env_for,
    eventually,
    needs_pg,
    needs_redis,
    own_pg_database,
    pg_fetch,
)

pytestmark = [pytest.mark.db, pytest.mark.pg, pytest.mark.integration, pytest.mark.slow, needs_pg, needs_redis]

LEASE = 4.0
TICK = 2


def _runs(url: str, label: str) -> list[tuple[int, str]]:
    rows = pg_fetch(url, "SELECT pid, event FROM probe_runs WHERE label = $1 ORDER BY id", label)
    return [(r["pid"], r["event"]) for r in rows]


def _tasks(url: str, name: str) -> list[dict[str, object]]:
    return [dict(r) for r in pg_fetch(url, "SELECT * FROM tasks WHERE name = $1 ORDER BY id", name)]


def test_two_web_and_two_worker_processes(tmp_path: Path) -> None:
    queue = f"cn-test-{uuid.uuid4().hex[:10]}"
    with own_pg_database() as url:
        pg_fetch(url, DDL)
        env = env_for(
            tmp_path,
            url,
            queue="saq",
            redis_url=REDIS_URL,
            saq_queue=queue,
            task_lease_seconds=str(LEASE),
            task_sweep_seconds="1",
            task_backoff_base_seconds="0.5",
            test_tick_seconds=str(TICK),
        )
        webs = [Web(f"web-{n}", env, tmp_path, command=PROBE_CLI) for n in "ab"]
        workers = [Proc(f"worker-{n}", ["worker"], env, tmp_path, command=PROBE_CLI) for n in "12"]
        procs: list[Proc] = [*webs, *workers]
        try:
            for web in webs:
                web.wait_ready(60)
            for worker in workers:
                assert worker.alive(), worker.output()

            # 1. Tasks enqueued through either web process run exactly once, on the workers.
            labels = [f"once-{i}" for i in range(10)]
            for i, label in enumerate(labels):
                response = webs[i % 2].http.post("/_probe", json={"label": label})
                assert response.status_code == 202, response.text

            def all_done() -> bool:
                tasks = _tasks(url, PROBE_TASK)
                return len(tasks) == 10 and all(t["status"] == "done" for t in tasks)

            eventually(all_done, 30, "the probes did not all run", every=0.1)
            rows = pg_fetch(url, "SELECT label, pid, event FROM probe_runs WHERE label LIKE 'once-%'")
            counts = Counter((r["label"], r["event"]) for r in rows)
            assert all(counts[(label, "start")] == 1 and counts[(label, "end")] == 1 for label in labels), counts
            web_pids = {web.popen.pid for web in webs}
            assert not web_pids & {r["pid"] for r in rows}, "a web process ran a task (QUEUE=saq: web only enqueues)"

            # 2. A worker killed in the middle of a task: the other runs it once the lease has run out.
            assert webs[0].http.post("/_probe", json={"label": "killed", "sleep_first": 60}).status_code == 202
            first = eventually(lambda: _runs(url, "killed"), 20, "the long probe did not start")
            victim = next(w for w in workers if w.popen.pid == first[0][0])
            killed_at = time.monotonic()
            victim.kill()
            survivor = next(w for w in workers if w is not victim)
            finished = eventually(
                lambda: ("end" in [e for _, e in _runs(url, "killed")]) and _runs(url, "killed"),
                LEASE + 20,
                "the killed worker's task was not taken over",
                every=0.1,
            )
            assert time.monotonic() - killed_at >= 0  # (taken over after the lease; the row says by whom)
            assert finished == [(victim.popen.pid, "start"), (survivor.popen.pid, "start"), (survivor.popen.pid, "end")]
            (task,) = _tasks(url, PROBE_TASK)[-1:]
            assert task["status"] == "done" and task["attempts"] == 2, task

            # 3. The scheduled job: once per period, with two schedulers alive (now one worker, so restart a second).
            workers.append(Proc("worker-3", ["worker"], env, tmp_path, command=PROBE_CLI))
            procs.append(workers[-1])
            started = time.monotonic()
            baseline = len(_runs(url, "tick"))
            eventually(lambda: len(_runs(url, "tick")) >= baseline + 3, 5 * TICK + 10, "no ticks", every=0.2)
            elapsed = time.monotonic() - started
            ticks = _tasks(url, TICK_TASK)
            keys = [t["dedupe_key"] for t in ticks]
            assert len(keys) == len(set(keys))
            assert len(_runs(url, "tick")) == sum(1 for t in ticks if t["status"] == "done")  # each task ran once
            assert len(_runs(url, "tick")) - baseline <= elapsed / TICK + 2  # not more than once per period
        finally:
            for proc in procs:
                proc.stop()
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"saq:{queue}:*"):
                client.delete(key)
            client.close()
