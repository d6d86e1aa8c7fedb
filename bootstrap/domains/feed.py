"""The feed domain (posts, comments, likes, shares; follows and connections): its wiring."""

from __future__ import annotations

from collections.abc import Mapping

from dependency_injector import containers, providers
from litestar.di import Provide

from adapters.classifier.keywords import KeywordIndustryClassifier
from adapters.db.feed import SqlFeedUnitOfWork
from adapters.db.feed_deletion import forget_user_in_feed
from adapters.db.feed_memory import InMemoryFeedReads, InMemoryFeedUnitOfWork
from adapters.db.feed_queries import SqlFeedReads
from adapters.http.feed.controller import FeedController
from adapters.http.network.controller import ConnectionController, FollowController
from bootstrap.domain import DomainModule
from core.feed.network import NetworkService
from core.feed.service import FeedService

__all__ = ("DOMAIN", "FeedContainer")


class FeedContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    classifier = providers.Singleton(KeywordIndustryClassifier)
    # Writes through the write engine, list pages through the read-model queries.
    uow = providers.Selector(
        platform.profile,
        sql=providers.Factory(
            SqlFeedUnitOfWork,
            engine=platform.writer,
            clock=platform.clock,
            task_kick=platform.task_kick,
            views=platform.read_cache,
        ),
        memory=providers.Factory(
            InMemoryFeedUnitOfWork,
            store=platform.store,
            clock=platform.clock,
            task_kick=platform.task_kick,
            views=platform.read_cache,
        ),
    )
    reads = providers.Selector(
        platform.profile,
        sql=providers.Singleton(SqlFeedReads, engine=platform.engine),
        memory=providers.Singleton(InMemoryFeedReads, store=platform.store),
    )
    service = providers.Singleton(
        FeedService,
        uow=uow.provider,
        reads=reads,
        events=platform.event_bus,
        clock=platform.clock,
        classifier=classifier,
        storage=platform.storage,
        limiter=platform.limiter,
        writes=platform.write_limits,
    )
    network = providers.Singleton(
        NetworkService, uow=uow.provider, reads=reads, events=platform.event_bus, clock=platform.clock
    )


def _dependencies(c: FeedContainer) -> Mapping[str, Provide]:
    def provide_feed() -> FeedService:
        return c.service()

    def provide_network() -> NetworkService:
        return c.network()

    return {
        "feed": Provide(provide_feed, sync_to_thread=False),
        "network": Provide(provide_network, sync_to_thread=False),
    }


DOMAIN = DomainModule(
    name="feed",
    container=FeedContainer,
    tables=("feed",),
    controllers=(FeedController, FollowController, ConnectionController),
    dependencies=_dependencies,
    # Counters on posts and comments that stay (ON DELETE CASCADE cannot fix them): see docs/conventions.md.
    user_deletion_steps=(forget_user_in_feed,),
)
