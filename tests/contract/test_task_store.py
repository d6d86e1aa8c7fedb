"""Background tasks (``ports/tasks.py``): one contract over the in-memory, SQLite and PostgreSQL adapters.

The queue of a unit of work (``uow.tasks``) writes with the commit and nothing on rollback; dedupe keys; claims
(due, by id, an expired lease), fenced marks, retry, and the read side (get/list/counts/due/expired/prune).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.db.engine import make_engine, write_engine
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork
from adapters.db.tasks import InMemoryTaskStore, JsonPayloadCodec, SqlTaskStore
from adapters.db.uow import SqlUnitOfWork
from ports.tasks import ClaimedTask, PayloadError, TaskStore

pytestmark = pytest.mark.anyio

LEASE = timedelta(seconds=30)


@dataclass(frozen=True)
class Ping:
    n: int
    note: str = ""


@dataclass
class Backend:
    uow: Callable[[], Any]  # a unit of work with ``tasks``
    store: TaskStore
    kicked: list[list[int]] = field(default_factory=list)
    second_store: TaskStore | None = None  # another pool on the same database (concurrent claims)


@pytest.fixture(params=["memory", pytest.param("sql", marks=pytest.mark.db)])
def backend_url(request: pytest.FixtureRequest) -> str | None:
    """``None`` for the in-memory adapters, else a migrated empty database (SQLite, or PostgreSQL in CI)."""
    if request.param == "memory":
        return None
    url: str = request.getfixturevalue("database_url")  # sync: the fixture migrates with asyncio.run
    return url


@pytest.fixture
async def backend(backend_url: str | None) -> AsyncIterator[Backend]:
    kicked: list[list[int]] = []

    def kick(ids: Sequence[int]) -> None:
        kicked.append(list(ids))

    if backend_url is None:
        store = InMemoryStore()
        yield Backend(
            uow=lambda: InMemoryUnitOfWork(store, task_kick=kick), store=InMemoryTaskStore(store), kicked=kicked
        )
        return
    url = backend_url
    engine, other = make_engine(url), make_engine(url)
    writer = write_engine(engine)
    try:
        yield Backend(
            uow=lambda: SqlUnitOfWork(writer, task_kick=kick),
            store=SqlTaskStore(engine),
            kicked=kicked,
            second_store=SqlTaskStore(other),
        )
    finally:
        await engine.dispose()
        await other.dispose()


def now() -> datetime:
    return datetime.now(UTC)


async def enqueue(backend: Backend, name: str = "ping", payload: object = None, **kw: Any) -> None:
    async with backend.uow() as uow:
        uow.tasks.enqueue(name, payload if payload is not None else Ping(1), **kw)
        await uow.commit()


async def test_enqueue_is_written_by_the_commit_and_kicks(backend: Backend) -> None:
    async with backend.uow() as uow:
        uow.tasks.enqueue("ping", Ping(1, "a"))
        uow.tasks.enqueue("ping", Ping(2))
        assert await backend.store.list() == []  # staged, not yet visible
        await uow.commit()
    listed = await backend.store.list()
    assert [t.name for t in listed] == ["ping", "ping"]
    assert backend.kicked == [sorted(t.id for t in listed)]
    first = listed[-1]
    assert first.status == "queued" and first.attempts == 0 and first.locked_by is None
    assert JsonPayloadCodec().decode(first.payload, Ping) == Ping(1, "a")
    assert first.run_at <= now() and first.created_at <= now()


async def test_rollback_enqueues_nothing(backend: Backend) -> None:
    async with backend.uow() as uow:
        uow.tasks.enqueue("ping", Ping(1))
        # leaving without commit
    assert await backend.store.list() == []
    assert backend.kicked == []
    assert (await backend.store.counts())["queued"] == 0


async def test_dedupe_key_keeps_one_task(backend: Backend) -> None:
    await enqueue(backend, payload=Ping(1), dedupe_key="k1")
    await enqueue(backend, payload=Ping(2), dedupe_key="k1")
    async with backend.uow() as uow:  # twice in one unit of work
        uow.tasks.enqueue("ping", Ping(3), dedupe_key="k2")
        uow.tasks.enqueue("ping", Ping(4), dedupe_key="k2")
        await uow.commit()
    listed = await backend.store.list()
    assert sorted(JsonPayloadCodec().decode(t.payload, Ping).n for t in listed) == [1, 3]
    assert await backend.store.enqueue("ping", Ping(5), now=now(), dedupe_key="k1") is None
    # a done task still holds its key until it is pruned
    task = (await backend.store.claim_due(now(), 10, "w", LEASE))[0]
    assert await backend.store.mark_done(task, now())
    key = task.dedupe_key
    assert await backend.store.enqueue("ping", Ping(6), now=now(), dedupe_key=key) is None
    assert await backend.store.prune(now() + timedelta(seconds=1), 100) == 1
    assert await backend.store.enqueue("ping", Ping(7), now=now(), dedupe_key=key) is not None


async def test_claim_due_takes_due_tasks_oldest_first_and_counts_an_attempt(backend: Backend) -> None:
    t0 = now()
    await enqueue(backend, payload=Ping(1))
    await enqueue(backend, payload=Ping(2), run_at=t0 + timedelta(hours=1))
    await enqueue(backend, payload=Ping(3))
    claimed = await backend.store.claim_due(t0 + timedelta(seconds=1), 10, "w1", timedelta(days=1))
    assert [JsonPayloadCodec().decode(t.payload, Ping).n for t in claimed] == [1, 3]
    assert all(t.attempts == 1 and t.worker_id == "w1" for t in claimed)
    assert await backend.store.claim_due(t0 + timedelta(seconds=2), 10, "w2", LEASE) == []
    info = await backend.store.get(claimed[0].id)
    assert info is not None and info.status == "running" and info.locked_by == "w1" and info.started_at is not None
    counts = await backend.store.counts()
    assert counts["running"] == 2 and counts["queued"] == 1 and counts["dead"] == 0
    later = await backend.store.claim_due(t0 + timedelta(hours=2), 1, "w2", LEASE * 1000)
    assert [JsonPayloadCodec().decode(t.payload, Ping).n for t in later] == [2]


async def test_claim_by_id(backend: Backend) -> None:
    t0 = now()
    task_id = await backend.store.enqueue("ping", Ping(1), now=t0)
    future = await backend.store.enqueue("ping", Ping(2), now=t0, run_at=t0 + timedelta(hours=1))
    assert task_id is not None and future is not None
    assert await backend.store.claim(future, t0, "w", LEASE) is None  # not due
    assert await backend.store.claim(999_999, t0, "w", LEASE) is None  # unknown
    claimed = await backend.store.claim(task_id, t0, "w", LEASE)
    assert claimed is not None and claimed.id == task_id and claimed.attempts == 1
    assert await backend.store.claim(task_id, t0, "w2", LEASE) is None  # held: a second delivery runs nothing
    assert await backend.store.mark_done(claimed, t0)
    assert await backend.store.claim(task_id, t0 + timedelta(hours=2), "w2", LEASE) is None  # done


async def test_an_expired_lease_is_claimed_again_and_fences_the_first_worker(backend: Backend) -> None:
    t0 = now()
    task_id = await backend.store.enqueue("ping", Ping(1), now=t0)
    assert task_id is not None
    first = await backend.store.claim(task_id, t0, "dying", LEASE)
    assert first is not None
    assert await backend.store.expired_ids(t0 + LEASE / 2, 10) == []
    assert await backend.store.expired_ids(t0 + LEASE * 2, 10) == [task_id]
    second = (await backend.store.claim_due(t0 + LEASE * 2, 10, "alive", LEASE))[0]
    assert second.id == task_id and second.attempts == 2 and second.worker_id == "alive"
    assert not await backend.store.mark_done(first, t0 + LEASE * 2)  # the lost claim changes nothing
    assert not await backend.store.mark_failed(first, t0 + LEASE * 2, None, "late")
    assert await backend.store.mark_done(second, t0 + LEASE * 2)
    info = await backend.store.get(task_id)
    assert info is not None and info.status == "done" and info.attempts == 2 and info.finished_at is not None


async def test_mark_failed_schedules_a_retry_or_buries_the_task(backend: Backend) -> None:
    t0 = now()
    task_id = await backend.store.enqueue("ping", Ping(1), now=t0, max_attempts=3)
    assert task_id is not None
    claimed = await backend.store.claim(task_id, t0, "w", LEASE)
    assert claimed is not None and claimed.max_attempts == 3
    assert await backend.store.mark_failed(claimed, t0, t0 + timedelta(seconds=10), "boom " * 500)
    info = await backend.store.get(task_id)
    assert info is not None and info.status == "failed" and info.last_error is not None
    assert len(info.last_error) == 1000 and info.run_at == t0 + timedelta(seconds=10)
    assert await backend.store.due_ids(t0 + timedelta(seconds=5), 10) == []
    assert await backend.store.due_ids(t0 + timedelta(seconds=10), 10) == [task_id]
    assert await backend.store.has_active("ping")
    again = await backend.store.claim(task_id, t0 + timedelta(seconds=10), "w", LEASE)
    assert again is not None and again.attempts == 2
    assert await backend.store.mark_failed(again, t0 + timedelta(seconds=11), None, "gave up")
    info = await backend.store.get(task_id)
    assert info is not None and info.status == "dead" and info.last_error == "gave up"
    assert not await backend.store.has_active("ping")
    assert await backend.store.claim(task_id, t0 + timedelta(days=1), "w", LEASE) is None
    assert [t.id for t in await backend.store.list("dead")] == [task_id]
    assert await backend.store.list("dead", name="other") == []


async def test_retry_puts_a_dead_task_back_in_the_queue(backend: Backend) -> None:
    t0 = now()
    task_id = await backend.store.enqueue("ping", Ping(1), now=t0)
    assert task_id is not None
    assert not await backend.store.retry(task_id, t0)  # queued: nothing to retry
    claimed = await backend.store.claim(task_id, t0, "w", LEASE)
    assert claimed is not None
    assert not await backend.store.retry(task_id, t0)  # running
    await backend.store.mark_failed(claimed, t0, None, "bad")
    assert await backend.store.retry(task_id, t0 + timedelta(minutes=1))
    info = await backend.store.get(task_id)
    assert info is not None and info.status == "queued" and info.attempts == 0
    assert info.run_at == t0 + timedelta(minutes=1)
    assert not await backend.store.retry(999_999, t0)


async def test_list_pages_newest_first(backend: Backend) -> None:
    ids = [await backend.store.enqueue(f"job.{i % 2}", {"i": i}, now=now()) for i in range(5)]
    listed = await backend.store.list(limit=2, offset=1)
    assert [t.id for t in listed] == [ids[3], ids[2]]
    assert [t.id for t in await backend.store.list(name="job.0")] == [ids[4], ids[2], ids[0]]
    assert await backend.store.get(999_999) is None


async def test_prune_removes_only_old_done_tasks(backend: Backend) -> None:
    t0 = now()
    for i in range(3):
        await backend.store.enqueue("ping", Ping(i), now=t0)
    a, b, c = await backend.store.claim_due(t0, 3, "w", LEASE)
    await backend.store.mark_done(a, t0)
    await backend.store.mark_done(b, t0 + timedelta(days=2))
    await backend.store.mark_failed(c, t0, None, "x")
    assert await backend.store.prune(t0 + timedelta(days=1), 100) == 1
    assert sorted(t.id for t in await backend.store.list()) == sorted([b.id, c.id])


async def test_concurrent_claims_never_hand_a_task_to_two_workers(backend: Backend) -> None:
    t0 = now()
    total = 30
    for i in range(total):
        await backend.store.enqueue("ping", Ping(i), now=t0)
    stores = [backend.store, backend.second_store or backend.store]

    async def worker(index: int) -> list[ClaimedTask]:
        got: list[ClaimedTask] = []
        while batch := await stores[index % 2].claim_due(t0, 3, f"w{index}", LEASE):
            got.extend(batch)
        return got

    results = await asyncio.gather(*(worker(i) for i in range(4)))
    ids = [t.id for r in results for t in r]
    assert len(ids) == total and len(set(ids)) == total


async def test_concurrent_claims_by_id_run_a_task_once(backend: Backend) -> None:
    t0 = now()
    task_id = await backend.store.enqueue("ping", Ping(1), now=t0)
    assert task_id is not None
    stores = [backend.store, backend.second_store or backend.store]
    got = await asyncio.gather(*(stores[i % 2].claim(task_id, t0, f"w{i}", LEASE) for i in range(6)))
    assert sum(1 for c in got if c is not None) == 1


async def test_names_and_keys_are_bounded(backend: Backend) -> None:
    with pytest.raises(ValueError):
        await backend.store.enqueue("x" * 101, Ping(1), now=now())
    async with backend.uow() as uow:
        with pytest.raises(ValueError):
            uow.tasks.enqueue("ping", Ping(1), dedupe_key="k" * 201)


def test_codec_refuses_a_payload_of_another_shape() -> None:
    codec = JsonPayloadCodec()
    assert codec.decode(codec.encode(Ping(3, "x")), Ping) == Ping(3, "x")
    with pytest.raises(PayloadError):
        codec.decode('{"n": "three"}', Ping)
    with pytest.raises(PayloadError):
        codec.decode("not json", Ping)
