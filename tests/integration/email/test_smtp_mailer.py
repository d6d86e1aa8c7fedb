"""SmtpMailer against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import email.message
import email.policy
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from adapters.email.smtp import PermanentMailError, SmtpMailer
from ports.email import EmailMessage, TransientMailError

pytestmark = [pytest.mark.anyio, pytest.mark.integration]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage


@dataclass
class Handler:
    """Stores accepted messages; ``reply`` (e.g. ``"550 ..."``) replaces the DATA answer when set."""

    received: list[Received] = field(default_factory=list)
    reply: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reply is not None:
            return self.reply
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@dataclass
class Server:
    handler: Handler
    controller: Controller
    port: int


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Server(handler, controller, port)
    finally:
        controller.stop()


def otp_message(**overrides: str) -> EmailMessage:
    fields = {
        "to": "ada@example.org",
        "subject": "Your Career Nexus code",
        "text": "Your code is 493817. It expires in 5 minutes.",
        "html": "<p>Your code is <b>493817</b>.</p>",
    }
    fields.update(overrides)
    return EmailMessage(**fields)


async def test_delivers_multipart_alternative_with_headers(smtp_server: Server) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, sender="Career Nexus <info@career-nexus.test>", timeout=5)

    await mailer.send(otp_message(message_id="outbox-42@career-nexus.test"))

    [got] = smtp_server.handler.received
    assert got.mail_from == "info@career-nexus.test"
    assert got.rcpt_tos == ["ada@example.org"]
    msg = got.message
    assert msg["From"] == "Career Nexus <info@career-nexus.test>"
    assert msg["To"] == "ada@example.org"
    assert msg["Subject"] == "Your Career Nexus code"
    assert msg["Message-ID"] == "<outbox-42@career-nexus.test>"
    assert msg["Date"] is not None
    assert msg.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part for part in msg.iter_parts()}
    assert set(parts) == {"text/plain", "text/html"}
    assert isinstance(parts["text/plain"], email.message.EmailMessage)
    assert isinstance(parts["text/html"], email.message.EmailMessage)
    assert parts["text/plain"].get_content().strip() == "Your code is 493817. It expires in 5 minutes."
    assert parts["text/html"].get_content().strip() == "<p>Your code is <b>493817</b>.</p>"


async def test_generates_message_id_and_keeps_unicode(smtp_server: Server) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, timeout=5)

    await mailer.send(otp_message(subject="Bienvenue, Zoë", text="Héllo ✓", html="<p>Héllo ✓</p>"))

    [got] = smtp_server.handler.received
    assert got.message["Subject"] == "Bienvenue, Zoë"
    mid = str(got.message["Message-ID"])
    assert mid.startswith("<") and mid.endswith("@localhost>")
    text = got.message.get_body(preferencelist=("plain",))
    assert text is not None
    assert isinstance(text, email.message.EmailMessage)
    assert text.get_content().strip() == "Héllo ✓"


async def test_never_logs_the_body(smtp_server: Server, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, timeout=5)

    await mailer.send(otp_message(message_id="<m1@x>"))

    ours = [r.getMessage() for r in caplog.records if r.name.startswith("careernexus")]  # not aiosmtpd's own log
    assert ours
    assert not any("493817" in line or "ada@" in line for line in ours)
    assert any("example.org" in line and "<m1@x>" in line for line in ours)


async def test_stopped_server_is_transient() -> None:
    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    controller.stop()
    mailer = SmtpMailer("127.0.0.1", port, timeout=2)

    with pytest.raises(TransientMailError):
        await mailer.send(otp_message())


async def test_silent_server_times_out_as_transient() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts the TCP connection but never greets
        mailer = SmtpMailer("127.0.0.1", listener.getsockname()[1], timeout=0.3)

        with pytest.raises(TransientMailError):
            await mailer.send(otp_message())


async def test_550_is_permanent(smtp_server: Server) -> None:
    smtp_server.handler.reply = "550 5.1.1 mailbox unavailable"
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, timeout=5)

    with pytest.raises(PermanentMailError, match="550"):
        await mailer.send(otp_message())
    assert smtp_server.handler.received == []


async def test_451_is_transient(smtp_server: Server) -> None:
    smtp_server.handler.reply = "451 4.3.0 try again later"
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, timeout=5)

    with pytest.raises(TransientMailError, match="451"):
        await mailer.send(otp_message())


async def test_starttls_required_but_not_offered_is_permanent(smtp_server: Server) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, tls="starttls", timeout=5)

    with pytest.raises(PermanentMailError):
        await mailer.send(otp_message())
    assert smtp_server.handler.received == []


async def test_header_injection_is_refused_before_connecting(smtp_server: Server) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, timeout=5)

    with pytest.raises(PermanentMailError):
        await mailer.send(otp_message(subject="hi\r\nBcc: victim@example.org"))
    assert smtp_server.handler.received == []
