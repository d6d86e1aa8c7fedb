"""One socket's life: subscribe its channels, send what the hub hands it through a bounded queue, read the client's
frames (``ping`` → ``pong``), close dead or slow peers, unsubscribe on the way out.

- Backpressure: each socket has a queue of ``queue_size`` frames. A client that does not read fills it; the next
  frame closes that socket (``4429``) instead of growing memory or stalling the publisher and other sockets.
- Heartbeat: a socket that sends nothing for ``heartbeat_seconds`` is closed (``4408``); the real frontend pings
  every 30 s. (uvicorn's protocol-level pings also drop peers whose TCP connection died.)
- Cleanup: whichever side ends first (disconnect, timeout, overflow), the other task is cancelled and every
  channel is unsubscribed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import WebSocket

from adapters.ws.frames import PONG
from adapters.ws.hub import Hub, Unsubscribe

__all__ = (
    "CLOSE_FORBIDDEN",
    "CLOSE_HEARTBEAT",
    "CLOSE_INVALID",
    "CLOSE_NOT_FOUND",
    "CLOSE_SLOW",
    "CLOSE_UNAUTHORIZED",
    "CLOSE_UNAVAILABLE",
    "RealtimeSockets",
    "SocketOutbox",
    "close_quietly",
    "run_socket",
)

logger = logging.getLogger("careernexus.realtime")

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_INVALID = 4400
CLOSE_HEARTBEAT = 4408
CLOSE_SLOW = 4429
CLOSE_UNAVAILABLE = 1013

FrameHandler = Callable[[Any, "SocketOutbox"], Awaitable[None]]


@dataclass(frozen=True, slots=True, kw_only=True)
class RealtimeSockets:
    """What every socket handler needs: the hub and the limits."""

    hub: Hub
    queue_size: int = 100
    heartbeat_seconds: float = 90.0
    max_frame_chars: int = 20_000


class SocketOutbox:
    """The socket's bounded send queue; ``offer`` never blocks (it is the hub's sink)."""

    __slots__ = ("_queue", "overflowed")

    def __init__(self, size: int) -> None:
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(max(1, size))
        self.overflowed = False

    def offer(self, data: bytes) -> None:
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(data)
        except asyncio.QueueFull:
            self.overflowed = True
            while not self._queue.empty():  # drop what the client did not read; the marker closes the socket
                self._queue.get_nowait()
            self._queue.put_nowait(None)

    async def next(self) -> bytes | None:
        return await self._queue.get()


async def close_quietly(socket: WebSocket[Any, Any, Any], code: int, reason: str = "") -> None:
    with contextlib.suppress(Exception):
        async with asyncio.timeout(5):
            await socket.close(code=code, reason=reason[:120])


async def _send(socket: WebSocket[Any, Any, Any], box: SocketOutbox) -> None:
    while True:
        data = await box.next()
        if data is None:
            await close_quietly(socket, CLOSE_SLOW, "Too many unread frames")
            return
        await socket.send_text(data.decode())


def _decode(message: Any) -> Any:
    text = message.get("text")
    if text is None:
        raw = message.get("bytes") or b""
        text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return None


async def _receive(
    socket: WebSocket[Any, Any, Any], policy: RealtimeSockets, on_frame: FrameHandler, box: SocketOutbox
) -> None:
    while True:
        try:
            async with asyncio.timeout(policy.heartbeat_seconds):
                message = await socket.receive()
        except TimeoutError:
            await close_quietly(socket, CLOSE_HEARTBEAT, "Heartbeat timeout")
            return
        if message["type"] != "websocket.receive":
            return
        size = len(message.get("text") or message.get("bytes") or "")
        if size > policy.max_frame_chars:
            await close_quietly(socket, 1009, "Frame too large")
            return
        data = _decode(message)
        if isinstance(data, dict) and data.get("type") == "ping":
            box.offer(PONG)
            continue
        await on_frame(data, box)


async def _ignore(_: Any, __: SocketOutbox) -> None:
    return None


async def run_socket(
    socket: WebSocket[Any, Any, Any],
    policy: RealtimeSockets,
    channels: Sequence[str],
    on_frame: FrameHandler = _ignore,
    on_open: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Serve an accepted socket until it ends."""
    box = SocketOutbox(policy.queue_size)
    unsubscribes: list[Unsubscribe] = []
    tasks: list[asyncio.Task[None]] = []
    try:
        for channel in channels:
            unsubscribes.append(await policy.hub.subscribe(channel, box.offer))
        if on_open is not None:
            await on_open()
        tasks = [
            asyncio.create_task(_send(socket, box)),
            asyncio.create_task(_receive(socket, policy, on_frame, box)),
        ]
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = None if task.cancelled() else task.exception()
            if error is not None and not _is_disconnect(error):
                logger.warning("socket ended with an error", exc_info=error)
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        for unsubscribe in unsubscribes:
            with contextlib.suppress(Exception):
                await unsubscribe()


def _is_disconnect(error: BaseException) -> bool:
    name = type(error).__name__
    return name in {"WebSocketDisconnect", "ClientDisconnected", "ConnectionClosed"} or isinstance(error, OSError)
