"""The platform container: what every domain shares (settings, clock, engines, event bus, e-mail outbox and
mailer, background tasks (``task_store``, ``task_kick``, ``task_codec``), storage, rate limiter, the read cache,
the choice catalogue, the in-memory store of the memory profile).

Domain containers (``bootstrap/domains/<d>.py``) receive it as ``platform = providers.DependenciesContainer()``.
Providers with a SQL and a memory variant are ``providers.Selector``s on ``profile`` ("sql" or "memory").
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Literal

from dependency_injector import containers, providers

from adapters.cache.memory import InProcessReadCache, NoReadCache
from adapters.cache.redis import RedisReadCache
from adapters.db.choices import SqlChoiceCatalogue, StaticChoiceCatalogue
from adapters.db.engine import make_engine, read_engine, write_engine
from adapters.db.memory import InMemoryStore
from adapters.db.outbox import InMemoryMailOutboxStore, SqlMailOutboxStore
from adapters.db.staff import InMemoryStaffDirectory, SqlStaffDirectory
from adapters.db.tasks import InMemoryTaskStore, JsonPayloadCodec, SqlTaskStore
from adapters.email.console import ConsoleMailer
from adapters.email.memory import InMemoryMailer
from adapters.email.smtp import SmtpMailer
from adapters.storage.local import LocalBlobStorage
from adapters.storage.memory import InMemoryBlobStorage
from adapters.storage.s3 import S3BlobStorage
from adapters.system.clock import SystemClock
from adapters.system.ratelimit import InMemoryRateLimiter, RedisRateLimiter
from adapters.system.readiness import RedisPing
from adapters.tasks.saq import SaqDispatcher
from adapters.ws.frames import HubNotifier
from adapters.ws.hub import Hub, MemoryHub, RedisHub
from bootstrap.engine import engine_dispatcher
from bootstrap.engine import task_kick as engine_task_kick
from bootstrap.metrics import Metrics
from bootstrap.settings import Settings
from core.shared.events import EventBus
from core.shared.limits import WriteLimits
from ports.choices import ChoiceCatalogue
from ports.email import Mailer, MailOutboxStore
from ports.readcache import ReadCache
from ports.staff import StaffDirectory
from ports.storage import BlobStorage
from ports.system import Clock, RateLimiter
from ports.tasks import PayloadCodec, TaskKick, TaskStore

__all__ = ("PlatformContainer", "Profile", "WorkerKick")

Profile = Literal["sql", "memory"]


class WorkerKick:
    """Wakes the inline task worker right after a commit that wrote tasks (``task_kick(ids)``)."""

    __slots__ = ("_event", "_loop")

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self) -> asyncio.Event:
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()
        return self._event

    def __call__(self, task_ids: Sequence[int] = ()) -> None:
        if self._event is None or self._loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._event.set()
        else:
            self._loop.call_soon_threadsafe(self._event.set)


def _mailer(settings: Settings) -> Mailer:
    mail = settings.mail
    if mail.backend == "smtp":
        return SmtpMailer(
            mail.smtp_host,
            mail.smtp_port,
            username=mail.smtp_username or None,
            password=mail.smtp_password.get() or None,
            tls=mail.smtp_tls,
            sender=mail.sender,
        )
    if mail.backend == "memory":
        return InMemoryMailer()
    return ConsoleMailer()


def _storage(settings: Settings) -> BlobStorage:
    storage = settings.storage
    if storage.backend == "s3":
        return S3BlobStorage(
            storage.s3_bucket,
            endpoint_url=storage.s3_endpoint_url or None,
            region=storage.s3_region,
            public_base_url=storage.s3_public_url or None,
            access_key_id=storage.s3_access_key_id or None,
            secret_access_key=storage.s3_secret_access_key.get() or None,
        )
    if storage.backend == "memory":
        return InMemoryBlobStorage(settings.public_media_url)
    return LocalBlobStorage(storage.media_root, settings.public_media_url)


def _limiter(settings: Settings) -> RateLimiter:
    if settings.limits.redis_url:
        return RedisRateLimiter.from_url(settings.limits.redis_url)
    return InMemoryRateLimiter(max_keys=settings.limits.rate_limit_max_keys)


def _metrics(settings: Settings) -> Metrics | None:
    return Metrics() if settings.metrics.enabled else None


def _redis_ping(settings: Settings) -> RedisPing | None:
    return RedisPing(settings.limits.redis_url) if settings.limits.redis_url else None


def _realtime_hub(settings: Settings) -> Hub:
    """Redis pub/sub across processes when ``REDIS_URL`` is set, else this process only."""
    if settings.limits.redis_url:
        return RedisHub(settings.limits.redis_url, prefix=settings.realtime.channel_prefix)
    return MemoryHub()


def _read_cache(settings: Settings) -> ReadCache:
    cache = settings.cache
    if cache.staleness_seconds <= 0 or cache.max_bytes <= 0:
        return NoReadCache()
    if settings.limits.redis_url:
        return RedisReadCache.from_url(
            settings.limits.redis_url, staleness=cache.staleness_seconds, max_bytes=cache.max_bytes
        )
    return InProcessReadCache(staleness=cache.staleness_seconds, max_bytes=cache.max_bytes)


def _write_limits(settings: Settings) -> WriteLimits:
    return WriteLimits(per_minute=settings.limits.write_limit_per_minute, per_day=settings.limits.write_limit_per_day)


class PlatformContainer(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    profile = providers.Dependency(instance_of=str, default="sql")
    # Steps run inside the transaction that deletes a user (collected from every domain module).
    user_deletion_steps = providers.Dependency(instance_of=tuple, default=())

    clock: providers.Provider[Clock] = providers.Singleton(SystemClock)
    event_bus = providers.Singleton(EventBus)
    # Told the ids of the tasks each commit wrote: wakes the inline worker, or (QUEUE=saq) dispatches them to SAQ.
    engine_dispatcher: providers.Provider[SaqDispatcher | None] = providers.Singleton(engine_dispatcher, settings)
    task_kick: providers.Provider[TaskKick] = providers.Singleton(engine_task_kick, settings, engine_dispatcher)
    store = providers.Singleton(InMemoryStore)  # the memory profile's database

    engine = providers.Singleton(
        make_engine, url=settings.provided.database.url, pool_size=settings.provided.database.pool_size
    )
    writer = providers.Singleton(write_engine, engine)
    # Read-only use (token checks): a deferred transaction, so SQLite readers never queue for the write lock.
    reader = providers.Singleton(read_engine, engine)

    outbox_store: providers.Provider[MailOutboxStore] = providers.Selector(
        profile,
        sql=providers.Singleton(SqlMailOutboxStore, engine=engine),
        memory=providers.Singleton(InMemoryMailOutboxStore, store=store),
    )
    task_store: providers.Provider[TaskStore] = providers.Selector(
        profile,
        sql=providers.Singleton(SqlTaskStore, engine=engine),
        memory=providers.Singleton(InMemoryTaskStore, store=store),
    )
    task_codec: providers.Provider[PayloadCodec] = providers.Singleton(JsonPayloadCodec)
    mailer: providers.Provider[Mailer] = providers.Selector(
        profile, sql=providers.Singleton(_mailer, settings), memory=providers.Singleton(InMemoryMailer)
    )
    storage: providers.Provider[BlobStorage] = providers.Selector(
        profile,
        sql=providers.Singleton(_storage, settings),
        memory=providers.Singleton(InMemoryBlobStorage, settings.provided.public_media_url),
    )
    limiter: providers.Provider[RateLimiter] = providers.Singleton(_limiter, settings)
    catalogue: providers.Provider[ChoiceCatalogue] = providers.Selector(
        profile,
        sql=providers.Singleton(SqlChoiceCatalogue, engine=engine),
        memory=providers.Singleton(StaticChoiceCatalogue),
    )
    # The admin role every domain checks (``ports.staff``): an active account with ``is_staff``.
    staff: providers.Provider[StaffDirectory] = providers.Selector(
        profile,
        sql=providers.Singleton(SqlStaffDirectory, engine=engine),
        memory=providers.Singleton(InMemoryStaffDirectory, store=store),
    )
    write_limits = providers.Singleton(_write_limits, settings)
    # Hot reads (encoded answers per viewer; ``ports.readcache``): units of work bump versions after commit.
    read_cache: providers.Provider[ReadCache] = providers.Singleton(_read_cache, settings)
    # Observability: Prometheus metrics (None unless METRICS_ENABLED) and the Redis check of /ready.
    metrics: providers.Provider[Metrics | None] = providers.Singleton(_metrics, settings)
    redis_ping: providers.Provider[RedisPing | None] = providers.Singleton(_redis_ping, settings)
    # Real time: the fan-out of websocket frames (notifications, chat) and the notifier that publishes on it after
    # commits (``ports.notifications.NotificationPush`` and ``ports.messaging.ChatPush``).
    realtime_hub: providers.Provider[Hub] = providers.Singleton(_realtime_hub, settings)
    realtime = providers.Singleton(HubNotifier, realtime_hub, settings.provided.http.public_url)
