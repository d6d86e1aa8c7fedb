"""Fan-out of frames to the sockets that listen on a channel: in one process (``MemoryHub``) or across processes
and hosts through Redis pub/sub (``RedisHub``).

A channel names who listens (``n:<user>`` the notification sockets of a user, ``j:<user>`` the job-alert sockets,
``c:<room>:<user>`` a user's chat sockets on a room). ``publish`` answers how many processes took a frame (Redis
``PUBLISH`` counts subscribed connections: one per process), which chat uses to tell an offline recipient.

Sinks are plain callables that must not block (a socket's bounded queue); a sink registered from another event
loop (tests serve the app in a thread) is called in its own loop.

Why Redis and not PostgreSQL ``LISTEN/NOTIFY``: the default database is SQLite (no such thing); ``LISTEN`` needs
a dedicated connection per process outside the pool, held for the process' life; a ``NOTIFY`` payload is limited
to 8000 bytes (a chat message may be 5000 characters, i.e. up to 20 kB of UTF-8 before the sender's card), and
notifications are delivered only at commit of the notifying transaction. Redis is already the rate limiter's
shared store (``REDIS_URL``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

__all__ = ("Hub", "MemoryHub", "RedisHub", "Sink", "Unsubscribe")

logger = logging.getLogger("careernexus.realtime")

Sink = Callable[[bytes], None]
Unsubscribe = Callable[[], Awaitable[None]]


class _Listener:
    __slots__ = ("loop", "sink")

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.loop = asyncio.get_running_loop()

    def deliver(self, data: bytes) -> None:
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self.sink(data)
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.sink, data)


class Hub:
    """What the sockets and the notifier need of a fan-out."""

    async def publish(self, channel: str, data: bytes) -> int:
        raise NotImplementedError

    async def subscribe(self, channel: str, sink: Sink) -> Unsubscribe:
        raise NotImplementedError

    def listeners(self) -> int:
        """Sinks registered in this process (for tests and the bench)."""
        raise NotImplementedError

    async def aclose(self) -> None:
        return None


class MemoryHub(Hub):
    """One process: publish calls every local sink of the channel."""

    __slots__ = ("_channels",)

    def __init__(self) -> None:
        self._channels: dict[str, set[_Listener]] = {}

    async def publish(self, channel: str, data: bytes) -> int:
        listeners = self._channels.get(channel)
        if not listeners:
            return 0
        for listener in list(listeners):
            listener.deliver(data)
        return 1

    async def subscribe(self, channel: str, sink: Sink) -> Unsubscribe:
        listener = _Listener(sink)
        self._channels.setdefault(channel, set()).add(listener)

        async def unsubscribe() -> None:
            found = self._channels.get(channel)
            if found is not None:
                found.discard(listener)
                if not found:
                    del self._channels[channel]

        return unsubscribe

    def listeners(self) -> int:
        return sum(len(s) for s in self._channels.values())


class RedisHub(Hub):
    """Across processes: one publishing client and one pub/sub connection per process. A Redis channel is
    subscribed while at least one local sink listens on it (no per-channel state survives the last one, so
    per-user channels do not accumulate); a reader task hands each message to the local sinks.

    ``prefix`` namespaces the channels (pub/sub ignores Redis' database number)."""

    def __init__(self, url: str, *, prefix: str = "careernexus") -> None:
        self._url = url
        self._prefix = f"{prefix}:rt:"
        self._client: Redis | None = None
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._channels: dict[str, set[_Listener]] = {}
        self._lock: asyncio.Lock | None = None

    def _redis(self) -> Redis:
        if self._client is None:
            self._client = Redis.from_url(self._url, socket_connect_timeout=2.0, health_check_interval=30)
        return self._client

    async def publish(self, channel: str, data: bytes) -> int:
        return int(await self._redis().publish(self._prefix + channel, data))

    async def _start(self) -> None:
        if self._pubsub is None:
            self._pubsub = self._redis().pubsub(ignore_subscribe_messages=True)
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read(), name="realtime-redis-reader")

    async def _read(self) -> None:
        prefix = len(self._prefix)
        while True:
            try:
                if not self._pubsub.subscribed:
                    await asyncio.sleep(0.05)
                    continue
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("realtime: Redis pub/sub read failed, retrying", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            if not message or message.get("type") != "message":
                continue
            channel = message["channel"]
            name = (channel.decode() if isinstance(channel, bytes) else str(channel))[prefix:]
            data = message["data"]
            for listener in list(self._channels.get(name, ())):
                listener.deliver(data if isinstance(data, bytes) else str(data).encode())

    async def subscribe(self, channel: str, sink: Sink) -> Unsubscribe:
        if self._lock is None:
            self._lock = asyncio.Lock()
        listener = _Listener(sink)
        async with self._lock:
            await self._start()
            listeners = self._channels.setdefault(channel, set())
            first = not listeners
            listeners.add(listener)
            if first:
                try:
                    await self._pubsub.subscribe(self._prefix + channel)
                except BaseException:
                    listeners.discard(listener)
                    if not listeners:
                        del self._channels[channel]
                    raise

        async def unsubscribe() -> None:
            assert self._lock is not None
            async with self._lock:
                found = self._channels.get(channel)
                if found is None:
                    return
                found.discard(listener)
                if not found:
                    del self._channels[channel]
                    with contextlib.suppress(Exception):
                        await self._pubsub.unsubscribe(self._prefix + channel)

        return unsubscribe

    def listeners(self) -> int:
        return sum(len(s) for s in self._channels.values())

    async def aclose(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
            self._reader = None
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
            self._pubsub = None
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()
            self._client = None
