"""The native tracker API (``/tracker/``) over HTTP: every endpoint's success shape, 401 without a token, someone
else's object (404, never 401 or their data), malformed input (400 JSON); filters, bulk actions, the board's apply
reaching the applicant's tracker, and list/metric pages at a fixed number of statements."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SignedUp
from tests.e2e.jobs_support import make_employer, make_job, measured, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]

APP_KEYS = {"id", "title", "company", "source", "status", "rejected", "rejected_at", "rejected_stage", "applied_on",
            "applied_at", "interviewed_at", "job", "board_application", "site_id", "external_url", "location",
            "employment_type", "work_type", "pay", "description", "tech_stack", "time_spent_min", "created_at",
            "updated_at"}
STATUS_KEYS = {"id", "name", "pos", "rejectable", "is_default"}
PAGE_KEYS = {"count", "next", "previous", "results"}
SITE_KEYS = {"id", "name", "url", "rating", "resume_format", "requires_github", "requires_portfolio",
             "last_visited_at", "resume_updated_at", "headline", "description", "created_at"}
OPP_KEYS = {"id", "title", "status", "active", "recruiter_name", "recruiter_company", "received_at",
            "employment_type", "duration", "work_type", "location", "description", "application", "created_at"}
NOTE_KEYS = {"id", "application", "kind", "body", "at", "updated_at"}
EVENT_KEYS = {"id", "kind", "from_status", "to_status", "origin", "at"}
APP = {"title": "Backend Engineer", "company": "Acme", "source": "LinkedIn", "applied_on": "2026-11-02",
       "pay_min": 9_000_000, "pay_max": 12_000_000, "pay_currency": "usd", "work_type": "remote"}
OPPORTUNITY = {"title": "Staff Engineer", "recruiter_name": "Rita", "recruiter_company": "Hunters",
               "status": "interested"}


async def _app(client: Any, who: SignedUp, **changes: Any) -> dict[str, Any]:
    r = await client.post("/tracker/applications/", json={**APP, **changes}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_applications_crud_and_shapes(client: Any, container: Any) -> None:
    me = await person(client, container)
    body = await _app(client, me)
    assert set(body) == APP_KEYS and set(body["status"]) == STATUS_KEYS
    assert body["status"]["name"] == "APPLIED" and body["pay"] == {"min": 9_000_000, "max": 12_000_000,
                                                                   "currency": "USD"}
    url = f"/tracker/applications/{body['id']}/"
    r = await client.get(url, headers=me.headers)
    assert r.status_code == 200 and r.json()["id"] == body["id"]
    # Served with and without the trailing slash, no redirect.
    assert (await client.get(url.rstrip("/"), headers=me.headers)).status_code == 200
    r = await client.patch(url, json={"status": "phone screen", "rejected": True, "location": "Lagos"},
                           headers=me.headers)
    assert r.status_code == 200 and r.json()["status"]["id"] == 3 and r.json()["rejected"] is True
    r = await client.get(f"{url}events/", headers=me.headers)
    assert r.status_code == 200 and set(r.json()[0]) == EVENT_KEYS
    assert [(e["kind"], e["to_status"]) for e in r.json()] == [
        ("created", "APPLIED"), ("status_changed", "PHONE SCREEN"), ("rejected", "PHONE SCREEN")]
    r = await client.get("/tracker/statuses/", headers=me.headers)
    assert [s["name"] for s in r.json()] == ["TO APPLY", "APPLIED", "PHONE SCREEN", "ONSITE INTERVIEW", "OFFER"]
    assert [s["id"] for s in r.json()] == [2, 1, 3, 4, 5]
    assert (await client.delete(url, headers=me.headers)).status_code == 204
    assert (await client.get(url, headers=me.headers)).status_code == 404


async def test_list_filters_and_bulk_actions(client: Any, container: Any) -> None:
    me = await person(client, container)
    a = await _app(client, me, title="Python Developer")
    b = await _app(client, me, title="Go Developer", company="Initech", source="Indeed", status="TO APPLY")
    c = await _app(client, me, title="Rust Developer", company="Globex", status=3)

    async def ids(query: str) -> list[int]:
        r = await client.get(f"/tracker/applications/?{query}", headers=me.headers)
        assert r.status_code == 200 and set(r.json()) == PAGE_KEYS, r.text
        return sorted(x["id"] for x in r.json()["results"])

    assert await ids("") == sorted([a["id"], b["id"], c["id"]])
    assert await ids("status=TO%20APPLY") == [b["id"]]
    assert await ids("status=3") == [c["id"]]
    assert await ids("source=Indeed") == [b["id"]]
    assert await ids("q=python") == [a["id"]]
    assert await ids("q=initech") == [b["id"]]
    r = await client.post("/tracker/applications/bulk-status/", json={"ids": [a["id"], c["id"]], "rejected": True},
                          headers=me.headers)
    assert r.status_code == 200 and {x["rejected"] for x in r.json()} == {True}
    assert await ids("rejected=true") == sorted([a["id"], c["id"]])
    assert await ids("rejected=false") == [b["id"]]
    r = await client.post("/tracker/applications/bulk-delete/", json={"ids": [a["id"], b["id"]]}, headers=me.headers)
    assert r.status_code == 200 and r.json() == {"deleted": 2}
    assert await ids("") == [c["id"]]
    for query in ("status=NOPE", "rejected=maybe", "site_id=0"):
        r = await client.get(f"/tracker/applications/?{query}", headers=me.headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), query


async def test_malformed_input_is_400_json(client: Any, container: Any) -> None:
    me = await person(client, container)
    app = await _app(client, me)
    for url, body in (
        ("/tracker/applications/", {"company": "x"}),
        ("/tracker/applications/", {**APP, "title": " "}),
        ("/tracker/applications/", {**APP, "status": "HIRED"}),
        ("/tracker/applications/", {**APP, "pay_min": 10, "pay_max": 1}),
        ("/tracker/applications/", {**APP, "pay_currency": "dollars"}),
        ("/tracker/applications/", {**APP, "employment_type": "forever"}),
        ("/tracker/applications/", {**APP, "status": "TO APPLY", "rejected": True}),
        ("/tracker/applications/", {**APP, "applied_on": "2026-13-40"}),
        ("/tracker/applications/", {**APP, "site_id": 999_999}),
        ("/tracker/applications/bulk-status/", {"ids": []}),
        ("/tracker/applications/bulk-status/", {"ids": [app["id"]]}),
        ("/tracker/applications/bulk-delete/", {"ids": "all"}),
        (f"/tracker/applications/{app['id']}/notes/", {"body": ""}),
        (f"/tracker/applications/{app['id']}/notes/", {"body": "x", "kind": "gossip"}),
        ("/tracker/sites/", {"rating": 99}),
        ("/tracker/opportunities/", {"title": "x"}),
        ("/tracker/opportunities/", {**OPPORTUNITY, "status": "maybe"}),
    ):
        r = await client.post(url, json=body, headers=me.headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), (url, body, r.status_code, r.text)
    r = await client.patch(f"/tracker/applications/{app['id']}/", json={"status": 99}, headers=me.headers)
    assert r.status_code == 400
    r = await client.post("/tracker/applications/", content=b"{not json", headers=me.headers)
    assert r.status_code == 400


async def test_notes_sites_opportunities(client: Any, container: Any) -> None:
    me = await person(client, container)
    app = await _app(client, me)
    notes = f"/tracker/applications/{app['id']}/notes/"
    r = await client.post(notes, json={"body": "Recruiter called", "kind": "call"}, headers=me.headers)
    assert r.status_code == 201 and set(r.json()) == NOTE_KEYS
    note = r.json()["id"]
    r = await client.patch(f"/tracker/notes/{note}/", json={"body": "Called twice"}, headers=me.headers)
    assert r.status_code == 200 and r.json()["body"] == "Called twice" and r.json()["updated_at"]
    assert [n["body"] for n in (await client.get(notes, headers=me.headers)).json()] == ["Called twice"]
    assert (await client.delete(f"/tracker/notes/{note}/", headers=me.headers)).status_code == 204
    assert (await client.get(notes, headers=me.headers)).json() == []

    r = await client.post("/tracker/sites/", json={"name": "Dice", "url": "https://dice.com", "password": "x"},
                          headers=me.headers)
    assert r.status_code == 201 and set(r.json()) == SITE_KEYS  # no password, ever
    site = r.json()["id"]
    assert [s["id"] for s in (await client.get("/tracker/sites/", headers=me.headers)).json()] == [site]
    r = await client.put(f"/tracker/sites/{site}/", json={"name": "Dice.com", "rating": 4}, headers=me.headers)
    assert r.status_code == 200 and r.json()["rating"] == 4
    assert (await client.get(f"/tracker/sites/{site}/", headers=me.headers)).json()["name"] == "Dice.com"
    on_site = await _app(client, me, site_id=site)
    r = await client.get(f"/tracker/applications/?site_id={site}", headers=me.headers)
    assert [x["id"] for x in r.json()["results"]] == [on_site["id"]]
    assert (await client.delete(f"/tracker/sites/{site}/", headers=me.headers)).status_code == 204
    assert (await client.get(f"/tracker/applications/{on_site['id']}/", headers=me.headers)).status_code == 404

    r = await client.post("/tracker/opportunities/", json=OPPORTUNITY, headers=me.headers)
    assert r.status_code == 201 and set(r.json()) == OPP_KEYS and r.json()["active"] is True
    opp = r.json()["id"]
    ignored = (await client.post("/tracker/opportunities/", json={**OPPORTUNITY, "status": "ignored"},
                                 headers=me.headers)).json()["id"]
    assert [o["id"] for o in (await client.get("/tracker/opportunities/?active=true", headers=me.headers)).json()] \
        == [opp]
    assert len((await client.get("/tracker/opportunities/", headers=me.headers)).json()) == 2
    r = await client.put(f"/tracker/opportunities/{ignored}/", json={**OPPORTUNITY, "status": "engaged"},
                         headers=me.headers)
    assert r.status_code == 200 and r.json()["status"] == "engaged"
    r = await client.post(f"/tracker/opportunities/{opp}/convert/", headers=me.headers)
    assert r.status_code == 201 and set(r.json()) == APP_KEYS and r.json()["source"] == "Recruiter"
    r = await client.get(f"/tracker/opportunities/{opp}/", headers=me.headers)
    assert r.json()["status"] == "converted" and r.json()["application"] is not None and r.json()["active"] is False
    assert (await client.post(f"/tracker/opportunities/{opp}/convert/", headers=me.headers)).status_code == 400
    assert (await client.delete(f"/tracker/opportunities/{opp}/", headers=me.headers)).status_code == 204


async def test_metric_endpoints(client: Any, container: Any) -> None:
    me = await person(client, container)
    await _app(client, me, applied_on=None)
    await _app(client, me, applied_on=None, source="Indeed", status="OFFER")
    r = await client.get("/tracker/metrics/summary/", headers=me.headers)
    assert r.status_code == 200 and r.json()["total"] == 2
    assert {x["status"]["name"]: x["count"] for x in r.json()["by_status"]}["OFFER"] == 1
    r = await client.get("/tracker/metrics/by-month/?total=true", headers=me.headers)
    assert r.status_code == 200 and len(r.json()["months"]) == 12
    assert r.json()["series"][-1] == {"source": "Total", "data": [0] * 11 + [2]}
    checks = {
        "by-status/": lambda b: [x["count"] for x in b] == [0, 1, 0, 0, 1],
        "by-company/": lambda b: b == [{"company": "Acme", "count": 2}],
        "by-title-status/": lambda b: b["titles"] == ["Backend Engineer"] and len(b["data"]) == 5,
        "postings/": lambda b: len(b) == 2 and set(b[0]) == {"id", "title", "company", "status", "rejected",
                                                             "rejected_stage", "applied_on", "site_id", "site_name"},
        "postings/?since=2999-01-01": lambda b: b == [],
        "per-site/": lambda b: b == [{"site_id": None, "site_name": "", "count": 2}],
        "per-week/": lambda b: len(b) == 1 and b[0]["count"] == 2 and b[0]["week"].count("-W") == 1,
        "dashboard/": lambda b: len(b) == 3 and b[0]["total"] == 2 and b[0]["responded"] == 1,
    }
    for path, check in checks.items():
        r = await client.get(f"/tracker/metrics/{path}", headers=me.headers)
        assert r.status_code == 200 and check(r.json()), (path, r.text)
        assert (await client.get(f"/tracker/metrics/{path}")).status_code == 401
    r = await client.get("/tracker/metrics/postings/?since=yesterday", headers=me.headers)
    assert r.status_code == 400 and isinstance(r.json(), dict)


async def test_401_without_a_token_and_404_for_someone_elses_objects(client: Any, container: Any) -> None:
    owner = await person(client, container)
    other = await person(client, container)
    app = await _app(client, owner)
    note = (await client.post(f"/tracker/applications/{app['id']}/notes/", json={"body": "n"},
                              headers=owner.headers)).json()["id"]
    site = (await client.post("/tracker/sites/", json={"name": "S"}, headers=owner.headers)).json()["id"]
    opp = (await client.post("/tracker/opportunities/", json=OPPORTUNITY, headers=owner.headers)).json()["id"]
    a = f"/tracker/applications/{app['id']}/"
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", a, None), ("PATCH", a, {"title": "Mine"}), ("DELETE", a, None), ("GET", f"{a}events/", None),
        ("GET", f"{a}notes/", None), ("POST", f"{a}notes/", {"body": "x"}),
        ("PATCH", f"/tracker/notes/{note}/", {"body": "x"}), ("DELETE", f"/tracker/notes/{note}/", None),
        ("POST", "/tracker/applications/bulk-status/", {"ids": [app["id"]], "status": 5}),
        ("POST", "/tracker/applications/bulk-delete/", {"ids": [app["id"]]}),
        ("GET", f"/tracker/sites/{site}/", None), ("PUT", f"/tracker/sites/{site}/", {"name": "x"}),
        ("DELETE", f"/tracker/sites/{site}/", None),
        ("GET", f"/tracker/opportunities/{opp}/", None), ("PUT", f"/tracker/opportunities/{opp}/", OPPORTUNITY),
        ("DELETE", f"/tracker/opportunities/{opp}/", None), ("POST", f"/tracker/opportunities/{opp}/convert/", None),
        ("POST", "/tracker/applications/", {**APP, "site_id": site}),
    ]
    for method, url, body in calls:
        r = await client.request(method, url, json=body, headers=other.headers)
        expected = 400 if url == "/tracker/applications/" else 404
        assert r.status_code == expected and isinstance(r.json(), dict), (method, url, r.status_code)
        r = await client.request(method, url, json=body)
        assert r.status_code == 401, (method, url)
    for url in ("/tracker/applications/", "/tracker/sites/", "/tracker/opportunities/", "/tracker/statuses/"):
        assert (await client.get(url)).status_code == 401
    # Nothing of the owner's leaks into the other's lists; the owner's objects are intact.
    assert (await client.get("/tracker/applications/", headers=other.headers)).json()["count"] == 0
    assert (await client.get("/tracker/sites/", headers=other.headers)).json() == []
    assert (await client.get("/tracker/opportunities/", headers=other.headers)).json() == []
    r = await client.get(a, headers=owner.headers)
    assert r.status_code == 200 and r.json()["title"] == APP["title"]


async def test_board_apply_reaches_the_tracker_and_pages_cost_fixed_statements(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    job = await make_job(client, corp)
    me = await person(client, container)
    assert (await client.post("/job/apply/", json={"job": job["id"]}, headers=me.headers)).status_code == 200
    r, _ = await measured(container, lambda: client.get("/tracker/applications/", headers=me.headers))
    [item] = r.json()["results"]
    assert (item["title"], item["source"], item["status"]["name"], item["job"]) == (
        job["title"], "Career Nexus", "APPLIED", job["id"])
    sizes = []
    for _extra in range(2):
        for _ in range(5):
            await _app(client, me)
        for path in ("/tracker/applications/", "/tracker/metrics/by-month/?total=true", "/tracker/metrics/summary/",
                     "/tracker/metrics/by-title-status/", "/tracker/metrics/dashboard/"):
            r, seen = await measured(container, lambda path=path: client.get(path, headers=me.headers))  # type: ignore[misc]
            assert r.status_code == 200
            sizes.append((path, len(seen)))
    assert sizes[:5] == sizes[5:], sizes
    assert all(n <= 4 for _, n in sizes), sizes  # the token check, the time zone (and settings), the query
