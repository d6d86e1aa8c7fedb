"""Delivery of persisted e-mail: the relay drains the outbox with retries and backoff."""

from __future__ import annotations

import logging
from datetime import timedelta

from ports.email import Mailer, MailOutboxStore, TransientMailError
from ports.system import Clock

__all__ = ("MailRelay",)

logger = logging.getLogger("careernexus.mail")


class MailRelay:
    """Sends due outbox messages. Transient failures are retried with exponential backoff (at most
    ``max_attempts``); anything else gives up on the message. A message is marked sent only after the
    transport accepted it, so a crash in between may send it again but never loses it.
    """

    __slots__ = ("_base_delay", "_clock", "_mailer", "_max_attempts", "_max_delay", "_store")

    def __init__(
        self,
        *,
        store: MailOutboxStore,
        mailer: Mailer,
        clock: Clock,
        max_attempts: int = 12,
        base_delay_seconds: float = 2.0,
        max_delay_seconds: float = 600.0,
    ) -> None:
        self._store = store
        self._mailer = mailer
        self._clock = clock
        self._max_attempts = max_attempts
        self._base_delay = base_delay_seconds
        self._max_delay = max_delay_seconds

    async def drain(self, batch: int = 50) -> int:
        """Send every due message once; returns how many were sent."""
        sent = 0
        for entry in await self._store.due(self._clock.now(), batch):
            try:
                await self._mailer.send(entry.message)
            except TransientMailError as exc:
                attempts = entry.attempts + 1
                now = self._clock.now()
                if attempts >= self._max_attempts:
                    logger.warning("giving up on mail %s after %d attempts", entry.id, attempts)
                    await self._store.mark_failed(entry.id, now, None, str(exc))
                else:
                    delay = min(self._max_delay, self._base_delay * 2 ** (attempts - 1))
                    await self._store.mark_failed(entry.id, now, now + timedelta(seconds=delay), str(exc))
                continue
            except Exception as exc:
                logger.exception("mail %s failed permanently", entry.id)
                await self._store.mark_failed(entry.id, self._clock.now(), None, repr(exc))
                continue
            await self._store.mark_sent(entry.id, self._clock.now())
            sent += 1
        return sent
