"""Shutting the app down stops the task worker (formerly the mail relay) at once, even when a commit has just woken it.

On Python 3.11 ``asyncio.wait_for`` swallows a cancellation that arrives after the awaited future finished but
before ``wait_for`` resumed. The relay waited for its wake-up event that way, so a shutdown right after a
commit that kicked it (the last request of a test) lost the cancellation: the relay kept polling and the
lifespan shutdown waited for it for ever (the test client's 120 s hang seen once on PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest

from bootstrap.container import AppContainer
from bootstrap.runtime import running

pytestmark = pytest.mark.anyio


async def _run_and_stop(container: AppContainer, *, kick_before_stop: bool) -> None:
    async with running(container):
        await asyncio.sleep(0.05)  # the worker is waiting for a kick
        if kick_before_stop:
            container.platform.task_kick()([1])  # a commit wrote a task...
            await asyncio.sleep(0)  # ...the worker's wake-up has fired but the relay has not run yet
    # leaving ``running`` cancels the worker exactly then


@pytest.mark.parametrize("kick_before_stop", [True, False], ids=["right-after-a-kick", "idle"])
async def test_shutdown_stops_the_worker_at_once(memory_container: AppContainer, kick_before_stop: bool) -> None:
    lifespan = asyncio.create_task(_run_and_stop(memory_container, kick_before_stop=kick_before_stop))
    done, _ = await asyncio.wait({lifespan}, timeout=2)
    if not done:  # hung: stop it for good, then fail
        lifespan.cancel()
        await asyncio.wait({lifespan}, timeout=2)
    assert done, "shutdown hung waiting for the task worker"
    lifespan.result()
    workers = [t for t in asyncio.all_tasks() if t.get_name() == "task-worker"]
    assert workers == []
