"""The token-check caches of every process, told through Redis pub/sub (``REDIS_URL``).

Why pub/sub and not a per-user version key: a version key costs a Redis round trip on every authenticated request
(the cache exists to avoid a round trip); a published message costs one ``PUBLISH`` per sign-out, reset or
deletion and nothing per request. Pub/sub does not keep messages, so a process that was not subscribed when one was
sent misses it: the listener empties its cache whenever it (re)subscribes, and the cache's own time bound
(``AUTH_CACHE_SECONDS``) covers whatever is lost while Redis is down. A publish that fails (Redis down or slow) is
dropped after a short timeout and Redis is left alone for a few seconds, so a reset never waits on a dead Redis.

Messages: ``u:<id>,<id>…`` (accounts) and ``s:<user id>:<session id>`` (one session).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

__all__ = ("RedisAuthCachePeers",)

logger = logging.getLogger("careernexus.auth_cache")

CHANNEL = "careernexus:auth-cache"


class RedisAuthCachePeers:
    """``AuthCachePeers`` over one Redis channel: ``forget_*`` publish; ``listen`` applies what peers publish."""

    __slots__ = ("_channel", "_down_until", "_redis", "_retry_after_failure", "_timeout", "_url", "subscribed")

    def __init__(
        self, url: str, *, channel: str | None = None, timeout: float = 0.5, retry_after_failure: float = 5.0
    ) -> None:
        self._url = url
        self._timeout = timeout
        self._retry_after_failure = retry_after_failure
        self._down_until = 0.0
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        # Channels span a server's numbered databases: one per database keeps deployments sharing a server apart.
        db = self._redis.connection_pool.connection_kwargs.get("db", 0)
        self._channel = channel or f"{CHANNEL}:{db}"
        # Set while the listener is subscribed (tests wait on it).
        self.subscribed = asyncio.Event()

    @property
    def channel(self) -> str:
        return self._channel

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def forget_users(self, user_ids: Sequence[int]) -> None:
        await self._publish("u:" + ",".join(str(i) for i in user_ids))

    async def forget_session(self, user_id: int, session_id: str) -> None:
        await self._publish(f"s:{user_id}:{session_id}")

    async def _publish(self, message: str) -> None:
        if time.monotonic() < self._down_until:
            return
        try:
            async with asyncio.timeout(self._timeout):
                await self._redis.publish(self._channel, message)
        except (RedisError, OSError, TimeoutError):
            self._down_until = time.monotonic() + self._retry_after_failure
            logger.warning("auth cache: could not tell the other processes (they forget within the cache time)")

    async def listen(
        self,
        *,
        drop_users: Callable[[Sequence[int]], None],
        drop_session: Callable[[int, str], None],
        clear: Callable[[], None],
        reconnect_seconds: float = 1.0,
    ) -> None:
        """Apply the peers' messages until cancelled; reconnect after a failure (emptying the cache each time it
        subscribes: it may have missed messages meanwhile)."""
        while True:
            client: Redis = Redis.from_url(
                self._url, socket_connect_timeout=self._timeout, socket_keepalive=True, health_check_interval=10
            )
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                clear()
                self.subscribed.set()
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is not None:
                        _apply(message.get("data"), drop_users, drop_session)
            except (RedisError, OSError, TimeoutError) as error:
                logger.warning("auth cache: peer messages unavailable (%s); retrying", type(error).__name__)
            finally:
                self.subscribed.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(reconnect_seconds)


def _apply(
    data: object, drop_users: Callable[[Sequence[int]], None], drop_session: Callable[[int, str], None]
) -> None:
    if not isinstance(data, bytes | str):
        return
    text = data.decode() if isinstance(data, bytes) else data
    kind, _, rest = text.partition(":")
    try:
        if kind == "u":
            drop_users([int(i) for i in rest.split(",") if i])
        elif kind == "s":
            user_id, _, session_id = rest.partition(":")
            drop_session(int(user_id), session_id)
    except ValueError:
        logger.warning("auth cache: ignored a malformed peer message")
