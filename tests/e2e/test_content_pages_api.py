"""Content pages, the library and newsletters over HTTP: documented shapes, 401 without a token, 403 for
non-admins on admin writes, malformed input answered 400 with the documented keys (spec: Content Management,
Creating/Retrieve/Delete Library Content, Subscribe/Unsubscribe/Create/Get NewsLetter, Unregistered Users
Subscribe To Newsletter; behaviors §9–§10)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from adapters.db.tables.content import newsletter_subscribers
from bootstrap.container import AppContainer
from core.content.model.newsletters import Subscriber
from tests.conftest import SignedUp
from tests.e2e.feed_support import direct
from tests.e2e.profiles_support import PDF, make_admin, person, png

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
_seq = itertools.count(1)


async def _admin(client: Client, container: AppContainer) -> SignedUp:
    admin = await person(client, container)
    await make_admin(container, admin.id)
    return admin


# ------------------------------------------------------------------------------------------------ pages


async def test_seeded_pages_are_public(client: Client) -> None:
    tos = await client.get("/info/?title=tos")
    assert tos.status_code == 200, tos.text
    body = tos.json()
    assert set(body) == {"status", "content", "Available_titles"} and body["status"] == "Success"
    assert set(body["content"]) == {"title", "content", "items", "updated"}
    assert body["content"]["title"] == "tos" and "Career Nexus" in body["content"]["content"]
    assert {"tos", "privacy"} <= set(body["Available_titles"])
    privacy = await client.get("/info/?title=privacy")
    assert privacy.status_code == 200 and "privacy" in privacy.json()["content"]["content"].lower()
    missing = await client.get("/info/")
    assert missing.status_code == 400
    assert missing.json()["Status"] == "Failed" and missing.json()["Message"] == "No query parameter provided."
    unknown = await client.get("/info/?title=nothing-here")
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"Status", "Message", "Available_titles"}
    assert unknown.json()["Message"] == "Invalid information Title"


async def test_page_admin_writes(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await _admin(client, container)
    title = f"Help Page {uuid.uuid4().hex[:8]}"
    key = "_".join(title.lower().split())
    body = {"title": title, "content": "How to use it", "items": "one, two ,three"}
    assert (await client.post("/info/", json=body)).status_code == 401
    denied = await client.post("/info/", json=body, headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    try:
        created = await client.post("/info/", json=body, headers=admin.headers)
        assert created.status_code == 201, created.text
        assert created.json() == {"title": key, "content": "How to use it", "items": ["one", "two", "three"]}
        again = await client.post("/info/", json=body, headers=admin.headers)
        assert again.status_code == 400 and again.json() == {"non_field_errors": ["Existent title"]}
        malformed = await client.post("/info/", json={"title": title}, headers=admin.headers)
        assert malformed.status_code == 400 and set(malformed.json()) == {"content"}
        assert (await client.put(f"/info/?title={key}", json={"content": "x"}, headers=me.headers)).status_code == 403
        changed = await client.put(f"/info/?title={key}", json={"content": "Updated"}, headers=admin.headers)
        assert changed.status_code == 200, changed.text
        assert changed.json()["status"] == "Updated" and changed.json()["content"] == "Updated"
        assert set(changed.json()) == {"status", "title", "content", "items", "updated"}
        unknown = await client.put("/info/?title=nope-nope", json={"content": "x"}, headers=admin.headers)
        assert unknown.status_code == 400 and unknown.json() == {"error": "Inexistent content"}
        read = (await client.get(f"/info/?title={key}")).json()
        assert read["content"]["content"] == "Updated" and key in read["Available_titles"]
        assert (await client.delete(f"/info/?title={key}", headers=me.headers)).status_code == 403
    finally:
        deleted = await client.delete(f"/info/?title={key}", headers=admin.headers)
    assert deleted.status_code == 204
    gone = await client.delete(f"/info/?title={key}", headers=admin.headers)
    assert gone.status_code == 400 and gone.json() == {"error": "Inexistent content"}
    assert (await client.delete(f"/info/?title={key}")).status_code == 401


# ---------------------------------------------------------------------------------------------- library


async def _library_item(client: Client, admin: SignedUp, title: str, tags: str = '["courses", "Template"]') -> Any:
    r = await client.post(
        "/info/library/",
        data={"title": title, "description": "A course template", "tags": tags},
        files={"file": ("CREATING COURSES.pdf", PDF, "application/pdf")},
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_library(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await _admin(client, container)
    files = {"file": ("a.pdf", PDF, "application/pdf")}
    form = {"title": "Creating Udemy Courses", "description": "d", "tags": '["x"]'}
    assert (await client.post("/info/library/", data=form, files=files)).status_code == 401
    denied = await client.post("/info/library/", data=form, files=files, headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN

    item = await _library_item(client, admin, "Creating Udemy Courses")
    assert set(item) == {"id", "title", "description", "tags", "file"}
    assert item["tags"] == ["courses", "template"] and item["file"].endswith(".pdf")
    other = await _library_item(client, admin, "Interview Checklist", tags='["career"]')

    duplicate = await client.post("/info/library/", data={**form, "title": "creating udemy COURSES"},
                                  files=files, headers=admin.headers)
    assert duplicate.status_code == 400
    assert duplicate.json() == {"title": ["A Library content with this title already exists."]}
    bad_tags = await client.post("/info/library/", data={**form, "title": "T2", "tags": "courses"}, files=files,
                                 headers=admin.headers)
    assert bad_tags.status_code == 400 and bad_tags.json() == {"tags": ["Tags must be a list of Texts."]}
    not_a_document = await client.post("/info/library/", data={**form, "title": "T3"},
                                       files={"file": ("evil.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
                                       headers=admin.headers)
    assert not_a_document.status_code == 400 and set(not_a_document.json()) == {"file"}
    too_big = await client.post("/info/library/", data={**form, "title": "T4"},
                                files={"file": ("big.pdf", PDF + b"x" * 5_000_001, "application/pdf")},
                                headers=admin.headers)
    assert too_big.status_code in (400, 413) and "file" in too_big.text.lower()
    no_file = await client.post("/info/library/", json={"title": "T5", "description": "d"}, headers=admin.headers)
    assert no_file.status_code == 400 and no_file.json() == {"file": ["No file was submitted."]}

    assert (await client.get("/info/library/")).status_code == 401
    listed = (await client.get("/info/library/", headers=me.headers)).json()
    ids = [i["id"] for i in listed]
    assert item["id"] in ids and other["id"] in ids
    tagged = (await client.get("/info/library/?tag=Courses", headers=me.headers)).json()
    assert [i["id"] for i in tagged] == [item["id"]]
    found = (await client.get("/info/library/?q=checklist", headers=me.headers)).json()
    assert [i["id"] for i in found] == [other["id"]]
    one = await client.get(f"/info/library/?content_id={item['id']}", headers=me.headers)
    assert one.status_code == 200 and one.json() == item
    unknown = await client.get("/info/library/?content_id=999999", headers=me.headers)
    assert unknown.status_code == 400 and unknown.json() == {"error": "Invalid content id"}

    assert (await client.delete(f"/info/library/?content_id={item['id']}")).status_code == 401
    assert (await client.delete(f"/info/library/?content_id={item['id']}", headers=me.headers)).status_code == 403
    missing = await client.delete("/info/library/", headers=admin.headers)
    assert missing.status_code == 400
    assert missing.json() == {"error": "A content_id query parameter is required for this request"}
    assert (await client.delete(f"/info/library/?content_id={item['id']}", headers=admin.headers)).status_code == 204
    again = await client.delete(f"/info/library/?content_id={item['id']}", headers=admin.headers)
    assert again.status_code == 400 and again.json() == {"error": "Invalid Content ID"}


# ------------------------------------------------------------------------------------------- newsletters


async def test_newsletter_subscriptions(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    assert (await client.post("/newsletter/subscribe/")).status_code == 401
    subscribed = await client.post("/newsletter/subscribe/", json={"email": "ignored@example.org"},
                                   headers=me.headers)
    assert subscribed.status_code == 200, subscribed.text
    assert set(subscribed.json()) == {"subscriber", "subscribed_at"}
    assert set(subscribed.json()["subscriber"]) == {"id", "first_name", "last_name", "middle_name", "profile_photo",
                                                    "qualification"}
    assert subscribed.json()["subscriber"]["id"] == me.id
    again = await client.post("/newsletter/subscribe/", headers=me.headers)
    assert again.status_code == 400 and again.json() == {"non_field_errors": ["Already subscribed to NewsLetter."]}
    # The visitor form cannot add the same address a second time (one list).
    visitor = await client.post("/user/newsletter-subscribe/", json={"email": me.email})
    assert visitor.status_code == 400 and visitor.json() == {"email": ["Already subscribed to Newsletter"]}

    assert (await client.post("/newsletter/unsubscribe/")).status_code == 401
    off = await client.post("/newsletter/unsubscribe/", headers=me.headers)
    assert off.status_code == 200 and off.json() == {"status": "Unsubscribed from Newsletter"}
    off_again = await client.post("/newsletter/unsubscribe/", headers=me.headers)
    assert off_again.status_code == 400
    assert off_again.json() == {"non_field_errors": ["Not previously subscribed to NewsLetter."]}


async def test_visitor_subscription_and_signed_unsubscribe(client: Client, container: AppContainer) -> None:
    email = f"visitor{uuid.uuid4().hex[:8]}@example.org"
    ok = await client.post("/user/newsletter-subscribe/", json={"email": email})
    assert ok.status_code == 200 and ok.json() == {"status": "Subscribed Successfully"}
    dup = await client.post("/user/newsletter-subscribe/", json={"email": email.upper().replace("EXAMPLE", "example")})
    assert dup.status_code == 400 and dup.json() == {"email": ["Already subscribed to Newsletter"]}
    bad = await client.post("/user/newsletter-subscribe/", json={"email": "not-an-address"})
    assert bad.status_code == 400 and set(bad.json()) == {"email"}
    missing = await client.post("/user/newsletter-subscribe/", json={})
    assert missing.status_code == 400 and set(missing.json()) == {"email"}

    service = container.content.newsletters()
    async with direct(container) as conn:
        row = (await conn.execute(select(newsletter_subscribers).where(newsletter_subscribers.c.email == email))
               ).mappings().one()
    subscriber = Subscriber(id=row["id"], email=row["email"], subscribed_at=row["subscribed_at"])
    link = urlsplit(service.unsubscribe_link(subscriber))
    query = parse_qs(link.query)
    forged = await client.get(f"{link.path}?subscriber={subscriber.id}&token={'0' * 64}")
    assert forged.status_code == 400 and set(forged.json()) == {"token"}
    done = await client.get(f"{link.path}?{link.query}")
    assert done.status_code == 200 and done.json() == {"status": "Unsubscribed from Newsletter"}
    assert query["subscriber"] == [str(subscriber.id)]
    twice = await client.get(f"{link.path}?{link.query}")
    assert twice.status_code == 200
    # Off the list: the address may subscribe again.
    assert (await client.post("/user/newsletter-subscribe/", json={"email": email})).status_code == 200


async def test_newsletters_create_and_read(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await _admin(client, container)
    body = {"title": "Build & Beyond", "content": "Hey Builders,\n\nWelcome back."}
    assert (await client.post("/newsletter/create/", json=body)).status_code == 401
    denied = await client.post("/newsletter/create/", json=body, headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    malformed = await client.post("/newsletter/create/", json={"content": "x"}, headers=admin.headers)
    assert malformed.status_code == 400 and set(malformed.json()) == {"title"}
    bad_image = await client.post("/newsletter/create/", data=body,
                                  files={"image": ("a.png", b"GIF89a not really", "image/png")},
                                  headers=admin.headers)
    assert bad_image.status_code == 400 and set(bad_image.json()) == {"image"}

    first = await client.post("/newsletter/create/", json=body, headers=admin.headers)
    assert first.status_code == 201, first.text
    assert set(first.json()) == {"id", "title", "content", "image", "timestamp"} and first.json()["image"] == ""
    second = await client.post("/newsletter/create/", data={"title": "Focus Frame", "content": "Hello"},
                               files={"image": ("frame.png", png(), "image/png")}, headers=admin.headers)
    assert second.status_code == 201, second.text
    assert second.json()["image"].endswith(".png")

    assert (await client.get("/newsletter/")).status_code == 401
    page = await client.get("/newsletter/", headers=me.headers)  # not a subscriber: reads the archive too
    assert page.status_code == 200, page.text
    data = page.json()
    assert set(data) == {"recent", "archive", "subscribed"} and data["subscribed"] is False
    assert data["recent"]["id"] == second.json()["id"]
    assert set(data["archive"]) == {"count", "next", "previous", "results"}
    assert first.json()["id"] in [n["id"] for n in data["archive"]["results"]]
    assert (await client.get("/newsletter/?page=999", headers=me.headers)).status_code == 404
