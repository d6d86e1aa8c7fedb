"""Notifications: made from domain facts by the presenters, stored, pushed to live sockets after commit, listed,
marked read and cleared (behaviors §8; the read flag and the unread count are additions).

Settings honoured (§2.7; the original ignored all but ``email_notify``): ``push_notify`` off → stored, not pushed;
``message_notify`` off → no notification for missed chat messages; ``email_notify`` on → the like and reply
e-mails, through the mail outbox, for the first such notification about an object.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from core.notifications.mails import NoticeMail
from core.notifications.model import MESSAGE, StoredNotice
from core.notifications.presenters import Presenters
from core.shared.errors import NotFound
from core.shared.events import DomainEvent
from core.shared.pagination import Page, PageRequest
from ports.notifications import NotificationPush, NotificationReads, NotificationsUnitOfWork, PersonNames

__all__ = ("PAGE_SIZE", "NotificationsService")

logger = logging.getLogger("careernexus.notifications")

PAGE_SIZE = 5


class NotificationsService:
    __slots__ = ("_mails", "_names", "_presenters", "_push", "_reads", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], NotificationsUnitOfWork],
        reads: NotificationReads,
        presenters: Presenters,
        names: PersonNames,
        push: NotificationPush,
        mails: Mapping[type[DomainEvent], NoticeMail] | None = None,
    ) -> None:
        self._mails = dict(mails or {})
        self._uow = uow
        self._reads = reads
        self._presenters = presenters
        self._names = names
        self._push = push

    @property
    def event_types(self) -> frozenset[type[DomainEvent]]:
        return self._presenters.event_types

    async def record(self, event: DomainEvent) -> StoredNotice | None:
        """Tell the recipient of ``event`` (if it is news to anyone): store the notification, queue its e-mail,
        then push it after commit. None when nothing was stored."""
        notice = await self._presenters.present(event, self._names)
        if notice is None:
            return None
        async with self._uow() as uow:
            recipient = await uow.recipients.get(notice.user_id)
            if recipient is None or (notice.kind == MESSAGE and not recipient.message_notify):
                return None
            make_mail = self._mails.get(type(event)) if recipient.email_notify else None
            mail = make_mail(recipient.email, notice) if make_mail is not None else None
            if mail is not None and await uow.notifications.seen_before(notice.user_id, notice.text, notice.obj_id):
                mail = None  # only the first like (reply) about an object is mailed
            stored = await uow.notifications.add(notice)
            if mail is not None:
                uow.outbox.add(mail)
            await uow.commit()
        if recipient.push_notify:
            try:
                await self._push.push_notice(stored)
            except Exception:  # stored already: the list shows it; a push is best effort
                logger.warning("push of notification %s failed", stored.id, exc_info=True)
        return stored

    async def page(self, user_id: int, number: int) -> tuple[Page[StoredNotice], int]:
        """Page ``number`` (5 a page, newest first) and the unread count; 404 ``Invalid page.`` past the end."""
        page, unread = await self._reads.page(user_id, PageRequest(number, PAGE_SIZE))
        return page.check_in_range(), unread

    async def unread(self, user_id: int) -> int:
        return await self._reads.unread(user_id)

    async def mark_read(self, user_id: int, notification_id: int) -> StoredNotice:
        """Mark one read; someone else's (or no such) notification is 404."""
        async with self._uow() as uow:
            found = await uow.notifications.mark_read(user_id, notification_id)
            if found is None:
                raise NotFound("Invalid notification id")
            await uow.commit()
        return found

    async def mark_all_read(self, user_id: int) -> int:
        async with self._uow() as uow:
            changed = await uow.notifications.mark_all_read(user_id)
            await uow.commit()
        return changed

    async def clear(self, user_id: int) -> int:
        async with self._uow() as uow:
            removed = await uow.notifications.clear(user_id)
            await uow.commit()
        return removed
