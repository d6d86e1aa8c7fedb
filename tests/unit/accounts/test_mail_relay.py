"""MailRelay over the in-memory outbox: retries with backoff, nothing lost, nothing sent twice."""

from __future__ import annotations

import pytest
from dependency_injector import providers

from adapters.db.tasks import JsonPayloadCodec
from adapters.email.memory import InMemoryMailer
from core.accounts.registration import SignUp
from core.messaging.service import MailDelivery, MailRelay
from core.tasks.registry import PermanentTaskError
from ports.email import SEND_MAIL, EmailMessage, SendMail, TransientMailError
from tests.conftest import PASSWORD
from tests.unit.accounts.conftest import Env, register

pytestmark = pytest.mark.anyio


def mailer(env: Env) -> InMemoryMailer:
    m = env.container.platform.mailer()
    assert isinstance(m, InMemoryMailer)
    return m


def relay(env: Env) -> MailRelay:
    return env.container.messaging.relay()


async def stage_one(env: Env, email: str) -> None:
    await env.registration.signup(SignUp(email=email, password1=PASSWORD, password2=PASSWORD))


async def test_committed_mail_is_sent_once_with_text_and_html(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    assert mailer(env).sent == []  # nothing leaves before the relay runs
    assert await relay(env).drain() == 1
    [mail] = mailer(env).sent
    assert mail.subject == "Verify your Email" and mail.text and mail.html.startswith("<!doctype html>")
    assert mail.message_id
    assert await relay(env).drain() == 0
    assert len(mailer(env).sent) == 1
    assert env.outbox.pending() == []


async def test_transient_failures_back_off_exponentially(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    m = mailer(env)
    m.fail_next(3)
    r = relay(env)
    assert await r.drain() == 0 and m.attempts == 1
    # Not due again before the backoff (2 s, then 4 s, then 8 s).
    for delay in (2, 4, 8):
        env.clock.advance(delay - 0.5)
        assert await r.drain() == 0
        env.clock.advance(0.5)
        sent = await r.drain()
        if delay < 8:
            assert sent == 0
    assert sent == 1
    assert m.attempts == 4
    assert [x.subject for x in m.sent] == ["Verify your Email"]
    env.clock.advance(3600)
    assert await r.drain() == 0 and len(m.sent) == 1


async def test_mail_survives_an_outage(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    await register(env, "bob@example.org")
    m = mailer(env)
    m.down = True
    r = relay(env)
    for _ in range(6):
        assert await r.drain() == 0
        env.clock.advance(600)
    assert m.sent == []
    assert len(env.outbox.pending()) == 3  # ada's code, bob's code, bob's welcome
    m.down = False
    assert await r.drain() == 3
    assert sorted((x.to, x.subject) for x in m.sent) == [
        ("ada@example.org", "Verify your Email"),
        ("bob@example.org", "Verify your Email"),
        ("bob@example.org", "Welcome to Career Nexus"),
    ]
    env.clock.advance(3600)
    assert await r.drain() == 0
    assert len(m.sent) == 3 and env.outbox.pending() == []


async def test_a_failing_message_does_not_hold_back_the_others(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    await stage_one(env, "bob@example.org")
    m = mailer(env)
    m.fail_next(1)  # ada's message fails, bob's goes through
    assert await relay(env).drain() == 1
    assert [x.to for x in m.sent] == ["bob@example.org"]
    env.clock.advance(2)
    assert await relay(env).drain() == 1
    assert [x.to for x in m.sent] == ["bob@example.org", "ada@example.org"]


async def test_relay_gives_up_after_max_attempts(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    m = mailer(env)
    m.down = True
    r = MailRelay(store=env.outbox, mailer=m, clock=env.clock, max_attempts=3, base_delay_seconds=1)
    for _ in range(5):
        await r.drain()
        env.clock.advance(60)
    assert m.attempts == 3
    m.down = False
    assert await r.drain() == 0 and m.sent == []


class _BrokenMailer:
    def __init__(self) -> None:
        self.calls = 0

    async def send(self, message: EmailMessage) -> None:
        self.calls += 1
        raise ValueError("malformed address")


async def test_permanent_failure_is_not_retried(env: Env) -> None:
    broken = _BrokenMailer()
    env.container.platform.mailer.override(providers.Object(broken))
    await stage_one(env, "ada@example.org")
    r = relay(env)
    assert await r.drain() == 0
    env.clock.advance(3600)
    assert await r.drain() == 0
    assert broken.calls == 1


async def test_relay_and_a_concurrent_unit_of_work_do_not_resend(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    r = relay(env)
    # A unit of work that started before the relay marked the mail sent commits afterwards.
    async with env.container.accounts.uow() as uow:
        uow.outbox.add(EmailMessage(to="bob@example.org", subject="Later", text="t", html="h"))
        sent_meanwhile = await _drain_concurrently(r)
        await uow.commit()
    sent_meanwhile += await r.drain()
    assert sent_meanwhile == 2
    assert sorted(m.to for m in mailer(env).sent) == ["ada@example.org", "bob@example.org"]
    assert await r.drain() == 0


async def _drain_concurrently(r: MailRelay) -> int:
    import asyncio

    task = asyncio.create_task(r.drain())
    await asyncio.sleep(0.01)
    if task.done():
        return task.result()
    task.cancel()
    return 0


# ------------------------------------------------------------------------------ the mail.send task


async def _send_task(env: Env) -> tuple[int, SendMail]:
    [task] = await env.container.platform.task_store().list(name=SEND_MAIL)
    assert task.dedupe_key is not None and task.dedupe_key.startswith("mail:<")
    return task.id, JsonPayloadCodec().decode(task.payload, SendMail)


async def test_each_staged_mail_enqueues_one_send_task_and_a_second_run_sends_nothing(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    _, payload = await _send_task(env)
    delivery = env.container.messaging.delivery()
    assert await delivery.send(payload) is True
    assert await delivery.send(payload) is False  # idempotent: sent_at is set
    assert len(mailer(env).sent) == 1 and env.outbox.pending() == []
    assert await relay(env).drain() == 0  # the safety net finds nothing left


async def test_a_transient_failure_is_raised_for_a_retry_and_a_permanent_one_gives_up(env: Env) -> None:
    await stage_one(env, "ada@example.org")
    _, payload = await _send_task(env)
    delivery = env.container.messaging.delivery()
    m = mailer(env)
    m.fail_next(1)
    with pytest.raises(TransientMailError):
        await delivery.send(payload)
    assert await delivery.send(payload) is True  # due again at once for the task's next attempt

    class Broken:
        async def send(self, message: EmailMessage) -> None:
            raise ValueError("no such mailbox")

    await stage_one(env, "bob@example.org")
    bob = next(
        JsonPayloadCodec().decode(t.payload, SendMail)
        for t in await env.container.platform.task_store().list(name=SEND_MAIL)
        if JsonPayloadCodec().decode(t.payload, SendMail) != payload
    )
    broken = MailDelivery(store=env.container.platform.outbox_store(), mailer=Broken(), clock=env.clock)
    with pytest.raises(PermanentTaskError):
        await broken.send(bob)
    assert await delivery.send(bob) is False  # given up: never sent later
