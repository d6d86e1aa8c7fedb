"""Disputes and corporate leads over HTTP: documented shapes, 401 without a token, owners see only their own
tickets, non-admins get 403 on admin operations, validated options and filters (400 with the documented keys)
(spec: Dispute Creation … Retrieve Corporate Leads; behaviors §11–§12)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from core.support.model import DisputeAnswered
from tests.conftest import wait_for_mail
from tests.e2e.profiles_support import make_admin, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
TICKET_KEYS = {"id", "category", "priority", "message", "status", "admin_response", "timestamp"}


async def test_disputes_owner(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    other = await person(client, container)
    body = {"category": "request", "priority": "low", "message": "I want to earn as a learner."}
    assert (await client.post("/user/disputes/", json=body)).status_code == 401
    created = await client.post("/user/disputes/", json=body, headers=me.headers)
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert set(ticket) == TICKET_KEYS
    assert (ticket["status"], ticket["admin_response"], ticket["category"]) == ("pending", None, "request")
    second = await client.post("/user/disputes/", json={**body, "category": "account", "priority": "high"},
                               headers=me.headers)
    assert second.status_code == 201

    bad = await client.post("/user/disputes/", json={**body, "category": "billing", "priority": "soon"},
                            headers=me.headers)
    assert bad.status_code == 400 and set(bad.json()) <= {"category", "priority"} and "category" in bad.json()
    assert bad.json()["category"] == ['"billing" is not a valid choice.']
    blank = await client.post("/user/disputes/", json={**body, "message": "   "}, headers=me.headers)
    assert blank.status_code == 400 and set(blank.json()) == {"message"}
    missing = await client.post("/user/disputes/", json={"category": "request"}, headers=me.headers)
    assert missing.status_code == 400 and set(missing.json()) == {"priority"}

    assert (await client.get("/user/disputes/")).status_code == 401
    mine = (await client.get("/user/disputes/", headers=me.headers)).json()
    assert set(mine) == {"count", "next", "previous", "results"}
    assert mine["count"] == 2 and [t["id"] for t in mine["results"]] == [second.json()["id"], ticket["id"]]
    theirs = (await client.get("/user/disputes/", headers=other.headers)).json()
    assert theirs["count"] == 0 and theirs["results"] == []
    pending = (await client.get("/user/disputes/?status=pending", headers=me.headers)).json()
    assert pending["count"] == 2
    invalid = await client.get("/user/disputes/?status=open", headers=me.headers)
    assert invalid.status_code == 400 and invalid.json()["error"] == "Invalid status parameter"


async def test_disputes_pages_have_relative_links(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    for i in range(11):
        r = await client.post("/user/disputes/", json={"category": "others", "priority": "low", "message": f"m{i}"},
                              headers=me.headers)
        assert r.status_code == 201
    first = (await client.get("/user/disputes/", headers=me.headers)).json()
    assert first["count"] == 11 and len(first["results"]) == 10 and first["next"] == "?page=2"
    second = (await client.get("/user/disputes/?page=2", headers=me.headers)).json()
    assert len(second["results"]) == 1 and second["previous"] == "?page=1" and second["next"] is None
    assert (await client.get("/user/disputes/?page=3", headers=me.headers)).status_code == 404


async def test_disputes_admin(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await person(client, container)
    await make_admin(container, admin.id)
    ticket = (await client.post("/user/disputes/", json={"category": "payment", "priority": "urgent",
                                                         "message": "Charged twice"}, headers=me.headers)).json()

    for path in ("/user/admin/disputes/", "/user/admin/disputes/summary/"):
        assert (await client.get(path)).status_code == 401
        denied = await client.get(path, headers=me.headers)
        assert denied.status_code == 403 and denied.json() == FORBIDDEN
    listed = (await client.get("/user/admin/disputes/?priority=urgent&category=payment", headers=admin.headers))
    assert listed.status_code == 200, listed.text
    assert ticket["id"] in [t["id"] for t in listed.json()["results"]]
    assert all(t["priority"] == "urgent" for t in listed.json()["results"])
    for query, name in (("priority=soon", "priority"), ("category=billing", "category"), ("status=open", "status")):
        r = await client.get(f"/user/admin/disputes/?{query}", headers=admin.headers)
        assert r.status_code == 400 and r.json()["error"] == f"Invalid {name} parameter", r.text

    summary = await client.get("/user/admin/disputes/summary/", headers=admin.headers)
    assert summary.status_code == 200
    counts = summary.json()
    assert {"technical", "payment", "account", "request", "others", "by_status"} == set(counts)
    assert counts["payment"] >= 1 and set(counts["by_status"]) == {"pending", "in_progress", "resolved", "closed"}

    answer = {"dispute": ticket["id"], "status": "in_progress", "response": "We are working on it"}
    assert (await client.put("/user/admin/disputes/", json=answer)).status_code == 401
    denied = await client.put("/user/admin/disputes/", json=answer, headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    mailer = container.platform.mailer()
    before = len(mailer.sent)
    answered = await client.put("/user/admin/disputes/", json=answer, headers=admin.headers)
    assert answered.status_code == 200, answered.text
    assert set(answered.json()) == TICKET_KEYS
    assert (answered.json()["status"], answered.json()["admin_response"]) == ("in_progress", "We are working on it")
    mail = await wait_for_mail(mailer, me.email, f"Your support ticket #{ticket['id']} was updated", after=before)
    assert "We are working on it" in mail.text
    notices = (await client.get("/notification-chat/notifications/", headers=me.headers)).json()["results"]
    assert [(n["text"], n["page"], n["obj_id"]) for n in notices] == [
        (f"Your support ticket #{ticket['id']} has a response and is now in progress.", "Support", str(ticket["id"]))
    ]
    published = [e for e in container.platform.event_bus().published if isinstance(e, DisputeAnswered)]
    assert published and published[-1].recipient_id == me.id and published[-1].status_changed

    for bad, key in (({"dispute": 999999, "status": "resolved"}, "dispute"),
                     ({"dispute": ticket["id"], "status": "done"}, "status"),
                     ({"dispute": ticket["id"]}, "non_field_errors"),
                     ({"status": "resolved"}, "dispute")):
        r = await client.put("/user/admin/disputes/", json=bad, headers=admin.headers)
        assert r.status_code == 400 and set(r.json()) == {key}, (bad, r.text)
    mine = (await client.get("/user/disputes/?status=in_progress", headers=me.headers)).json()
    assert [t["id"] for t in mine["results"]] == [ticket["id"]]


async def test_leads(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await person(client, container)
    await make_admin(container, admin.id)
    email = f"lead{uuid.uuid4().hex[:8]}@example.org"
    body = {"full_name": "Opeyemi Abdul", "email_address": email, "phone_number": "08056430145",
            "interested_services": ["hr_solutions", "L&D"], "package": "basic"}
    created = await client.post("/user/lead/register/", json=body)  # public
    assert created.status_code == 201, created.text
    assert created.json() == body
    duplicate = await client.post("/user/lead/register/", json={**body, "email_address": email.upper()})
    assert duplicate.status_code == 400 and duplicate.json() == {"email_address": ["This email already exists"]}
    for bad, key in (({"interested_services": ["Technology"]}, "interested_services"),
                     ({"interested_services": "hr_solutions"}, "interested_services"),
                     ({"package": "gold"}, "package"),
                     ({"phone_number": "call me"}, "phone_number"),
                     ({"email_address": "nope"}, "email_address")):
        r = await client.post("/user/lead/register/", json={**body, "email_address": f"x{uuid.uuid4().hex}@e.org",
                                                            **bad})
        assert r.status_code == 400 and set(r.json()) == {key}, (bad, r.text)

    assert (await client.get("/user/lead/register/")).status_code == 401
    denied = await client.get("/user/lead/register/", headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    page = await client.get("/user/lead/register/", headers=admin.headers)
    assert page.status_code == 200 and set(page.json()) == {"count", "next", "previous", "results"}
    assert body in page.json()["results"]
