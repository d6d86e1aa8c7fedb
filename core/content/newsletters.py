"""Newsletters: one subscriber list for signed-in and anonymous subscribers (an address at most once), the
archive every signed-in user reads, and delivery by e-mail to every subscriber.

Delivery is a sequence of batches. A batch, in one transaction, takes the next subscribers (by id, after the last
one the newsletter was delivered to, among those who subscribed by its publication), stages one e-mail each in the
mail outbox and records a ``newsletter_deliveries`` row per (newsletter, subscriber). A run that dies between
batches resumes after the last recorded subscriber; two runs racing on one batch clash on the delivery key and
one of them rolls back with its e-mails. So every subscriber is handed to the outbox exactly once.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from core.content.model.newsletters import (
    DELIVER_NEWSLETTER,
    DeliverNewsletter,
    Newsletter,
    NewsletterDelivery,
    Subscriber,
    SubscriberCard,
)
from core.content.staff import require_admin
from core.shared.errors import Conflict, InvalidInput, NotFound, RateLimited, StorageUnavailable
from core.shared.media import JPEG, PNG, MediaKind, MediaPolicy, Upload, check_upload, new_key
from core.shared.pagination import Page, PageRequest
from ports.content import ContentUnitOfWork, MemberCards
from ports.email import EmailMessage
from ports.staff import StaffDirectory
from ports.storage import BlobStorage
from ports.system import Clock, RateLimiter

__all__ = (
    "ARCHIVE_PAGE_SIZE",
    "NewsletterInput",
    "NewsletterService",
    "NewsletterView",
    "Subscription",
    "newsletter_mail",
)

ARCHIVE_PAGE_SIZE = 5
MAX_TITLE = 500
MAX_CONTENT = 100_000
IMAGE_PREFIX = "Newsletter/Images"
ALREADY_SUBSCRIBED = "Already subscribed to NewsLetter."
NOT_SUBSCRIBED = "Not previously subscribed to NewsLetter."
UNSUBSCRIBED = "Unsubscribed from Newsletter"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class NewsletterInput:
    title: str
    content: str
    image: Upload | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    card: SubscriberCard
    subscriber: Subscriber


@dataclass(frozen=True, slots=True)
class NewsletterView:
    """``GET /newsletter/``: the newest newsletter, a page of the others, and whether the viewer subscribes."""

    recent: Newsletter | None
    archive: Page[Newsletter]
    subscribed: bool


def _email(raw: str) -> str:
    email = raw.strip()
    local, _, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}" if local else email
    if len(email) > 254 or not _EMAIL.match(email) or not email.isprintable():
        raise InvalidInput.field("email", "Enter a valid email address.")
    return email


def newsletter_mail(newsletter: Newsletter, subscriber: Subscriber, unsubscribe_link: str) -> EmailMessage:
    """One subscriber's copy; its Message-ID names the (newsletter, subscriber) pair, so a copy staged twice
    would clash in the outbox rather than go out twice."""
    to = subscriber.email
    text = (
        f"{newsletter.title}\n\n{newsletter.content}\n\n"
        f"You receive this because you subscribed to the Career Nexus newsletter.\n"
        f"Unsubscribe: {unsubscribe_link}"
    )
    paragraphs = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in newsletter.content.split("\n\n"))
    image = (
        f'<p><img src="{escape(newsletter.image, quote=True)}" alt="" style="max-width:100%"></p>'
        if newsletter.image else ""
    )
    html = (
        '<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1b1b1b">'
        f'<h2 style="color:#5b2a86">{escape(newsletter.title)}</h2>{image}{paragraphs}'
        '<p style="color:#777;font-size:12px">You receive this because you subscribed to the Career Nexus '
        f'newsletter. <a href="{escape(unsubscribe_link, quote=True)}">Unsubscribe</a>.</p></body></html>'
    )
    return EmailMessage(to=to, subject=newsletter.title, text=text, html=html,
                        message_id=f"<newsletter-{newsletter.id}-{subscriber.id}@careernexus>")


class NewsletterService:
    __slots__ = (
        "_batch_size",
        "_cards",
        "_clock",
        "_image_bytes",
        "_key",
        "_limiter",
        "_per_hour",
        "_public_url",
        "_staff",
        "_storage",
        "_uow",
    )

    def __init__(
        self,
        *,
        uow: Callable[[], ContentUnitOfWork],
        staff: StaffDirectory,
        cards: MemberCards,
        storage: BlobStorage,
        clock: Clock,
        signing_key: bytes,
        public_url: str,
        image_bytes: int = 5_000_000,
        batch_size: int = 100,
        limiter: RateLimiter | None = None,
        subscribes_per_hour: int = 20,
    ) -> None:
        self._uow = uow
        self._staff = staff
        self._cards = cards
        self._storage = storage
        self._clock = clock
        self._key = signing_key
        self._public_url = public_url.rstrip("/")
        self._image_bytes = image_bytes
        self._batch_size = batch_size
        self._limiter = limiter
        self._per_hour = subscribes_per_hour

    # ------------------------------------------------------------------ the subscriber list

    def token(self, subscriber: Subscriber) -> str:
        """The signature in a subscriber's unsubscribe link (bound to the subscription and its address)."""
        message = f"newsletter-unsubscribe:{subscriber.id}:{subscriber.email.lower()}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def unsubscribe_link(self, subscriber: Subscriber) -> str:
        query = urlencode({"subscriber": subscriber.id, "token": self.token(subscriber)})
        return f"{self._public_url}/user/newsletter-unsubscribe/?{query}"

    async def subscribe(self, user_id: int) -> Subscription:
        """A signed-in user subscribes with their account's address (an anonymous subscription of that address
        becomes theirs)."""
        card = await self._cards.card(user_id)
        if card is None:
            raise NotFound("User not found.")
        async with self._uow() as uow:
            if await uow.subscribers.by_user(user_id) is not None:
                raise InvalidInput.non_field(ALREADY_SUBSCRIBED)
            existing = await uow.subscribers.by_email(card.email)
            if existing is not None and existing.user_id is not None:
                raise InvalidInput.non_field(ALREADY_SUBSCRIBED)
            if existing is not None:
                await uow.subscribers.claim(existing.id, user_id)
                existing.user_id = user_id
                subscriber = existing
            else:
                try:
                    subscriber = await uow.subscribers.add(
                        Subscriber(email=card.email, user_id=user_id, subscribed_at=self._clock.now())
                    )
                except Conflict:
                    raise InvalidInput.non_field(ALREADY_SUBSCRIBED) from None
            await uow.commit()
        return Subscription(card, subscriber)

    async def unsubscribe(self, user_id: int) -> None:
        card = await self._cards.card(user_id)
        async with self._uow() as uow:
            subscriber = await uow.subscribers.by_user(user_id)
            if subscriber is None and card is not None:
                subscriber = await uow.subscribers.by_email(card.email)
            if subscriber is None:
                raise InvalidInput.non_field(NOT_SUBSCRIBED)
            await uow.subscribers.delete(subscriber.id)
            await uow.commit()

    async def subscribe_email(self, raw_email: str, client_ip: str = "") -> Subscriber:
        """An anonymous visitor subscribes an address (at most ``subscribes_per_hour`` attempts per client)."""
        if self._limiter is not None:
            retry = await self._limiter.hit(f"newsletter-subscribe:ip:{client_ip}", limit=self._per_hour,
                                            window_seconds=3600)
            if retry is not None:
                raise RateLimited(f"Request was throttled. Expected available in {retry} seconds.", retry_after=retry)
        email = _email(raw_email)
        async with self._uow() as uow:
            if await uow.subscribers.by_email(email) is not None:
                raise InvalidInput.field("email", "Already subscribed to Newsletter")
            try:
                subscriber = await uow.subscribers.add(Subscriber(email=email, subscribed_at=self._clock.now()))
            except Conflict:
                raise InvalidInput.field("email", "Already subscribed to Newsletter") from None
            await uow.commit()
        return subscriber

    async def unsubscribe_signed(self, subscriber_id: int, token: str) -> None:
        """The link in every newsletter e-mail. A link whose subscription is gone already answers as success (the
        address is off the list); a forged or altered one is refused."""
        async with self._uow() as uow:
            subscriber = await uow.subscribers.get(subscriber_id)
            if subscriber is None:
                return
            if not hmac.compare_digest(self.token(subscriber), token):
                raise InvalidInput.field("token", "Invalid or expired unsubscribe link.")
            await uow.subscribers.delete(subscriber.id)
            await uow.commit()

    async def is_subscribed(self, user_id: int) -> bool:
        async with self._uow() as uow:
            return await uow.subscribers.by_user(user_id) is not None

    # ------------------------------------------------------------------ newsletters

    async def create(self, actor_id: int, data: NewsletterInput) -> Newsletter:
        await require_admin(self._staff, actor_id)
        title = data.title.strip()
        if not title:
            raise InvalidInput.field("title", "This field may not be blank.")
        if len(title) > MAX_TITLE:
            raise InvalidInput.field("title", f"Ensure this field has no more than {MAX_TITLE} characters.")
        content = data.content.strip()
        if not content:
            raise InvalidInput.field("content", "This field may not be blank.")
        if len(content) > MAX_CONTENT:
            raise InvalidInput.field("content", f"Ensure this field has no more than {MAX_CONTENT} characters.")
        key: str | None = None
        image = ""
        if data.image is not None:
            policy = MediaPolicy(MediaKind.IMAGE, self._image_bytes, frozenset({PNG, JPEG}))
            content_type, extension = check_upload(data.image, policy, "image")
            key = new_key(IMAGE_PREFIX, data.image.filename, extension)
            image = await self._storage.put(key, data.image.data, content_type)
        try:
            async with self._uow() as uow:
                newsletter = await uow.newsletters.add(
                    Newsletter(title=title, content=content, image=image, created_at=self._clock.now(),
                               author_id=actor_id)
                )
                # Its delivery is queued in the same transaction: no newsletter without its delivery task.
                self._queue_batch(uow, newsletter.id, 0)
                await uow.commit()
        except BaseException:
            if key is not None:
                await self._discard(key)
            raise
        return newsletter

    @staticmethod
    def _queue_batch(uow: ContentUnitOfWork, newsletter_id: int, after: int) -> None:
        """Queue the batch after subscriber ``after``; the dedupe key makes a repeated enqueue a no-op."""
        uow.tasks.enqueue(
            DELIVER_NEWSLETTER,
            DeliverNewsletter(newsletter_id=newsletter_id),
            dedupe_key=f"{DELIVER_NEWSLETTER}:{newsletter_id}:{after}",
        )

    async def view(self, viewer_id: int, request: PageRequest) -> NewsletterView:
        """Everyone signed in reads the archive (four statements whatever the page)."""
        async with self._uow() as uow:
            recent, _ = await uow.newsletters.page(0, 1)
            items, total = await uow.newsletters.page(1 + request.offset, request.size)
            subscribed = await uow.subscribers.by_user(viewer_id) is not None
        archive = Page(items, max(total - 1, 0), request).check_in_range()
        return NewsletterView(recent[0] if recent else None, archive, subscribed)

    # ------------------------------------------------------------------ delivery

    async def deliver_batch(self, newsletter_id: int, batch_size: int | None = None) -> int:
        """Stage the next batch of the newsletter's e-mails; the number staged (0: every subscriber has it)."""
        async with self._uow() as uow:
            newsletter = await uow.newsletters.get(newsletter_id)
            if newsletter is None:
                return 0
            last = await uow.deliveries.last_subscriber(newsletter_id)
            batch_size = batch_size or self._batch_size
            batch = await uow.subscribers.after(last, newsletter.created_at, batch_size)
            if not batch:
                return 0
            now = self._clock.now()
            for subscriber in batch:
                uow.outbox.add(newsletter_mail(newsletter, subscriber, self.unsubscribe_link(subscriber)))
            await uow.deliveries.record(
                [NewsletterDelivery(newsletter_id=newsletter_id, subscriber_id=s.id, email=s.email, queued_at=now)
                 for s in batch]
            )
            if len(batch) == batch_size:  # maybe more: the next batch is its own task, queued with this one's work
                self._queue_batch(uow, newsletter_id, batch[-1].id)
            await uow.commit()
        return len(batch)

    async def run_task(self, payload: DeliverNewsletter) -> int:
        """The ``newsletter.deliver`` task: one batch (it queues the next). Idempotent by the delivery record: a
        rerun after a crash stages only the subscribers not yet recorded."""
        return await self.deliver_batch(payload.newsletter_id, self._batch_size)

    async def deliver_all(self, newsletter_id: int, batch_size: int | None = None,
                          progress: Callable[[int], None] | None = None) -> int:
        """Run every remaining batch now (``careernexus send-newsletters``); the number of e-mails staged."""
        total = 0
        while staged := await self.deliver_batch(newsletter_id, batch_size):
            total += staged
            if progress is not None:
                progress(staged)
        return total

    async def remaining(self, newsletter_id: int) -> int:
        """How many subscribers the newsletter is still to be delivered to."""
        async with self._uow() as uow:
            newsletter = await uow.newsletters.get(newsletter_id)
            if newsletter is None:
                return 0
            last = await uow.deliveries.last_subscriber(newsletter_id)
            return await uow.subscribers.count_after(last, newsletter.created_at)

    async def newsletter_ids(self) -> list[int]:
        async with self._uow() as uow:
            return await uow.newsletters.ids()

    async def delivered(self, newsletter_id: int) -> int:
        async with self._uow() as uow:
            return await uow.deliveries.count(newsletter_id)

    async def _discard(self, key: str) -> None:
        with contextlib.suppress(StorageUnavailable, OSError):
            await self._storage.delete(key)
