"""Inputs at the edges of what Python's types hold answer 400 with a JSON body, never 500: dates a time zone moves
past year 1 or 9999, exponents past the decimal context, non-ASCII digits, NUL characters, naive date-times and
oversized id lists (found by reading the new domains' input paths)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.ats_support import make_ats_job, make_org
from tests.e2e.jobs_support import person
from tests.e2e.mentorship_support import mentor

pytestmark = [pytest.mark.anyio, pytest.mark.db]


def _json_400(r: Any) -> dict[str, Any]:
    assert r.status_code == 400, (r.status_code, r.text)
    body = r.json()
    assert isinstance(body, dict) and body
    return body  # type: ignore[no-any-return]


async def test_tracker_dates_at_the_edges(client: Any, container: Any) -> None:
    who = await person(client, container)
    r = await client.put("/user/profile-update/", json={"timezone": "Asia/Tokyo"}, headers=who.headers)
    assert r.status_code == 201, r.text
    site = {"name": "Board", "url": "https://board.example.org"}
    for moment in ("9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"):
        _json_400(await client.post("/tracker/sites/", json={**site, "last_visited_at": moment}, headers=who.headers))
    body = _json_400(await client.post("/tracker/sites/", json={**site, "last_visited_at": "2026-01-01T10:00:00"},
                                       headers=who.headers))
    assert "last_visited_at" in body
    app = {"title": "Engineer", "company": "Acme"}
    _json_400(await client.post("/tracker/applications/", json={**app, "applied_at": "9999-12-31T23:59:00Z"},
                                headers=who.headers))
    _json_400(await client.post("/tracker/applications/", json={**app, "applied_on": "0001-01-01"},
                                headers=who.headers))
    r = await client.get("/tracker/applications/?status=%C2%B2", headers=who.headers)  # "²": a digit, no number
    assert r.status_code in (200, 400), r.text
    # A posting's comment dates go through the same type.
    r = await client.post("/tracker/sites/", json={**site, "last_visited_at": 0}, headers=who.headers)
    assert r.status_code == 201, r.text


async def test_booking_at_the_last_day_and_oversized_invitee_lists(client: Any, container: Any) -> None:
    m = await mentor(client, container)
    learner = await person(client, container)
    base = {"mentor": m.id, "session_type": "individual", "discourse": "x"}
    body = _json_400(await client.post("/mentor/sessions/book/", json={**base, "date": "9999-12-31", "time": "23:30"},
                                       headers=learner.headers))
    assert body == {"date": ["Enter a valid date."]}
    many = {**base, "session_type": "group", "date": "2030-01-08", "time": "10:00", "invitees": list(range(1, 102))}
    body = _json_400(await client.post("/mentor/sessions/book/", json=many, headers=learner.headers))
    assert body == {"invitees": ["Ensure this list has at most 100 ids."]}


async def test_ats_weights_and_public_email_check(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    job = await make_ats_job(client, org.corp)
    weights = {"skills": "1e999999", "work_experience": "0.1", "projects": "0.3", "education": "0.1",
               "certifications": "0.1"}
    r = await client.patch(f"/ats/jobs/{job['id']}/", json={"score_weight": weights}, headers=org.corp.headers)
    assert "score_weight" in _json_400(r)
    _json_400(await client.get(f"/ats/check-email/{job['id']}/a%00b@example.com/"))


async def test_jobhax_text_with_nul_is_a_handled_failure(client: Any, container: Any) -> None:
    r = await client.post("/api/users/login/", json={"client_id": "a\x00b", "client_secret": "s", "username": "u",
                                                     "password": "p"})
    assert r.status_code == 200 and r.json()["success"] is False and r.json()["error_code"] == 10
