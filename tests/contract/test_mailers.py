"""Behaviour shared by the in-process mailers (memory, console)."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.email.console import ConsoleMailer
from adapters.email.memory import InMemoryMailer
from ports.email import EmailMessage, Mailer, TransientMailError

pytestmark = pytest.mark.anyio

MESSAGE = EmailMessage(
    to="ada@example.org",
    subject="Verify your e-mail",
    text="Your code is 271828.",
    html="<p>Your code is <b>271828</b>.</p>",
    message_id="<m-1@career-nexus.test>",
)


@pytest.mark.parametrize("make", [InMemoryMailer, ConsoleMailer], ids=["memory", "console"])
async def test_accepts_a_message(make: type[InMemoryMailer] | type[ConsoleMailer]) -> None:
    mailer: Mailer = make()
    await mailer.send(MESSAGE)


async def test_memory_records_sent_messages() -> None:
    mailer = InMemoryMailer()
    other = EmailMessage(to="bob@example.org", subject="s", text="t", html="h")

    await mailer.send(MESSAGE)
    await mailer.send(other)

    assert mailer.sent == [MESSAGE, other]
    assert mailer.to("ADA@example.org") == [MESSAGE]


async def test_memory_fail_next_then_recovers() -> None:
    mailer = InMemoryMailer()
    mailer.fail_next(2)

    for _ in range(2):
        with pytest.raises(TransientMailError):
            await mailer.send(MESSAGE)
    await mailer.send(MESSAGE)

    assert mailer.sent == [MESSAGE]
    assert mailer.attempts == 3


async def test_memory_down_until_up() -> None:
    mailer = InMemoryMailer()
    mailer.down = True

    with pytest.raises(TransientMailError):
        await mailer.send(MESSAGE)
    assert mailer.sent == []

    mailer.down = False
    await mailer.send(MESSAGE)
    assert mailer.sent == [MESSAGE]


async def test_console_prints_subject_and_text_outside_logging(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)

    await ConsoleMailer().send(MESSAGE)

    printed = capsys.readouterr().err
    assert "ada@example.org" in printed
    assert "Verify your e-mail" in printed
    assert "Your code is 271828." in printed
    # The code never goes through logging, so structured logs cannot carry it.
    assert not any("271828" in r.getMessage() for r in caplog.records)


async def test_console_stream_is_configurable() -> None:
    stream = io.StringIO()

    await ConsoleMailer(stream=stream).send(MESSAGE)

    assert "Your code is 271828." in stream.getvalue()
