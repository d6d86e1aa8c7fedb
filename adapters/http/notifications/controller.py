"""Notifications: the list (5 a page, newest first), read flags, the unread count, clearing (behaviors §8.3; the
read flag, ``PUT`` and the unread count are additions). The real frontend asks for the list on every page: one
indexed statement after the token check."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, put
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from adapters.http.pagination import page_envelope, page_request
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site
from core.notifications.model import StoredNotice
from core.notifications.service import NotificationsService
from core.shared.errors import InvalidInput

__all__ = ("NotificationsController",)

Me = NamedDependency[Principal]
Notifications = NamedDependency[NotificationsService]
SiteDep = NamedDependency[Site]
PageParam = Annotated[str | None, QueryParameter(name="page", description="Page number (5 a page).", pattern=NO_NUL)]
IdParam = Annotated[
    str | None,
    QueryParameter(name="id", description="The notification to mark read (all of them when absent).", pattern=NO_NUL),
]


class NotificationRead(msgspec.Struct, kw_only=True):
    id: int
    text: str
    page: str | None
    route: str | None
    obj_id: str | None
    timestamp: datetime
    read: bool


class NotificationPageRead(msgspec.Struct, kw_only=True):
    count: int
    next: str | None
    previous: str | None
    results: list[NotificationRead]
    unread: int


class UnreadRead(msgspec.Struct, kw_only=True):
    unread: int


class MarkedRead(msgspec.Struct, kw_only=True):
    marked: int
    unread: int


def _read(n: StoredNotice) -> NotificationRead:
    return NotificationRead(
        id=n.id, text=n.text, page=n.page, route=n.route, obj_id=n.obj_id, timestamp=n.timestamp, read=n.read
    )


def _id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise InvalidInput.error("Invalid notification id")
    return int(text)


class NotificationsController(Controller):
    path = "/notification-chat/notifications"
    tags = ["Notifications"]

    @get(
        "/",
        summary="Get All Notifications",
        description="The caller's notifications, newest first, 5 a page: DRF page `{count, next, previous, "
        "results}` plus `unread` (how many are unread). Each result: `{id, text, page, route, obj_id (a string), "
        "timestamp, read}`.",
        security=BEARER,
    )
    async def list_notifications(
        self,
        request: Request[Any, Any, Any],
        notifications: Notifications,
        me: Me,
        site: SiteDep,
        page: PageParam = None,
    ) -> NotificationPageRead:
        found, unread = await notifications.page(me.user_id, page_request(page, 5).number)
        body = page_envelope(site, request, found, [_read(n) for n in found.items])
        return NotificationPageRead(**body, unread=unread)

    @delete("/", status_code=204, summary="Clear Notifications", security=BEARER)
    async def clear_notifications(self, notifications: Notifications, me: Me) -> None:
        await notifications.clear(me.user_id)

    @put(
        "/",
        status_code=200,
        summary="Mark Notifications Read",
        description="`?id=<notification>` marks one of the caller's notifications read (someone else's or an "
        "unknown id: 404); without `id` marks all of them read. Answers how many changed and how many stay unread.",
        security=BEARER,
    )
    async def mark_read(self, notifications: Notifications, me: Me, id: IdParam = None) -> MarkedRead:
        wanted = _id(id)
        if wanted is None:
            marked = await notifications.mark_all_read(me.user_id)
        else:
            await notifications.mark_read(me.user_id, wanted)
            marked = 1
        return MarkedRead(marked=marked, unread=await notifications.unread(me.user_id))

    @get("/unread/", summary="Unread Notifications Count", security=BEARER)
    async def unread(self, notifications: Notifications, me: Me) -> UnreadRead:
        return UnreadRead(unread=await notifications.unread(me.user_id))
