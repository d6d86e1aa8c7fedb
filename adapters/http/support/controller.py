"""Support endpoints: dispute tickets (owners and administrators) and corporate leads."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.pagination import page_request
from adapters.http.security import BEARER, Principal
from adapters.http.support.schemas import (
    AnswerBody,
    DisputeBody,
    DisputePageRead,
    DisputeRead,
    LeadBody,
    LeadPageRead,
    LeadRead,
    SummaryRead,
)
from adapters.http.wire import NO_NUL, client_ip
from core.shared.pagination import Page
from core.support.model import Dispute, Lead
from core.support.service import PAGE_SIZE, AnswerDispute, NewLead, OpenDispute, SupportService

__all__ = ("DisputesController", "LeadsController")

Support = NamedDependency[SupportService]
Me = NamedDependency[Principal]
Filter = Annotated[str | None, QueryParameter(max_length=40, pattern=NO_NUL)]
PageQuery = Annotated[str | None, QueryParameter(max_length=20, pattern=NO_NUL)]

ADMIN_ONLY = (
    " Administrators only; others get 403 `{\"detail\": \"You do not have permission to perform this action.\"}`."
)
PAGED = " Pages of 10 with relative links (`\"next\": \"?page=2\"`); past the last page → 404."


def _dispute(d: Dispute) -> DisputeRead:
    return DisputeRead(id=d.id, category=d.category, priority=d.priority, message=d.message, status=d.status,
                       admin_response=d.admin_response, timestamp=d.created_at)


def _lead(lead: Lead) -> LeadRead:
    return LeadRead(full_name=lead.full_name, email_address=lead.email_address, phone_number=lead.phone_number,
                    interested_services=lead.interested_services, package=lead.package)


def _relative(request: Request[Any, Any, Any], page: Page[Any]) -> tuple[str | None, str | None]:
    """DRF's ItemPagination links: ``?page=N`` (the other query parameters kept)."""
    extra = "".join(f"&{k}={v}" for k, v in request.query_params.items() if k != "page")

    def link(n: int) -> str:
        return f"?page={n}{extra}"

    number = page.request.number
    return (link(number + 1) if page.has_next else None, link(number - 1) if page.has_previous else None)


class DisputesController(Controller):
    path = "/user"
    tags = ["Support"]

    @post(
        "/disputes/",
        status_code=201,
        summary="Dispute Creation",
        description="`category`: technical|payment|account|request|others; `priority`: low|medium|high|urgent; "
        "`message` (at most 5000 characters). Opens a `pending` ticket owned by the caller.",
        security=BEARER,
    )
    async def open(self, data: JSONBody[DisputeBody], support: Support, me: Me) -> DisputeRead:
        dispute = await support.open(
            me.user_id, OpenDispute(category=data.category, priority=data.priority, message=data.message)
        )
        return _dispute(dispute)

    @get(
        "/disputes/",
        summary="User Retrieve Dispute",
        description="The caller's own tickets, newest first; `status` (pending|in_progress|resolved|closed) "
        "filters; another value → 400 `{\"error\": \"Invalid status parameter\", \"valid_options\": [...]}`."
        + PAGED,
        security=BEARER,
    )
    async def mine(
        self, request: Request[Any, Any, Any], support: Support, me: Me, status: Filter = None,
        page: PageQuery = None,
    ) -> DisputePageRead:
        result = await support.mine(me.user_id, status, page_request(page, PAGE_SIZE))
        next_link, previous = _relative(request, result)
        return DisputePageRead(count=result.total, next=next_link, previous=previous,
                               results=[_dispute(d) for d in result.items])

    @put(
        "/admin/disputes/",
        status_code=200,
        summary="Dispute Ticket Resolution",
        description=(
            "`dispute` (id), `status` (pending|in_progress|resolved|closed) and/or `response`; neither → 400 "
            "`non_field_errors`; unknown ticket → 400 `{\"dispute\": [...]}`. The owner is told by e-mail (and a "
            "notification) when the response or the status changes." + ADMIN_ONLY
        ),
        security=BEARER,
    )
    async def answer(self, data: JSONBody[AnswerBody], support: Support, me: Me) -> DisputeRead:
        dispute = await support.answer(
            me.user_id, AnswerDispute(dispute=data.dispute, status=data.status, response=data.response)
        )
        return _dispute(dispute)

    @get(
        "/admin/disputes/",
        summary="Admin Retrieve Dispute Tickets",
        description=(
            "Every ticket, newest first; `status`, `priority` and `category` filter (validated: another value → "
            "400 `{\"error\": \"Invalid <name> parameter\", \"valid_options\": [...]}`)." + PAGED + ADMIN_ONLY
        ),
        security=BEARER,
    )
    async def all(
        self,
        request: Request[Any, Any, Any],
        support: Support,
        me: Me,
        status: Filter = None,
        priority: Filter = None,
        category: Filter = None,
        page: PageQuery = None,
    ) -> DisputePageRead:
        result = await support.all(me.user_id, page_request(page, PAGE_SIZE), status=status, priority=priority,
                                   category=category)
        next_link, previous = _relative(request, result)
        return DisputePageRead(count=result.total, next=next_link, previous=previous,
                               results=[_dispute(d) for d in result.items])

    @get(
        "/admin/disputes/summary/",
        summary="Dispute Summary",
        description="Tickets counted by category (the documented keys) and by status (`by_status`), all statuses."
        + ADMIN_ONLY,
        security=BEARER,
    )
    async def summary(self, support: Support, me: Me) -> SummaryRead:
        counts = await support.summary(me.user_id)
        c = counts.by_category
        return SummaryRead(technical=c["technical"], payment=c["payment"], account=c["account"],
                           request=c["request"], others=c["others"], by_status=counts.by_status)


class LeadsController(Controller):
    path = "/user/lead"
    tags = ["Support"]

    @post(
        "/register/",
        status_code=201,
        summary="Lead Register",
        description=(
            "Public. `interested_services`: a list of hr_solutions|corporate_training|L&D|"
            "organizational_development; optional `package`: basic|premium|inclusive; an address already "
            "registered → 400 `{\"email_address\": [\"This email already exists\"]}`; at most "
            "`LEAD_REGISTERS_PER_HOUR` attempts per client (429)."
        ),
    )
    async def register(self, request: Request[Any, Any, Any], data: JSONBody[LeadBody], support: Support) -> LeadRead:
        lead = await support.register_lead(
            NewLead(full_name=data.full_name, email_address=data.email_address, phone_number=data.phone_number,
                    interested_services=list(data.interested_services), package=data.package),
            client_ip=client_ip(request),
        )
        return _lead(lead)

    @get(
        "/register/",
        summary="Retrieve Corporate Leads",
        description="Every lead, oldest first." + PAGED + ADMIN_ONLY,
        security=BEARER,
    )
    async def leads(self, request: Request[Any, Any, Any], support: Support, me: Me,
                    page: PageQuery = None) -> LeadPageRead:
        result = await support.leads(me.user_id, page_request(page, PAGE_SIZE))
        next_link, previous = _relative(request, result)
        return LeadPageRead(count=result.total, next=next_link, previous=previous,
                            results=[_lead(x) for x in result.items])
