"""Mentorship endpoints under ``/mentor/`` and session payments under ``/payments/``. Thin: decode, call one
service method, encode the documented shape."""

from __future__ import annotations

import html
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import JSONBody, QueryParameter
from litestar.response import Redirect

from adapters.http.mentorship.schemas import (
    AnnotateBody,
    AnswerBody,
    AnswerRead,
    BookBody,
    CancelRead,
    FlutterwaveLinkRead,
    InvitationRead,
    InviteeRead,
    JoinRead,
    MentorBody,
    MentorItemRead,
    PersonRead,
    RecommendedPageRead,
    RecommendedRead,
    SavedMentorRead,
    SessionAtRead,
    SessionBody,
    SessionRead,
    StripeCheckoutRead,
    WebhookRead,
)
from adapters.http.pagination import page_envelope, page_request
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site
from core.mentorship.discovery import RECOMMEND_PAGE_SIZE, DiscoveryService
from core.mentorship.money import format_amount
from core.mentorship.payments import PaymentService
from core.mentorship.sessions import Booking, SessionService, SessionView
from ports.mentorship import MentorCard, PersonCard

__all__ = ("MentorController", "PaymentsController", "session_read")

Discovery = NamedDependency[DiscoveryService]
Sessions = NamedDependency[SessionService]
Payments = NamedDependency[PaymentService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
Filter = Annotated[str | None, QueryParameter(max_length=250, pattern=NO_NUL)]
Param = Annotated[str | None, QueryParameter(max_length=300, pattern=NO_NUL)]
IdParam = Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)]
PageParam = Annotated[str | None, QueryParameter(name="page", description="Page number.", pattern=NO_NUL)]

SESSION_NOTE = (
    " Session shape: `session_at` is shown in the caller's profile timezone; `amount` is the mentor's rate when "
    "booked, in the mentor's currency; `join` is true while the session can be joined (accepted, paid or free, "
    "from 10 minutes before its start until its end); `rating` is the mentee's rating (0 until completed)."
)


def _person(site: Site, card: PersonCard | None) -> PersonRead | None:
    if card is None:
        return None
    return PersonRead(id=card.id, first_name=card.first_name, last_name=card.last_name, middle_name=card.middle_name,
                      profile_photo=site.photo(card.profile_photo), qualification=card.qualification,
                      user_type=card.user_type)


def session_read(site: Site, view: SessionView) -> SessionRead:
    s = view.session
    local = view.local_start
    return SessionRead(
        id=s.id, mentor=_person(site, view.mentor), mentee=_person(site, view.mentee),
        invitees=[InviteeRead(invitee=p) for c in view.invitees if (p := _person(site, c)) is not None],
        join=view.join, session_type=str(s.session_type),
        session_at=SessionAtRead(date=local.date().isoformat(), time=local.strftime("%H:%M:%S")),
        discourse=s.discourse, amount=format_amount(s.price_minor, s.price_currency), rating=s.rating,
        status=str(s.status), is_paid=s.is_paid,
    )


def _mentor_item(site: Site, card: MentorCard) -> MentorItemRead:
    return MentorItemRead(id=card.id, first_name=card.first_name, last_name=card.last_name,
                          middle_name=card.middle_name, years_of_experience=card.years_of_experience,
                          technical_skills=list(card.technical_skills), current_job=card.current_job,
                          profile_photo=site.photo(card.profile_photo))


class MentorController(Controller):
    path = "/mentor"
    tags = ["Mentorship"]

    # ------------------------------------------------------------------ discovery

    @get("/search/", summary="Mentor Search/Filter", security=BEARER, description=(
        "All filters optional and combined: `text` (part of a name or the bio, any case, or exactly one of the "
        "areas of expertise or technical skills), `experience_level` entry 0–2 | mid 3–5 | senior 6–10 | executive "
        "11–50 years, `skills` (exactly one of the technical skills), `availability` (exact; a choice). Newest "
        "mentors first, at most 100 results; the list rules are applied to batches of 1000 mentors until enough "
        "match."))
    async def search(self, mentor_discovery: Discovery, me: Me, site: SiteDep, text: Filter = None,
                     experience_level: Filter = None, skills: Filter = None,
                     availability: Filter = None) -> list[MentorItemRead]:
        found = await mentor_discovery.search(me.user_id, text=text, experience_level=experience_level, skills=skills,
                                       availability=availability)
        return [_mentor_item(site, c) for c in found]

    @get("/recommendation/", summary="Mentors Recommendation", security=BEARER, description=(
        "Mentors of the caller's industry, 4 a page. `session_rate` is the mentor's rate in the mentor's currency; "
        "`rating` the mean of the mentor's ratings."))
    async def recommendation(self, request: Request[Any, Any, Any], mentor_discovery: Discovery, me: Me, site: SiteDep,
                             page: PageParam = None) -> RecommendedPageRead:
        result = await mentor_discovery.recommended(me.user_id, page_request(page, RECOMMEND_PAGE_SIZE).number)
        items = [
            RecommendedRead(
                id=c.id, first_name=c.first_name, last_name=c.last_name, middle_name=c.middle_name,
                profile_photo=site.photo(c.profile_photo), current_job=c.current_job,
                years_of_experience=c.years_of_experience, technical_skills=list(c.technical_skills),
                session_rate=format_amount(c.session_rate_minor, c.session_rate_currency), rating=c.rating,
                is_saved=c.is_saved,
            )
            for c in result.items
        ]
        return RecommendedPageRead(**page_envelope(site, request, result, items))

    @post("/save/", status_code=201, summary="Save a Mentor", security=BEARER,
          description="Field errors: `Cannot save self.`, `This user is not a mentor.`, "
                      "`This User has already been saved`.")
    async def save(self, data: JSONBody[MentorBody], mentor_discovery: Discovery, me: Me,
                   site: SiteDep) -> SavedMentorRead:
        return SavedMentorRead(saved=_mentor_item(site, await mentor_discovery.save(me.user_id, data.mentor)))

    @get("/save/", summary="Retrieve Saved Mentors", security=BEARER,
         description="The caller's saved mentors, most recently saved first.")
    async def saved(self, mentor_discovery: Discovery, me: Me, site: SiteDep) -> list[SavedMentorRead]:
        return [SavedMentorRead(saved=_mentor_item(site, c)) for c in await mentor_discovery.saved(me.user_id)]

    @delete("/save/", status_code=204, summary="Unsave Mentor", security=BEARER,
            description="`mentor` required (400 `{\"error\": ...}`); not saved → 400.")
    async def unsave(self, mentor_discovery: Discovery, me: Me, mentor: IdParam = None) -> None:
        await mentor_discovery.unsave(me.user_id, mentor)

    # ------------------------------------------------------------------ sessions

    @post("/sessions/book/", status_code=201, summary="Book Mentorship Session", security=BEARER, description=(
        "`mentor` (a mentor, not the caller), `session_type` individual|group, `invitees` (group: a non-empty list "
        "of user ids, the first 10 invited, each notified), `date` YYYY-MM-DD and `time` HH:MM[:SS] in the caller's "
        "profile timezone (not in the past), `discourse`. A free mentor's session is paid by definition. The "
        "mentor is notified." + SESSION_NOTE))
    async def book(self, data: JSONBody[BookBody], mentor_sessions: Sessions, me: Me, site: SiteDep) -> SessionRead:
        view = await mentor_sessions.book(me.user_id, Booking(
            mentor=data.mentor, session_type=data.session_type, invitees=data.invitees, date=data.date,
            time=data.time, discourse=data.discourse,
        ))
        return session_read(site, view)

    @get("/sessions/", summary="Retrieve Mentorship Sessions", security=BEARER, description=(
        "`status` required: requested (a mentor: requests to them; others: their pending bookings), accepted "
        "(bookings the caller made that were accepted), scheduled (mentors only: accepted requests to them), "
        "completed. Rejected, cancelled and expired sessions are kept but not listed. At most 200, soonest "
        "first." + SESSION_NOTE))
    async def listed(self, mentor_sessions: Sessions, me: Me, site: SiteDep,
                     status: Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)] = None,
                     ) -> list[SessionRead]:
        return [session_read(site, v) for v in await mentor_sessions.listed(me.user_id, status)]

    @get("/sessions/invited/", summary="Retrieve Invited Sessions", security=BEARER,
         description="Pending and accepted sessions the caller is invited to." + SESSION_NOTE)
    async def invited(self, mentor_sessions: Sessions, me: Me, site: SiteDep) -> list[InvitationRead]:
        found = await mentor_sessions.invited(me.user_id)
        return [InvitationRead(id=i, session=session_read(site, v)) for i, v in found]

    @post("/sessions/accept-reject/", status_code=200, summary="Accept/Reject Mentorship Session Request",
          security=BEARER, description=(
              "The session's mentor only; `action` Accept|Reject; a pending request only (not after its start). "
              "The mentee is notified."))
    async def answer(self, data: JSONBody[AnswerBody], mentor_sessions: Sessions, me: Me) -> AnswerRead:
        done = await mentor_sessions.answer(me.user_id, data.session, data.action)
        return AnswerRead(session_id=data.session, action=done)

    @post("/session/cancel/", status_code=200, summary="Cancel Mentorship Session", security=BEARER, description=(
        "The mentee or the mentor cancels a pending or accepted session, free or paid; a paid one records a refund "
        "owed. The session is kept as CANCELLED."))
    async def cancel(self, data: JSONBody[SessionBody], mentor_sessions: Sessions, me: Me) -> CancelRead:
        await mentor_sessions.cancel(me.user_id, data.session)
        return CancelRead(status="Success", message="Cancelled Mentorship session")

    @post("/annotate/", status_code=200, summary="Mentorship Session Annotation.", security=BEARER, description=(
        "The mentee marks an accepted, paid (or free) session whose start has passed as completed and rates the "
        "mentor 1–5 (the mentor's rating is the mean). A paid session's earning goes to the mentor's vault; both "
        "are notified." + SESSION_NOTE))
    async def annotate(self, data: JSONBody[AnnotateBody], mentor_sessions: Sessions, me: Me,
                       site: SiteDep) -> SessionRead:
        view = await mentor_sessions.annotate(me.user_id, data.session, data.mark_completed, data.rating)
        return session_read(site, view)

    @get("/session/join/", summary="Join Mentorship Session", security=BEARER, description=(
        "Participants (mentor, mentee, invitees) of an accepted, paid (or free) session, from 10 minutes before its "
        "start until its end. `token`: an RS256 JaaS JWT for this session's room only, valid for that period; "
        "moderator for the mentor. 503 when JaaS is not configured."))
    async def join(self, mentor_sessions: Sessions, me: Me, session: IdParam = None) -> JoinRead:
        found = await mentor_sessions.join(me.user_id, session)
        return JoinRead(session_id=found.session_id, room_name=found.room_name, token=found.token)


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Career Nexus sandbox payment</title></head>
<body><h1>Sandbox payment</h1><p>No payment provider is configured: this page plays {provider}'s checkout.</p>
<p>Amount: <strong>{amount}</strong></p>
<form method="post" action="{action}"><button type="submit">Pay</button></form>
<p><a href="{cancel}">Cancel</a></p></body></html>"""


class PaymentsController(Controller):
    path = "/payments"
    tags = ["Payments"]

    @post("/stripe/initiate/", status_code=200, summary="Session Payment with Stripe", security=BEARER,
          description=(
              "The mentee of an accepted, unpaid session; USD. Initiating again returns the same open checkout. "
              "Provider failures: 502/503 `{\"error\": ...}`, nothing changed."))
    async def stripe_initiate(self, data: JSONBody[SessionBody], session_payments: Payments,
                              me: Me) -> StripeCheckoutRead:
        checkout = await session_payments.initiate(me.user_id, data.session, "stripe")
        return StripeCheckoutRead(session_id=checkout.provider_ref, url=checkout.url)

    @post("/flutterwave/initiate/", status_code=200, summary="Session Payment with Flutterwave", security=BEARER,
          description=(
              "The mentee of an accepted, unpaid session; NGN. Answers `{\"payment link\": url}` (with the space). "
              "Initiating again returns the same open checkout. Provider failures: 502/503, nothing changed."))
    async def flutterwave_initiate(self, data: JSONBody[SessionBody], session_payments: Payments,
                                   me: Me) -> FlutterwaveLinkRead:
        checkout = await session_payments.initiate(me.user_id, data.session, "flutterwave")
        return FlutterwaveLinkRead(payment_link=checkout.url)

    async def _webhook(self, provider: str, request: Request[Any, Any, Any], payments: PaymentService) -> WebhookRead:
        recorded = await payments.webhook(provider, await request.body(), dict(request.headers))
        return WebhookRead(received=True, recorded=recorded)

    @post("/stripe/webhook/", status_code=200, summary="Stripe webhook", description=(
        "`checkout.session.completed`, signature checked with the SDK; the checkout is then retrieved from Stripe. "
        "Forged → 400; provider unreachable → 503 (Stripe retries)."))
    async def stripe_webhook(self, request: Request[Any, Any, Any], session_payments: Payments) -> WebhookRead:
        return await self._webhook("stripe", request, session_payments)

    @post("/flutterwave/webhook/", status_code=200, summary="Flutterwave webhook", description=(
        "`verif-hash` checked, then the transaction verified with Flutterwave (tx_ref, amount and currency must be "
        "ours). Forged → 400; provider unreachable → 503."))
    async def flutterwave_webhook(self, request: Request[Any, Any, Any], session_payments: Payments) -> WebhookRead:
        return await self._webhook("flutterwave", request, session_payments)

    @get("/stripe/redirect/", summary="Stripe success redirect", status_code=302, description=(
        "Stripe's return URL: the Checkout Session is retrieved server-side; then to `FRONTEND_URL/payment-success` "
        "or `/payment-failed`."))
    async def stripe_redirect(self, session_payments: Payments, reference: Param = None,
                              session_id: Param = None) -> Redirect:
        target = await session_payments.redirect("stripe", reference=reference or "", provider_ref=session_id or "")
        return Redirect(path=target, status_code=302)

    @get("/callback/", summary="Flutterwave redirect", status_code=302, description=(
        "Flutterwave's return URL (`status`, `tx_ref`, `transaction_id`): verified with Flutterwave; then to "
        "`FRONTEND_URL/payment-success` or `/payment-failed`."))
    async def flutterwave_callback(self, session_payments: Payments, status: Param = None, tx_ref: Param = None,
                                   transaction_id: Param = None) -> Redirect:
        if status not in ("successful", "completed") or not tx_ref or not transaction_id:
            return Redirect(path=session_payments.links.failure, status_code=302)
        target = await session_payments.redirect("flutterwave", reference=tx_ref, provider_payment_id=transaction_id)
        return Redirect(path=target, status_code=302)

    @get("/sandbox/", summary="Sandbox checkout page", media_type=MediaType.HTML, description=(
        "The dev sandbox's hosted checkout (providers without a key): a page with a Pay button. 404 for a page the "
        "sandbox did not make."))
    async def sandbox_page(self, session_payments: Payments, reference: Param = None,
                           signature: Param = None) -> Response[str]:
        checkout = await session_payments.sandbox_checkout(reference or "", signature or "")
        query = urlencode({"reference": checkout.reference, "signature": signature or ""})
        action = html.escape(f"/payments/sandbox/?{query}")
        body = _PAGE.format(provider=html.escape(checkout.provider),
                            amount=html.escape(format_amount(checkout.amount, checkout.currency)),
                            action=action, cancel=html.escape(session_payments.links.failure))
        return Response(content=body, media_type=MediaType.HTML)

    @post("/sandbox/", summary="Sandbox payment", status_code=303, description=(
        "The sandbox payer pays: the payment is confirmed like a provider's, then to `FRONTEND_URL/payment-success`."))
    async def sandbox_pay(self, session_payments: Payments, reference: Param = None,
                          signature: Param = None) -> Redirect:
        target = await session_payments.sandbox_pay(reference or "", signature or "")
        return Redirect(path=target, status_code=303)
