"""SMTP down: the request still succeeds, the mail waits in the persisted outbox and is delivered once when
the server comes back (a real aiosmtpd server, stopped and started)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.tables.system import mail_outbox
from bootstrap.asgi import create_app
from bootstrap.container import build_container
from tests.conftest import PASSWORD, make_settings

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _outbox_rows(url: str) -> list[Any]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(mail_outbox))).mappings().all()
    await engine.dispose()
    return list(rows)


async def test_mail_survives_smtp_outage(tmp_path: Path, database_url: str) -> None:
    port = _free_port()
    inbox = Inbox()
    settings = make_settings(
        tmp_path,
        database_url,
        email_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=port,
        mail_retry_base_seconds=0.2,
        mail_poll_seconds=0.1,
    )
    container = build_container(settings)
    async with AsyncTestClient(app=create_app(container)) as client:
        # The SMTP server is down: the sign-up request still succeeds.
        response = await client.post(
            "/user/signup/", json={"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
        )
        assert response.status_code == 201
        assert response.json() == {"status": "Otp sent"}
        for _ in range(100):
            rows = await _outbox_rows(database_url)
            if rows and rows[0]["attempts"] >= 1:
                break
            await asyncio.sleep(0.05)
        assert len(rows) == 1
        assert rows[0]["sent_at"] is None and rows[0]["attempts"] >= 1 and rows[0]["last_error"]

        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            for _ in range(200):
                if inbox.messages:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # no second delivery arrives later
        finally:
            controller.stop()

        assert len(inbox.messages) == 1
        message = inbox.messages[0]
        assert message["To"] == "ada@example.org"
        body = message.get_body(("plain",))
        assert body is not None
        match = re.search(r"code is (\d{6})", body.get_content())
        assert match
        rows = await _outbox_rows(database_url)
        assert rows[0]["sent_at"] is not None

        # The delivered code works.
        done = await client.post(
            "/user/signup/",
            json={"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD, "otp": match.group(1)},
        )
        assert done.status_code == 201, done.text
