"""The task runner and the scheduler on the in-memory task store with a frozen clock: done, retries with
exponential backoff, dead letter, unknown names and bad payloads, timeouts, lost claims, run-by-id."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork
from adapters.db.tasks import InMemoryTaskStore, JsonPayloadCodec
from adapters.system.clock import FrozenClock
from core.tasks.registry import PermanentTaskError, TaskHandler
from core.tasks.runner import RunnerConfig, TaskOutcome, TaskRunner, backoff_seconds
from core.tasks.scheduler import Schedule, Scheduler, slot_start

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Greet:
    who: str


class Recorder:
    def __init__(self, fail_times: int = 0, error: Exception | None = None) -> None:
        self.calls: list[str] = []
        self.fail_times = fail_times
        self.error = error or RuntimeError("flaky")

    async def __call__(self, payload: Greet) -> None:
        self.calls.append(payload.who)
        if len(self.calls) <= self.fail_times:
            raise self.error


@dataclass
class Env:
    store: InMemoryTaskStore
    memory: InMemoryStore
    clock: FrozenClock
    outcomes: list[TaskOutcome]

    def runner(self, handlers: dict[str, TaskHandler[Greet]], **config: float) -> TaskRunner:
        return TaskRunner(
            store=self.store,
            handlers=handlers,
            codec=JsonPayloadCodec(),
            clock=self.clock,
            worker_id="w1",
            config=RunnerConfig(**config),  # type: ignore[arg-type]
            jitter=lambda: 0.0,
            observe=self.outcomes.append,
        )

    async def enqueue(self, name: str = "greet", who: str = "ada", **kw: object) -> int:
        async with InMemoryUnitOfWork(self.memory) as uow:
            uow.tasks.enqueue(name, Greet(who), **kw)  # type: ignore[arg-type]
            await uow.commit()
        listed = await self.store.list(limit=1)
        return listed[0].id


@pytest.fixture
def env() -> Env:
    memory = InMemoryStore()
    return Env(InMemoryTaskStore(memory), memory, FrozenClock(datetime.now(UTC) + timedelta(seconds=1)), [])


async def test_a_task_runs_once_and_is_done(env: Env) -> None:
    handler = Recorder()
    runner = env.runner({"greet": TaskHandler(payload=Greet, run=handler)})
    task_id = await env.enqueue()
    outcomes = await runner.run_due(10)
    assert [o.status for o in outcomes] == ["done"] and handler.calls == ["ada"]
    assert await runner.run_due(10) == []
    info = await env.store.get(task_id)
    assert info is not None and info.status == "done" and info.attempts == 1
    assert env.outcomes == outcomes


async def test_failures_back_off_exponentially_then_the_task_is_dead(env: Env) -> None:
    handler = Recorder(fail_times=10)
    runner = env.runner({"greet": TaskHandler(payload=Greet, run=handler)}, max_attempts=3, backoff_base_seconds=2)
    task_id = await env.enqueue()
    first = (await runner.run_due(10))[0]
    assert first.status == "failed" and first.retry_at == env.clock.now() + timedelta(seconds=2)
    info = await env.store.get(task_id)
    assert info is not None and info.status == "failed" and info.last_error == "RuntimeError: flaky"
    env.clock.advance(1.9)
    assert await runner.run_due(10) == []  # not due yet
    env.clock.advance(0.1)
    second = (await runner.run_due(10))[0]
    assert second.status == "failed" and second.retry_at == env.clock.now() + timedelta(seconds=4)
    env.clock.advance(4)
    third = (await runner.run_due(10))[0]
    assert third.status == "dead" and handler.calls == ["ada"] * 3
    info = await env.store.get(task_id)
    assert info is not None and info.status == "dead" and "after 3 attempts" in (info.last_error or "")
    env.clock.advance(3600)
    assert await runner.run_due(10) == []

    # retry puts it back; it runs again from the first attempt
    assert await env.store.retry(task_id, env.clock.now())
    handler.fail_times = 0
    assert [o.status for o in await runner.run_due(10)] == ["done"]


def test_backoff_is_capped_and_jittered() -> None:
    assert [backoff_seconds(n, base=2, cap=30) for n in (1, 2, 3, 4, 5, 6)] == [2, 4, 8, 16, 30, 30]
    assert backoff_seconds(1, base=2, cap=30, jitter=0.1) == pytest.approx(2.2)


async def test_the_task_and_handler_limits_win_over_the_default(env: Env) -> None:
    handler = Recorder(fail_times=10)
    runner = env.runner({"greet": TaskHandler(payload=Greet, run=handler, max_attempts=1)}, max_attempts=5)
    await env.enqueue()
    assert [o.status for o in await runner.run_due(10)] == ["dead"]
    await env.enqueue(who="bob", max_attempts=2)
    assert [o.status for o in await runner.run_due(10)] == ["failed"]


async def test_unknown_task_and_bad_payload_are_dead_at_once(env: Env) -> None:
    runner = env.runner({"greet": TaskHandler(payload=Greet, run=Recorder())})
    unknown = await env.enqueue("nobody.knows")
    async with InMemoryUnitOfWork(env.memory) as uow:
        uow.tasks.enqueue("greet", {"who": 42})
        await uow.commit()
    outcomes = {o.task_id: o for o in await runner.run_due(10)}
    assert outcomes[unknown].status == "dead" and outcomes[unknown].error == "unknown task 'nobody.knows'"
    bad = next(o for i, o in outcomes.items() if i != unknown)
    assert bad.status == "dead" and (bad.error or "").startswith("bad payload")


async def test_a_permanent_error_is_dead_at_once(env: Env) -> None:
    handler = Recorder(fail_times=1, error=PermanentTaskError("no such address"))
    runner = env.runner({"greet": TaskHandler(payload=Greet, run=handler)})
    await env.enqueue()
    outcome = (await runner.run_due(10))[0]
    assert outcome.status == "dead" and outcome.error == "PermanentTaskError: no such address"


async def test_a_handler_that_overruns_its_timeout_fails(env: Env) -> None:
    async def slow(_: Greet) -> None:
        await asyncio.Event().wait()

    runner = env.runner({"greet": TaskHandler(payload=Greet, run=slow, timeout_seconds=0.01)})
    await env.enqueue()
    outcome = (await runner.run_due(10))[0]
    assert outcome.status == "failed" and outcome.error == "timed out after 0.01s"


async def test_run_one_claims_by_id_so_a_second_delivery_runs_nothing(env: Env) -> None:
    handler = Recorder()
    runner = env.runner({"greet": TaskHandler(payload=Greet, run=handler)})
    task_id = await env.enqueue()
    first = await runner.run_one(task_id)
    assert first is not None and first.status == "done"
    assert await runner.run_one(task_id) is None
    assert handler.calls == ["ada"]


async def test_a_claim_lost_to_an_expired_lease_is_reported_not_marked(env: Env) -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def held(_: Greet) -> None:
        started.set()
        await release.wait()

    runner = env.runner({"greet": TaskHandler(payload=Greet, run=held)}, lease_seconds=10, timeout_seconds=100)
    task_id = await env.enqueue()
    first = asyncio.create_task(runner.run_one(task_id))
    await started.wait()
    env.clock.advance(11)  # the lease ran out: another worker takes the task over
    other = await env.store.claim(task_id, env.clock.now(), "w2", timedelta(seconds=10))
    assert other is not None and other.attempts == 2
    release.set()
    outcome = await first
    assert outcome is not None and outcome.status == "lost"
    info = await env.store.get(task_id)
    assert info is not None and info.status == "running" and info.locked_by == "w2"


async def test_the_scheduler_enqueues_once_per_period_and_one_instance_at_a_time(env: Env) -> None:
    env.clock.current = datetime(2030, 1, 1, 10, 0, 5, tzinfo=UTC)
    schedule = Schedule(name="tidy", task="greet", every_seconds=60, payload=Greet("tidy"))
    one = Scheduler(store=env.store, clock=env.clock, schedules=[schedule])
    two = Scheduler(store=env.store, clock=env.clock, schedules=[schedule])
    first = await one.tick()
    assert len(first) == 1 and await two.tick() == []
    info = await env.store.get(first[0])
    assert info is not None and info.dedupe_key == "schedule:tidy:2030-01-01T10:00:00+00:00"

    env.clock.advance(60)  # a new period, but the last run has not run yet: not started again
    assert await one.tick() == []
    handler = Recorder()
    runner = env.runner({"greet": TaskHandler(payload=Greet, run=handler)})
    await runner.run_due(10)
    assert await two.tick() != [] and await one.tick() == []  # now once for this period
    assert slot_start(env.clock.now(), 60) == datetime(2030, 1, 1, 10, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        Schedule(name="x", task="y", every_seconds=0)
