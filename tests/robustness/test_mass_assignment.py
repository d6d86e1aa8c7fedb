"""Mass assignment: fields a client must not set (ids, owners, counters, ``is_staff``, ``user_type`` switches,
timestamps, verification flags, credentials, stored media URLs) are ignored on every write.

Every write operation of the app (``POST``/``PUT``/``PATCH``/``DELETE``) has a case in ``CASES``: a valid call
whose body also carries ``FORBIDDEN`` (the case's own inputs win over them). Operations that accept multipart run
a second time as multipart, the forbidden fields as text parts. After each call the whole database is compared
with a snapshot taken before it:

- nothing new or changed refers to the *victim* (an uninvolved user whose id, post and comment are what every
  owner/id field names), and the victim's own rows are untouched;
- the protected columns of existing users (``user_type``, ``is_staff``, ``is_active``, ``email``,
  ``email_verified``, ``date_joined``, ``password_hash``, ``tokens_valid_after``) are unchanged; a new user is
  an ordinary, active, non-staff account of the expected type;
- no row has the hostile id, no text anywhere carries the marker of a forbidden value, new timestamps are the
  server's (now, not the year 2000), and every counter equals what it counts.

A write operation without a case fails ``test_every_write_has_a_case``; ``NO_CASE`` lists only the payment
providers' callbacks (signed raw bodies, or query-only): even the credential-only writes (sign-in, refresh,
sign-out, Google) and the query-only ``DELETE``s are sent the forbidden fields."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from dependency_injector import providers
from litestar.handlers import HTTPRouteHandler
from litestar.testing import AsyncTestClient
from sqlalchemy import Table, select

from adapters.db.tables import metadata
from adapters.db.tables.accounts import users
from adapters.db.tables.system import mail_outbox, tasks
from adapters.system.ratelimit import NoRateLimiter
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from tests.conftest import PASSWORD, SignedUp, code_in, make_settings, sign_up, wait_for_mail
from tests.e2e.feed_support import direct
from tests.e2e.profiles_support import direct as direct_container
from tests.e2e.profiles_support import make_admin, png
from tests.e2e.vaults_support import credit, make_mentor
from tests.fakes.google import FakeGoogle, running_fake_google
from tests.mail_samples import SAMPLES

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
CLIENT_ID = "test-client-id.apps.googleusercontent.com"
HOSTILE_ID = 424242
MARK = "MASSMARK"
EVIL_URL = f"https://evil.example/{MARK}.png"
LONG_AGO = "2000-01-01T00:00:00Z"
_seq = itertools.count(1)


def forbidden(victim: Victim) -> dict[str, Any]:
    """Fields no write takes from a client; owners and ids name the victim's objects."""
    return {
        # ids and owners
        "id": HOSTILE_ID, "pk": HOSTILE_ID, "user_id": victim.user.id, "user": victim.user.id,
        "owner": victim.user.id, "owner_id": victim.user.id, "author": victim.user.id, "author_id": victim.user.id,
        "profile": victim.user.id, "sender": victim.user.id, "sender_id": victim.user.id,
        "receiver_id": victim.user.id, "follower": victim.user.id, "follower_id": victim.user.id,
        "user_follower": victim.user.id, "main_id": victim.user.id, "organization_id": victim.user.id,
        "post_id": victim.post, "comment_id": victim.comment, "parent_id": victim.post, "thread_id": victim.comment,
        "parent": victim.post,
        # counters
        "like_count": 1000, "comment_count": 1000, "share_count": 1000, "likes": 1000, "followers": 1000,
        "followings": 1000, "rating": 5, "attempts": 99, "position": 0,
        # roles and flags
        "is_staff": True, "is_superuser": True, "is_active": False, "user_type": "employer",
        "email_verified": False, "by_mentor": True, "permitted": False, "status": "CONFIRMED",
        "can_message": True, "can_follow": False, "is_self": True, "is_saved": True,
        # identity, credentials, timestamps
        "email": f"{MARK.lower()}@evil.example", "password": "Hijack3d!", "password_hash": MARK,
        "tokens_valid_after": "2100-01-01T00:00:00Z", "date_joined": LONG_AGO, "created_at": LONG_AGO,
        "updated_at": LONG_AGO, "time_stamp": LONG_AGO, "verified_at": LONG_AGO,
        # server-derived values and stored media
        "industries": MARK, "hash": MARK, "post_hash": MARK, "session_rate_minor": 99_999_999,
        "session_rate_currency": "XXX", "members": [victim.user.id], "profile_photo": EVIL_URL,
        "cover_photo": EVIL_URL, "logo": EVIL_URL, "resume": EVIL_URL, "intro_video": EVIL_URL, "pic1": EVIL_URL,
        "pic2": EVIL_URL, "pic3": EVIL_URL, "video": EVIL_URL, "media": EVIL_URL, "image": EVIL_URL,
        "download_material": EVIL_URL,
    }


# ------------------------------------------------------------------------------------------------ world


@dataclass
class Victim:
    user: SignedUp
    post: int
    comment: int


@dataclass
class World:
    client: Client
    container: AppContainer
    google: FakeGoogle
    owner: SignedUp  # the caller unless a case names another
    admin: SignedUp
    victim: Victim
    organization: int  # created by the owner

    async def user(self) -> SignedUp:
        return await sign_up(self.client, self.container, f"mass{next(_seq)}@example.org")

    async def ok(self, method: str, url: str, body: dict[str, Any] | None = None, who: SignedUp | None = None) -> Any:
        r = await self.client.request(method, url, json=body, headers=(who or self.owner).headers)
        assert 200 <= r.status_code < 300, (method, url, r.status_code, r.text)
        return r.json() if r.content else None

    async def post(self, who: SignedUp | None = None) -> int:
        return int((await self.ok("POST", "/post/", {"body": "A post"}, who))["post_id"])

    async def comment(self, who: SignedUp | None = None) -> int:
        return int((await self.ok("POST", "/post/comment/", {"post": await self.post(), "body": "c"}, who))
                   ["comment_id"])


@dataclass
class Call:
    method: str
    url: str
    body: dict[str, Any]
    who: SignedUp | None = None  # default: the owner; None with anonymous=True: no token
    anonymous: bool = False
    drop: tuple[str, ...] = ()  # forbidden fields that are inputs of this operation under another meaning
    new_user_type: str = "learner"  # the type of an account the call creates
    check: Callable[[World, Any], Awaitable[None]] | None = None
    cleanup: Callable[[World], Awaitable[None]] | None = None  # undo changes to seeded rows (they outlive a test)
    files: dict[str, tuple[str, bytes, str]] | None = None  # file parts the operation needs (sent as multipart)


Case = Callable[[World], Awaitable[Call]]

CORPORATE = {"company_type": "private", "company_size": "1-10", "industry": "technology",
             "website": "https://m.example", "location": "Lagos", "tagline": "t"}
EXPERIENCE = {"title": "Engineer", "organization": "Delta", "start_date": "2022-10-29", "employment_type": "Remote"}
EDUCATION = {"course": "Maths", "school": "Unilag", "start_date": "2015-01-01"}


# -------------------------------------------------------------------------------------------- accounts


async def _signup(w: World) -> Call:
    email = f"new{next(_seq)}@example.org"
    body = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    mailer = w.container.platform.mailer()
    before = len(mailer.sent)
    await w.ok("POST", "/user/signup/", {**forbidden(w.victim), **body})  # stage 1 with the extras too
    mail = await wait_for_mail(mailer, email, "Verify your Email", after=before)
    return Call("POST", "/user/signup/", {**body, "otp": code_in(mail)}, anonymous=True)


async def _hash_verify(w: World) -> Call:
    email = f"new{next(_seq)}@example.org"
    mailer = w.container.platform.mailer()
    before = len(mailer.sent)
    body = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    await w.ok("POST", "/user/signup/", {**forbidden(w.victim), **body})
    mail = await wait_for_mail(mailer, email, "Verify your Email", after=before)
    match = re.search(r"/verify/(\S+)", mail.text)
    assert match, mail.text
    return Call("POST", "/user/hash/verify/", {"hash": match.group(1)}, anonymous=True)


async def _signin(w: World) -> Call:
    return Call("POST", "/user/signin/", {"email": w.owner.email, "password": PASSWORD}, anonymous=True)


async def _refresh(w: World) -> Call:
    fresh = await w.user()
    return Call("POST", "/user/token/refresh/", {"refresh": fresh.refresh}, anonymous=True)


async def _signout(w: World) -> Call:
    fresh = await w.user()
    return Call("POST", "/user/signout/", {"refresh": fresh.refresh}, who=fresh)


async def _forget_password(w: World) -> Call:
    return Call("POST", "/user/forget-password/", {"email": w.owner.email}, anonymous=True,
                drop=("hash", "password"))


async def _google_signup(w: World) -> Call:
    code = w.google.issue_code(f"g{next(_seq)}@example.org")
    return Call("POST", "/user/google/signup/", {"code": code, "user_type": "mentor"}, anonymous=True,
                new_user_type="mentor")


async def _google_signin(w: World) -> Call:
    email = f"g{next(_seq)}@example.org"
    r = await w.client.post("/user/google/signup/", json={"code": w.google.issue_code(email)})
    assert r.status_code == 201, r.text
    return Call("POST", "/user/google/signin/", {"code": w.google.issue_code(email)}, anonymous=True)


async def _delete_user(w: World) -> Call:
    fresh = await w.user()
    return Call("DELETE", "/user/delete/", {}, who=fresh, drop=("email",))


async def _corporate(w: World) -> Call:
    n = next(_seq)
    return Call("POST", "/user/corporate/signup/",
                {**CORPORATE, "company_name": f"Org {n}", "company_email": f"org{n}@example.org"},
                new_user_type="employer")


async def _switch(w: World) -> Call:
    return Call("POST", "/user/switch-account/", {"account": w.organization})


async def _verify_corporate(w: World) -> Call:
    """Ask for a new code of the organization's pending company address: the address, the claim's counters and
    the account's own address and verification flag stay as they were."""

    async def check(world: World, answer: Any) -> None:
        assert answer == {"status": "Otp sent", "email": "mass-org@example.org"}, answer

    return Call("POST", "/user/corporate/verify/", {"account": w.organization}, check=check)


async def _add_member(w: World) -> Call:
    fresh = await w.user()
    return Call("POST", "/user/organization-members/", {"member": fresh.id, "organization": w.organization})


async def _remove_member(w: World) -> Call:
    fresh = await w.user()
    await w.ok("POST", "/user/organization-members/", {"member": fresh.id, "organization": w.organization})
    return Call("DELETE", f"/user/organization-members/?member_id={fresh.id}&organization={w.organization}", {})


# -------------------------------------------------------------------------------------------- profiles


async def _still_a_learner(w: World, _: Any) -> None:
    page = await w.ok("GET", "/user/retrieve-profile/")
    assert page["user_type"] == "learner" and page["followers"] == 0 and page["email"] == w.owner.email, page
    assert not page["profile_photo"].startswith("https://evil"), page


async def _profile_update(w: World) -> Call:
    # ``position`` is the job title here, not an ordering.
    return Call("PUT", "/user/profile-update/", {"first_name": "Ada", "bio": "Hello"}, check=_still_a_learner,
                drop=("position",))


async def _industry(w: World) -> Call:
    return Call("PATCH", "/user/profile-update/", {"industry": "technology"}, check=_still_a_learner)


async def _add_experience(w: World) -> Call:
    return Call("POST", "/user/experience/", EXPERIENCE)


async def _experience(w: World) -> int:
    return int((await w.ok("POST", "/user/experience/", EXPERIENCE))["id"])


async def _update_experience(w: World) -> Call:
    return Call("PUT", "/user/update-experience/", {"id": await _experience(w), "title": "Lead"})


async def _delete_experience(w: World) -> Call:
    return Call("DELETE", f"/user/experience/?experience_id={await _experience(w)}", {})


async def _add_education(w: World) -> Call:
    return Call("POST", "/user/education/", EDUCATION)


async def _education(w: World) -> int:
    await w.ok("POST", "/user/education/", EDUCATION)
    return int((await w.ok("GET", "/user/education/"))[-1]["id"])


async def _update_education(w: World) -> Call:
    return Call("PUT", "/user/education/", {"id": await _education(w), "course": "Physics"})


async def _delete_education(w: World) -> Call:
    return Call("DELETE", f"/user/education/?education_id={await _education(w)}", {})


async def _add_certification(w: World) -> Call:
    return Call("POST", "/user/certification/", {"title": "Cert", "school": "Coursera"})


async def _delete_certification(w: World) -> Call:
    item = int((await w.ok("POST", "/user/certification/", {"title": "Cert", "school": "Coursera"}))["id"])
    return Call("DELETE", f"/user/certification/?certification_id={item}", {})


async def _settings(w: World) -> Call:
    return Call("PUT", "/user/settings/", {"marketing": True})


async def _add_project(w: World) -> Call:
    return Call("POST", "/project/", {"title": "Project", "description": "d"})


async def _delete_project(w: World) -> Call:
    item = int((await w.ok("POST", "/project/", {"title": "Project", "description": "d"}))["id"])
    return Call("DELETE", f"/project/?portfolio_id={item}", {})


# -------------------------------------------------------------------------------------------- content


async def _add_choice(w: World) -> Call:
    return Call("POST", "/info/choice-data/", {"field_name": "industry", "value": f"mass{next(_seq)}"}, who=w.admin)


async def _delete_choice(w: World) -> Call:
    body = {"field_name": "industry", "value": f"mass{next(_seq)}"}
    await w.ok("POST", "/info/choice-data/", body, w.admin)
    return Call("DELETE", "/info/choice-data/", body, who=w.admin)


async def _kenya(w: World) -> int:
    rows = await w.ok("GET", "/info/country-permit/")
    return int(next(r for r in rows if r["country"] == "Kenya")["id"])


async def _permit(w: World) -> Call:
    kenya = await _kenya(w)

    async def check(world: World, answer: Any) -> None:
        assert answer == {"country": "Kenya", "permitted": False}, answer

    async def enable(world: World) -> None:  # seeded rows outlive a test on PostgreSQL
        await world.ok("PUT", "/info/country-permit/", {"country": kenya, "status": "enable"}, world.admin)

    return Call("PUT", "/info/country-permit/", {"country": kenya, "status": "disable"}, who=w.admin, check=check,
                cleanup=enable)


async def _rate(w: World) -> Call:
    body = {"country": await _kenya(w), "currency_name": "Shilling", "currency_initials": "kes", "exchange_rate": 129}

    async def check(world: World, _: Any) -> None:
        rates = await world.ok("GET", "/info/exchange-rate/")
        assert [r["exchange_rate"] for r in rates if r["country"] == "Kenya"] == ["129"], rates

    return Call("POST", "/info/exchange-rate/set/", body, who=w.admin, check=check)


async def _page_cleanup(title: str) -> Callable[[World], Awaitable[None]]:
    async def cleanup(world: World) -> None:  # content pages are seeded rows: they outlive a test on PostgreSQL
        await world.client.delete(f"/info/?title={title}", headers=world.admin.headers)

    return cleanup


async def _create_page(w: World) -> Call:
    title = f"mass_page_{next(_seq)}"
    return Call("POST", "/info/", {"title": title, "content": "Text"}, who=w.admin, cleanup=await _page_cleanup(title))


async def _page(w: World) -> str:
    title = f"mass_page_{next(_seq)}"
    await w.ok("POST", "/info/", {"title": title, "content": "Text"}, w.admin)
    return title


async def _update_page(w: World) -> Call:
    title = await _page(w)
    return Call("PUT", f"/info/?title={title}", {"content": "Changed"}, who=w.admin, cleanup=await _page_cleanup(title))


async def _delete_page(w: World) -> Call:
    title = await _page(w)
    return Call("DELETE", f"/info/?title={title}", {}, who=w.admin, cleanup=await _page_cleanup(title))


LIBRARY_FILE = {"file": ("guide.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")}


async def _add_library(w: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        assert answer["tags"] == ["guides"] and answer["file"].endswith(".pdf"), answer

    return Call("POST", "/info/library/", {"title": f"Guide {next(_seq)}", "description": "d", "tags": ["guides"]},
                who=w.admin, files=LIBRARY_FILE, check=check)


async def _delete_library(w: World) -> Call:
    r = await w.client.post("/info/library/", data={"title": f"Guide {next(_seq)}", "description": "d"},
                            files=LIBRARY_FILE, headers=w.admin.headers)
    assert r.status_code == 201, r.text
    return Call("DELETE", f"/info/library/?content_id={r.json()['id']}", {}, who=w.admin)


async def _create_newsletter(w: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        assert answer["image"] == "" and answer["id"] != HOSTILE_ID, answer

    return Call("POST", "/newsletter/create/", {"title": "Weekly", "content": "Hello"}, who=w.admin, check=check)


async def _subscribe(w: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        assert answer["subscriber"]["id"] == world.owner.id, answer

    return Call("POST", "/newsletter/subscribe/", {}, check=check)


async def _unsubscribe(w: World) -> Call:
    await w.ok("POST", "/newsletter/subscribe/", {})
    return Call("POST", "/newsletter/unsubscribe/", {})


async def _visitor_subscribe(w: World) -> Call:
    return Call("POST", "/user/newsletter-subscribe/", {"email": f"visitor{next(_seq)}@example.org"},
                anonymous=True, drop=("email",))


# -------------------------------------------------------------------------------------------- support


async def _open_dispute(w: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        assert (answer["status"], answer["admin_response"]) == ("pending", None), answer

    return Call("POST", "/user/disputes/", {"category": "account", "priority": "low", "message": "Help"},
                check=check)


async def _answer_dispute(w: World) -> Call:
    ticket = await w.ok("POST", "/user/disputes/", {"category": "account", "priority": "low", "message": "Help"})
    return Call("PUT", "/user/admin/disputes/", {"dispute": ticket["id"], "status": "resolved", "response": "Done"},
                who=w.admin, drop=("status",))


WITHDRAWAL = {"amount": 2000, "currency": "USD", "method": "Bank Transfer",
              "account_details": {"bank_name": "Mass Bank", "account_number": "0123456789", "account_holder": "M"}}


async def _funded_mentor(w: World) -> SignedUp:
    mentor = await make_mentor(w.client, w.container, f"mass-mentor{next(_seq)}@example.org")
    await credit(w.container, mentor.id, 10_000)
    return mentor


async def _withdraw(w: World) -> Call:
    mentor = await _funded_mentor(w)

    async def check(world: World, answer: Any) -> None:
        assert (answer["action"], answer["extra_data"]["status"]) == ("WITHDRAW", "pending"), answer

    return Call("POST", "/mentor/vault/withdraw/", WITHDRAWAL, who=mentor, check=check)


async def _settle_withdrawal(w: World) -> Call:
    mentor = await _funded_mentor(w)
    pending = await w.ok("POST", "/mentor/vault/withdraw/", WITHDRAWAL, who=mentor)
    return Call("PUT", "/mentor/vault/admin/withdrawals/", {"withdrawal": pending["id"], "status": "failed"},
                who=w.admin, drop=("status",))


async def _register_lead(w: World) -> Call:
    return Call("POST", "/user/lead/register/", {"full_name": "Lead", "email_address": f"lead{next(_seq)}@e.org",
                                                 "phone_number": "08056430145", "interested_services": ["L&D"]},
                anonymous=True)


# -------------------------------------------------------------------------------------------- feed


async def _create_post(w: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        post = await world.ok("GET", f"/post/?post_id={answer['post_id']}")
        assert post["profile"]["id"] == world.owner.id and post["parent"] is None, post
        assert (post["like_count"], post["comment_count"], post["share_count"]) == (0, 0, 0), post
        assert post["pic1"] == "N/A" and post["video"] == "N/A", post

    return Call("POST", "/post/", {"body": "Hello world"}, check=check)


async def _delete_post(w: World) -> Call:
    return Call("DELETE", f"/post/delete/?post_id={await w.post()}", {})


async def _comment(w: World) -> Call:
    return Call("POST", "/post/comment/", {"post": await w.post(), "body": "Nice"})


async def _reply(w: World) -> Call:
    return Call("POST", "/post/reply/", {"parent": await w.comment(), "body": "Thanks"})


async def _like(w: World) -> Call:
    return Call("POST", "/post/like/", {"post": await w.post()})


async def _unlike(w: World) -> Call:
    post = await w.post()
    await w.ok("POST", "/post/like/", {"post": post})
    return Call("POST", "/post/unlike/", {"post": post})


async def _like_comment(w: World) -> Call:
    return Call("POST", "/post/like/comment/", {"comment": await w.comment()})


async def _unlike_comment(w: World) -> Call:
    comment = await w.comment()
    await w.ok("POST", "/post/like/comment/", {"comment": comment})
    return Call("POST", "/post/unlike/comment/", {"comment": comment})


async def _repost(w: World) -> Call:
    return Call("POST", "/post/repost/", {"parent": await w.post(), "body": "Look"})


async def _save(w: World) -> Call:
    return Call("POST", "/post/save/", {"post": await w.post()})


async def _unsave(w: World) -> Call:
    post = await w.post()
    await w.ok("POST", "/post/save/", {"post": post})
    return Call("DELETE", f"/post/save/?post_id={post}", {})


async def _share(w: World) -> Call:
    async def check(_: World, answer: Any) -> None:
        assert MARK not in answer["post_hash"], answer

    return Call("POST", "/post/share/", {"post": await w.post()}, check=check)


# -------------------------------------------------------------------------------------------- network


async def _follow(w: World) -> Call:
    return Call("POST", "/follow/", {"user_following": (await w.user()).id})


async def _unfollow(w: World) -> Call:
    target = await w.user()
    await w.ok("POST", "/follow/", {"user_following": target.id})
    return Call("POST", "/unfollow/", {"user_following": target.id})


async def _connect(w: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        assert answer["status"] == "PENDING" and answer["user"] == world.owner.id, answer
        assert (await world.ok("GET", "/connection/count/"))["connections_count"] == 0

    return Call("POST", "/connection/", {"connection": (await w.user()).id}, check=check)


async def _pending_from(w: World) -> int:
    requester = await w.user()
    return int((await w.ok("POST", "/connection/", {"connection": w.owner.id}, requester))["id"])


async def _respond(w: World) -> Call:
    async def check(world: World, _: Any) -> None:
        pending = await world.ok("GET", "/connection/pending/")
        assert pending["count"] == 0 and (await world.ok("GET", "/connection/count/"))["connections_count"] == 0

    return Call("POST", "/connection/status/", {"connection_id": await _pending_from(w), "status": "Reject"},
                check=check)


async def _remove_connection(w: World) -> Call:
    cid = await _pending_from(w)
    await w.ok("POST", "/connection/status/", {"connection_id": cid, "status": "Accept"})
    return Call("DELETE", f"/connection/?connection_id={cid}", {})


# -------------------------------------------------------------------------------------------- jobs

JOB = {"title": "Mass Engineer", "organization": "Mass Org", "employment_type": "full_time", "work_type": "remote",
       "country": "Nigeria", "salary": "1", "overview": "Software", "description": "APIs",
       "experience_level": "senior", "application_deadline": "2099-12-31", "status": "active"}


async def _corp(w: World) -> SignedUp:
    """The owner switched to the organization (an employer: it posts jobs)."""
    body = await w.ok("POST", "/user/switch-account/", {"account": w.organization})
    return SignedUp(id=w.organization, email=body["email"], access=body["access"], refresh=body["refresh"])


async def _job(w: World, corp: SignedUp, **changes: Any) -> int:
    return int((await w.ok("POST", "/job/", {**JOB, **changes}, corp))["id"])


async def _create_job(w: World) -> Call:
    corp = await _corp(w)

    async def check(world: World, answer: Any) -> None:
        job = await world.ok("GET", f"/job/?job_id={answer['id']}", who=corp)
        assert job["status"] == "active" and job["is_saved"] is False and MARK not in job["industry"], job

    return Call("POST", "/job/", JOB, who=corp, check=check)


async def _edit_job(w: World) -> Call:
    corp = await _corp(w)
    job = await _job(w, corp, status="draft")
    return Call("PUT", f"/job/?job_id={job}", {"title": "Edited", "status": "draft"}, who=corp)


async def _job_status(w: World) -> Call:
    corp = await _corp(w)
    return Call("PUT", "/job/status/update/", {"job": await _job(w, corp), "status": "closed"}, who=corp)


async def _job_preference(_: World) -> Call:
    body = {"title": "Backend Developer", "employment_type": "full_time", "work_type": "hybrid",
            "industry": "technology", "experience_level": "senior"}
    return Call("PUT", "/job/preference/", body)


async def _save_job(w: World) -> Call:
    return Call("POST", "/job/save/", {"job": await _job(w, await _corp(w))})


async def _unsave_job(w: World) -> Call:
    job = await _job(w, await _corp(w))
    await w.ok("POST", "/job/save/", {"job": job})
    return Call("DELETE", f"/job/unsave/?job={job}", {})


async def _apply_job(w: World) -> Call:
    return Call("POST", "/job/apply/", {"job": await _job(w, await _corp(w))})

# ------------------------------------------------------------------ mentorship


async def _mentor(w: World, rate: str = "20") -> SignedUp:
    mentor = await sign_up(w.client, w.container, f"mass{next(_seq)}@example.org", industry="technology")
    await w.ok("PUT", "/user/profile-update/", {"session_rate": rate}, mentor)
    return mentor


async def _mentor_session(w: World, mentor: SignedUp, *, accepted: bool = False) -> int:
    at = datetime.now(UTC) + timedelta(days=1)
    body = {"mentor": mentor.id, "session_type": "individual", "date": at.date().isoformat(),
            "time": at.strftime("%H:%M"), "discourse": "Mass session"}
    session = int((await w.ok("POST", "/mentor/sessions/book/", body))["id"])
    if accepted:
        await w.ok("POST", "/mentor/sessions/accept-reject/", {"session": session, "action": "Accept"}, mentor)
    return session


async def _save_mentor(w: World) -> Call:
    return Call("POST", "/mentor/save/", {"mentor": (await _mentor(w)).id})


async def _unsave_mentor(w: World) -> Call:
    mentor = await _mentor(w)
    await w.ok("POST", "/mentor/save/", {"mentor": mentor.id})
    return Call("DELETE", f"/mentor/save/?mentor={mentor.id}", {})


async def _book_session(w: World) -> Call:
    mentor = await _mentor(w)
    at = datetime.now(UTC) + timedelta(days=1)

    async def check(world: World, answer: Any) -> None:
        assert answer["status"] == "PENDING" and answer["is_paid"] is False and answer["rating"] == 0, answer
        assert answer["mentee"]["id"] == world.owner.id and answer["amount"] == "20USD", answer

    return Call("POST", "/mentor/sessions/book/", {
        "mentor": mentor.id, "session_type": "individual", "date": at.date().isoformat(), "time": at.strftime("%H:%M"),
        "discourse": "Mass session"}, check=check)


async def _answer_session(w: World) -> Call:
    mentor = await _mentor(w)
    return Call("POST", "/mentor/sessions/accept-reject/",
                {"session": await _mentor_session(w, mentor), "action": "Accept"}, who=mentor)


async def _cancel_session(w: World) -> Call:
    return Call("POST", "/mentor/session/cancel/", {"session": await _mentor_session(w, await _mentor(w))})


async def _annotate_session(w: World) -> Call:
    from sqlalchemy import update

    from adapters.db.tables.mentorship import mentorship_sessions

    session = await _mentor_session(w, await _mentor(w, rate="0"), accepted=True)
    async with direct(w.container) as conn:
        await conn.execute(update(mentorship_sessions).where(mentorship_sessions.c.id == session).values(
            starts_at=datetime.now(UTC) - timedelta(minutes=1)))
    return Call("POST", "/mentor/annotate/", {"session": session, "mark_completed": True, "rating": 4})


async def _stripe_initiate(w: World) -> Call:
    return Call("POST", "/payments/stripe/initiate/",
                {"session": await _mentor_session(w, await _mentor(w), accepted=True)})


async def _flutterwave_initiate(w: World) -> Call:
    from sqlalchemy import update

    from adapters.db.tables.mentorship import mentorship_sessions

    session = await _mentor_session(w, await _mentor(w), accepted=True)
    async with direct(w.container) as conn:  # a session priced in NGN: Flutterwave charges it without a rate
        await conn.execute(update(mentorship_sessions).where(mentorship_sessions.c.id == session).values(
            price_minor=300000, price_currency="NGN"))
    return Call("POST", "/payments/flutterwave/initiate/", {"session": session})


async def _owner_notification(w: World) -> int:
    fan = await w.user()
    await w.ok("POST", "/follow/", {"user_following": w.owner.id}, fan)
    return int((await w.ok("GET", "/notification-chat/notifications/"))["results"][0]["id"])


async def _mark_read(w: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        assert answer["marked"] == 1, answer

    return Call("PUT", f"/notification-chat/notifications/?id={await _owner_notification(w)}", {}, check=check)


async def _clear_notifications(w: World) -> Call:
    await _owner_notification(w)
    return Call("DELETE", "/notification-chat/notifications/", {})


async def _initiate_chat(w: World) -> Call:
    partner = await w.user()
    cid = int((await w.ok("POST", "/connection/", {"connection": w.owner.id}, partner))["id"])
    await w.ok("POST", "/connection/status/", {"connection_id": cid, "status": "Accept"})

    async def check(world: World, answer: Any) -> None:
        assert answer["contributor"]["id"] == partner.id, answer

    return Call("POST", "/notification-chat/chats/initiate/", {"user": partner.id}, check=check)


# ------------------------------------------------------------------------------------------ JobHax face


async def _jobhax_ok(_: World, answer: Any) -> None:
    assert answer["success"] is True and answer["error_code"] == 0, answer


async def _jobhax_client(w: World) -> dict[str, str]:
    async with direct_container(w.container) as side:
        made = await side.jobhax.identity().create_client(f"mass-{next(_seq)}")
    return {"client_id": made.client_id, "client_secret": made.client_secret}


async def _jobhax_login(w: World) -> Call:
    body = {**await _jobhax_client(w), "username": w.owner.email, "password": PASSWORD}
    return Call("POST", "/api/users/login", body, anonymous=True, check=_jobhax_ok)


async def _jobhax_refresh(w: World) -> Call:
    fresh = await w.user()
    body = {**await _jobhax_client(w), "refresh_token": fresh.refresh}
    return Call("POST", "/api/users/refresh_token", body, anonymous=True, check=_jobhax_ok)


async def _jobhax_logout(w: World) -> Call:
    fresh = await w.user()
    body = {**await _jobhax_client(w), "token": fresh.access}
    return Call("POST", "/api/users/logout", body, anonymous=True, check=_jobhax_ok)


async def _jobhax_social(w: World) -> Call:
    body = {**await _jobhax_client(w), "provider": "google-oauth2",
            "token": w.google.issue_code(f"jh{next(_seq)}@example.org")}
    return Call("POST", "/api/users/auth_social_user", body, anonymous=True, check=_jobhax_ok)


async def _jobhax_register(w: World) -> Call:
    n = next(_seq)
    body = {"first_name": "Joe", "last_name": "Smith", "username": f"joe{n}", "email": f"joe{n}@example.org",
            "password": PASSWORD, "password2": PASSWORD}
    return Call("POST", "/api/users/register", body, anonymous=True, check=_jobhax_ok)


async def _jobhax_gmail(_: World) -> Call:
    return Call("POST", "/api/users/update_gmail_token", {"token": "a-google-access-token"}, check=_jobhax_ok)


async def _jobhax_upload(_: World) -> Call:
    return Call("POST", "/api/users/upload_emails", {}, files={"file": ("box.eml", SAMPLES[0].raw, "message/rfc822")},
                check=_jobhax_ok)


# -------------------------------------------------------------------------------------------- tracker
TRACKED = {"title": "Engineer", "company": "Acme", "source": "LinkedIn", "status": "APPLIED"}
OPPORTUNITY = {"title": "Staff", "recruiter_name": "Rita", "recruiter_company": "Hunters", "status": "interested"}


async def _tracked(w: World) -> int:
    return int((await w.ok("POST", "/tracker/applications/", TRACKED))["id"])


async def _track(_: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        assert answer["id"] != HOSTILE_ID and answer["status"]["name"] == "APPLIED", answer

    return Call("POST", "/tracker/applications/", TRACKED, check=check)


async def _edit_tracked(w: World) -> Call:
    return Call("PATCH", f"/tracker/applications/{await _tracked(w)}/", {"title": "Edited", "status": "OFFER"})


async def _delete_tracked(w: World) -> Call:
    return Call("DELETE", f"/tracker/applications/{await _tracked(w)}/", {})


async def _bulk_status(w: World) -> Call:
    return Call("POST", "/tracker/applications/bulk-status/", {"ids": [await _tracked(w)], "status": "OFFER"})


async def _bulk_delete(w: World) -> Call:
    return Call("POST", "/tracker/applications/bulk-delete/", {"ids": [await _tracked(w)]})


async def _add_note(w: World) -> Call:
    return Call("POST", f"/tracker/applications/{await _tracked(w)}/notes/", {"body": "A note"})


async def _note(w: World) -> int:
    return int((await w.ok("POST", f"/tracker/applications/{await _tracked(w)}/notes/", {"body": "n"}))["id"])


async def _edit_note(w: World) -> Call:
    return Call("PATCH", f"/tracker/notes/{await _note(w)}/", {"body": "Edited"})


async def _delete_note(w: World) -> Call:
    return Call("DELETE", f"/tracker/notes/{await _note(w)}/", {})


async def _site(w: World) -> int:
    return int((await w.ok("POST", "/tracker/sites/", {"name": "Dice"}))["id"])


async def _add_site(_: World) -> Call:
    return Call("POST", "/tracker/sites/", {"name": "Dice", "rating": 3}, drop=("rating",))


async def _replace_site(w: World) -> Call:
    return Call("PUT", f"/tracker/sites/{await _site(w)}/", {"name": "Dice", "rating": 2}, drop=("rating",))


async def _delete_site(w: World) -> Call:
    return Call("DELETE", f"/tracker/sites/{await _site(w)}/", {})


async def _opportunity(w: World) -> int:
    return int((await w.ok("POST", "/tracker/opportunities/", OPPORTUNITY))["id"])


async def _add_opportunity(_: World) -> Call:
    return Call("POST", "/tracker/opportunities/", OPPORTUNITY)


async def _replace_opportunity(w: World) -> Call:
    return Call("PUT", f"/tracker/opportunities/{await _opportunity(w)}/", {**OPPORTUNITY, "status": "engaged"})


async def _delete_opportunity(w: World) -> Call:
    return Call("DELETE", f"/tracker/opportunities/{await _opportunity(w)}/", {})


async def _convert(w: World) -> Call:
    return Call("POST", f"/tracker/opportunities/{await _opportunity(w)}/convert/", {})


# ------------------------------------------------------------------------------- job-search-tracker face
JST_STRONG = "Str0ng!Passw0rd#"
JST_POSTING = {"company_name": "Acme", "posting_title": "Engineer", "job_description": "TBD",
               "posting_status": "4 - No Response"}
JST_OPPORTUNITY = {"job_title": "Staff", "opportunity_status": "1 - Actively Engaged", "recruiter_name": "Rita",
                   "recruiter_company": "Hunters"}


async def _jst_register(_: World) -> Call:
    email = f"jst{next(_seq)}@example.org"
    body = {"username": email, "email": email, "first_name": "Jo", "last_name": "Tee", "password": JST_STRONG}
    return Call("POST", "/api/auth/register/", body, anonymous=True)


async def _jst_login(w: World) -> Call:
    return Call("POST", "/api/auth/login/", {"username": w.owner.email, "password": PASSWORD}, anonymous=True)


async def _jst_token(w: World) -> Call:
    return Call("POST", "/api/token/", {"username": w.owner.email, "password": PASSWORD}, anonymous=True)


async def _jst_refresh(w: World) -> Call:
    fresh = await w.user()
    return Call("POST", "/api/token/refresh/", {"refresh": fresh.refresh}, anonymous=True)


async def _jst_logout(w: World) -> Call:
    fresh = await w.user()
    return Call("POST", "/api/auth/logout/", {"refresh": fresh.refresh}, anonymous=True)


async def _jst_update_put(w: World) -> Call:
    return Call("PUT", "/api/custom_user/update/", {"first_name": "Ann", "email": w.owner.email}, drop=("email",))


async def _jst_update_patch(w: World) -> Call:
    return Call("PATCH", "/api/custom_user/update/", {"user_greeting": "Hi", "email": w.owner.email},
                drop=("email",))


async def _jst_site(w: World) -> int:
    return int((await w.ok("POST", "/api/job_site/", {"site_name": "Dice"}))["id"])


async def _jst_add_site(_: World) -> Call:
    return Call("POST", "/api/job_site/", {"site_name": "Dice", "rating": 3}, drop=("rating",))


async def _jst_replace_site(w: World) -> Call:
    return Call("PUT", f"/api/job_site/{await _jst_site(w)}/", {"site_name": "Dice", "rating": 2}, drop=("rating",))


async def _jst_delete_site(w: World) -> Call:
    return Call("DELETE", f"/api/job_site/{await _jst_site(w)}/", {})


async def _jst_site_posting(w: World) -> Call:
    return Call("POST", f"/api/job_site/{await _jst_site(w)}/postings/", JST_POSTING)


async def _jst_add_posting(w: World) -> Call:
    return Call("POST", "/api/job_posting/", {**JST_POSTING, "job_site_id": await _jst_site(w)})


async def _jst_posting(w: World) -> tuple[int, int]:
    site = await _jst_site(w)
    return site, int((await w.ok("POST", "/api/job_posting/", {**JST_POSTING, "job_site_id": site}))["id"])


async def _jst_replace_posting(w: World) -> Call:
    site, posting = await _jst_posting(w)
    return Call("PUT", f"/api/job_posting/{posting}/", {**JST_POSTING, "job_site_id": site})


async def _jst_delete_posting(w: World) -> Call:
    _, posting = await _jst_posting(w)
    return Call("DELETE", f"/api/job_posting/{posting}/", {})


async def _jst_opportunity(w: World) -> int:
    return int((await w.ok("POST", "/api/email_opportunity/", JST_OPPORTUNITY))["id"])


async def _jst_add_opportunity(_: World) -> Call:
    return Call("POST", "/api/email_opportunity/", JST_OPPORTUNITY)


async def _jst_replace_opportunity(w: World) -> Call:
    return Call("PUT", f"/api/email_opportunity/{await _jst_opportunity(w)}/", JST_OPPORTUNITY)


async def _jst_delete_opportunity(w: World) -> Call:
    return Call("DELETE", f"/api/email_opportunity/{await _jst_opportunity(w)}/", {})


# ------------------------------------------------------------------ recruiter ATS (as the organization's own token:
# its admin)

ATS_JOB = {"title": "Mass ATS role", "description": "Python work", "employment_type": "full_time",
           "application_deadline": "2099-12-31", "published": True, "must_have_skills": ["Python"],
           "score_weight": {"skills": 0.3, "work_experience": 0.3, "projects": 0.2, "education": 0.1,
                            "certifications": 0.1}}


def _cv() -> dict[str, tuple[str, bytes, str]]:
    from tests.resume_samples import PDF_RESUME_PAGES, pdf_bytes

    return {"resume": ("cv.pdf", pdf_bytes(PDF_RESUME_PAGES), "application/pdf")}


async def _ats_job(w: World, corp: SignedUp) -> int:
    return int((await w.ok("POST", "/ats/jobs/", ATS_JOB, corp))["id"])


async def _ats_candidate(w: World, corp: SignedUp) -> tuple[int, int]:
    job = await _ats_job(w, corp)
    r = await w.client.post("/ats/candidates/", data={"job": str(job), "name": "Mass Candidate",
                                                       "email": f"cand{next(_seq)}@example.org"},
                            files=_cv(), headers=corp.headers)
    assert r.status_code == 201, r.text
    return job, int(r.json()["id"])


async def _ats_member(w: World, corp: SignedUp) -> int:
    fresh = await w.user()
    await w.ok("POST", "/ats/members/", {"user_id": fresh.id, "role": "viewer"}, corp)
    return fresh.id


async def _ats_create_job(w: World) -> Call:
    return Call("POST", "/ats/jobs/", ATS_JOB, who=await _corp(w))


async def _ats_edit_job(w: World, method: str) -> Call:
    corp = await _corp(w)
    return Call(method, f"/ats/jobs/{await _ats_job(w, corp)}/", {"location": "Remote", "threshold": 6}, who=corp)


async def _ats_put_job(w: World) -> Call:
    return await _ats_edit_job(w, "PUT")


async def _ats_patch_job(w: World) -> Call:
    return await _ats_edit_job(w, "PATCH")


async def _ats_delete_job(w: World) -> Call:
    corp = await _corp(w)
    return Call("DELETE", f"/ats/jobs/{await _ats_job(w, corp)}/", {}, who=corp)


async def _ats_share(w: World, method: str) -> Call:
    corp = await _corp(w)
    member = await _ats_member(w, corp)
    return Call(method, f"/ats/jobs/{await _ats_job(w, corp)}/share/", {"user_ids": [member]}, who=corp)


async def _ats_share_post(w: World) -> Call:
    return await _ats_share(w, "POST")


async def _ats_share_delete(w: World) -> Call:
    return await _ats_share(w, "DELETE")


async def _ats_add_member(w: World) -> Call:
    corp = await _corp(w)
    return Call("POST", "/ats/members/", {"user_id": (await w.user()).id, "role": "editor"}, who=corp,
                drop=("user_id",))


async def _ats_set_role(w: World) -> Call:
    corp = await _corp(w)
    return Call("PATCH", f"/ats/members/{await _ats_member(w, corp)}/", {"role": "editor"}, who=corp)


async def _ats_remove_member(w: World) -> Call:
    corp = await _corp(w)
    return Call("DELETE", f"/ats/members/{await _ats_member(w, corp)}/", {}, who=corp)


async def _ats_import(w: World) -> Call:
    corp = await _corp(w)
    body = {"job": await _ats_job(w, corp), "name": "Imported", "email": f"imp{next(_seq)}@example.org",
            "contact": "1"}
    return Call("POST", "/ats/candidates/", body, who=corp, files=_cv(), drop=("email", "resume"))


async def _ats_edit_candidate(w: World) -> Call:
    corp = await _corp(w)
    _, candidate = await _ats_candidate(w, corp)
    return Call("PATCH", f"/ats/candidates/{candidate}/", {"name": "Renamed", "email": f"re{next(_seq)}@e.org"},
                who=corp, drop=("email",))


async def _ats_delete_candidate(w: World) -> Call:
    corp = await _corp(w)
    _, candidate = await _ats_candidate(w, corp)
    return Call("DELETE", f"/ats/candidates/{candidate}/", {}, who=corp)


async def _ats_move(w: World) -> Call:
    corp = await _corp(w)
    job, candidate = await _ats_candidate(w, corp)
    return Call("POST", "/ats/job-statuses/", {"candidate": candidate, "job": job, "status": "On Hold",
                                               "stage_name": "Applied"}, who=corp, drop=("status",))


async def _ats_step(w: World, corp: SignedUp, kind: str) -> tuple[int, str]:
    job, candidate = await _ats_candidate(w, corp)
    if kind == "testlogs":
        made = await w.ok("POST", "/ats/testlogs/", {"job": job, "assigned_to": candidate}, corp)
    else:
        made = (await w.ok("POST", "/ats/personality-screenings/", {"job": job, "candidates": [candidate]}, corp))[0]
    return int(made["id"]), str(made["key"])


async def _ats_assign_test(w: World) -> Call:
    corp = await _corp(w)
    job, candidate = await _ats_candidate(w, corp)
    return Call("POST", "/ats/testlogs/", {"job": job, "assigned_to": candidate}, who=corp)


async def _ats_assign_screening(w: World) -> Call:
    corp = await _corp(w)
    job, candidate = await _ats_candidate(w, corp)
    return Call("POST", "/ats/personality-screenings/", {"job": job, "candidates": [candidate]}, who=corp)


def _ats_step_case(method: str, kind: str, body: dict[str, Any]) -> Case:
    async def case(w: World) -> Call:
        corp = await _corp(w)
        step, _ = await _ats_step(w, corp, kind)
        return Call(method, f"/ats/{kind}/{step}/", body, who=corp)

    return case


def _ats_complete(kind: str, public: str) -> Case:
    async def case(w: World) -> Call:
        _, key = await _ats_step(w, await _corp(w), kind)
        return Call("POST", f"/ats/public/{public}/{key}/complete/", {}, who=None, anonymous=True)

    return case



# ------------------------------------------------------------------ JobHax jobapps (envelope: HTTP 200 + success)
JOBAPP = {"job_title": "Mass Engineer", "status_id": "1", "company": "Acme", "application_date": "2019-01-31",
          "source": "Vettery"}


def _succeeded(answer: Any) -> None:
    assert isinstance(answer, dict) and answer.get("success") is True, answer


async def _jobhax_ok(world: World, answer: Any) -> None:
    _succeeded(answer)


async def _jobapp(w: World) -> int:
    _succeeded(await w.ok("POST", "/api/jobapps/add_jobapp", JOBAPP))
    apps = await w.ok("GET", "/api/jobapps/get_jobapps")
    _succeeded(apps)
    return int(next(a for a in apps["data"] if a["jobTitle"] == JOBAPP["job_title"])["id"])


async def _jobapp_note(w: World) -> tuple[int, int]:
    app = await _jobapp(w)
    note = await w.ok("POST", "/api/jobapps/add_jobapp_note", {"jobapp_id": app, "description": "note"})
    _succeeded(note)
    return app, int(note["data"]["id"])


async def _add_jobapp(_: World) -> Call:
    async def check(world: World, answer: Any) -> None:
        _succeeded(answer)
        apps = (await world.ok("GET", "/api/jobapps/get_jobapps"))["data"]
        made = next(a for a in apps if a["jobTitle"] == JOBAPP["job_title"])
        assert made["id"] != HOSTILE_ID and made["user"] == world.owner.id, made

    return Call("POST", "/api/jobapps/add_jobapp", JOBAPP, check=check)


async def _update_jobapp(w: World) -> Call:
    return Call("POST", "/api/jobapps/update_jobapp", {"jobapp_id": await _jobapp(w), "status_id": "3"},
                check=_jobhax_ok)


async def _delete_jobapp(w: World) -> Call:
    return Call("POST", "/api/jobapps/delete_jobapp", {"jobapp_id": await _jobapp(w)}, check=_jobhax_ok)


async def _add_jobapp_note(w: World) -> Call:
    return Call("POST", "/api/jobapps/add_jobapp_note", {"jobapp_id": await _jobapp(w), "description": "n"},
                check=_jobhax_ok)


async def _update_jobapp_note(w: World) -> Call:
    _, note = await _jobapp_note(w)
    return Call("POST", "/api/jobapps/update_jobapp_note", {"jobapp_note_id": note, "description": "edited"},
                check=_jobhax_ok)


async def _delete_jobapp_note(w: World) -> Call:
    _, note = await _jobapp_note(w)
    return Call("POST", "/api/jobapps/delete_jobapp_note", {"jobapp_note_id": note}, check=_jobhax_ok)

CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/jobapps/add_jobapp"): _add_jobapp,
    ("POST", "/api/jobapps/update_jobapp"): _update_jobapp,
    ("POST", "/api/jobapps/delete_jobapp"): _delete_jobapp,
    ("POST", "/api/jobapps/add_jobapp_note"): _add_jobapp_note,
    ("POST", "/api/jobapps/update_jobapp_note"): _update_jobapp_note,
    ("POST", "/api/jobapps/delete_jobapp_note"): _delete_jobapp_note,
    ("POST", "/api/users/login"): _jobhax_login,
    ("POST", "/api/users/refresh_token"): _jobhax_refresh,
    ("POST", "/api/users/logout"): _jobhax_logout,
    ("POST", "/api/users/auth_social_user"): _jobhax_social,
    ("POST", "/api/users/register"): _jobhax_register,
    ("POST", "/api/users/update_gmail_token"): _jobhax_gmail,
    ("POST", "/api/users/upload_emails"): _jobhax_upload,
    ("POST", "/user/signup"): _signup,
    ("POST", "/user/hash/verify"): _hash_verify,
    ("POST", "/user/signin"): _signin,
    ("POST", "/user/token/refresh"): _refresh,
    ("POST", "/user/signout"): _signout,
    ("POST", "/user/forget-password"): _forget_password,
    ("POST", "/user/google/signup"): _google_signup,
    ("POST", "/user/google/signin"): _google_signin,
    ("DELETE", "/user/delete"): _delete_user,
    ("POST", "/user/corporate/signup"): _corporate,
    ("POST", "/user/switch-account"): _switch,
    ("POST", "/user/corporate/verify"): _verify_corporate,
    ("POST", "/user/organization-members"): _add_member,
    ("DELETE", "/user/organization-members"): _remove_member,
    ("PUT", "/user/profile-update"): _profile_update,
    ("PATCH", "/user/profile-update"): _industry,
    ("POST", "/user/experience"): _add_experience,
    ("PUT", "/user/update-experience"): _update_experience,
    ("DELETE", "/user/experience"): _delete_experience,
    ("POST", "/user/education"): _add_education,
    ("PUT", "/user/education"): _update_education,
    ("DELETE", "/user/education"): _delete_education,
    ("POST", "/user/certification"): _add_certification,
    ("DELETE", "/user/certification"): _delete_certification,
    ("PUT", "/user/settings"): _settings,
    ("POST", "/project"): _add_project,
    ("DELETE", "/project"): _delete_project,
    ("POST", "/info/choice-data"): _add_choice,
    ("DELETE", "/info/choice-data"): _delete_choice,
    ("PUT", "/info/country-permit"): _permit,
    ("POST", "/info/exchange-rate/set"): _rate,
    ("POST", "/info"): _create_page,
    ("PUT", "/info"): _update_page,
    ("DELETE", "/info"): _delete_page,
    ("POST", "/info/library"): _add_library,
    ("DELETE", "/info/library"): _delete_library,
    ("POST", "/newsletter/create"): _create_newsletter,
    ("POST", "/newsletter/subscribe"): _subscribe,
    ("POST", "/newsletter/unsubscribe"): _unsubscribe,
    ("POST", "/user/newsletter-subscribe"): _visitor_subscribe,
    ("POST", "/user/disputes"): _open_dispute,
    ("PUT", "/user/admin/disputes"): _answer_dispute,
    ("POST", "/user/lead/register"): _register_lead,
    ("POST", "/mentor/vault/withdraw"): _withdraw,
    ("PUT", "/mentor/vault/admin/withdrawals"): _settle_withdrawal,
    ("POST", "/post"): _create_post,
    ("DELETE", "/post/delete"): _delete_post,
    ("POST", "/post/comment"): _comment,
    ("POST", "/post/reply"): _reply,
    ("POST", "/post/like"): _like,
    ("POST", "/post/unlike"): _unlike,
    ("POST", "/post/like/comment"): _like_comment,
    ("POST", "/post/unlike/comment"): _unlike_comment,
    ("POST", "/post/repost"): _repost,
    ("POST", "/post/save"): _save,
    ("DELETE", "/post/save"): _unsave,
    ("POST", "/post/share"): _share,
    ("POST", "/follow"): _follow,
    ("POST", "/unfollow"): _unfollow,
    ("POST", "/connection"): _connect,
    ("POST", "/connection/status"): _respond,
    ("DELETE", "/connection"): _remove_connection,
    ("POST", "/job"): _create_job,
    ("PUT", "/job"): _edit_job,
    ("PUT", "/job/status/update"): _job_status,
    ("PUT", "/job/preference"): _job_preference,
    ("POST", "/job/save"): _save_job,
    ("DELETE", "/job/unsave"): _unsave_job,
    ("POST", "/job/apply"): _apply_job,
    ("PUT", "/notification-chat/notifications"): _mark_read,
    ("DELETE", "/notification-chat/notifications"): _clear_notifications,
    ("POST", "/notification-chat/chats/initiate"): _initiate_chat,
    ("POST", "/ats/jobs"): _ats_create_job,
    ("PUT", "/ats/jobs/{job_id}"): _ats_put_job,
    ("PATCH", "/ats/jobs/{job_id}"): _ats_patch_job,
    ("DELETE", "/ats/jobs/{job_id}"): _ats_delete_job,
    ("POST", "/ats/jobs/{job_id}/share"): _ats_share_post,
    ("DELETE", "/ats/jobs/{job_id}/share"): _ats_share_delete,
    ("POST", "/ats/members"): _ats_add_member,
    ("PATCH", "/ats/members/{user_id}"): _ats_set_role,
    ("DELETE", "/ats/members/{user_id}"): _ats_remove_member,
    ("POST", "/ats/candidates"): _ats_import,
    ("PATCH", "/ats/candidates/{candidate_id}"): _ats_edit_candidate,
    ("DELETE", "/ats/candidates/{candidate_id}"): _ats_delete_candidate,
    ("POST", "/ats/job-statuses"): _ats_move,
    ("POST", "/ats/testlogs"): _ats_assign_test,
    ("PATCH", "/ats/testlogs/{step_id}"): _ats_step_case("PATCH", "testlogs", {"is_approved": True}),
    ("DELETE", "/ats/testlogs/{step_id}"): _ats_step_case("DELETE", "testlogs", {}),
    ("POST", "/ats/personality-screenings"): _ats_assign_screening,
    ("PATCH", "/ats/personality-screenings/{step_id}"): _ats_step_case("PATCH", "personality-screenings",
                                                                       {"revoked": True}),
    ("DELETE", "/ats/personality-screenings/{step_id}"): _ats_step_case("DELETE", "personality-screenings", {}),
    ("POST", "/ats/public/tests/{key}/complete"): _ats_complete("testlogs", "tests"),
    ("POST", "/ats/public/screenings/{key}/complete"): _ats_complete("personality-screenings", "screenings"),
    ("POST", "/mentor/save"): _save_mentor,
    ("DELETE", "/mentor/save"): _unsave_mentor,
    ("POST", "/mentor/sessions/book"): _book_session,
    ("POST", "/mentor/sessions/accept-reject"): _answer_session,
    ("POST", "/mentor/session/cancel"): _cancel_session,
    ("POST", "/mentor/annotate"): _annotate_session,
    ("POST", "/payments/stripe/initiate"): _stripe_initiate,
    ("POST", "/payments/flutterwave/initiate"): _flutterwave_initiate,
    ("POST", "/tracker/applications"): _track,
    ("PATCH", "/tracker/applications/{application_id}"): _edit_tracked,
    ("DELETE", "/tracker/applications/{application_id}"): _delete_tracked,
    ("POST", "/tracker/applications/bulk-status"): _bulk_status,
    ("POST", "/tracker/applications/bulk-delete"): _bulk_delete,
    ("POST", "/tracker/applications/{application_id}/notes"): _add_note,
    ("PATCH", "/tracker/notes/{note_id}"): _edit_note,
    ("DELETE", "/tracker/notes/{note_id}"): _delete_note,
    ("POST", "/tracker/sites"): _add_site,
    ("PUT", "/tracker/sites/{site_id}"): _replace_site,
    ("DELETE", "/tracker/sites/{site_id}"): _delete_site,
    ("POST", "/tracker/opportunities"): _add_opportunity,
    ("PUT", "/tracker/opportunities/{opportunity_id}"): _replace_opportunity,
    ("DELETE", "/tracker/opportunities/{opportunity_id}"): _delete_opportunity,
    ("POST", "/tracker/opportunities/{opportunity_id}/convert"): _convert,
    ("POST", "/api/auth/register"): _jst_register,
    ("POST", "/api/auth/login"): _jst_login,
    ("POST", "/api/auth/logout"): _jst_logout,
    ("POST", "/api/token"): _jst_token,
    ("POST", "/api/token/refresh"): _jst_refresh,
    ("PUT", "/api/custom_user/update"): _jst_update_put,
    ("PATCH", "/api/custom_user/update"): _jst_update_patch,
    ("POST", "/api/job_site"): _jst_add_site,
    ("PUT", "/api/job_site/{site_id}"): _jst_replace_site,
    ("DELETE", "/api/job_site/{site_id}"): _jst_delete_site,
    ("POST", "/api/job_site/{site_id}/postings"): _jst_site_posting,
    ("POST", "/api/job_posting"): _jst_add_posting,
    ("PUT", "/api/job_posting/{posting_id}"): _jst_replace_posting,
    ("DELETE", "/api/job_posting/{posting_id}"): _jst_delete_posting,
    ("POST", "/api/email_opportunity"): _jst_add_opportunity,
    ("PUT", "/api/email_opportunity/{opportunity_id}"): _jst_replace_opportunity,
    ("DELETE", "/api/email_opportunity/{opportunity_id}"): _jst_delete_opportunity,
}

# Write operations without a case, with the reason.
NO_CASE: dict[tuple[str, str], str] = {
    ("POST", "/payments/stripe/webhook"): "the raw body is the provider's signed event: unsigned → 400, no field read",
    ("POST", "/payments/flutterwave/webhook"): "the raw body is the provider's event, refused without the verif-hash",
    ("POST", "/payments/sandbox"): "query-only (the page's reference and signature); the body is never read",
# Write operations without a case, with the reason (none at present).
}

# The operations that also take multipart (their handlers declare a form): run a second time as multipart.
MULTIPART = {("PUT", "/user/profile-update"), ("POST", "/project"), ("POST", "/post"), ("POST", "/post/comment"),
             ("POST", "/user/corporate/signup"), ("POST", "/info/library"), ("POST", "/newsletter/create"),
             ("POST", "/api/users/login"), ("POST", "/api/users/refresh_token"), ("POST", "/api/users/logout"),
             ("POST", "/api/users/auth_social_user"), ("POST", "/api/users/register"),
             ("POST", "/api/users/update_gmail_token"), ("POST", "/api/users/upload_emails"),
             ("POST", "/ats/candidates")}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _writes(app: Any) -> dict[tuple[str, str], HTTPRouteHandler]:
    found: dict[tuple[str, str], HTTPRouteHandler] = {}
    for route in app.routes:
        if route.path.startswith(("/schema", "/static")):
            continue
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            path = "/".join(p.split(":", 1)[0] + "}" if p.startswith("{") else p for p in route.path.split("/"))
            for method in handler.http_methods & WRITE_METHODS:
                found[(method, path.rstrip("/") or "/")] = handler
    return found


def test_every_write_has_a_case(tmp_path: Path) -> None:
    writes = _writes(create_app(build_container(make_settings(tmp_path, storage_backend="local"))))
    assert set(writes) - set(CASES) - set(NO_CASE) == set(), "write operations without a case or a reason"
    assert set(CASES) | set(NO_CASE) - set(writes) == set(CASES), "cases for operations that do not exist"
    assert not set(CASES) & set(NO_CASE)
    assert {key for key, handler in writes.items() if "form" in handler.opt} == MULTIPART


# ------------------------------------------------------------------------------------------ the checks


Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]
PROTECTED = ("user_type", "is_staff", "is_active", "email", "email_verified", "date_joined", "password_hash",
             "tokens_valid_after")
TIME_COLUMNS = ("created_at", "updated_at", "date_joined", "tokens_valid_after", "verified_at")
SKIPPED = {mail_outbox.name, tasks.name}  # the task worker (mail.send) works in the background


def _key(table: Table, row: dict[str, Any]) -> tuple[Any, ...]:
    columns = [c.name for c in table.primary_key.columns] or list(row)
    return tuple(row[c] for c in columns)


async def snapshot(container: AppContainer) -> Snapshot:
    found: Snapshot = {}
    async with direct(container) as conn:
        for table in metadata.sorted_tables:
            if table.name in SKIPPED:
                continue
            rows = [dict(r._mapping) for r in await conn.execute(select(table))]
            found[table.name] = {_key(table, r): r for r in rows}
    return found


def _references(table: Table, victim: Victim) -> dict[str, int]:
    """Columns of ``table`` that point at one of the victim's objects, with that object's id."""
    targets = {"users": victim.user.id, "posts": victim.post, "comments": victim.comment}
    found: dict[str, int] = {}
    for column in table.columns:
        for fk in column.foreign_keys:
            target = fk.column.table.name
            if target in targets:
                found[column.name] = targets[target]
        if column.name in ("user_low", "user_high"):
            found[column.name] = victim.user.id
    if table.name in targets:
        found["id"] = targets[table.name]
    return found


def _as_utc(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def compare(before: Snapshot, after: Snapshot, victim: Victim, started: datetime, call: Call) -> list[str]:
    problems: list[str] = []
    now = datetime.now(UTC)
    for table in metadata.sorted_tables:
        if table.name in SKIPPED:
            continue
        old, new = before[table.name], after[table.name]
        refs = _references(table, victim)
        for key, row in old.items():
            if any(row.get(c) == v for c, v in refs.items()) and new.get(key) != row:
                problems.append(f"{table.name}: the victim's row {key} changed: {row} -> {new.get(key)}")
        for key, row in new.items():
            if old.get(key) == row:
                continue
            where = f"{table.name} row {key}"
            for column, value in refs.items():
                if row.get(column) == value:
                    problems.append(f"{where}: {column} names the victim's object ({value})")
            if row.get("id") == HOSTILE_ID:
                problems.append(f"{where}: the client's id was used")
            for column, value in row.items():
                if isinstance(value, str) and (MARK in value or MARK.lower() in value or "evil.example" in value):
                    problems.append(f"{where}: {column} = {value!r} came from a forbidden field")
                when = _as_utc(value) if column in TIME_COLUMNS else None
                if when is not None and key not in old and not (started - timedelta(seconds=5) <= when
                                                                 <= now + timedelta(seconds=5)):
                    problems.append(f"{where}: {column} = {when} is not the server's time")
            if table is users:
                if key in old:
                    changed = [c for c in PROTECTED if old[key][c] != row[c]]
                    if changed:
                        problems.append(f"{where}: protected columns changed: {changed}")
                elif (row["user_type"], row["is_staff"], row["is_active"]) != (call.new_user_type, False, True):
                    problems.append(f"{where}: a new account is {row['user_type']}, staff={row['is_staff']}, "
                                    f"active={row['is_active']}")
    problems.extend(_counters(after))
    return problems


def _counters(state: Snapshot) -> list[str]:
    problems: list[str] = []
    for post in state["posts"].values():
        likes = sum(1 for r in state["post_likes"].values() if r["post_id"] == post["id"])
        top = sum(1 for r in state["comments"].values() if r["post_id"] == post["id"] and r["parent_id"] is None)
        sharers = {r["user_id"] for r in state["post_shares"].values() if r["post_id"] == post["id"]}
        stored = (post["like_count"], post["comment_count"], post["share_count"])
        if stored != (likes, top, len(sharers)):
            problems.append(f"post {post['id']}: counters {stored} != {(likes, top, len(sharers))}")
    for comment in state["comments"].values():
        likes = sum(1 for r in state["comment_likes"].values() if r["comment_id"] == comment["id"])
        if comment["like_count"] != likes:
            problems.append(f"comment {comment['id']}: like_count {comment['like_count']} != {likes}")
    return problems


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with running_fake_google(CLIENT_ID, "test-google-secret") as fake:
        yield fake


@pytest.fixture
def container(tmp_path: Path, database_url: str, google: FakeGoogle) -> AppContainer:
    """The SQL container with the fake Google and without rate limits (many sign-ups from one address)."""
    settings = make_settings(tmp_path, database_url, google_client_id=CLIENT_ID,
                             google_token_url=google.token_url, google_jwks_url=google.jwks_url)
    built = build_container(settings, "sql")
    built.platform.limiter.override(providers.Object(NoRateLimiter()))
    return built


@pytest.fixture
async def world(client: Client, container: AppContainer, google: FakeGoogle) -> AsyncIterator[World]:
    owner = await sign_up(client, container, "mass-owner@example.org")
    admin = await sign_up(client, container, "mass-admin@example.org")
    await make_admin(container, admin.id)
    victim_user = await sign_up(client, container, "mass-victim@example.org")
    w = World(client, container, google, owner, admin, Victim(victim_user, 0, 0), 0)
    w.victim.post = await w.post(victim_user)
    w.victim.comment = int((await w.ok("POST", "/post/comment/", {"post": w.victim.post, "body": "mine"},
                                       victim_user))["comment_id"])
    org = await w.ok("POST", "/user/corporate/signup/",
                     {**CORPORATE, "company_name": "Mass Org", "company_email": "mass-org@example.org"})
    w.organization = int(org["id"])
    yield w


def _multipart(body: dict[str, Any]) -> dict[str, str]:
    parts: dict[str, str] = {}
    for name, value in body.items():
        if value is None:
            continue
        if isinstance(value, bool):
            parts[name] = "true" if value else "false"
        elif isinstance(value, list | dict):
            parts[name] = msgspec.json.encode(value).decode()
        else:
            parts[name] = str(value)
    return parts


async def _send(w: World, call: Call, as_multipart: bool) -> Any:
    body = {**{k: v for k, v in forbidden(w.victim).items() if k not in call.drop}, **call.body}
    who = None if call.anonymous else (call.who or w.owner)
    headers = who.headers if who else {}
    if as_multipart or call.files:
        # A file part nobody asked for makes it multipart (the forbidden media fields travel as text parts).
        files = {"unrelated": ("a.png", png(), "image/png"), **(call.files or {})}
        return await w.client.request(call.method, call.url, data=_multipart(body), files=files, headers=headers)
    return await w.client.request(call.method, call.url, json=body, headers=headers)


VARIANTS = [(key, False) for key in CASES] + [(key, True) for key in sorted(MULTIPART)]


@pytest.mark.parametrize(("operation", "as_multipart"), VARIANTS,
                         ids=[f"{m} {p}{' multipart' if mp else ''}" for (m, p), mp in VARIANTS])
async def test_forbidden_fields_have_no_effect(world: World, operation: tuple[str, str], as_multipart: bool) -> None:
    call = await CASES[operation](world)
    try:
        await _run(world, call, as_multipart)
    finally:
        if call.cleanup is not None:
            await call.cleanup(world)


async def _run(world: World, call: Call, as_multipart: bool) -> None:
    before = await snapshot(world.container)
    started = datetime.now(UTC)
    response = await _send(world, call, as_multipart)
    assert 200 <= response.status_code < 300, (response.status_code, response.text[:300])
    answer = response.json() if response.content else None
    if answer is not None:
        text = response.text
        assert MARK not in text and "evil.example" not in text, text[:500]
        assert not (isinstance(answer, dict) and HOSTILE_ID in (answer.get("id"), answer.get("post_id"))), answer
    problems = compare(before, await snapshot(world.container), world.victim, started, call)
    assert problems == [], "\n".join(problems)
    if call.check is not None:
        await call.check(world, answer)
