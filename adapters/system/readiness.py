"""Reachability of Redis for ``/ready``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import cast

from redis.asyncio import Redis

__all__ = ("RedisPing",)


class RedisPing:
    """``PING`` with a deadline on a client of its own (a down Redis answers ``False``, never raises)."""

    __slots__ = ("_limit", "_redis")

    def __init__(self, url: str, *, limit_seconds: float = 1.0) -> None:
        self._redis: Redis = Redis.from_url(url, socket_connect_timeout=limit_seconds, socket_timeout=limit_seconds)
        self._limit = limit_seconds

    async def __call__(self) -> bool:
        try:
            async with asyncio.timeout(self._limit):
                return bool(await cast("Awaitable[bool]", self._redis.ping()))  # redis-py types it sync or async
        except Exception:
            return False

    async def aclose(self) -> None:
        await self._redis.aclose()
