"""The inline task worker on a real database (SQLite here, PostgreSQL in CI's ``-m db`` phase): a committed task
runs, a failing one is retried with backoff and then dead, dedupe keys, a rollback enqueues nothing; and every
handler the platform declares (``mail.send``, ``drain-outbox``, ``prune-tasks``) is idempotent when run twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import containers, providers

from adapters.db.uow import SqlUnitOfWork
from adapters.email.memory import InMemoryMailer
from bootstrap.container import AppContainer, build_container
from bootstrap.domain import DomainModule
from bootstrap.domains import DOMAINS
from bootstrap.runtime import running
from bootstrap.tasks import build_runner, jobs_of, task_handlers
from core.accounts.registration import SignUp
from core.tasks.jobs import run_batches
from core.tasks.registry import TaskHandler
from ports.email import SendMail
from ports.tasks import TaskInfo
from tests.conftest import PASSWORD, make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration]


@dataclass(frozen=True)
class Note:
    text: str


@dataclass
class Recorder:
    """Runs of the test tasks; ``fail_first`` runs raise."""

    fail_first: int = 0
    runs: list[str] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, note: Note) -> None:
        self.runs.append(note.text)
        self.changed.set()
        if len(self.runs) <= self.fail_first:
            raise RuntimeError(f"failure {len(self.runs)}")


class ProbeContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()
    recorder = providers.Singleton(Recorder, fail_first=2)


PROBE = DomainModule(
    name="probe",
    container=ProbeContainer,
    tasks={
        "probe.note": lambda c: TaskHandler(payload=Note, run=c.recorder()),
        "probe.fragile": lambda c: TaskHandler(payload=Note, run=c.recorder(), max_attempts=2),
    },
)


@pytest.fixture
async def app(tmp_path: Path, database_url: str) -> AsyncIterator[AppContainer]:
    settings = make_settings(
        tmp_path,
        database_url,
        task_poll_seconds=0.05,
        task_backoff_base_seconds=0.05,
        task_scheduler=False,
    )
    container = build_container(settings, "sql", (*DOMAINS, PROBE))
    async with running(container):
        yield container


def recorder(app: AppContainer) -> Recorder:
    return PROBE.of(app).recorder()  # type: ignore[no-any-return]


async def enqueue(app: AppContainer, name: str, text: str, **kw: Any) -> None:
    async with SqlUnitOfWork(app.platform.writer(), task_kick=app.platform.task_kick()) as uow:
        uow.tasks.enqueue(name, Note(text), **kw)
        await uow.commit()


async def settled(app: AppContainer, status: str, *, count: int = 1, timeout: float = 10.0) -> list[TaskInfo]:
    """Wait until ``count`` tasks are in ``status`` (polls the table: the worker runs in the background)."""
    store = app.platform.task_store()
    async with asyncio.timeout(timeout):
        while len(found := await store.list(status)) < count:
            await asyncio.sleep(0.02)
    return found


async def test_a_committed_task_runs_once(app: AppContainer) -> None:
    rec = recorder(app)
    rec.fail_first = 0
    await enqueue(app, "probe.note", "hello")
    [done] = await settled(app, "done")
    assert done.name == "probe.note" and done.attempts == 1 and done.finished_at is not None
    await asyncio.sleep(0.2)  # a few more polls: nothing runs it again
    assert rec.runs == ["hello"]


async def test_a_failing_task_is_retried_with_backoff_until_it_succeeds(app: AppContainer) -> None:
    await enqueue(app, "probe.note", "flaky")  # fails twice, then succeeds
    [done] = await settled(app, "done")
    assert done.attempts == 3 and recorder(app).runs == ["flaky"] * 3
    assert done.started_at is not None and done.created_at is not None
    # backoff: 0.05 s then 0.1 s (plus jitter) between the attempts
    assert done.started_at - done.created_at >= timedelta(seconds=0.15)


async def test_a_task_failing_every_attempt_is_dead_with_its_error(app: AppContainer) -> None:
    await enqueue(app, "probe.fragile", "doomed")  # max 2 attempts, the recorder fails twice
    [dead] = await settled(app, "dead")
    assert dead.attempts == 2 and dead.last_error == "RuntimeError: failure 2 (after 2 attempts)"
    store = app.platform.task_store()
    assert await store.retry(dead.id, app.platform.clock().now())
    [done] = await settled(app, "done")  # the third run succeeds
    assert done.id == dead.id and done.attempts == 1


async def test_a_dedupe_key_runs_once(app: AppContainer) -> None:
    recorder(app).fail_first = 0
    await enqueue(app, "probe.note", "first", dedupe_key="once")
    await enqueue(app, "probe.note", "second", dedupe_key="once")
    await settled(app, "done")
    await asyncio.sleep(0.2)
    assert recorder(app).runs == ["first"]
    assert len(await app.platform.task_store().list()) == 1


async def test_a_rollback_enqueues_nothing(app: AppContainer) -> None:
    recorder(app).fail_first = 0
    with pytest.raises(RuntimeError):
        async with SqlUnitOfWork(app.platform.writer(), task_kick=app.platform.task_kick()) as uow:
            uow.tasks.enqueue("probe.note", Note("never"))
            raise RuntimeError("the domain change failed")
    await enqueue(app, "probe.note", "after")
    await settled(app, "done")
    assert recorder(app).runs == ["after"]
    assert [t.payload for t in await app.platform.task_store().list()] == ['{"text":"after"}']


async def test_an_unknown_task_is_dead_at_once(app: AppContainer) -> None:
    await enqueue(app, "nobody.handles.this", "x")
    [dead] = await settled(app, "dead")
    assert dead.attempts == 1 and dead.last_error == "unknown task 'nobody.handles.this'"


# ------------------------------------------------------------------------ the platform's handlers, run twice


@pytest.fixture
async def idle(tmp_path: Path, database_url: str) -> AsyncIterator[AppContainer]:
    """The container without its worker running: the test runs the handlers itself."""
    container = build_container(make_settings(tmp_path, database_url), "sql")
    async with running(container, background=False):
        yield container


async def test_mail_send_run_twice_sends_once(idle: AppContainer) -> None:
    registration = idle.accounts.registration()
    await registration.signup(SignUp(email="ada@example.org", password1=PASSWORD, password2=PASSWORD))
    [task] = await idle.platform.task_store().list("queued", name="mail.send")
    message_id = idle.platform.task_codec().decode(task.payload, SendMail).message_id
    handler = task_handlers(idle)["mail.send"]
    await handler.run(SendMail(message_id=message_id))
    await handler.run(SendMail(message_id=message_id))
    mailer = idle.platform.mailer()
    assert isinstance(mailer, InMemoryMailer) and len(mailer.sent) == 1
    # and through the runner: the task finds the mail sent and is done without sending it again
    runner = build_runner(idle)
    outcome = await runner.run_one(task.id)
    assert outcome is not None and outcome.status == "done" and len(mailer.sent) == 1


async def test_drain_outbox_and_prune_tasks_run_twice_change_nothing_more(idle: AppContainer) -> None:
    jobs = {job.name: job.job(container) for job, container in jobs_of(idle)}
    assert set(jobs) >= {"drain-outbox", "prune-tasks"}
    store = idle.platform.task_store()
    now = idle.platform.clock().now()
    old = await store.enqueue("probe.old", {}, now=now - timedelta(days=30))
    assert old is not None
    claimed = await store.claim(old, now - timedelta(days=30), "w", timedelta(seconds=60))
    assert claimed is not None and await store.mark_done(claimed, now - timedelta(days=30))
    assert await run_batches(jobs["prune-tasks"]) == 1
    assert await run_batches(jobs["prune-tasks"]) == 0
    assert await store.get(old) is None
    assert await run_batches(jobs["drain-outbox"]) == 0
    assert await run_batches(jobs["drain-outbox"]) == 0
