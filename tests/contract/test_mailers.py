"""Behaviour shared by the in-process mailers (memory, console)."""

from __future__ import annotations

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


async def test_console_logs_subject_and_text(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="careernexus.mail")

    await ConsoleMailer().send(MESSAGE)

    [record] = [r for r in caplog.records if r.name == "careernexus.mail"]
    assert record.levelno == logging.INFO
    text = record.getMessage()
    assert "ada@example.org" in text
    assert "Verify your e-mail" in text
    assert "Your code is 271828." in text


async def test_console_logger_name_is_configurable(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="devmail")

    await ConsoleMailer(logger_name="devmail").send(MESSAGE)

    assert [r.name for r in caplog.records] == ["devmail"]
