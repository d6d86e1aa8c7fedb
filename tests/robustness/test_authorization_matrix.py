"""The authorization matrix: every operation that reads or changes an object × (its owner, another user, an
admin, an organization member where organizations apply, anonymous) → the exact expected status.

Each cell runs against a fresh object made by its owner, so cells never depend on each other. Reads of the
caller's own collections also check that nobody else's object leaks into them (a unique marker). Operations
that touch no object of anybody else are listed in ``NOT_OBJECT_OPERATIONS`` with the reason; a route with
neither a row nor a reason fails ``test_every_operation_is_classified``. Ownership failures are 403/404 (or the
documented 400), never 401: only anonymous callers get 401."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from dependency_injector import providers
from litestar.handlers import HTTPRouteHandler
from litestar.testing import AsyncTestClient

from adapters.http.openapi import contract_path
from adapters.system.ratelimit import NoRateLimiter
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from bootstrap.settings import Settings
from tests.conftest import SignedUp, bearer, make_settings, sign_up
from tests.e2e.feed_support import direct
from tests.e2e.profiles_support import make_admin
from tests.e2e.vaults_support import credit, make_mentor
from tests.mail_samples import SAMPLES
from tests.resume_samples import PDF_RESUME_PAGES, pdf_bytes

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
ROLES = ("owner", "other", "admin", "member", "anon")
_seq = itertools.count(1)


@dataclass
class World:
    client: Client
    container: AppContainer
    owner: SignedUp  # a learner who owns the objects
    other: SignedUp  # another learner
    admin: SignedUp  # is_staff
    member: SignedUp  # a member of the owner's organization
    organization: int  # the corporate account the owner created

    async def user(self) -> SignedUp:
        return await sign_up(self.client, self.container, f"matrix{next(_seq)}@example.org")

    async def named(self, marker: str) -> SignedUp:
        """A fresh user whose first name is ``marker`` (lists of people show names, not e-mails)."""
        fresh = await self.user()
        r = await self.client.put("/user/profile-update/", json={"first_name": marker}, headers=fresh.headers)
        assert r.status_code == 201, r.text
        return fresh

    async def post(self, who: SignedUp | None = None, body: str = "Matrix post") -> int:
        r = await self.client.post("/post/", json={"body": body}, headers=(who or self.owner).headers)
        assert r.status_code == 201, r.text
        return int(r.json()["post_id"])

    async def comment(self) -> int:
        r = await self.client.post("/post/comment/", json={"post": await self.post(), "body": "c"},
                                   headers=self.owner.headers)
        assert r.status_code == 201, r.text
        return int(r.json()["comment_id"])

    async def create(self, path: str, body: dict[str, Any]) -> int:
        r = await self.client.post(path, json=body, headers=self.owner.headers)
        assert r.status_code == 201, r.text
        return int(r.json()["id"])


@dataclass
class Call:
    method: str
    url: str
    json: dict[str, Any] | None = None
    as_owner: SignedUp | None = None  # the owner of this cell's object when it is not the world's owner
    data: dict[str, str] | None = None  # multipart fields (with ``files``) instead of ``json``
    files: dict[str, tuple[str, bytes, str]] | None = None


Prepare = Callable[[World], Awaitable[Call]]


@dataclass
class Row:
    method: str
    path: str  # as documented (no trailing slash)
    prepare: Prepare
    owner: int
    other: int
    admin: int
    member: int | None = None  # None: organizations do not apply
    anon: int = 401
    leak: str | None = None  # a marker of the owner's object non-owners must never see in the answer
    skip: tuple[str, ...] = field(default=())


def _get(url: str) -> Prepare:
    async def prepare(_: World) -> Call:
        return Call("GET", url)

    return prepare


EXPERIENCE = {"title": "MARKER-exp", "organization": "Delta", "start_date": "2022-10-29", "employment_type": "Remote"}
EDUCATION = {"course": "MARKER-edu", "school": "Unilag", "start_date": "2015-01-01"}
CERTIFICATION = {"title": "MARKER-cert", "school": "Coursera"}


async def _delete_user(w: World) -> Call:
    victim = await w.user()
    return Call("DELETE", "/user/delete/", {"email": victim.email}, as_owner=victim)


async def _signout(w: World) -> Call:
    victim = await w.user()
    return Call("POST", "/user/signout/", {"refresh": victim.refresh}, as_owner=victim)


async def _switch(w: World) -> Call:
    return Call("POST", "/user/switch-account/", {"account": w.organization})


async def _add_member(w: World) -> Call:
    fresh = await w.user()
    return Call("POST", "/user/organization-members/", {"member": fresh.id, "organization": w.organization})


async def _verify_corporate(w: World) -> Call:
    """A fresh corporate account of the owner, its company address pending: ask for a new code."""
    n = next(_seq)
    org = await w.client.post(
        "/user/corporate/signup/",
        json={"company_name": "Matrix Claim", "company_email": f"claim{n}@example.org", "company_type": "private",
              "company_size": "1-10", "industry": "technology", "website": "https://m.example", "location": "Lagos",
              "tagline": "t"},
        headers=w.owner.headers,
    )
    assert org.status_code == 201, org.text
    return Call("POST", "/user/corporate/verify/", {"account": int(org.json()["id"])})


async def _leave(w: World) -> Call:
    """The member's own membership: the member may leave, the organization's creator may remove them."""
    r = await w.client.post("/user/organization-members/", json={"member": w.member.id, "organization": w.organization},
                            headers=w.owner.headers)
    assert r.status_code in (201, 400), r.text  # 400: still a member
    return Call("DELETE", f"/user/organization-members/?member_id={w.member.id}&organization={w.organization}")


async def _list_members(w: World) -> Call:
    return Call("GET", f"/user/organization-members/?organization={w.organization}")


async def _remove_member(w: World) -> Call:
    fresh = await w.user()
    r = await w.client.post("/user/organization-members/", json={"member": fresh.id, "organization": w.organization},
                            headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("DELETE", f"/user/organization-members/?member_id={fresh.id}&organization={w.organization}")


async def _update_experience(w: World) -> Call:
    return Call("PUT", "/user/update-experience/", {"id": await w.create("/user/experience/", EXPERIENCE),
                                                    "title": "changed"})


async def _delete_experience(w: World) -> Call:
    return Call("DELETE", f"/user/experience/?experience_id={await w.create('/user/experience/', EXPERIENCE)}")


async def _update_education(w: World) -> Call:
    # POST /user/education/ answers without an id (as documented): read it back.
    await w.client.post("/user/education/", json=EDUCATION, headers=w.owner.headers)
    items = (await w.client.get("/user/education/", headers=w.owner.headers)).json()
    return Call("PUT", "/user/education/", {"id": items[-1]["id"], "course": "changed"})


async def _delete_education(w: World) -> Call:
    update = await _update_education(w)
    assert update.json is not None
    return Call("DELETE", f"/user/education/?education_id={update.json['id']}")


async def _delete_certification(w: World) -> Call:
    item = await w.create("/user/certification/", CERTIFICATION)
    return Call("DELETE", f"/user/certification/?certification_id={item}")


async def _project(w: World) -> int:
    return await w.create("/project/", {"title": "MARKER-project", "description": "d"})


async def _get_project(w: World) -> Call:
    return Call("GET", f"/project/?portfolio_id={await _project(w)}")


async def _get_project_by_path(w: World) -> Call:
    return Call("GET", f"/project/{await _project(w)}/")


async def _delete_project(w: World) -> Call:
    return Call("DELETE", f"/project/?portfolio_id={await _project(w)}")


async def _get_post(w: World) -> Call:
    return Call("GET", f"/post/?post_id={await w.post()}")


async def _delete_post(w: World) -> Call:
    return Call("DELETE", f"/post/delete/?post_id={await w.post()}")


async def _comment(w: World) -> Call:
    return Call("POST", "/post/comment/", {"post": await w.post(), "body": "hello"})


async def _comments(w: World) -> Call:
    return Call("GET", f"/post/comment/?post_id={await w.post()}")


async def _reply(w: World) -> Call:
    return Call("POST", "/post/reply/", {"parent": await w.comment(), "body": "hi"})


async def _like(w: World) -> Call:
    return Call("POST", "/post/like/", {"post": await w.post()})


async def _unlike(w: World) -> Call:
    # The owner's like: only the owner can take it back; others have none to take back.
    post = await w.post()
    assert (await w.client.post("/post/like/", json={"post": post}, headers=w.owner.headers)).status_code == 201
    return Call("POST", "/post/unlike/", {"post": post})


async def _like_comment(w: World) -> Call:
    return Call("POST", "/post/like/comment/", {"comment": await w.comment()})


async def _unlike_comment(w: World) -> Call:
    comment = await w.comment()
    r = await w.client.post("/post/like/comment/", json={"comment": comment}, headers=w.owner.headers)
    assert r.status_code == 200, r.text
    return Call("POST", "/post/unlike/comment/", {"comment": comment})


async def _repost(w: World) -> Call:
    return Call("POST", "/post/repost/", {"parent": await w.post(), "body": "look"})


async def _save(w: World) -> Call:
    return Call("POST", "/post/save/", {"post": await w.post()})


async def _unsave(w: World) -> Call:
    post = await w.post()
    assert (await w.client.post("/post/save/", json={"post": post}, headers=w.owner.headers)).status_code == 201
    return Call("DELETE", f"/post/save/?post_id={post}")


async def _saved(w: World) -> Call:
    post = await w.post(body="MARKER-saved")
    assert (await w.client.post("/post/save/", json={"post": post}, headers=w.owner.headers)).status_code == 201
    return Call("GET", "/post/save/")


async def _share(w: World) -> Call:
    return Call("POST", "/post/share/", {"post": await w.post()})


async def _shared(w: World) -> Call:
    r = await w.client.post("/post/share/", json={"post": await w.post()}, headers=w.owner.headers)
    assert r.status_code == 200, r.text
    return Call("GET", f"/post/share/?hash={r.json()['post_hash']}")


async def _posted(w: World) -> Call:
    await w.post(body="MARKER-posted")
    return Call("GET", "/post/posted/")


async def _by_user(w: World) -> Call:
    await w.post()
    return Call("GET", f"/post/by-user/?user_id={w.owner.id}")


async def _follow(w: World) -> Call:
    target = await w.user()
    return Call("POST", "/follow/", {"user_following": target.id}, as_owner=target)


async def _unfollow(w: World) -> Call:
    # The owner's follow of a fresh user: others follow nobody there.
    target = await w.user()
    r = await w.client.post("/follow/", json={"user_following": target.id}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("POST", "/unfollow/", {"user_following": target.id})


async def _followings(w: World) -> Call:
    target = await w.named("MarkerFollowed")
    r = await w.client.post("/follow/", json={"user_following": target.id}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("GET", "/followings/")


async def _followers(w: World) -> Call:
    fan = await w.named("MarkerFan")
    r = await w.client.post("/follow/", json={"user_following": w.owner.id}, headers=fan.headers)
    assert r.status_code == 201, r.text
    return Call("GET", "/followers/")


async def _connect(w: World) -> Call:
    target = await w.user()
    return Call("POST", "/connection/", {"connection": target.id}, as_owner=target)


async def _connection_between(w: World) -> tuple[int, SignedUp]:
    """A pending request from a fresh user to the owner; answers its id and the requester."""
    requester = await w.named("MarkerRequester")
    r = await w.client.post("/connection/", json={"connection": w.owner.id}, headers=requester.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"]), requester


async def _notified(w: World) -> int:
    """A notification of the owner (a fresh user named MarkerNotice follows them); answers its id."""
    fan = await w.named("MarkerNotice")
    r = await w.client.post("/follow/", json={"user_following": w.owner.id}, headers=fan.headers)
    assert r.status_code == 201, r.text
    listed = await w.client.get("/notification-chat/notifications/", headers=w.owner.headers)
    return int(listed.json()["results"][0]["id"])


async def _notifications(w: World) -> Call:
    await _notified(w)
    return Call("GET", "/notification-chat/notifications/")


async def _mark_notification(w: World) -> Call:
    return Call("PUT", f"/notification-chat/notifications/?id={await _notified(w)}")


async def _chat_partner(w: World) -> tuple[SignedUp, int]:
    """A fresh user named MarkerChat with a confirmed connection to the owner, and their room."""
    partner = await w.named("MarkerChat")
    r = await w.client.post("/connection/", json={"connection": w.owner.id}, headers=partner.headers)
    assert r.status_code == 201, r.text
    answer = {"connection_id": int(r.json()["id"]), "status": "Accept"}
    r = await w.client.post("/connection/status/", json=answer, headers=w.owner.headers)
    assert r.status_code == 200, r.text
    r = await w.client.post("/notification-chat/chats/initiate/", json={"user": partner.id}, headers=w.owner.headers)
    assert r.status_code == 200, r.text
    return partner, int(r.json()["chat_id"])


async def _initiate_chat(w: World) -> Call:
    partner, _ = await _chat_partner(w)
    return Call("POST", "/notification-chat/chats/initiate/", {"user": partner.id})


async def _chat_sessions(w: World) -> Call:
    await _chat_partner(w)
    return Call("GET", "/notification-chat/chats/")


async def _chat_history(w: World) -> Call:
    _, room = await _chat_partner(w)
    return Call("GET", f"/notification-chat/chat/messages/?chat_id={room}")


async def _connection_status(w: World) -> Call:
    cid, _ = await _connection_between(w)
    return Call("POST", "/connection/status/", {"connection_id": cid, "status": "Accept"})


async def _delete_connection(w: World) -> Call:
    # A confirmed connection (a pending one is rejected, not deleted, by its recipient).
    cid, _ = await _connection_between(w)
    r = await w.client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"},
                            headers=w.owner.headers)
    assert r.status_code == 200, r.text
    return Call("DELETE", f"/connection/?connection_id={cid}")


async def _pending(w: World) -> Call:
    await _connection_between(w)
    return Call("GET", "/connection/pending/")


async def _connections(w: World) -> Call:
    cid, _ = await _connection_between(w)
    r = await w.client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"},
                            headers=w.owner.headers)
    assert r.status_code == 200, r.text
    return Call("GET", "/connection/")


async def _requests(w: World) -> Call:
    target = await w.named("MarkerAsked")
    r = await w.client.post("/connection/", json={"connection": target.id}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("GET", "/connection/requests/")


async def _experiences(w: World) -> Call:
    await w.create("/user/experience/", EXPERIENCE)
    return Call("GET", "/user/experience/")


async def _educations(w: World) -> Call:
    await w.client.post("/user/education/", json=EDUCATION, headers=w.owner.headers)
    return Call("GET", "/user/education/")


async def _certifications(w: World) -> Call:
    await w.create("/user/certification/", CERTIFICATION)
    return Call("GET", "/user/certification/")


async def _projects(w: World) -> Call:
    await _project(w)
    return Call("GET", "/project/")


async def _linked(_: World) -> Call:
    return Call("GET", "/user/linked-accounts/")


async def _profile(w: World) -> Call:
    return Call("GET", f"/user/retrieve-profile/?user_id={w.owner.id}")


async def _analytics(w: World) -> Call:
    return Call("GET", f"/user/analytics/?user_id={w.owner.id}")


async def _projects_of(w: World) -> Call:
    await _project(w)
    return Call("GET", f"/project/?user_id={w.owner.id}")


async def _add_choice(_: World) -> Call:
    return Call("POST", "/info/choice-data/", {"field_name": "industry", "value": f"matrix{next(_seq)}"})


async def _delete_choice(w: World) -> Call:
    # An option the admin adds for this cell; the cell then tries to remove it.
    body = {"field_name": "industry", "value": f"matrix{next(_seq)}"}
    r = await w.client.post("/info/choice-data/", json=body, headers=w.admin.headers)
    assert r.status_code == 200, r.text
    return Call("DELETE", "/info/choice-data/", body)


async def _permit(w: World) -> Call:
    rows = (await w.client.get("/info/country-permit/")).json()
    kenya = next(r for r in rows if r["country"] == "Kenya")
    # Flip the seeded flag (the test sets it back afterwards: seeded rows outlive a test on PostgreSQL).
    disabled = {r["id"] for r in (await w.client.get("/info/country-permit/?status=disable")).json()}
    return Call("PUT", "/info/country-permit/", {"country": kenya["id"],
                                                 "status": "enable" if kenya["id"] in disabled else "disable"})


async def _rate(w: World) -> Call:
    rows = (await w.client.get("/info/country-permit/")).json()
    kenya = next(r for r in rows if r["country"] == "Kenya")
    body = {"country": kenya["id"], "currency_name": "Shilling", "currency_initials": "kes", "exchange_rate": 129}
    return Call("POST", "/info/exchange-rate/set/", body)


# ------------------------------------------------------------------ mentorship (the owner books as mentee)


async def _mentor(w: World, rate: str = "20", first_name: str = "Mentor") -> SignedUp:
    fresh = await sign_up(w.client, w.container, f"matrix{next(_seq)}@example.org", industry="technology")
    r = await w.client.put("/user/profile-update/", json={"session_rate": rate, "first_name": first_name},
                           headers=fresh.headers)
    assert r.status_code == 201, r.text
    return fresh


async def _session(w: World, mentor: SignedUp, *, accepted: bool = False, minutes: int = 24 * 60,
                   discourse: str = "Matrix session", invitees: list[int] | None = None) -> int:
    from datetime import UTC, datetime, timedelta

    at = datetime.now(UTC) + timedelta(minutes=minutes)
    body: dict[str, Any] = {"mentor": mentor.id, "session_type": "group" if invitees else "individual",
                            "date": at.date().isoformat(), "time": at.strftime("%H:%M"), "discourse": discourse}
    if invitees:
        body["invitees"] = invitees
    r = await w.client.post("/mentor/sessions/book/", json=body, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    session = int(r.json()["id"])
    if accepted:
        r = await w.client.post("/mentor/sessions/accept-reject/", json={"session": session, "action": "Accept"},
                                headers=mentor.headers)
        assert r.status_code == 200, r.text
    return session


async def _started(w: World, session: int) -> None:
    """Move the session's start a minute into the past (the matrix runs on the real clock)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from adapters.db.tables.mentorship import mentorship_sessions

    async with direct(w.container) as conn:  # a fresh engine on the test's loop
        await conn.execute(update(mentorship_sessions).where(mentorship_sessions.c.id == session).values(
            starts_at=datetime.now(UTC) - timedelta(minutes=1)))


async def _save_mentor(w: World) -> Call:
    return Call("POST", "/mentor/save/", {"mentor": (await _mentor(w)).id})


async def _saved_mentors(w: World) -> Call:
    mentor = await _mentor(w, first_name="MARKER-saved-mentor")
    r = await w.client.post("/mentor/save/", json={"mentor": mentor.id}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("GET", "/mentor/save/")


async def _unsave_mentor(w: World) -> Call:
    mentor = await _mentor(w)
    r = await w.client.post("/mentor/save/", json={"mentor": mentor.id}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("DELETE", f"/mentor/save/?mentor={mentor.id}")


async def _my_sessions(w: World) -> Call:
    await _session(w, await _mentor(w), discourse="MARKER-requested-session")
    return Call("GET", "/mentor/sessions/?status=requested")


async def _invited_sessions(w: World) -> Call:
    guest = await w.user()
    await _session(w, await _mentor(w), discourse="MARKER-invited-session", invitees=[guest.id])
    return Call("GET", "/mentor/sessions/invited/", as_owner=guest)


async def _answer_session(w: World) -> Call:
    mentor = await _mentor(w)
    return Call("POST", "/mentor/sessions/accept-reject/",
                {"session": await _session(w, mentor), "action": "Accept"}, as_owner=mentor)


async def _cancel_session(w: World) -> Call:
    return Call("POST", "/mentor/session/cancel/", {"session": await _session(w, await _mentor(w))})


async def _annotate_session(w: World) -> Call:
    session = await _session(w, await _mentor(w, rate="0"), accepted=True)
    await _started(w, session)
    return Call("POST", "/mentor/annotate/", {"session": session, "mark_completed": True, "rating": 5})


async def _join_session(w: World) -> Call:
    session = await _session(w, await _mentor(w, rate="0"), accepted=True)
    await _started(w, session)
    return Call("GET", f"/mentor/session/join/?session={session}")


async def _stripe_initiate(w: World) -> Call:
    return Call("POST", "/payments/stripe/initiate/", {"session": await _session(w, await _mentor(w), accepted=True)})


async def _flutterwave_initiate(w: World) -> Call:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from adapters.db.tables.content import countries, exchange_rates

    async with direct(w.container) as conn:  # an NGN rate (Flutterwave charges NGN)
        nigeria = (await conn.execute(select(countries.c.id).where(countries.c.code == "+234"))).scalar()
        has = (await conn.execute(select(exchange_rates.c.id).where(exchange_rates.c.country_id == nigeria))).scalar()
        if has is None:
            await conn.execute(exchange_rates.insert().values(
                country_id=nigeria, currency_name="Naira", currency_initials="NGN", rate="1500",
                updated_at=datetime.now(UTC)))
    return Call("POST", "/payments/flutterwave/initiate/",
                {"session": await _session(w, await _mentor(w), accepted=True)})


# ------------------------------------------------------------------ jobs (posted by the owner's organization)

JOB = {"title": "Matrix Engineer", "organization": "Matrix Org", "employment_type": "full_time", "work_type": "remote",
       "country": "Nigeria", "salary": "1", "overview": "Software", "description": "APIs",
       "experience_level": "senior", "application_deadline": "2099-12-31"}


async def _corp(w: World) -> SignedUp:
    """The owner switched to the organization: the employer account that posts jobs."""
    r = await w.client.post("/user/switch-account/", json={"account": w.organization}, headers=w.owner.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    return SignedUp(id=w.organization, email=body["email"], access=body["access"], refresh=body["refresh"])


async def _job(w: World, corp: SignedUp, **changes: Any) -> int:
    r = await w.client.post("/job/", json={**JOB, **changes}, headers=corp.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def _page_title(w: World) -> str:
    title = f"matrix_page_{next(_seq)}"
    r = await w.client.post("/info/", json={"title": title, "content": "c"}, headers=w.admin.headers)
    assert r.status_code == 201, r.text
    return title


async def _create_page(_: World) -> Call:
    return Call("POST", "/info/", {"title": f"matrix_page_{next(_seq)}", "content": "c"})


async def _update_page(w: World) -> Call:
    return Call("PUT", f"/info/?title={await _page_title(w)}", {"content": "changed"})


async def _delete_page(w: World) -> Call:
    return Call("DELETE", f"/info/?title={await _page_title(w)}")


async def _create_library(_: World) -> Call:
    # JSON carries no file: an administrator gets past the role check to the file's 400 (multipart success is in
    # tests/e2e/test_content_pages_api.py); everyone else stops at 403.
    return Call("POST", "/info/library/", {"title": f"Matrix {next(_seq)}", "description": "d", "tags": ["x"]})


async def _delete_library(w: World) -> Call:
    r = await w.client.post(
        "/info/library/",
        data={"title": f"Matrix item {next(_seq)}", "description": "d", "tags": "[]"},
        files={"file": ("m.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")},
        headers=w.admin.headers,
    )
    assert r.status_code == 201, r.text
    return Call("DELETE", f"/info/library/?content_id={r.json()['id']}")


async def _create_newsletter(_: World) -> Call:
    return Call("POST", "/newsletter/create/", {"title": "Matrix weekly", "content": "Hello"})


async def _ticket(w: World, marker: str = "MARKER-ticket") -> int:
    r = await w.client.post("/user/disputes/", json={"category": "account", "priority": "high", "message": marker},
                            headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def _create_job(w: World) -> Call:
    return Call("POST", "/job/", JOB, as_owner=await _corp(w))


async def _posted_jobs(w: World) -> Call:
    corp = await _corp(w)
    await _job(w, corp, title="MARKER-posted-job")
    return Call("GET", "/job/", as_owner=corp)


async def _draft_details(w: World) -> Call:
    corp = await _corp(w)
    return Call("GET", f"/job/?job_id={await _job(w, corp, status='draft')}", as_owner=corp)


async def _edit_draft(w: World) -> Call:
    corp = await _corp(w)
    return Call("PUT", f"/job/?job_id={await _job(w, corp, status='draft')}", {"title": "Edited"}, as_owner=corp)


async def _job_status(w: World) -> Call:
    corp = await _corp(w)
    return Call("PUT", "/job/status/update/", {"job": await _job(w, corp), "status": "closed"}, as_owner=corp)


async def _applications(w: World) -> Call:
    corp = await _corp(w)
    return Call("GET", f"/job/application/?job_id={await _job(w, corp)}", as_owner=corp)


async def _save_job(w: World) -> Call:
    return Call("POST", "/job/save/", {"job": await _job(w, await _corp(w))})


async def _saved_jobs(w: World) -> Call:
    job = await _job(w, await _corp(w), title="MARKER-saved-job")
    r = await w.client.post("/job/save/", json={"job": job}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("GET", "/job/save/")


async def _unsave_job(w: World) -> Call:
    job = await _job(w, await _corp(w))
    r = await w.client.post("/job/save/", json={"job": job}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("DELETE", f"/job/unsave/?job={job}")


async def _apply(w: World) -> Call:
    return Call("POST", "/job/apply/", {"job": await _job(w, await _corp(w))})


async def _applied(w: World) -> Call:
    job = await _job(w, await _corp(w), title="MARKER-applied-job")
    r = await w.client.post("/job/apply/", json={"job": job}, headers=w.owner.headers)
    assert r.status_code == 200, r.text
    return Call("GET", "/job/apply/")


async def _my_tickets(w: World) -> Call:
    await _ticket(w)
    return Call("GET", "/user/disputes/")


async def _answer_ticket(w: World) -> Call:
    return Call("PUT", "/user/admin/disputes/", {"dispute": await _ticket(w), "status": "resolved",
                                                 "response": "Done"})


async def _admin_tickets(w: World) -> Call:
    await _ticket(w)
    return Call("GET", "/user/admin/disputes/")


async def _ticket_summary(w: World) -> Call:
    await _ticket(w)
    return Call("GET", "/user/admin/disputes/summary/")


async def _funded_mentor(w: World) -> SignedUp:
    mentor = await make_mentor(w.client, w.container, f"matrix-mentor{next(_seq)}@example.org")
    await credit(w.container, mentor.id, 10_000)
    return mentor


async def _vault(w: World) -> Call:
    return Call("GET", "/mentor/vault/", as_owner=await make_mentor(w.client, w.container,
                                                                    f"matrix-mentor{next(_seq)}@example.org"))


async def _vault_transactions(w: World) -> Call:
    return Call("GET", "/mentor/vault/transactions/",
                as_owner=await make_mentor(w.client, w.container, f"matrix-mentor{next(_seq)}@example.org"))


WITHDRAWAL = {"amount": 2000, "currency": "USD", "method": "Bank Transfer",
              "account_details": {"bank_name": "Matrix Bank", "account_number": "0123456789",
                                  "account_holder": "Matrix Mentor"}}


async def _withdraw(w: World) -> Call:
    return Call("POST", "/mentor/vault/withdraw/", WITHDRAWAL, as_owner=await _funded_mentor(w))


async def _withdrawal(w: World) -> int:
    mentor = await _funded_mentor(w)
    r = await w.client.post("/mentor/vault/withdraw/", json=WITHDRAWAL, headers=mentor.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def _admin_withdrawals(w: World) -> Call:
    await _withdrawal(w)
    return Call("GET", "/mentor/vault/admin/withdrawals/")


async def _settle_withdrawal(w: World) -> Call:
    return Call("PUT", "/mentor/vault/admin/withdrawals/", {"withdrawal": await _withdrawal(w), "status": "paid"})


async def _leads(w: World) -> Call:
    r = await w.client.post("/user/lead/register/", json={
        "full_name": "Matrix Lead", "email_address": f"matrix-lead{next(_seq)}@example.org",
        "phone_number": "08056430145", "interested_services": ["L&D"]})
    assert r.status_code == 201, r.text
    return Call("GET", "/user/lead/register/")


async def _jobhax_sync(w: World) -> Call:
    r = await w.client.post("/api/users/upload_emails", files={"file": ("box.eml", SAMPLES[0].raw, "message/rfc822")},
                            headers=w.owner.headers)
    assert r.status_code == 202, r.text
    return Call("GET", f"/api/users/sync_status?task_id={r.json()['data']['task_id']}")


# ------------------------------------------------------------------ tracker (owner only: others get 404)
TRACKED = {"title": "MARKER-tracked", "company": "Acme", "source": "LinkedIn"}
OPPORTUNITY = {"title": "MARKER-opportunity", "recruiter_name": "Rita", "recruiter_company": "Hunters",
               "status": "interested"}


async def _tracked(w: World) -> int:
    return await w.create("/tracker/applications/", TRACKED)


async def _tracked_list(w: World) -> Call:
    await _tracked(w)
    return Call("GET", "/tracker/applications/")


def _tracked_call(method: str, suffix: str = "", body: dict[str, Any] | None = None) -> Prepare:
    async def prepare(w: World) -> Call:
        return Call(method, f"/tracker/applications/{await _tracked(w)}/{suffix}", body)

    return prepare


def _tracked_bulk(path: str, extra: dict[str, Any]) -> Prepare:
    async def prepare(w: World) -> Call:
        return Call("POST", f"/tracker/applications/{path}/", {"ids": [await _tracked(w)], **extra})

    return prepare


# ------------------------------------------------------------------ recruiter ATS (the owner created the organization:
# its admin; the member is a viewer the jobs are not shared with; other and admin belong to no organization. The
# owner is in several organizations by now, so every call names it: ``?org=``, 404 for anyone outside it)

ATS_JOB = {"title": "ATS role", "description": "Python work", "employment_type": "full_time",
           "application_deadline": "2099-12-31", "published": True}


async def _ats_job(w: World, **changes: Any) -> int:
    r = await w.client.post(f"/ats/jobs/?org={w.organization}", json={**ATS_JOB, **changes}, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _cv_upload(job: int, name: str) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    return ({"job": str(job), "name": name, "email": f"cv{next(_seq)}@example.org", "contact": "1"},
            {"resume": ("cv.pdf", pdf_bytes(PDF_RESUME_PAGES), "application/pdf")})


async def _ats_candidate(w: World, name: str = "Matrix Candidate") -> tuple[int, int, int]:
    """A job and an imported candidate: (job id, candidate id, resume id)."""
    job = await _ats_job(w)
    data, files = _cv_upload(job, name)
    r = await w.client.post(f"/ats/candidates/?org={w.organization}", data=data, files=files, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return job, int(r.json()["id"]), int(r.json()["resumes"]["id"])


async def _ats_member(w: World) -> int:
    fresh = await w.user()
    r = await w.client.post(f"/ats/members/?org={w.organization}", json={"user_id": fresh.id, "role": "viewer"},
                            headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return fresh.id


async def _ats_step(w: World, path: str) -> tuple[int, str]:
    job, candidate, _ = await _ats_candidate(w, "MARKER-ats-step")
    body: dict[str, Any] = {"job": job, "assigned_to": candidate} if path == "/ats/testlogs/" else {
        "job": job, "candidates": [candidate]}
    r = await w.client.post(f"{path}?org={w.organization}", json=body, headers=w.owner.headers)
    assert r.status_code == 201, r.text
    made = r.json() if isinstance(r.json(), dict) else r.json()[0]
    return int(made["id"]), str(made["key"])


def _ats(method: str, url: Callable[[World], Awaitable[str]],
         body: Callable[[World], Awaitable[dict[str, Any]]] | None = None) -> Prepare:
    async def prepare(w: World) -> Call:
        return Call(method, await url(w), await body(w) if body is not None else None)

    return prepare


def _note_call(method: str, body: dict[str, Any] | None = None) -> Prepare:
    async def prepare(w: World) -> Call:
        note = await w.create(f"/tracker/applications/{await _tracked(w)}/notes/", {"body": "MARKER-note"})
        return Call(method, f"/tracker/notes/{note}/", body)

    return prepare


async def _sites(w: World) -> Call:
    await w.create("/tracker/sites/", {"name": "MARKER-site"})
    return Call("GET", "/tracker/sites/")


def _site_call(method: str, body: dict[str, Any] | None = None) -> Prepare:
    async def prepare(w: World) -> Call:
        return Call(method, f"/tracker/sites/{await w.create('/tracker/sites/', {'name': 'MARKER-site'})}/", body)

    return prepare


async def _opportunities(w: World) -> Call:
    await w.create("/tracker/opportunities/", OPPORTUNITY)
    return Call("GET", "/tracker/opportunities/")


def _opportunity_call(method: str, suffix: str = "", body: dict[str, Any] | None = None) -> Prepare:
    async def prepare(w: World) -> Call:
        opportunity = await w.create("/tracker/opportunities/", OPPORTUNITY)
        return Call(method, f"/tracker/opportunities/{opportunity}/{suffix}", body)

    return prepare


JST_POSTING = {"company_name": "Acme", "posting_title": "MARKER-jst-posting", "job_description": "TBD"}
JST_OPPORTUNITY = {"job_title": "MARKER-jst-opportunity", "opportunity_status": "1 - Actively Engaged",
                   "recruiter_name": "Rita", "recruiter_company": "Hunters"}


async def _jst_site(w: World) -> int:
    return await w.create("/api/job_site/", {"site_name": "MARKER-jst-site"})


async def _jst_posting(w: World) -> int:
    return await w.create("/api/job_posting/", {**JST_POSTING, "job_site_id": await _jst_site(w)})


def _jst_call(kind: str, method: str, suffix: str = "", body: dict[str, Any] | None = None) -> Prepare:
    async def prepare(w: World) -> Call:
        if kind == "job_site":
            target = await _jst_site(w)
        elif kind == "job_posting":
            target = await _jst_posting(w)
        else:
            target = await w.create("/api/email_opportunity/", JST_OPPORTUNITY)
        url = f"/api/{kind}/{target}/{suffix}"
        payload = {**JST_POSTING, "job_site_id": target} if body == {"site": True} else body
        return Call(method, url, payload)

    return prepare


def _jst_list(kind: str) -> Prepare:
    async def prepare(w: World) -> Call:
        if kind == "job_site":
            await _jst_site(w)
        elif kind == "job_posting":
            await _jst_posting(w)
        else:
            await w.create("/api/email_opportunity/", JST_OPPORTUNITY)
        return Call("GET", f"/api/{kind}/")

    return prepare


async def _ats_jobs_list(w: World) -> Call:
    await _ats_job(w, title="MARKER-ats-job")
    return Call("GET", f"/ats/jobs/?org={w.organization}")


async def _ats_job_url(w: World) -> str:
    return f"/ats/jobs/{await _ats_job(w)}/?org={w.organization}"


async def _ats_share(w: World, method: str) -> Call:
    return Call(method, f"/ats/jobs/{await _ats_job(w)}/share/?org={w.organization}", {"user_ids": [w.member.id]})


async def _ats_member_url(w: World) -> str:
    return f"/ats/members/{await _ats_member(w)}/?org={w.organization}"


async def _ats_import(w: World) -> Call:
    data, files = _cv_upload(await _ats_job(w), "Imported")
    return Call("POST", f"/ats/candidates/?org={w.organization}", data=data, files=files)


async def _ats_candidates_list(w: World) -> Call:
    await _ats_candidate(w, "MARKER-ats-candidate")
    return Call("GET", f"/ats/candidates/?org={w.organization}")


async def _ats_candidate_url(w: World) -> str:
    return f"/ats/candidates/{(await _ats_candidate(w))[1]}/?org={w.organization}"


async def _ats_per_job(w: World, prefix: str) -> Call:
    return Call("GET", f"{prefix}{(await _ats_candidate(w))[0]}/?org={w.organization}")


async def _ats_resumes_list(w: World) -> Call:
    await _ats_candidate(w, "MARKER-ats-resume")
    return Call("GET", f"/ats/resumes/?org={w.organization}")


async def _ats_statuses(w: World, path: str) -> Call:
    job, candidate, _ = await _ats_candidate(w)
    r = await w.client.post(f"/ats/job-statuses/?org={w.organization}", json={
        "candidate": candidate, "job": job, "status": "On Hold", "stage_name": "Applied",
        "reason": "MARKER-ats-reason"},
                            headers=w.owner.headers)
    assert r.status_code == 201, r.text
    return Call("GET", f"{path}?org={w.organization}")


async def _ats_move(w: World) -> Call:
    job, candidate, _ = await _ats_candidate(w)
    return Call("POST", f"/ats/job-statuses/?org={w.organization}", {
        "candidate": candidate, "job": job, "status": "Hired", "stage_name": "Applied"})


async def _ats_steps_list(w: World, path: str) -> Call:
    await _ats_step(w, path)
    return Call("GET", f"{path}?org={w.organization}")


async def _ats_assign(w: World, path: str) -> Call:
    job, candidate, _ = await _ats_candidate(w)
    body: dict[str, Any] = {"job": job, "assigned_to": candidate} if path == "/ats/testlogs/" else {
        "job": job, "candidates": [candidate]}
    return Call("POST", f"{path}?org={w.organization}", body)


def _ats_step_call(method: str, path: str, body: dict[str, Any] | None = None) -> Prepare:
    async def prepare(w: World) -> Call:
        step, _ = await _ats_step(w, path)
        return Call(method, f"{path}{step}/?org={w.organization}", body)

    return prepare


async def _jst_replace_posting(w: World) -> Call:
    site = await _jst_site(w)
    posting = await w.create("/api/job_posting/", {**JST_POSTING, "job_site_id": site})
    return Call("PUT", f"/api/job_posting/{posting}/", {**JST_POSTING, "job_site_id": site})


async def _jst_active_opportunities(w: World) -> Call:
    await w.create("/api/email_opportunity/", JST_OPPORTUNITY)
    return Call("GET", "/api/email_opportunity/active/")


async def _ats_count(w: World) -> Call:
    return Call("GET", f"/ats/get_count/?org={w.organization}")


async def _ats_create_job(w: World) -> Call:
    return Call("POST", f"/ats/jobs/?org={w.organization}", ATS_JOB)


async def _ats_location(_: World) -> dict[str, Any]:
    return {"location": "Remote"}


async def _ats_role(_: World) -> dict[str, Any]:
    return {"role": "editor"}


async def _ats_rename(_: World) -> dict[str, Any]:
    return {"name": "Renamed"}


async def _ats_share_post(w: World) -> Call:
    return await _ats_share(w, "POST")


async def _ats_share_delete(w: World) -> Call:
    return await _ats_share(w, "DELETE")


async def _ats_stage_filters(w: World) -> Call:
    return Call("GET", f"/ats/jobs/{await _ats_job(w)}/stage-filters/?org={w.organization}")


async def _ats_members(w: World) -> Call:
    return Call("GET", f"/ats/members/?org={w.organization}")


async def _ats_add_member(w: World) -> Call:
    return Call("POST", f"/ats/members/?org={w.organization}", {"user_id": (await w.user()).id, "role": "editor"})


async def _ats_job_candidates(w: World) -> Call:
    return await _ats_per_job(w, "/ats/candidate/")


async def _ats_job_testlogs(w: World) -> Call:
    return await _ats_per_job(w, "/ats/testlog/")


async def _ats_job_screenings(w: World) -> Call:
    return await _ats_per_job(w, "/ats/personality_screening/")


async def _ats_resume(w: World) -> Call:
    return Call("GET", f"/ats/resumes/{(await _ats_candidate(w))[2]}/?org={w.organization}")


async def _ats_statuses_list(w: World) -> Call:
    return await _ats_statuses(w, "/ats/job-statuses/")


async def _ats_history(w: World) -> Call:
    return await _ats_statuses(w, "/ats/job-statuses/history/")


async def _ats_testlogs(w: World) -> Call:
    return await _ats_steps_list(w, "/ats/testlogs/")


async def _ats_screenings(w: World) -> Call:
    return await _ats_steps_list(w, "/ats/personality-screenings/")


async def _ats_assign_test(w: World) -> Call:
    return await _ats_assign(w, "/ats/testlogs/")


async def _ats_assign_screening(w: World) -> Call:
    return await _ats_assign(w, "/ats/personality-screenings/")


# The objects' owner is the world's owner unless a cell names its own (Call.as_owner). "owner" on admin-only
# operations means an ordinary signed-in user.
MATRIX: list[Row] = [
    # ------------------------------------------------------------------ JobHax face (another user's object: HTTP 200,
    # success false, code 11, data null — the documented envelope; never their data)
    Row("GET", "/api/users/sync_status", _jobhax_sync, owner=200, other=200, admin=200, leak="upload"),
    # ------------------------------------------------------------------ accounts
    Row("DELETE", "/user/delete", _delete_user, owner=204, other=403, admin=204, anon=401),
    Row("POST", "/user/signout", _signout, owner=202, other=400, admin=400),
    Row("POST", "/user/switch-account", _switch, owner=200, other=400, admin=400, member=400),
    Row("GET", "/user/linked-accounts", _linked, owner=200, other=200, admin=200, member=200, leak="Matrix Org"),
    Row("POST", "/user/organization-members", _add_member, owner=201, other=403, admin=403, member=403),
    Row("GET", "/user/organization-members", _list_members, owner=200, other=403, admin=403, member=403),
    Row("DELETE", "/user/organization-members", _remove_member, owner=204, other=403, admin=403, member=403),
    Row("DELETE", "/user/organization-members", _leave, owner=204, other=403, admin=403, member=204),
    Row("POST", "/user/corporate/verify", _verify_corporate, owner=200, other=403, admin=403, member=403),
    # ------------------------------------------------------------------ profiles and portfolio
    Row("GET", "/user/retrieve-profile", _profile, owner=200, other=200, admin=200),
    Row("GET", "/user/analytics", _analytics, owner=200, other=200, admin=200),
    Row("GET", "/user/experience", _experiences, owner=200, other=200, admin=200, leak="MARKER-exp"),
    Row("PUT", "/user/update-experience", _update_experience, owner=201, other=404, admin=404),
    Row("DELETE", "/user/experience", _delete_experience, owner=204, other=404, admin=404),
    Row("GET", "/user/education", _educations, owner=200, other=200, admin=200, leak="MARKER-edu"),
    Row("PUT", "/user/education", _update_education, owner=201, other=404, admin=404),
    Row("DELETE", "/user/education", _delete_education, owner=204, other=404, admin=404),
    Row("GET", "/user/certification", _certifications, owner=200, other=200, admin=200, leak="MARKER-cert"),
    Row("DELETE", "/user/certification", _delete_certification, owner=204, other=404, admin=404),
    Row("GET", "/project", _projects, owner=200, other=200, admin=200, leak="MARKER-project"),
    Row("GET", "/project", _get_project, owner=200, other=200, admin=200),
    Row("GET", "/project", _projects_of, owner=200, other=200, admin=200),
    Row("GET", "/project/{project_id}", _get_project_by_path, owner=200, other=200, admin=200),
    Row("DELETE", "/project", _delete_project, owner=204, other=404, admin=404),
    # ------------------------------------------------------------------ content (admin only)
    Row("POST", "/info/choice-data", _add_choice, owner=403, other=403, admin=200),
    Row("DELETE", "/info/choice-data", _delete_choice, owner=403, other=403, admin=200),
    Row("PUT", "/info/country-permit", _permit, owner=403, other=403, admin=200),
    Row("POST", "/info/exchange-rate/set", _rate, owner=403, other=403, admin=200),
    Row("POST", "/info", _create_page, owner=403, other=403, admin=201),
    Row("PUT", "/info", _update_page, owner=403, other=403, admin=200),
    Row("DELETE", "/info", _delete_page, owner=403, other=403, admin=204),
    Row("POST", "/info/library", _create_library, owner=403, other=403, admin=400),
    Row("DELETE", "/info/library", _delete_library, owner=403, other=403, admin=204),
    Row("POST", "/newsletter/create", _create_newsletter, owner=403, other=403, admin=201),
    # ------------------------------------------------------------------ support
    Row("GET", "/user/disputes", _my_tickets, owner=200, other=200, admin=200, leak="MARKER-ticket"),
    Row("PUT", "/user/admin/disputes", _answer_ticket, owner=403, other=403, admin=200),
    Row("GET", "/user/admin/disputes", _admin_tickets, owner=403, other=403, admin=200),
    Row("GET", "/user/admin/disputes/summary", _ticket_summary, owner=403, other=403, admin=200),
    Row("GET", "/user/lead/register", _leads, owner=403, other=403, admin=200),
    # ------------------------------------------------------------------ vaults (the owner is a mentor)
    Row("GET", "/mentor/vault", _vault, owner=200, other=403, admin=403),
    Row("GET", "/mentor/vault/transactions", _vault_transactions, owner=200, other=403, admin=403),
    Row("POST", "/mentor/vault/withdraw", _withdraw, owner=201, other=403, admin=403),
    Row("GET", "/mentor/vault/admin/withdrawals", _admin_withdrawals, owner=403, other=403, admin=200),
    Row("PUT", "/mentor/vault/admin/withdrawals", _settle_withdrawal, owner=403, other=403, admin=200),
    # ------------------------------------------------------------------ feed
    Row("GET", "/post", _get_post, owner=200, other=200, admin=200),
    Row("DELETE", "/post/delete", _delete_post, owner=204, other=403, admin=403),
    Row("GET", "/post/posted", _posted, owner=200, other=200, admin=200, leak="MARKER-posted"),
    Row("GET", "/post/by-user", _by_user, owner=200, other=200, admin=200),
    Row("POST", "/post/comment", _comment, owner=201, other=201, admin=201),
    Row("GET", "/post/comment", _comments, owner=200, other=200, admin=200),
    Row("POST", "/post/reply", _reply, owner=201, other=201, admin=201),
    Row("POST", "/post/like", _like, owner=201, other=201, admin=201),
    Row("POST", "/post/unlike", _unlike, owner=200, other=400, admin=400),
    Row("POST", "/post/like/comment", _like_comment, owner=200, other=200, admin=200),
    Row("POST", "/post/unlike/comment", _unlike_comment, owner=200, other=400, admin=400),
    Row("POST", "/post/repost", _repost, owner=201, other=201, admin=201),
    Row("POST", "/post/save", _save, owner=201, other=201, admin=201),
    Row("GET", "/post/save", _saved, owner=200, other=200, admin=200, leak="MARKER-saved"),
    Row("DELETE", "/post/save", _unsave, owner=204, other=404, admin=404),
    Row("POST", "/post/share", _share, owner=200, other=200, admin=200),
    Row("GET", "/post/share", _shared, owner=200, other=200, admin=200, anon=200),
    # ------------------------------------------------------------------ network
    Row("POST", "/follow", _follow, owner=400, other=201, admin=201),
    Row("POST", "/unfollow", _unfollow, owner=200, other=400, admin=400),
    Row("GET", "/followings", _followings, owner=200, other=200, admin=200, leak="MarkerFollowed"),
    Row("GET", "/followers", _followers, owner=200, other=200, admin=200, leak="MarkerFan"),
    Row("POST", "/connection", _connect, owner=400, other=201, admin=201),
    Row("POST", "/connection/status", _connection_status, owner=200, other=404, admin=404),
    Row("DELETE", "/connection", _delete_connection, owner=204, other=404, admin=404),
    Row("GET", "/connection", _connections, owner=200, other=200, admin=200, leak="MarkerRequester"),
    Row("GET", "/connection/pending", _pending, owner=200, other=200, admin=200, leak="MarkerRequester"),
    Row("GET", "/connection/requests", _requests, owner=200, other=200, admin=200, leak="MarkerAsked"),
    # ------------------------------------------------------------------ jobs ("owner": the organization posting)
    Row("POST", "/job", _create_job, owner=201, other=403, admin=403, member=403),
    Row("GET", "/job", _posted_jobs, owner=200, other=200, admin=200, member=200, leak="MARKER-posted-job"),
    Row("GET", "/job", _draft_details, owner=200, other=404, admin=404, member=200),
    Row("PUT", "/job", _edit_draft, owner=206, other=404, admin=404, member=206),
    Row("PUT", "/job/status/update", _job_status, owner=200, other=403, admin=403, member=200),
    Row("GET", "/job/application", _applications, owner=200, other=403, admin=403, member=200),
    Row("POST", "/job/save", _save_job, owner=201, other=201, admin=201, member=201),
    Row("GET", "/job/save", _saved_jobs, owner=200, other=200, admin=200, member=200, leak="MARKER-saved-job"),
    Row("DELETE", "/job/unsave", _unsave_job, owner=204, other=400, admin=400, member=400),
    Row("POST", "/job/apply", _apply, owner=200, other=200, admin=200, member=200),
    Row("GET", "/job/apply", _applied, owner=200, other=200, admin=200, member=200, leak="MARKER-applied-job"),
    # ------------------------------------------------------------------ tracker (owner only, admins included)
    Row("GET", "/tracker/applications", _tracked_list, owner=200, other=200, admin=200, leak="MARKER-tracked"),
    Row("GET", "/tracker/applications/{application_id}", _tracked_call("GET"), owner=200, other=404, admin=404),
    Row("PATCH", "/tracker/applications/{application_id}", _tracked_call("PATCH", body={"status": "OFFER"}),
        owner=200, other=404, admin=404),
    Row("DELETE", "/tracker/applications/{application_id}", _tracked_call("DELETE"), owner=204, other=404,
        admin=404),
    Row("POST", "/tracker/applications/bulk-status", _tracked_bulk("bulk-status", {"rejected": True}), owner=200,
        other=404, admin=404),
    Row("POST", "/tracker/applications/bulk-delete", _tracked_bulk("bulk-delete", {}), owner=200, other=404,
        admin=404),
    Row("GET", "/tracker/applications/{application_id}/events", _tracked_call("GET", "events/"), owner=200,
        other=404, admin=404),
    Row("GET", "/tracker/applications/{application_id}/notes", _tracked_call("GET", "notes/"), owner=200,
        other=404, admin=404),
    Row("POST", "/tracker/applications/{application_id}/notes", _tracked_call("POST", "notes/", {"body": "n"}),
        owner=201, other=404, admin=404),
    Row("PATCH", "/tracker/notes/{note_id}", _note_call("PATCH", {"body": "edited"}), owner=200, other=404,
        admin=404),
    Row("DELETE", "/tracker/notes/{note_id}", _note_call("DELETE"), owner=204, other=404, admin=404),
    Row("GET", "/tracker/sites", _sites, owner=200, other=200, admin=200, leak="MARKER-site"),
    Row("GET", "/tracker/sites/{site_id}", _site_call("GET"), owner=200, other=404, admin=404),
    Row("PUT", "/tracker/sites/{site_id}", _site_call("PUT", {"name": "x"}), owner=200, other=404, admin=404),
    Row("DELETE", "/tracker/sites/{site_id}", _site_call("DELETE"), owner=204, other=404, admin=404),
    Row("GET", "/tracker/opportunities", _opportunities, owner=200, other=200, admin=200,
        leak="MARKER-opportunity"),
    Row("GET", "/tracker/opportunities/{opportunity_id}", _opportunity_call("GET"), owner=200, other=404,
        admin=404),
    Row("PUT", "/tracker/opportunities/{opportunity_id}", _opportunity_call("PUT", body=OPPORTUNITY), owner=200,
        other=404, admin=404),
    Row("DELETE", "/tracker/opportunities/{opportunity_id}", _opportunity_call("DELETE"), owner=204, other=404,
        admin=404),
    Row("POST", "/tracker/opportunities/{opportunity_id}/convert", _opportunity_call("POST", "convert/"),
        owner=201, other=404, admin=404),
    # ------------------------------------------------------------------ job-search-tracker face (owner only)
    Row("GET", "/api/job_site", _jst_list("job_site"), owner=200, other=200, admin=200, leak="MARKER-jst-site"),
    Row("GET", "/api/job_site/{site_id}", _jst_call("job_site", "GET"), owner=200, other=404, admin=404),
    Row("PUT", "/api/job_site/{site_id}", _jst_call("job_site", "PUT", body={"site_name": "x"}), owner=204,
        other=404, admin=404),
    Row("DELETE", "/api/job_site/{site_id}", _jst_call("job_site", "DELETE"), owner=204, other=404, admin=404),
    Row("GET", "/api/job_site/{site_id}/postings", _jst_call("job_site", "GET", "postings/"), owner=200,
        other=404, admin=404),
    Row("POST", "/api/job_site/{site_id}/postings", _jst_call("job_site", "POST", "postings/", {"site": True}),
        owner=201, other=404, admin=404),
    Row("GET", "/api/job_posting", _jst_list("job_posting"), owner=200, other=200, admin=200,
        leak="MARKER-jst-posting"),
    Row("GET", "/api/job_posting/{posting_id}", _jst_call("job_posting", "GET"), owner=200, other=404, admin=404),
    Row("PUT", "/api/job_posting/{posting_id}", _jst_replace_posting, owner=204, other=404, admin=404),
    Row("DELETE", "/api/job_posting/{posting_id}", _jst_call("job_posting", "DELETE"), owner=204, other=404,
        admin=404),
    Row("GET", "/api/email_opportunity", _jst_list("email_opportunity"), owner=200, other=200, admin=200,
        leak="MARKER-jst-opportunity"),
    Row("GET", "/api/email_opportunity/active", _jst_active_opportunities, owner=200, other=200, admin=200,
        leak="MARKER-jst-opportunity"),
    Row("GET", "/api/email_opportunity/{opportunity_id}", _jst_call("email_opportunity", "GET"), owner=200,
        other=404, admin=404),
    Row("PUT", "/api/email_opportunity/{opportunity_id}", _jst_call("email_opportunity", "PUT",
                                                                     body=JST_OPPORTUNITY), owner=204, other=404,
        admin=404),
    Row("DELETE", "/api/email_opportunity/{opportunity_id}", _jst_call("email_opportunity", "DELETE"), owner=204,
        other=404, admin=404),
    Row("GET", "/api/custom_user/all", _get("/api/custom_user/all/"), owner=403, other=403, admin=200),

    # ------------------------------------------------------------------ notifications and chat
    Row("GET", "/notification-chat/notifications", _notifications, owner=200, other=200, admin=200,
        leak="MarkerNotice"),
    Row("PUT", "/notification-chat/notifications", _mark_notification, owner=200, other=404, admin=404),
    Row("POST", "/notification-chat/chats/initiate", _initiate_chat, owner=200, other=403, admin=403),
    Row("GET", "/notification-chat/chats", _chat_sessions, owner=200, other=200, admin=200, leak="MarkerChat"),
    Row("GET", "/notification-chat/chat/messages", _chat_history, owner=200, other=404, admin=404),
    # ------------------------------------------------------------------ mentorship (the owner books as mentee)
    Row("POST", "/mentor/save", _save_mentor, owner=201, other=201, admin=201),
    Row("GET", "/mentor/save", _saved_mentors, owner=200, other=200, admin=200, leak="MARKER-saved-mentor"),
    Row("DELETE", "/mentor/save", _unsave_mentor, owner=204, other=400, admin=400),
    Row("GET", "/mentor/sessions", _my_sessions, owner=200, other=200, admin=200, leak="MARKER-requested-session"),
    Row("GET", "/mentor/sessions/invited", _invited_sessions, owner=200, other=200, admin=200,
        leak="MARKER-invited-session"),
    Row("POST", "/mentor/sessions/accept-reject", _answer_session, owner=200, other=400, admin=400),
    Row("POST", "/mentor/session/cancel", _cancel_session, owner=200, other=400, admin=400),
    Row("POST", "/mentor/annotate", _annotate_session, owner=200, other=400, admin=400),
    # JaaS is not configured in the matrix: a participant gets as far as the token (503), anybody else 400.
    Row("GET", "/mentor/session/join", _join_session, owner=503, other=400, admin=400),
    Row("POST", "/payments/stripe/initiate", _stripe_initiate, owner=200, other=400, admin=400),
    Row("POST", "/payments/flutterwave/initiate", _flutterwave_initiate, owner=200, other=400, admin=400),
]

# The recruiter ATS (issue 26): its own run, so each test stays within the time limit.
ATS_MATRIX: list[Row] = [
    Row("GET", "/ats/jobs", _ats_jobs_list, owner=200, other=404, admin=404, member=200, leak="MARKER-ats-job"),
    Row("POST", "/ats/jobs", _ats_create_job, owner=201, other=404, admin=404, member=403),
    Row("GET", "/ats/jobs/{job_id}", _ats("GET", _ats_job_url), owner=200, other=404, admin=404, member=404),
    Row("PUT", "/ats/jobs/{job_id}", _ats("PUT", _ats_job_url, _ats_location), owner=200, other=404, admin=404,
        member=404),
    Row("PATCH", "/ats/jobs/{job_id}", _ats("PATCH", _ats_job_url, _ats_location), owner=200, other=404, admin=404,
        member=404),
    Row("DELETE", "/ats/jobs/{job_id}", _ats("DELETE", _ats_job_url), owner=204, other=404, admin=404, member=404),
    Row("POST", "/ats/jobs/{job_id}/share", _ats_share_post, owner=200, other=404, admin=404, member=404),
    Row("DELETE", "/ats/jobs/{job_id}/share", _ats_share_delete, owner=200, other=404, admin=404, member=404),
    Row("GET", "/ats/jobs/{job_id}/stage-filters", _ats_stage_filters, owner=200, other=404, admin=404, member=404),
    Row("GET", "/ats/members", _ats_members, owner=200, other=404, admin=404, member=403),
    Row("POST", "/ats/members", _ats_add_member, owner=201, other=404, admin=404, member=403),
    Row("PATCH", "/ats/members/{user_id}", _ats("PATCH", _ats_member_url, _ats_role), owner=200, other=404,
        admin=404, member=403),
    Row("DELETE", "/ats/members/{user_id}", _ats("DELETE", _ats_member_url), owner=204, other=404, admin=404,
        member=403),
    Row("GET", "/ats/candidates", _ats_candidates_list, owner=200, other=404, admin=404, member=200,
        leak="MARKER-ats-candidate"),
    Row("POST", "/ats/candidates", _ats_import, owner=201, other=404, admin=404, member=404),
    Row("GET", "/ats/candidates/{candidate_id}", _ats("GET", _ats_candidate_url), owner=200, other=404, admin=404,
        member=404),
    Row("PATCH", "/ats/candidates/{candidate_id}", _ats("PATCH", _ats_candidate_url, _ats_rename), owner=200,
        other=404, admin=404, member=404),
    Row("DELETE", "/ats/candidates/{candidate_id}", _ats("DELETE", _ats_candidate_url), owner=204, other=404,
        admin=404, member=404),
    Row("GET", "/ats/candidate/{job_id}", _ats_job_candidates, owner=200, other=404, admin=404, member=404),
    Row("GET", "/ats/testlog/{job_id}", _ats_job_testlogs, owner=200, other=404, admin=404, member=404),
    Row("GET", "/ats/personality_screening/{job_id}", _ats_job_screenings, owner=200, other=404, admin=404,
        member=404),
    Row("GET", "/ats/resumes", _ats_resumes_list, owner=200, other=404, admin=404, member=200,
        leak="MARKER-ats-resume"),
    Row("GET", "/ats/resumes/{resume_id}", _ats_resume, owner=200, other=404, admin=404, member=404),
    Row("GET", "/ats/job-statuses", _ats_statuses_list, owner=200, other=404, admin=404, member=200,
        leak="MARKER-ats-reason"),
    Row("POST", "/ats/job-statuses", _ats_move, owner=201, other=404, admin=404, member=404),
    Row("GET", "/ats/job-statuses/history", _ats_history, owner=200, other=404, admin=404, member=200,
        leak="MARKER-ats-reason"),
    Row("GET", "/ats/testlogs", _ats_testlogs, owner=200, other=404, admin=404, member=200, leak="MARKER-ats-step"),
    Row("POST", "/ats/testlogs", _ats_assign_test, owner=201, other=404, admin=404, member=404),
    Row("GET", "/ats/testlogs/{step_id}", _ats_step_call("GET", "/ats/testlogs/"), owner=200, other=404, admin=404,
        member=404),
    Row("PATCH", "/ats/testlogs/{step_id}", _ats_step_call("PATCH", "/ats/testlogs/", {"is_approved": True}),
        owner=200, other=404, admin=404, member=404),
    Row("DELETE", "/ats/testlogs/{step_id}", _ats_step_call("DELETE", "/ats/testlogs/"), owner=204, other=404,
        admin=404, member=404),
    Row("GET", "/ats/personality-screenings", _ats_screenings, owner=200, other=404, admin=404, member=200,
        leak="MARKER-ats-step"),
    Row("POST", "/ats/personality-screenings", _ats_assign_screening, owner=201, other=404, admin=404, member=404),
    Row("GET", "/ats/personality-screenings/{step_id}", _ats_step_call("GET", "/ats/personality-screenings/"),
        owner=200, other=404, admin=404, member=404),
    Row("PATCH", "/ats/personality-screenings/{step_id}",
        _ats_step_call("PATCH", "/ats/personality-screenings/", {"revoked": True}), owner=200, other=404, admin=404,
        member=404),
    Row("DELETE", "/ats/personality-screenings/{step_id}", _ats_step_call("DELETE", "/ats/personality-screenings/"),
        owner=204, other=404, admin=404, member=404),
    Row("GET", "/ats/get_count", _ats_count, owner=200, other=404, admin=404, member=200),
]

# Operations that touch no object of anybody else, with the reason.
NOT_OBJECT_OPERATIONS: dict[tuple[str, str], str] = {
    ("POST", "/api/auth/register"): "public: creates a new (unverified) account",
    ("POST", "/api/auth/login"): "public: credentials, no object",
    ("POST", "/api/auth/logout"): "public: the refresh token is the credential",
    ("POST", "/api/token"): "public: credentials, no object",
    ("POST", "/api/token/refresh"): "public: the token is the credential",
    ("GET", "/api/me"): "the caller's own identity (no id accepted)",
    ("PUT", "/api/custom_user/update"): "the caller's own profile and tracker settings (no id accepted)",
    ("PATCH", "/api/custom_user/update"): "the caller's own profile and tracker settings (no id accepted)",
    ("POST", "/api/job_site"): "creates the caller's own job site",
    ("POST", "/api/job_posting"): "creates the caller's own posting (someone else's site → 400)",
    ("GET", "/api/job_posting/active"): "the caller's own active postings (204 when none)",
    ("POST", "/api/email_opportunity"): "creates the caller's own opportunity",
    ("GET", "/api/report/{report_type}"): "the caller's own report (no id accepted)",
    ("GET", "/api/report/{report_type}/{reference_date}"): "the caller's own report (no id accepted)",
    ("GET", "/api/dashboard"): "the caller's own dashboard (no id accepted)",
    ("GET", "/tracker/statuses"): "reference data for signed-in users",
    ("POST", "/tracker/applications"): "creates the caller's own application (someone else's site → 400)",
    ("POST", "/tracker/sites"): "creates the caller's own job site",
    ("POST", "/tracker/opportunities"): "creates the caller's own opportunity",
    ("GET", "/tracker/metrics/summary"): "the caller's own metrics (no id accepted)",
    ("GET", "/tracker/metrics/by-month"): "the caller's own metrics (no id accepted)",
    ("GET", "/tracker/metrics/by-status"): "the caller's own metrics (no id accepted)",
    ("GET", "/tracker/metrics/by-company"): "the caller's own metrics (no id accepted)",
    ("GET", "/tracker/metrics/by-title-status"): "the caller's own metrics (no id accepted)",
    ("GET", "/tracker/metrics/postings"): "the caller's own report (no id accepted)",
    ("GET", "/tracker/metrics/per-site"): "the caller's own report (no id accepted)",
    ("GET", "/tracker/metrics/per-week"): "the caller's own report (no id accepted)",
    ("GET", "/tracker/metrics/dashboard"): "the caller's own dashboard (no id accepted)",
    ("POST", "/user/signup"): "public: creates a new account",
    ("POST", "/user/signin"): "public: credentials, no object",
    ("POST", "/user/token/refresh"): "public: the token is the credential",
    ("POST", "/user/forget-password"): "public: bound to the mailed code",
    ("POST", "/user/hash/verify"): "public: bound to the mailed link",
    ("POST", "/user/google/signup"): "public: bound to Google's code",
    ("POST", "/user/google/signin"): "public: bound to Google's code",
    ("POST", "/user/corporate/signup"): "creates a new account linked to the caller",
    ("PUT", "/user/profile-update"): "the caller's own profile; ids in the body are ignored (mass assignment)",
    ("PATCH", "/user/profile-update"): "the caller's own industry",
    ("POST", "/user/experience"): "creates the caller's own record",
    ("POST", "/user/education"): "creates the caller's own record",
    ("POST", "/user/certification"): "creates the caller's own record",
    ("POST", "/project"): "creates the caller's own project",
    ("GET", "/user/settings"): "the caller's own settings (no id accepted)",
    ("PUT", "/user/settings"): "the caller's own settings (no id accepted)",
    ("GET", "/user/completion"): "the caller's own completion (no id accepted)",
    ("GET", "/user/search"): "public directory of users (privacy fields are not searched)",
    ("GET", "/info/choice-data"): "reference data for signed-in users",
    ("GET", "/info/country-permit"): "public reference data",
    ("GET", "/info/exchange-rate"): "public reference data",
    ("GET", "/info"): "public content pages (terms of service, privacy policy)",
    ("GET", "/info/library"): "the library, the same for every signed-in user",
    ("GET", "/newsletter"): "the newsletter archive, the same for every signed-in user (plus the caller's own flag)",
    ("POST", "/newsletter/subscribe"): "the caller's own subscription (their account's address)",
    ("POST", "/newsletter/unsubscribe"): "the caller's own subscription",
    ("POST", "/user/newsletter-subscribe"): "public: adds an address to the list",
    ("GET", "/user/newsletter-unsubscribe"): "public: bound to the signed token of the e-mailed link (forged → 400)",
    ("POST", "/user/disputes"): "creates the caller's own ticket",
    ("POST", "/user/lead/register"): "public: registers a lead",
    ("POST", "/post"): "creates the caller's own post",
    ("GET", "/post/by-mentors"): "public posts by mentors",
    ("GET", "/post/following"): "the caller's own feed of followed users",
    ("GET", "/followings/count"): "a count of the caller's own followings",
    ("GET", "/followers/count"): "a count of the caller's own followers",
    ("GET", "/connection/count"): "a count of the caller's own connections",
    ("GET", "/follow/recommendation"): "public user cards",
    ("GET", "/connection/recommendation"): "public user cards",
    ("DELETE", "/notification-chat/notifications"): "clears the caller's own notifications (no id accepted)",
    ("GET", "/notification-chat/notifications/unread"): "a count of the caller's own unread notifications",
    ("GET", "/health"): "public liveness",
    ("GET", "/ready"): "public readiness (which dependencies answer; no object)",
    ("GET", "/metrics"): "operator scrape target, off unless METRICS_ENABLED, optionally behind METRICS_TOKEN",
    ("GET", "/media/{key}"): "public media by unguessable key",
    ("GET", "/job/recommend"): "active jobs, open to every signed-in user",
    ("GET", "/job/search"): "public search of active jobs",
    ("GET", "/job/preference"): "the caller's own job preference (no id accepted)",
    ("PUT", "/job/preference"): "the caller's own job preference (no id accepted)",
    ("GET", "/job/application/recent"): "applications for the caller's own postings (no id accepted)",
    ("GET", "/ats/public/screenings/{key}"): "public: the random key of the candidate's link is the credential",
    ("POST", "/ats/public/screenings/{key}/complete"): "public: the random key of the candidate's link is the "
                                                          "credential",
    ("GET", "/ats/public/tests/{key}"): "public: the random key of the candidate's link is the credential",
    ("POST", "/ats/public/tests/{key}/complete"): "public: the random key of the candidate's link is the credential",
    ("GET", "/ats/check-email/{job_id}/{email}"): "public application-form check (rate limited; no candidate data "
                                                   "beyond the caller's own address)",
    ("GET", "/mentor/search"): "public mentor cards",
    ("GET", "/mentor/recommendation"): "public mentor cards of the caller's industry",
    ("POST", "/mentor/sessions/book"): "creates the caller's own session request",
    ("POST", "/payments/stripe/webhook"): "public: authenticated by Stripe's signature (forged → 400)",
    ("POST", "/payments/flutterwave/webhook"): "public: authenticated by the verif-hash (forged → 400)",
    ("GET", "/payments/stripe/redirect"): "public: the payer's browser; nothing is believed until Stripe confirms",
    ("GET", "/payments/callback"): "public: the payer's browser; nothing is believed until Flutterwave confirms",
    ("GET", "/payments/sandbox"): "public: the sandbox checkout page, bound to its HMAC signature (else 404)",
    ("POST", "/payments/sandbox"): "public: the sandbox payer, bound to the page's HMAC signature (else 404)",
    ("POST", "/api/users/login"): "public (JobHax): credentials and a registered OAuth client, no object",
    ("POST", "/api/users/register"): "public (JobHax): creates a new account",
    ("POST", "/api/users/logout"): "public (JobHax): the access token in the body is the credential",
    ("POST", "/api/users/refresh_token"): "public (JobHax): the refresh token is the credential",
    ("POST", "/api/users/auth_social_user"): "public (JobHax): bound to Google's token",
    ("POST", "/api/users/update_gmail_token"): "the caller's own Gmail link (no id accepted)",
    ("GET", "/api/users/sync_user_emails"): "queues a sync of the caller's own mailbox (no id accepted)",
    ("POST", "/api/users/upload_emails"): "imports a file into the caller's own records (no id accepted)",
    ("GET", "/api/users/get_user_google_mails"): "the caller's own imported e-mails (no id accepted)",
    ("GET", "/api/users/get_linkedin_profile"): "the caller's own (absent) LinkedIn profile",
    ("GET", "/api/jobapps/get_jobapps"): "the caller's own applications (no id accepted)",
    ("GET", "/api/jobapps/get_statuses"): "reference data (the statuses)",
    ("POST", "/api/jobapps/add_jobapp"): "creates the caller's own application",
    ("GET", "/api/metrics/get_total_application_count"): "the caller's own metrics (no id accepted)",
    ("GET", "/api/metrics/get_application_count_by_month"): "the caller's own metrics (no id accepted)",
    ("GET", "/api/metrics/get_application_count_by_month_with_total"): "the caller's own metrics (no id accepted)",
    ("GET", "/api/metrics/get_count_by_statuses"): "the caller's own metrics (no id accepted)",
    ("GET", "/api/metrics/get_word_count"): "the caller's own metrics (no id accepted)",
    ("GET", "/api/metrics/get_count_by_jobtitle_and_statuses"): "the caller's own metrics (no id accepted)",
    # The JobHax face answers every handled error with HTTP 200 and its envelope (its clients read `success`), so a
    # status-code row cannot tell owner from stranger here. Each of these is owner-only: another user's id answers
    # success false, code 11, data null, and changes nothing — tests/e2e/test_jobhax_api.py::
    # test_another_users_objects_answer_not_found_with_no_data calls every one of them as a stranger.
    ("GET", "/api/jobapps/get_status_history"): "owner only; a stranger: code 11, data null (above)",
    ("GET", "/api/jobapps/get_jobapp_detail"): "owner only; a stranger: code 11, data null (above)",
    ("GET", "/api/jobapps/get_jobapp_notes"): "owner only; a stranger: code 11, data null (above)",
    ("POST", "/api/jobapps/update_jobapp"): "owner only; a stranger: code 11, data null (above)",
    ("POST", "/api/jobapps/delete_jobapp"): "owner only; a stranger: code 11, data null (above)",
    ("POST", "/api/jobapps/add_jobapp_note"): "owner only; a stranger: code 11, data null (above)",
    ("POST", "/api/jobapps/update_jobapp_note"): "owner only; a stranger: code 11, data null (above)",
    ("POST", "/api/jobapps/delete_jobapp_note"): "owner only; a stranger: code 11, data null (above)",
}


def _operations(app: Any) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if route.path.startswith(("/schema", "/static")):
            continue
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            path = "/".join(p.split(":", 1)[0] + "}" if p.startswith("{") else p for p in route.path.split("/"))
            for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                found.add((method, path.rstrip("/") or "/"))
    return found


def test_every_operation_is_classified(tmp_path: Any) -> None:
    # Local storage and metrics on, so the optional routes (media, /metrics) are mounted and classified too.
    app = create_app(build_container(make_settings(tmp_path, storage_backend="local", metrics_enabled=True)))
    operations = _operations(app)
    covered = {(r.method, r.path) for r in (*MATRIX, *ATS_MATRIX)} | set(NOT_OBJECT_OPERATIONS)
    assert operations - covered == set(), "operations without a matrix row or a reason"
    assert covered - operations == set(), "rows for operations that do not exist"
    assert not {(r.method, r.path) for r in (*MATRIX, *ATS_MATRIX)} & set(NOT_OBJECT_OPERATIONS)


def matrix_size() -> int:
    return sum(1 for row in MATRIX for role in ROLES if getattr(row, role) is not None)


async def _world(client: Client, container: AppContainer) -> World:
    owner = await sign_up(client, container, "matrix-owner@example.org")
    other = await sign_up(client, container, "matrix-other@example.org")
    admin = await sign_up(client, container, "matrix-admin@example.org")
    await make_admin(container, admin.id)
    member = await sign_up(client, container, "matrix-member@example.org")
    org = await client.post(
        "/user/corporate/signup/",
        json={"company_name": "Matrix Org", "company_email": "matrix-org@example.org", "company_type": "private",
              "company_size": "1-10", "industry": "technology", "website": "https://m.example", "location": "Lagos",
              "tagline": "t"},
        headers=owner.headers,
    )
    assert org.status_code == 201, org.text
    organization = int(org.json()["id"])
    added = await client.post("/user/organization-members/", json={"member": member.id, "organization": organization},
                              headers=owner.headers)
    assert added.status_code == 201, added.text
    return World(client, container, owner, other, admin, member, organization)


@pytest.fixture
def container(settings: Settings) -> AppContainer:
    """The SQL container without rate limits: the matrix signs many users up from one address."""
    built = build_container(settings, "sql")
    built.platform.limiter.override(providers.Object(NoRateLimiter()))
    return built


async def test_authorization_matrix(client: Client, container: AppContainer) -> None:
    world = await _world(client, container)
    failures: list[str] = []
    try:
        await _run(world, failures)
    finally:
        # Content pages are seeded rows (a PostgreSQL test database keeps them): remove the matrix's own.
        for title in (await client.get("/info/?title=tos")).json()["Available_titles"]:
            if title.startswith("matrix_page_"):
                await client.delete(f"/info/?title={title}", headers=world.admin.headers)
        rows = (await client.get("/info/country-permit/")).json()
        kenya = next(r for r in rows if r["country"] == "Kenya")
        await client.put("/info/country-permit/", json={"country": kenya["id"], "status": "enable"},
                         headers=world.admin.headers)
    assert failures == [], "\n".join(failures)
    assert matrix_size() >= 200


@pytest.mark.timeout(600)  # about 200 cells, each importing a résumé that is scored in the background
async def test_ats_authorization_matrix(client: Client, container: AppContainer) -> None:
    world = await _world(client, container)
    failures: list[str] = []
    await _run(world, failures, ATS_MATRIX)
    assert failures == [], "\n".join(failures)


async def _run(world: World, failures: list[str], rows: list[Row] | None = None) -> None:
    client = world.client
    for row in MATRIX if rows is None else rows:
        for role in ROLES:
            expected = getattr(row, role)
            if expected is None or role in row.skip:
                continue
            call = await row.prepare(world)
            who: SignedUp | None = {
                "owner": call.as_owner or world.owner,
                "other": world.other,
                "admin": world.admin,
                "member": world.member,
                "anon": None,
            }[role]
            headers = bearer(who.access) if who else {}
            if call.files is not None:
                response = await client.request(call.method, call.url, data=call.data, files=call.files,
                                                headers=headers)
            else:
                response = await client.request(call.method, call.url, json=call.json, headers=headers)
            label = f"{row.method} {row.path} as {role}"
            if response.status_code != expected:
                failures.append(f"{label}: {response.status_code} (expected {expected}) {response.text[:200]}")
                continue
            if response.status_code == 401 and role != "anon":
                failures.append(f"{label}: 401 for a signed-in caller")
            if response.status_code != 204:
                ctype = response.headers.get("content-type", "")
                if not ctype.startswith("application/json"):
                    failures.append(f"{label}: content-type {ctype}")
            if row.leak and role not in ("owner", "anon") and row.leak.lower() in response.text.lower():
                failures.append(f"{label}: sees the owner's {row.leak}")
            if row.leak and role == "owner" and row.leak.lower() not in response.text.lower():
                failures.append(f"{label}: the marker {row.leak} is missing (the leak check would prove nothing)")


async def test_operations_without_a_row_refuse_anonymous_callers(client: Client) -> None:
    """The matrix proves 401 for its rows; the operations classified as touching no object of anybody else get
    the same proof here: each one the OpenAPI document marks as needing a token answers a caller without one
    401 with a JSON body (before looking at the input, so an empty body is enough)."""
    document = client.app.openapi_schema.to_schema()
    checked: list[str] = []
    failures: list[str] = []
    for (method, path), _reason in NOT_OBJECT_OPERATIONS.items():
        operation = document["paths"].get(contract_path(path), {}).get(method.lower())
        if operation is None or not operation.get("security"):
            continue
        response = await client.request(method, f"{path}/", json={})
        checked.append(f"{method} {path}")
        if response.status_code != 401 or not response.headers.get("content-type", "").startswith("application/json"):
            failures.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
    assert failures == [], "\n".join(failures)
    # The list must not be empty by accident (e.g. if the security marker were renamed).
    expected = {"POST /post", "PUT /user/profile-update", "GET /user/settings", "POST /user/corporate/signup"}
    assert expected <= set(checked), checked
