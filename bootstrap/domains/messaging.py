"""The messaging domain: e-mail delivery over the platform's outbox, and chat between connected users. Its wiring.

Each staged e-mail has a ``mail.send`` task (``MailDelivery``) the task worker runs after the commit; the
scheduled ``drain-outbox`` job (every ``MAIL_POLL_SECONDS``; ``careernexus jobs drain-outbox`` runs it once)
sends whatever is still due, as a safety net.

Chat (``core/messaging/chat.py``): rooms and messages, pushed through the platform's real-time notifier after
commit; the REST routes and the ``/ws/chat/<user_id>/`` socket.
"""

from __future__ import annotations

from collections.abc import Mapping

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.messaging import InMemoryChatReads, InMemoryChatUnitOfWork, SqlChatReads, SqlChatUnitOfWork
from adapters.http.messaging.controller import ChatController
from adapters.ws.handlers import chat_socket
from bootstrap.domain import DomainModule
from bootstrap.metrics import metered_mailer
from bootstrap.tasks import ScheduledJob
from core.messaging.chat import ChatService
from core.messaging.service import DrainOutbox, MailDelivery, MailRelay
from core.tasks.registry import TaskHandler
from ports.email import SEND_MAIL, SendMail

__all__ = ("DOMAIN", "MessagingContainer")


class MessagingContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    mailer = providers.Singleton(metered_mailer, platform.mailer, platform.metrics)
    relay = providers.Singleton(
        MailRelay,
        store=platform.outbox_store,
        mailer=mailer,
        clock=platform.clock,
        base_delay_seconds=platform.settings.provided.mail.retry_base_seconds,
    )
    delivery = providers.Singleton(MailDelivery, store=platform.outbox_store, mailer=mailer, clock=platform.clock)
    drain = providers.Singleton(DrainOutbox, relay=relay, store=platform.outbox_store, clock=platform.clock)

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


def _send_mail(c: MessagingContainer) -> TaskHandler[SendMail]:
    return TaskHandler(
        payload=SendMail,
        run=c.delivery().send,
        backoff_base_seconds=c.platform.settings().mail.retry_base_seconds,
        max_attempts=12,
    )


def _chat_dependencies(c: MessagingContainer) -> Mapping[str, Provide]:
    def provide_chat() -> ChatService:
        return c.chat()

    return {"chat": Provide(provide_chat, sync_to_thread=False)}


DOMAIN = DomainModule(
    name="messaging",
    container=MessagingContainer,
    tables=("messaging",),
    controllers=(ChatController, chat_socket),
    dependencies=_chat_dependencies,
    tasks={SEND_MAIL: _send_mail},
    schedules=(
        ScheduledJob(
            name="drain-outbox",
            task="mail.drain-outbox",
            help="Send every due e-mail of the outbox once.",
            every_seconds=lambda settings: settings.mail.poll_seconds,
            job=lambda c: c.drain(),
        ),
    ),
)
