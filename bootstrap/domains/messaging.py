"""The messaging domain (the e-mail relay over the platform's outbox; chat between connected users): its wiring."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import click
from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.messaging import InMemoryChatReads, InMemoryChatUnitOfWork, SqlChatReads, SqlChatUnitOfWork
from adapters.http.messaging.controller import ChatController
from adapters.ws.handlers import chat_socket
from bootstrap.commands import run_job, settings_or_exit
from bootstrap.domain import DomainModule
from bootstrap.metrics import metered_mailer
from core.messaging.chat import ChatService
from core.messaging.service import MailRelay
from core.shared.errors import StorageUnavailable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from bootstrap.container import AppContainer

__all__ = ("DOMAIN", "MessagingContainer", "relay_loop")

logger = logging.getLogger("careernexus.runtime")


class MessagingContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    relay = providers.Singleton(
        MailRelay,
        store=platform.outbox_store,
        mailer=providers.Singleton(metered_mailer, platform.mailer, platform.metrics),
        clock=platform.clock,
        base_delay_seconds=platform.settings.provided.mail.retry_base_seconds,
    )

    # Chat: rooms and messages, delivered through the platform's real-time notifier after commit.
    chat_uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(SqlChatUnitOfWork, engine=platform.writer),
        memory=providers.Factory(InMemoryChatUnitOfWork, store=platform.store),
    )
    chat_reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlChatReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryChatReads, store=platform.store),
    )
    chat = providers.Singleton(
        ChatService,
        uow=chat_uow.provider,
        reads=chat_reads,
        push=platform.realtime,
        events=platform.event_bus,
        clock=platform.clock,
    )


def _chat_dependencies(c: MessagingContainer) -> Mapping[str, Provide]:
    def provide_chat() -> ChatService:
        return c.chat()

    return {"chat": Provide(provide_chat, sync_to_thread=False)}


async def relay_loop(c: MessagingContainer, *, poll_seconds: float | None = None) -> None:
    """Drain the mail outbox whenever a commit kicks it, and every ``poll_seconds`` for retries."""
    event = c.platform.mail_kick().bind()
    relay = c.relay()
    poll_seconds = poll_seconds or c.platform.settings().mail.poll_seconds
    while True:
        # ``asyncio.timeout``, not ``asyncio.wait_for``: on Python 3.11 ``wait_for`` swallows a cancellation that
        # arrives after the kick fired but before it resumed, and shutdown then waits for this loop for ever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(poll_seconds):
                await event.wait()
        event.clear()
        try:
            while await relay.drain():
                pass
        except StorageUnavailable:
            logger.warning("mail relay: database unavailable, retrying later")
        except Exception:
            logger.exception("mail relay failed")


@click.command("drain-outbox")
def drain_outbox() -> None:
    """Send every due e-mail in the outbox once."""

    async def work(app: AppContainer) -> int:
        relay = DOMAIN.of(app).relay()
        total = 0
        while sent := await relay.drain():
            total += sent
        return total

    click.echo(f"sent {run_job(settings_or_exit(), work)} e-mail(s)")


DOMAIN = DomainModule(
    name="messaging",
    container=MessagingContainer,
    tables=("messaging",),
    controllers=(ChatController, chat_socket),
    dependencies=_chat_dependencies,
    jobs=(drain_outbox,),
    background={"mail-relay": relay_loop},
)
