"""The websocket routes (behaviors §8.4; URLs without the ``/notification-chat`` prefix), each authenticated by
``?token=<access token>`` (browsers cannot set headers on a websocket).

A missing, expired, revoked or refresh token is refused: the socket is accepted and closed at once with ``4401``
(a close code the browser's ``onclose`` can read; refusing the handshake would only show a failed connection).
Anonymous sockets are never served.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import msgspec
from litestar import WebSocket, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from adapters.ws.frames import chat_channel, jobs_channel, notice_channel
from adapters.ws.sockets import (
    CLOSE_FORBIDDEN,
    CLOSE_INVALID,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHORIZED,
    CLOSE_UNAVAILABLE,
    RealtimeSockets,
    SocketOutbox,
    close_quietly,
    run_socket,
)
from core.accounts.token_check import TokenCheck
from core.messaging.chat import ChatService
from core.shared.errors import InvalidInput, NotFound, PermissionDenied, StorageUnavailable, Unauthenticated

__all__ = ("chat_socket", "jobs_socket", "notification_socket")

logger = logging.getLogger("careernexus.realtime")

Token = Annotated[str | None, QueryParameter(name="token", description="An access token (refresh tokens are refused).")]
Sockets = NamedDependency[RealtimeSockets]
Tokens = NamedDependency[TokenCheck]


async def _caller(socket: WebSocket[Any, Any, Any], token_check: TokenCheck, token: str | None) -> int | None:
    """The caller's user id, or None after closing the socket (4401; 1013 when the database is down)."""
    if not token:
        await socket.accept()
        await close_quietly(socket, CLOSE_UNAUTHORIZED, "Authentication credentials were not provided.")
        return None
    try:
        caller = await token_check.caller(token)
    except Unauthenticated as exc:
        await socket.accept()
        await close_quietly(socket, CLOSE_UNAUTHORIZED, str(exc) or "Token is invalid or expired")
        return None
    except StorageUnavailable:
        await socket.accept()
        await close_quietly(socket, CLOSE_UNAVAILABLE, "Try again later")
        return None
    await socket.accept()
    return caller.user_id


@websocket(
    "/ws/notification/",
    name="ws-notifications",
    description="Pushes every stored notification of the caller as JSON `{type, id, text, message, page, route, "
    'obj_id, timestamp}`; answers `{"type":"ping"}` with `{"type":"pong"}`. `?token=` access token.',
)
async def notification_socket(
    socket: WebSocket[Any, Any, Any], token_check: Tokens, sockets: Sockets, token: Token = None
) -> None:
    user_id = await _caller(socket, token_check, token)
    if user_id is not None:
        await run_socket(socket, sockets, [notice_channel(user_id)])


@websocket("/ws/notification/jobs/", name="ws-job-alerts", description="Job alerts only, same frame shape.")
async def jobs_socket(
    socket: WebSocket[Any, Any, Any], token_check: Tokens, sockets: Sockets, token: Token = None
) -> None:
    user_id = await _caller(socket, token_check, token)
    if user_id is not None:
        await run_socket(socket, sockets, [jobs_channel(user_id)])


def _error_frame(body: Any) -> bytes:
    return msgspec.json.encode({"type": "error", "error": body})


@websocket(
    "/ws/chat/{user_id:int}/",
    name="ws-chat",
    description="Chat with a user you have a confirmed connection with (else closed with 4403; yourself 4400; "
    'unknown user 4404). Send `{"message": "..."}`; every stored message of the room is pushed to both sides '
    "as `{type, id, chat_id, user_id, person, message, timestamp}`.",
)
async def chat_socket(
    socket: WebSocket[Any, Any, Any],
    user_id: FromPath[int],
    token_check: Tokens,
    sockets: Sockets,
    chat: NamedDependency[ChatService],
    token: Token = None,
) -> None:
    me = await _caller(socket, token_check, token)
    if me is None:
        return
    try:
        room, _ = await chat.initiate(me, user_id)
    except InvalidInput:
        await close_quietly(socket, CLOSE_INVALID, "Cannot chat with yourself.")
        return
    except NotFound:
        await close_quietly(socket, CLOSE_NOT_FOUND, "User not found.")
        return
    except PermissionDenied as exc:
        await close_quietly(socket, CLOSE_FORBIDDEN, str(exc))
        return
    except StorageUnavailable:
        await close_quietly(socket, CLOSE_UNAVAILABLE, "Try again later")
        return

    async def on_frame(data: Any, box: SocketOutbox) -> None:
        text = data.get("message") if isinstance(data, dict) else None
        if not isinstance(text, str):
            box.offer(_error_frame({"message": ["This field is required."]}))
            return
        try:
            await chat.send(me, room, text)
        except InvalidInput as exc:
            box.offer(_error_frame(exc.body))
        except (NotFound, PermissionDenied) as exc:
            box.offer(_error_frame({"detail": str(exc)}))
        except StorageUnavailable:
            box.offer(_error_frame({"detail": "The database is unavailable."}))

    async def on_open() -> None:
        await chat.mark_read(me, room)

    await run_socket(socket, sockets, [chat_channel(room.id, me)], on_frame, on_open)
