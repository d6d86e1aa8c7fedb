"""The ATS role × resource matrix: admin (the corporate account's own token and its creator), editor-owner,
editor-shared, viewer-shared, viewer-unshared, a user of another organisation and an anonymous caller — each sees
and changes exactly what the one visibility rule allows, for jobs, candidates, resumes, statuses, test logs and
screenings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.ats_support import import_candidate, make_ats_job, make_org
from tests.e2e.jobs_support import make_employer

pytestmark = [pytest.mark.anyio, pytest.mark.db]


async def test_role_matrix(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    _, other = await make_employer(client, container)
    # Job A: owned by an editor, shared with the other editor and one viewer. Job B: the admin's, shared with nobody.
    a = await make_ats_job(client, org.editor_owner,
                           users_shared_with=[org.editor_shared.id, org.viewer_shared.id])
    b = await make_ats_job(client, org.corp, title="Data Analyst")
    assert a["owner"]["id"] == org.editor_owner.id
    assert {u["id"] for u in a["users_shared_with"]} == {org.editor_shared.id, org.viewer_shared.id}
    ra = await import_candidate(client, org.editor_owner, a["id"], "ann@example.com", "Ann")
    rb = await import_candidate(client, org.corp, b["id"], "bob@example.com", "Bob")
    assert ra.status_code == rb.status_code == 201, (ra.text, rb.text)
    ann, bob = ra.json()["id"], rb.json()["id"]
    test = await client.post("/ats/testlogs/", json={"job": a["id"], "assigned_to": ann},
                             headers=org.editor_shared.headers)
    assert test.status_code == 201, test.text
    screening = await client.post("/ats/personality-screenings/", json={"job": b["id"], "candidates": [bob]},
                                  headers=org.corp.headers)
    assert screening.status_code == 201, screening.text

    everyone = {
        "admin": org.corp, "creator": org.creator, "editor_owner": org.editor_owner,
        "editor_shared": org.editor_shared, "viewer_shared": org.viewer_shared,
        "viewer_unshared": org.viewer_unshared, "other": other,
    }
    sees_a = {"admin", "creator", "editor_owner", "editor_shared", "viewer_shared"}
    sees_b = {"admin", "creator"}
    writes = {"admin", "creator", "editor_owner", "editor_shared"}

    async def ids(path: str, headers: dict[str, str]) -> set[int]:
        r = await client.get(path, headers=headers)
        assert r.status_code == 200, (path, r.text)
        return {item["id"] for item in r.json()["results"]}

    for name, who in everyone.items():
        expected_jobs = {j for j, seen in ((a["id"], name in sees_a), (b["id"], name in sees_b)) if seen}
        assert await ids("/ats/jobs/", who.headers) == expected_jobs, name
        expected_candidates = {c for c, seen in ((ann, name in sees_a), (bob, name in sees_b)) if seen}
        assert await ids("/ats/candidates/", who.headers) == expected_candidates, name
        assert len(await ids("/ats/resumes/", who.headers)) == len(expected_candidates), name
        assert len(await ids("/ats/job-statuses/", who.headers)) == len(expected_candidates), name
        assert len(await ids("/ats/testlogs/", who.headers)) == (1 if name in sees_a else 0), name
        assert len(await ids("/ats/personality-screenings/", who.headers)) == (1 if name in sees_b else 0), name
        counts = (await client.get("/ats/get_count/", headers=who.headers)).json()
        assert counts == {"jobs": len(expected_jobs), "applicants": len(expected_candidates)}, name
        for job, visible in ((a, name in sees_a), (b, name in sees_b)):
            r = await client.get(f"/ats/jobs/{job['id']}/", headers=who.headers)
            assert r.status_code == (200 if visible else 404), (name, job["id"], r.text)
            r = await client.get(f"/ats/jobs/{job['id']}/stage-filters/", headers=who.headers)
            assert r.status_code == (200 if visible else 404), (name, r.text)
            # Changing: 200 for writers who see it, 403 for a viewer who sees it, 404 for anyone else.
            expected = (200 if name in writes else 403) if visible else 404
            r = await client.patch(f"/ats/jobs/{job['id']}/", json={"location": f"by {name}"}, headers=who.headers)
            assert r.status_code == expected, (name, job["id"], r.text)
            candidate = ann if job is a else bob
            r = await client.post("/ats/job-statuses/", json={
                "candidate": candidate, "job": job["id"], "status": "On Hold", "stage_name": "Resume Screening"},
                headers=who.headers)
            assert r.status_code == (201 if expected == 200 else expected), (name, r.text)
            r = await client.get(f"/ats/candidates/{candidate}/", headers=who.headers)
            assert r.status_code == (200 if visible else 404), (name, r.text)
        # Members: admins only.
        r = await client.get("/ats/members/", headers=who.headers)
        if name in ("admin", "creator"):
            assert r.status_code == 200 and {m["user_id"] for m in r.json()} == {
                org.editor_owner.id, org.editor_shared.id, org.viewer_shared.id, org.viewer_unshared.id}
        elif name == "other":
            assert r.status_code == 200 and r.json() == []  # their own organisation, which has nobody
        else:
            assert r.status_code == 403, (name, r.text)
    # Creating a job: admins and editors; a viewer may not.
    r = await client.post("/ats/jobs/", json={"title": "x"}, headers=org.viewer_shared.headers)
    assert r.status_code in (400, 403)
    from tests.e2e.ats_support import ATS_JOB
    assert (await client.post("/ats/jobs/", json=ATS_JOB, headers=org.viewer_shared.headers)).status_code == 403
    assert (await client.post("/ats/jobs/", json=ATS_JOB, headers=org.editor_shared.headers)).status_code == 201
    # Anonymous: 401 everywhere but the public links.
    for path in ("/ats/jobs/", f"/ats/jobs/{a['id']}/", "/ats/candidates/", "/ats/resumes/", "/ats/job-statuses/",
                 "/ats/testlogs/", "/ats/personality-screenings/", "/ats/members/", "/ats/get_count/",
                 f"/ats/candidate/{a['id']}/", f"/ats/testlog/{a['id']}/", f"/ats/personality_screening/{a['id']}/"):
        r = await client.get(path)
        assert r.status_code == 401 and "detail" in r.json(), path
    r = await client.get(f"/ats/public/tests/{test.json()['key']}/")
    assert r.status_code == 200, r.text


async def test_a_user_in_several_organisations_names_one(client: Any, container: Any) -> None:
    from tests.e2e.ats_support import ATS_JOB

    org = await make_org(client, container)
    second = await make_org(client, container)
    member = org.viewer_unshared  # a viewer in the first organisation
    r = await client.post("/ats/members/", json={"user_id": member.id, "role": "editor"}, headers=second.corp.headers)
    assert r.status_code == 201
    r = await client.get("/ats/jobs/", headers=member.headers)
    assert r.status_code == 400 and "org" in r.json()
    assert (await client.post("/ats/jobs/", json=ATS_JOB, headers=member.headers)).status_code == 400
    # Named: an editor in the second organisation, a viewer in the first.
    r = await client.post(f"/ats/jobs/?org={second.corp.id}", json=ATS_JOB, headers=member.headers)
    assert r.status_code == 201 and r.json()["owner"]["id"] == member.id
    r = await client.post(f"/ats/jobs/?org={org.corp.id}", json=ATS_JOB, headers=member.headers)
    assert r.status_code == 403
    assert (await client.get(f"/ats/jobs/?org={second.corp.id}", headers=member.headers)).json()["count"] == 1
    assert (await client.get(f"/ats/jobs/?org={org.corp.id}", headers=member.headers)).json()["count"] == 0
    # An organisation the user is not in: 404; a malformed one: 400.
    assert (await client.get(f"/ats/jobs/?org={second.corp.id + 10_000}", headers=member.headers)).status_code == 404
    assert (await client.get("/ats/jobs/?org=abc", headers=member.headers)).status_code == 400
    # The corporate account's own token always acts as its admin, and its creator too.
    assert (await client.get("/ats/get_count/", headers=second.corp.headers)).json()["jobs"] == 1
    assert (await client.get("/ats/get_count/", headers=second.creator.headers)).json()["jobs"] == 1
    # Someone in no organisation is refused.
    loner = org.creator  # created one organisation: admin there
    assert (await client.get("/ats/get_count/", headers=loner.headers)).status_code == 200
