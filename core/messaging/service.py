"""Delivery of persisted e-mail: each staged message has a ``mail.send`` task (``MailDelivery``); the scheduled
``drain-outbox`` job (``DrainOutbox`` over ``MailRelay``) sends whatever is still due, as a safety net."""

from __future__ import annotations

import logging
from datetime import timedelta

from core.tasks.registry import PermanentTaskError
from ports.email import Mailer, MailOutboxStore, SendMail, TransientMailError
from ports.system import Clock

__all__ = ("DrainOutbox", "MailDelivery", "MailRelay")

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


class MailDelivery:
    """The ``mail.send`` task's handler. Idempotent by ``message_id``: the outbox row is leased before sending and
    a message whose ``sent_at`` is set (or that another sender holds) is not sent again, so running the task
    twice sends the message once. A transient failure is recorded on the row and raised (the task is retried
    with backoff); any other failure gives up on the message (the task is dead)."""

    __slots__ = ("_clock", "_mailer", "_store")

    def __init__(self, *, store: MailOutboxStore, mailer: Mailer, clock: Clock) -> None:
        self._store = store
        self._mailer = mailer
        self._clock = clock

    async def send(self, payload: SendMail) -> bool:
        """Send the message; ``False`` when there was nothing to send."""
        entry = await self._store.claim(payload.message_id, self._clock.now())
        if entry is None:
            return False
        try:
            await self._mailer.send(entry.message)
        except TransientMailError as exc:
            now = self._clock.now()
            await self._store.mark_failed(entry.id, now, now, str(exc))  # due again for the task's next attempt
            raise
        except Exception as exc:
            await self._store.mark_failed(entry.id, self._clock.now(), None, repr(exc))
            raise PermanentTaskError(f"mail {payload.message_id} cannot be sent: {exc!r}") from exc
        await self._store.mark_sent(entry.id, self._clock.now())
        return True


class DrainOutbox:
    """The ``drain-outbox`` job: sends every due unsent message once (those whose ``mail.send`` task is missing
    or dead, or is waiting for a retry). Idempotent: the outbox lease and ``sent_at`` keep a message from being
    sent by this job and its task both."""

    __slots__ = ("_clock", "_relay", "_store")

    def __init__(self, *, relay: MailRelay, store: MailOutboxStore, clock: Clock) -> None:
        self._relay = relay
        self._store = store
        self._clock = clock

    async def remaining(self) -> int:
        return await self._store.count_due(self._clock.now())

    async def step(self) -> int:
        return await self._relay.drain()

    def summary(self, handled: int) -> str:
        return f"sent {handled} e-mail(s)"
