"""A newsletter to 50 subscribers through a real SMTP server (aiosmtpd on 127.0.0.1): the first delivery run is
killed (SIGKILL) in the middle of its third batch, with that batch's outbox rows written but not committed; a
second run (``careernexus send-newsletters``) resumes; the ``mail.send`` tasks then deliver. Every subscriber
receives exactly one copy, with their own signed unsubscribe link."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bootstrap.container import AppContainer, build_container
from bootstrap.runtime import running
from bootstrap.tasks import build_runner
from core.content.model.newsletters import DeliverNewsletter
from core.content.newsletters import NewsletterInput
from tests.conftest import TEST_SECRET, make_settings
from tests.integration.email.test_smtp_mailer import Handler, free_port

pytestmark = [pytest.mark.anyio, pytest.mark.db, pytest.mark.integration]

CLI = str(Path(sys.executable).with_name("careernexus"))
SUBSCRIBERS = 50
BATCH = 10

# The first run: the real service in a process of its own that kills itself (SIGKILL: no cleanup, no rollback by
# the process) once the third batch's e-mails are written to the outbox, before that transaction commits.
KILLED_RUN = r"""
import asyncio, os, signal, sys
from adapters.db import outbox
from bootstrap.container import build_container
from bootstrap.runtime import running
from bootstrap.settings import load_settings

newsletter_id, batch, die_in = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
flushes = 0
original = outbox.SqlMailOutbox.flush

async def flush(self, now):
    global flushes
    await original(self, now)
    flushes += 1
    if flushes == die_in:
        os.kill(os.getpid(), signal.SIGKILL)

outbox.SqlMailOutbox.flush = flush

async def main():
    container = build_container(load_settings())
    async with running(container, background=False):
        await container.content.newsletters().deliver_all(newsletter_id, batch)

asyncio.run(main())
"""


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    env.update({
        "CAREERNEXUS_ENV": "test",
        "CAREERNEXUS_DATABASE_URL": database_url,
        "CAREERNEXUS_SECRET_KEY": TEST_SECRET,
        "CAREERNEXUS_VAR_DIR": str(tmp_path / "var"),
        "CAREERNEXUS_MEDIA_ROOT": str(tmp_path / "media"),
        "CAREERNEXUS_PASSWORD_HASH": "cheap",
        "CAREERNEXUS_PUBLIC_URL": "http://testserver.local",
        "CAREERNEXUS_EMAIL_BACKEND": "memory",  # these processes only stage e-mails; the test's tasks send them
        "CAREERNEXUS_TASK_SCHEDULER": "false",
    })
    return env


@pytest.fixture
def smtp() -> collections.abc.Iterator[tuple[Handler, int]]:
    from aiosmtpd.controller import Controller

    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


async def _drain_tasks(container: AppContainer) -> None:
    runner = build_runner(container, worker="test")
    while await runner.run_due(25):
        pass


async def test_killed_delivery_resumes_without_double_sending(
    tmp_path: Path, database_url: str, smtp: tuple[Handler, int]
) -> None:
    handler, port = smtp
    settings = make_settings(tmp_path, database_url, email_backend="smtp", smtp_host="127.0.0.1", smtp_port=port,
                             smtp_tls="none", newsletter_subscribes_per_hour=1000)
    container = build_container(settings, "sql")
    async with running(container, background=False):
        admin = await container.accounts.admin().create_admin("letters-admin@example.org", "Passw0rd!")
        service = container.content.newsletters()
        addresses = [f"reader{i:02d}@example.org" for i in range(SUBSCRIBERS)]
        for address in addresses:
            await service.subscribe_email(address)
        newsletter = await service.create(admin.id, NewsletterInput(title="Focus Frame", content="Hello, thinker."))
        assert await service.remaining(newsletter.id) == SUBSCRIBERS

        env = _env(tmp_path, database_url)
        killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(newsletter.id), str(BATCH), "3"], env=env,
                                capture_output=True, text=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        # Two batches were committed; the third died with its transaction.
        assert await service.delivered(newsletter.id) == 2 * BATCH
        assert handler.received == []

        resumed = subprocess.run([CLI, "send-newsletters", "--newsletter", str(newsletter.id), "--batch-size",
                                  str(BATCH)], env=env, capture_output=True, text=True, timeout=120)
        assert resumed.returncode == 0, resumed.stderr
        assert f"queued {SUBSCRIBERS - 2 * BATCH} newsletter e-mail(s)" in resumed.stdout
        assert await service.delivered(newsletter.id) == SUBSCRIBERS

        # The delivery task queued with the newsletter (and those each full batch queued) find nothing left; the
        # mail.send tasks send every staged copy through SMTP.
        await _drain_tasks(container)
        assert await service.run_task(DeliverNewsletter(newsletter_id=newsletter.id)) == 0

    received = collections.Counter(rcpt for r in handler.received for rcpt in r.rcpt_tos)
    assert received == collections.Counter(addresses), received
    for r in handler.received:
        assert r.message["Subject"] == "Focus Frame"
        text = r.message.get_body(preferencelist=("plain",))
        assert text is not None and "/user/newsletter-unsubscribe/?subscriber=" in text.get_content()
