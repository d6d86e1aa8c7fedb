"""The notifications domain: a presenter per event type turns the facts of the other domains (feed, network,
chat) into stored notifications, pushed to the recipient's sockets after commit; the REST list, read flags and
clearing; the notification and job-alert websockets. Its wiring, and the one place where the other domains'
events meet this domain's presenters (mypy checks here that each event carries every fact its presenter reads).
"""

from __future__ import annotations

from collections.abc import Mapping

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.db.notifications import (
    InMemoryNotificationReads,
    InMemoryNotificationsUnitOfWork,
    InMemoryPersonNames,
    SqlNotificationReads,
    SqlNotificationsUnitOfWork,
    SqlPersonNames,
)
from adapters.http.notifications.controller import NotificationsController
from adapters.ws.handlers import jobs_socket, notification_socket
from adapters.ws.hub import Hub
from adapters.ws.sockets import RealtimeSockets
from bootstrap.domain import DomainModule
from bootstrap.settings import Settings
from core.feed.model.events import (
    CommentLiked,
    CommentReplied,
    ConnectionAccepted,
    ConnectionRejected,
    ConnectionRequested,
    PostLiked,
    UserFollowed,
)
from core.jobs.model.board import JobAlerted, JobApplied
from core.mentorship.model import (
    SessionAccepted,
    SessionBooked,
    SessionCompleted,
    SessionExpired,
    SessionInvited,
    SessionPaid,
    SessionRejected,
)
from core.messaging.model import ChatMessageMissed
from core.notifications import presenters as p
from core.notifications.mails import NoticeMail, comment_replied_mail, post_liked_mail
from core.notifications.presenters import Presenters
from core.notifications.service import NotificationsService
from core.shared.events import DomainEvent, EventBus
from core.support.model import DisputeAnswered

__all__ = ("DOMAIN", "NotificationsContainer", "notification_mails", "notification_presenters")


def notification_presenters() -> Presenters:
    """Which presenter tells which domain event (behaviors §8.2). Accounts events tell nobody anything (§8.2 has
    no row for them); the job board adds its alerts and applications; answered support tickets tell their owner;
    mentorship adds its own when it lands."""
    registry = Presenters()
    registry.register(PostLiked, p.post_liked)
    registry.register(CommentLiked, p.comment_liked)
    registry.register(CommentReplied, p.comment_replied)
    registry.register(UserFollowed, p.user_followed)
    registry.register(ConnectionRequested, p.connection_requested)
    registry.register(ConnectionAccepted, p.connection_accepted)
    registry.register(ConnectionRejected, p.connection_rejected)
    registry.register(ChatMessageMissed, p.message_missed)
    registry.register(JobAlerted, p.job_alerted)
    registry.register(JobApplied, p.job_applied)
    registry.register(DisputeAnswered, p.dispute_answered)
    registry.register(SessionBooked, p.session_booked)
    registry.register(SessionInvited, p.session_invited)
    registry.register(SessionAccepted, p.session_accepted)
    registry.register(SessionRejected, p.session_rejected)
    registry.register(SessionExpired, p.session_expired)
    registry.register(SessionPaid, p.session_paid)
    registry.register(SessionCompleted, p.session_completed)
    return registry


def notification_mails() -> dict[type[DomainEvent], NoticeMail]:
    """The e-mails of ``email_notify`` (the first like of a post, the first reply of a person on a post)."""
    return {PostLiked: post_liked_mail, CommentReplied: comment_replied_mail}


def _sockets(settings: Settings, hub: Hub) -> RealtimeSockets:
    realtime = settings.realtime
    return RealtimeSockets(
        hub=hub,
        queue_size=realtime.queue_size,
        heartbeat_seconds=realtime.heartbeat_seconds,
    )


class NotificationsContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(SqlNotificationsUnitOfWork, engine=platform.writer, task_kick=platform.task_kick),
        memory=providers.Factory(InMemoryNotificationsUnitOfWork, store=platform.store, task_kick=platform.task_kick),
    )
    reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlNotificationReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryNotificationReads, store=platform.store),
    )
    names = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlPersonNames, engine=platform.engine),
        memory=providers.Singleton(InMemoryPersonNames, store=platform.store),
    )
    presenters = providers.Singleton(notification_presenters)
    service = providers.Singleton(
        NotificationsService,
        uow=uow.provider,
        reads=reads,
        presenters=presenters,
        names=names,
        push=platform.realtime,
        mails=providers.Callable(notification_mails),
    )
    sockets = providers.Singleton(_sockets, platform.settings, platform.realtime_hub)


def _dependencies(c: NotificationsContainer) -> Mapping[str, Provide]:
    def provide_notifications() -> NotificationsService:
        return c.service()

    def provide_sockets() -> RealtimeSockets:
        return c.sockets()

    return {
        "notifications": Provide(provide_notifications, sync_to_thread=False),
        # Every websocket handler's hub and limits (the chat socket of the messaging domain too).
        "sockets": Provide(provide_sockets, sync_to_thread=False),
    }


def _subscribe(c: NotificationsContainer, bus: EventBus) -> None:
    """One handler for every event type that has a presenter (the service is looked up per event, so a test's
    override applies)."""

    async def record(event: DomainEvent) -> None:
        await c.service().record(event)

    for event_type in c.presenters().event_types:
        bus.subscribe(event_type, record)


DOMAIN = DomainModule(
    name="notifications",
    container=NotificationsContainer,
    tables=("notifications",),
    controllers=(NotificationsController, notification_socket, jobs_socket),
    dependencies=_dependencies,
    subscribe=_subscribe,
)
