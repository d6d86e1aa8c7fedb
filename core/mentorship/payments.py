"""Payment orchestration: checkouts for accepted sessions, and their confirmation recorded exactly once.

* ``initiate``: at most one live checkout per session (initiating again with the same provider returns the open
  one; another provider supersedes it). The provider is called outside any transaction; a provider failure
  (``ProviderUnavailable``, 502/503) changes nothing.
* ``confirm`` (webhooks, redirects, the sandbox page, reconciliation): nothing is believed until the provider
  says, server to server (``PaymentGateway.verify``), that our reference was paid with our amount and currency.
  The payment is then recorded in one transaction that locks the checkout row (PostgreSQL) and inserts the
  payment under unique constraints (its provider payment id, its checkout): whichever confirmation arrives first
  records it, every other one (later, twice or concurrently) finds it recorded. A payment for a session already
  paid, cancelled or otherwise closed is recorded too and a refund is owed."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.mentorship.model import Checkout, CheckoutStatus, MentorshipSession, Payment, Refund, SessionStatus
from core.mentorship.money import from_usd
from core.shared.errors import InvalidInput, NotFound, ProviderUnavailable
from ports import payments as gw
from ports.events import EventPublisher
from ports.mentorship import MentorshipUnitOfWork
from ports.system import Clock

__all__ = ("PaymentLinks", "PaymentService", "ReconcilePayments")

logger = logging.getLogger("careernexus.payments")


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentLinks:
    public_url: str
    frontend_url: str

    @property
    def success(self) -> str:
        return f"{self.frontend_url.rstrip('/')}/payment-success"

    @property
    def failure(self) -> str:
        return f"{self.frontend_url.rstrip('/')}/payment-failed"

    def return_url(self, provider: str, reference: str) -> str:
        base = self.public_url.rstrip("/")
        if provider == "flutterwave":
            return f"{base}/payments/callback/"
        return f"{base}/payments/stripe/redirect/?reference={reference}&session_id={{CHECKOUT_SESSION_ID}}"


def _port_checkout(checkout: Checkout) -> gw.Checkout:
    return gw.Checkout(provider=checkout.provider, reference=checkout.reference, provider_ref=checkout.provider_ref,
                       url=checkout.url, expires_at=checkout.expires_at)


class PaymentService:
    __slots__ = ("_clock", "_events", "_gateways", "_links", "_sandboxes", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], MentorshipUnitOfWork],
        events: EventPublisher,
        clock: Clock,
        gateways: Mapping[str, gw.PaymentGateway],
        links: PaymentLinks,
        sandboxes: Mapping[str, gw.SandboxDesk] | None = None,
    ) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._gateways = dict(gateways)
        self._links = links
        self._sandboxes = dict(sandboxes or {})

    @property
    def links(self) -> PaymentLinks:
        return self._links

    def _gateway(self, provider: str) -> gw.PaymentGateway:
        gateway = self._gateways.get(provider)
        if gateway is None:
            raise ProviderUnavailable(f"Payments with {provider} are not available.", status=503)
        return gateway

    # ------------------------------------------------------------------ initiate

    @staticmethod
    def _check_payable(session: MentorshipSession | None, actor_id: int, session_id: int) -> MentorshipSession:
        if session is None:
            raise InvalidInput.field("session", f'Invalid pk "{session_id}" - object does not exist.')
        if session.mentee_id != actor_id:
            raise InvalidInput.field("session", "This session was not initiated by you.")
        if session.is_paid:
            raise InvalidInput.field("session", "This session has already been paid for.")
        if session.status is SessionStatus.PENDING:
            raise InvalidInput.field("session", "This session is yet to be accepted by the mentor.")
        if session.status is not SessionStatus.ACCEPTED:
            raise InvalidInput.field("session", "This session can no longer be paid for.")
        return session

    def _reusable(self, live: Checkout | None, provider: str, now: datetime) -> bool:
        return live is not None and live.provider == provider and (live.expires_at is None or live.expires_at > now)

    async def initiate(self, actor_id: int, session_id: int, provider: str) -> Checkout:
        gateway = self._gateway(provider)
        now = self._clock.now()
        async with self._uow() as uow:
            session = self._check_payable(await uow.sessions.get(session_id), actor_id, session_id)
            live = await uow.checkouts.live_for(session.id)
            if live is not None and self._reusable(live, provider, now):
                return live
            amount = await self._amount(uow, session, gateway.currency)
            payer = await uow.people.person(actor_id)
            if payer is None:
                raise NotFound("User not found.")
        reference = f"CN-{session.id}-{uuid.uuid4().hex}"
        opened = await gateway.create_checkout(gw.CheckoutRequest(
            reference=reference, amount=amount, currency=gateway.currency,
            description="Payment for Mentorship Session.", customer_email=payer.email,
            customer_name=f"{payer.first_name} {payer.last_name}".strip(),
            success_url=self._links.return_url(provider, reference), cancel_url=self._links.failure,
            metadata={"session_id": str(session.id), "reference": reference},
        ))
        now = self._clock.now()
        async with self._uow() as uow:
            session = self._check_payable(await uow.sessions.get(session_id, for_update=True), actor_id, session_id)
            live = await uow.checkouts.live_for(session.id)
            if live is not None and self._reusable(live, provider, now):
                return live  # a concurrent request opened one first: that one is the live checkout
            if live is not None:
                live.status, live.live_session_id, live.updated_at = CheckoutStatus.SUPERSEDED, None, now
                await uow.checkouts.update(live)
            checkout = Checkout(
                session_id=session.id, payer_id=actor_id, provider=provider, reference=reference,
                provider_ref=opened.provider_ref, url=opened.url, amount=amount, currency=gateway.currency,
                status=CheckoutStatus.OPEN, created_at=now, updated_at=now, live_session_id=session.id,
                expires_at=opened.expires_at,
            )
            if not await uow.checkouts.add(checkout):
                raise InvalidInput.field("session", "A payment for this session is being initiated.")
            await uow.commit()
        return checkout

    @staticmethod
    async def _amount(uow: MentorshipUnitOfWork, session: MentorshipSession, currency: str) -> int:
        if currency == "USD":
            return session.price_usd_minor
        if currency == session.price_currency:
            return session.price_minor
        rate = await uow.people.rate(currency)
        if rate is None or rate <= 0:
            raise InvalidInput.field("session", f"Payments in {currency} are not available for this session.")
        return from_usd(session.price_usd_minor, rate)

    # ------------------------------------------------------------------ confirm

    async def confirm(self, provider: str, *, reference: str = "", provider_ref: str = "",
                      provider_payment_id: str = "") -> bool:
        """Whether the checkout (by our reference, else the provider's checkout id) is paid and recorded now.
        Raises ``ProviderUnavailable`` when the provider cannot be asked (the caller retries later)."""
        async with self._uow() as uow:
            if reference:
                checkout = await uow.checkouts.by_reference(reference)
            elif provider_ref:
                checkout = await uow.checkouts.by_provider_ref(provider, provider_ref)
            else:
                checkout = None
        if checkout is None or checkout.provider != provider:
            return False
        if checkout.status is CheckoutStatus.PAID:
            return True
        gateway = self._gateways.get(provider)
        if gateway is None:
            return False
        verified = await gateway.verify(_port_checkout(checkout), provider_payment_id)
        if verified.reference != checkout.reference:
            logger.warning("payment %s: the provider reported reference %r", checkout.reference, verified.reference)
            return False
        if verified.state is gw.PaymentState.FAILED:
            await self._close(checkout.reference)
            return False
        if verified.state is not gw.PaymentState.PAID or not verified.provider_payment_id:
            return False
        if verified.amount != checkout.amount or verified.currency.upper() != checkout.currency.upper():
            logger.warning("payment %s: paid %s %s, expected %s %s", checkout.reference, verified.amount,
                           verified.currency, checkout.amount, checkout.currency)
            return False
        return await self._record(checkout.reference, verified)

    async def _close(self, reference: str) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            checkout = await uow.checkouts.by_reference(reference, for_update=True)
            if checkout is not None and checkout.status is CheckoutStatus.OPEN:
                checkout.status, checkout.live_session_id, checkout.updated_at = CheckoutStatus.FAILED, None, now
                await uow.checkouts.update(checkout)
                await uow.commit()

    async def _record(self, reference: str, verified: gw.VerifiedPayment) -> bool:
        now = self._clock.now()
        async with self._uow() as uow:
            found = await uow.checkouts.by_reference(reference)
            if found is None:
                return False
            # Locks in the order `initiate` takes them, the session's then its checkout's: two transactions
            # locking them in opposite orders can deadlock.
            session = await uow.sessions.get(found.session_id, for_update=True)
            checkout = await uow.checkouts.by_reference(reference, for_update=True)
            if checkout is None:
                return False
            if checkout.status is CheckoutStatus.PAID:
                return True
            if session is None:
                return False
            payment = Payment(
                session_id=session.id, checkout_id=checkout.id, provider=checkout.provider,
                provider_payment_id=verified.provider_payment_id,
                payment_key=f"{checkout.provider}:{verified.provider_payment_id}", amount=checkout.amount,
                currency=checkout.currency, usd_amount=session.price_usd_minor, paid_at=now,
            )
            if not await uow.payments.add(payment):
                return True  # a concurrent confirmation recorded it
            checkout.status, checkout.live_session_id, checkout.updated_at = CheckoutStatus.PAID, None, now
            await uow.checkouts.update(checkout)
            if session.is_paid or session.status is not SessionStatus.ACCEPTED:
                reason = "already paid" if session.is_paid else f"session {session.status.lower()}"
                await uow.refunds.add(Refund(session_id=session.id, payment_id=payment.id, amount=payment.amount,
                                             currency=payment.currency, reason=reason, created_at=now))
            else:
                session.mark_paid(now)
                await uow.sessions.update(session)
                uow.track(session)
            uow.views_changed(session.mentee_id, session.mentor_id)
            await uow.commit()
            events = uow.collect_events()
        await self._events.publish(*events)
        return True

    async def webhook(self, provider: str, body: bytes, headers: Mapping[str, str]) -> bool:
        """An authenticated delivery confirms the checkout it names; a forged one is 400."""
        gateway = self._gateways.get(provider)
        if gateway is None:
            raise NotFound("Unknown payment provider.")
        try:
            event = gateway.parse_webhook(body, headers)
        except gw.InvalidWebhook:
            raise InvalidInput.error("Invalid webhook signature.") from None
        if event is None:
            return False
        return await self.confirm(provider, reference=event.reference, provider_ref=event.provider_ref,
                                  provider_payment_id=event.provider_payment_id)

    async def redirect(self, provider: str, *, reference: str = "", provider_ref: str = "",
                       provider_payment_id: str = "") -> str:
        """Where a payer returning from the provider goes: the frontend's success page once recorded."""
        try:
            paid = await self.confirm(provider, reference=reference, provider_ref=provider_ref,
                                      provider_payment_id=provider_payment_id)
        except ProviderUnavailable:
            logger.warning("payment %s: provider unavailable on redirect", reference or provider_ref)
            paid = False  # reconciliation records it later if it was paid
        return self._links.success if paid else self._links.failure

    # ------------------------------------------------------------------ sandbox

    async def sandbox_checkout(self, reference: str, signature: str) -> Checkout:
        """The checkout a sandbox page is about (404 for a page the sandbox did not make)."""
        async with self._uow() as uow:
            checkout = await uow.checkouts.by_reference(reference)
        desk = self._sandboxes.get(checkout.provider) if checkout is not None else None
        if checkout is None or desk is None or desk.authorize(_port_checkout(checkout), signature) is None:
            raise NotFound("No such sandbox checkout.")
        return checkout

    async def sandbox_pay(self, reference: str, signature: str) -> str:
        """The sandbox payer pays: confirmed like any provider's redirect; the frontend page to go to."""
        checkout = await self.sandbox_checkout(reference, signature)
        payment_id = self._sandboxes[checkout.provider].authorize(_port_checkout(checkout), signature) or ""
        return await self.redirect(checkout.provider, reference=reference, provider_payment_id=payment_id)


class ReconcilePayments:
    """Batch job: re-verify open checkouts older than ``after`` with their provider; record those paid (a lost
    webhook and no redirect), close those the provider failed. Idempotent (recording is exactly once)."""

    __slots__ = ("_after", "_batch", "_clock", "_cursor", "_payments", "_uow")

    def __init__(self, *, uow: Callable[[], MentorshipUnitOfWork], payments: PaymentService, clock: Clock,
                 after: timedelta = timedelta(hours=1), batch: int = 100) -> None:
        self._uow = uow
        self._payments = payments
        self._clock = clock
        self._after = after
        self._batch = batch
        self._cursor = 0

    async def remaining(self) -> int:
        async with self._uow() as uow:
            return len(await uow.checkouts.open_before(self._clock.now() - self._after, 10_000))

    async def step(self) -> int:
        async with self._uow() as uow:
            found = await uow.checkouts.open_before(self._clock.now() - self._after, self._batch, self._cursor)
        if not found:
            self._cursor = 0
            return 0
        for checkout in found:
            try:
                await self._payments.confirm(checkout.provider, reference=checkout.reference)
            except ProviderUnavailable:
                logger.warning("reconcile %s: provider unavailable", checkout.reference)
        self._cursor = found[-1].id
        return len(found)

    def summary(self, handled: int) -> str:
        return f"re-verified {handled} open checkout(s)"
