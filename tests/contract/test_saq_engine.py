"""The SAQ engine adapter on a real Redis, over the in-memory task store and the real runner: a pointer runs its
task once however often it is delivered; a failed attempt is re-enqueued at its retry time; the sweeper dispatches
what Redis never got and what a dead worker held; the scheduler's tick dispatches what it enqueued."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from adapters.db.memory import InMemoryStore
from adapters.db.tasks import InMemoryTaskStore, JsonPayloadCodec
from adapters.system.clock import SystemClock
from adapters.tasks.saq import SaqDispatcher, SaqEngine, job_key
from core.tasks.registry import TaskHandler
from core.tasks.runner import RunnerConfig, TaskRunner
from tests.integration.scale.processes import REDIS_URL, needs_redis

pytestmark = [pytest.mark.anyio, pytest.mark.integration, needs_redis]


@dataclass(frozen=True, slots=True)
class Note:
    text: str


@dataclass
class Env:
    store: InMemoryTaskStore
    dispatcher: SaqDispatcher
    engine: SaqEngine
    runs: list[str]
    failures: dict[str, int]


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    store = InMemoryTaskStore(InMemoryStore())
    runs: list[str] = []
    failures: dict[str, int] = {}

    async def handle(note: Note) -> None:
        runs.append(note.text)
        if failures.get(note.text, 0) > 0:
            failures[note.text] -= 1
            raise RuntimeError("flaky")

    clock = SystemClock()
    runner = TaskRunner(
        store=store,
        handlers={"note": TaskHandler(payload=Note, run=handle)},
        codec=JsonPayloadCodec(),
        clock=clock,
        worker_id="w1",
        config=RunnerConfig(lease_seconds=30, backoff_base_seconds=0.2, timeout_seconds=5),
        jitter=lambda: 0.0,
    )
    name = f"cn-test-{uuid.uuid4().hex[:10]}"
    dispatcher = SaqDispatcher.from_url(REDIS_URL, queue_name=name, job_timeout=60, timeout=None)
    engine = SaqEngine(
        dispatcher, run_one=runner.run_one, store=store, clock=clock, tick=None, worker_id="w1", sweep_seconds=1
    )
    yield Env(store, dispatcher, engine, runs, failures)
    await engine.stop()
    client = Redis.from_url(REDIS_URL)
    async for key in client.scan_iter(f"saq:{name}:*"):
        await client.delete(key)
    await client.aclose()
    await dispatcher.aclose()


async def _enqueue(env: Env, text: str, ago: float = 0.0) -> int:
    task_id = await env.store.enqueue("note", Note(text), now=datetime.now(UTC) - timedelta(seconds=ago))
    assert task_id is not None
    return task_id


async def _until(probe: object, within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        while not await probe():  # type: ignore[operator]
            await asyncio.sleep(0.05)


async def test_a_pointer_delivered_twice_runs_its_task_once(env: Env) -> None:
    task_id = await _enqueue(env, "a")
    assert await env.engine.run_task(None, task_id=task_id) == "done"
    assert await env.engine.run_task(None, task_id=task_id) == "not claimable"
    assert env.runs == ["a"]


async def test_a_worker_runs_dispatched_tasks_and_retries_failed_ones_at_their_time(env: Env) -> None:
    env.failures["flaky"] = 1
    ids = [await _enqueue(env, "x"), await _enqueue(env, "flaky")]
    assert await env.dispatcher.dispatch(ids) == 2
    assert await env.dispatcher.dispatch(ids) == 0  # keys still queued: ignored
    worker = asyncio.create_task(env.engine.worker().start())
    try:

        async def finished() -> bool:
            infos = [await env.store.get(i) for i in ids]
            return all(i is not None and i.status == "done" for i in infos)

        await _until(finished)
        retried = await env.store.get(ids[1])
        assert retried is not None and retried.attempts == 2
        assert sorted(env.runs) == ["flaky", "flaky", "x"]
    finally:
        await env.engine.stop()
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)


async def test_the_sweeper_dispatches_what_redis_never_got_and_what_a_dead_worker_held(env: Env) -> None:
    lost = await _enqueue(env, "lost")  # committed, but the pointer never reached Redis
    held = await _enqueue(env, "held", ago=120)
    now = datetime.now(UTC)
    claimed = await env.store.claim(held, now - timedelta(seconds=60), "dead-worker", timedelta(seconds=1))
    assert claimed is not None  # its worker died: the lease ran out long ago
    assert await env.engine.sweep() == 2
    assert await env.engine.sweep() == 0  # already in flight
    queued = await env.dispatcher.queue.info(jobs=True)
    keys = {job["key"] for job in queued["jobs"]}
    assert {job_key(lost, 0), job_key(held, 1)} <= keys
