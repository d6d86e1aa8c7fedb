"""The messaging domain (e-mail delivery over the platform's outbox): its wiring.

Each staged e-mail has a ``mail.send`` task (``MailDelivery``) the task worker runs after the commit; the
scheduled ``drain-outbox`` job (every ``MAIL_POLL_SECONDS``; ``careernexus jobs drain-outbox`` runs it once)
sends whatever is still due, as a safety net.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from bootstrap.domain import DomainModule
from bootstrap.metrics import metered_mailer
from bootstrap.tasks import ScheduledJob
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


def _send_mail(c: MessagingContainer) -> TaskHandler[SendMail]:
    return TaskHandler(
        payload=SendMail,
        run=c.delivery().send,
        backoff_base_seconds=c.platform.settings().mail.retry_base_seconds,
        max_attempts=12,
    )


DOMAIN = DomainModule(
    name="messaging",
    container=MessagingContainer,
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
