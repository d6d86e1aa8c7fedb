"""Wire shapes of the support endpoints (spec: Dispute Creation, User Retrieve Dispute, Dispute Ticket Resolution,
Admin Retrieve Dispute Tickets, Dispute Summary, Lead Register, Retrieve Corporate Leads; behaviors §11–§12)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from adapters.http.wire import NO_INVISIBLE, NO_NUL

__all__ = (
    "AnswerBody",
    "DisputeBody",
    "DisputePageRead",
    "DisputeRead",
    "LeadBody",
    "LeadPageRead",
    "LeadRead",
    "SummaryRead",
)

Short = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100)]
Text = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=5000)]


class _In(msgspec.Struct, kw_only=True):
    pass


class _Out(msgspec.Struct, kw_only=True):
    pass


class DisputeBody(_In):
    category: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100,
                                          description="technical | payment | account | request | others")]
    priority: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100, description="low | medium | high | urgent")]
    message: Text


class AnswerBody(_In):
    dispute: Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
    status: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100,
                                        description="pending | in_progress | resolved | closed")] | None = None
    response: Text | None = None


class DisputeRead(_Out):
    id: int
    category: str
    priority: str
    message: str
    status: str
    admin_response: str | None
    timestamp: datetime


class DisputePageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[DisputeRead]


class SummaryRead(_Out):
    technical: int
    payment: int
    account: int
    request: int
    others: int
    by_status: dict[str, int]


class LeadBody(_In):
    full_name: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=200)]
    email_address: Annotated[str, msgspec.Meta(pattern=NO_INVISIBLE, max_length=254)]
    phone_number: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=32)]
    interested_services: Annotated[
        list[Short],
        msgspec.Meta(max_length=10,
                     description="hr_solutions | corporate_training | L&D | organizational_development"),
    ]
    package: Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=100,
                                         description="basic | premium | inclusive")] | None = None


class LeadRead(_Out):
    full_name: str
    email_address: str
    phone_number: str
    interested_services: list[str]
    package: str | None


class LeadPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[LeadRead]
