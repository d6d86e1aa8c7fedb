"""Wire shapes of mentorship and session payments (spec: Mentor Search/Filter … Retrieve Invited Sessions,
Session Payment with Flutterwave/Stripe)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from adapters.http.wire import NO_NUL, Flag

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Short = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=64)]
Text = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=5000)]


class _In(msgspec.Struct, kw_only=True):
    """Request bodies: unknown keys are ignored."""


class _Out(msgspec.Struct, kw_only=True):
    pass


class MentorBody(_In):
    mentor: Id


class SessionBody(_In):
    session: Id


class BookBody(_In):
    mentor: Id
    session_type: Short
    date: Short
    time: Short
    discourse: Text
    invitees: Any = None


class AnswerBody(_In):
    session: Id
    action: Short


class AnnotateBody(_In):
    session: Id
    mark_completed: Flag
    rating: Annotated[int, msgspec.Meta(ge=-(2**31), le=2**31)]


class MentorItemRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    years_of_experience: int | None
    technical_skills: list[str]
    current_job: str | None
    profile_photo: str


class SavedMentorRead(_Out):
    saved: MentorItemRead


class RecommendedRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    current_job: str | None
    years_of_experience: int | None
    technical_skills: list[str]
    session_rate: str
    rating: float
    is_saved: bool


class RecommendedPageRead(_Out):
    count: int
    next: str | None
    previous: str | None
    results: list[RecommendedRead]


class PersonRead(_Out):
    id: int
    first_name: str
    last_name: str
    middle_name: str
    profile_photo: str
    qualification: str
    user_type: str


class InviteeRead(_Out):
    invitee: PersonRead


class SessionAtRead(_Out):
    date: str
    time: str


class SessionRead(_Out):
    id: int
    mentor: PersonRead | None
    mentee: PersonRead | None
    invitees: list[InviteeRead]
    join: bool
    session_type: str
    session_at: SessionAtRead
    discourse: str
    amount: str
    rating: int
    status: str
    is_paid: bool


class InvitationRead(_Out):
    id: int
    session: SessionRead


class AnswerRead(_Out):
    session_id: int
    action: str


class CancelRead(_Out):
    status: str
    message: str


class JoinRead(_Out):
    session_id: int
    room_name: str
    token: str


class StripeCheckoutRead(_Out):
    session_id: str
    url: str


class FlutterwaveLinkRead(_Out):
    payment_link: str = msgspec.field(name="payment link")


class WebhookRead(_Out):
    received: bool
    recorded: bool
