"""The job board over HTTP: every endpoint's success shape, 401 without a token, someone else's job (403/404, never
401) and malformed input (400 JSON); the status rules, applying, saving, preferences, recommendations and search."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.jobs_support import JOB, JOB_KEYS, PAGE_KEYS, make_employer, make_job, measured, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]


async def test_create_and_read_back(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    body = await make_job(client, corp)
    assert set(body) == {"id", "title", "organization", "employment_type", "work_type", "country", "salary",
                         "overview", "description", "industry", "experience_level", "application_deadline", "status"}
    assert body["status"] == "active" and body["application_deadline"] == "2099-12-31"
    assert "technology" in body["industry"].split(",")
    r = await client.get("/job/", headers=corp.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS
    assert r.json()["count"] == 1 and set(r.json()["results"][0]) == JOB_KEYS
    seeker = await person(client, container)
    r = await client.get(f"/job/?job_id={body['id']}", headers=seeker.headers)
    assert r.status_code == 200 and set(r.json()) == JOB_KEYS and r.json()["is_saved"] is False



async def test_create_needs_a_token_an_employer_and_valid_input(client: Any, container: Any) -> None:
    assert (await client.post("/job/", json=JOB)).status_code == 401
    learner = await person(client, container)
    r = await client.post("/job/", json=JOB, headers=learner.headers)
    assert r.status_code == 403 and "detail" in r.json()
    _, corp = await make_employer(client, container)
    for change, field in (
        ({"employment_type": "forever"}, "employment_type"),
        ({"work_type": "moon"}, "work_type"),
        ({"experience_level": "god"}, "experience_level"),
        ({"status": "archived"}, "status"),
        ({"application_deadline": "2001-01-01"}, "application_deadline"),
        ({"application_deadline": "tomorrow"}, "application_deadline"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 251}, "title"),
        ({"title": 5}, "title"),
    ):
        r = await client.post("/job/", json={**JOB, **change}, headers=corp.headers)
        assert r.status_code == 400, (change, r.text)
        assert field in r.json(), (change, r.json())
    r = await client.post("/job/", json={"title": "only"}, headers=corp.headers)
    assert r.status_code == 400 and isinstance(r.json(), dict)
    r = await client.post("/job/", content=b"{not json", headers={**corp.headers, "Content-Type": "application/json"})
    assert r.status_code == 400


async def test_own_list_filters_by_status_and_shows_nobody_else(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    _, rival = await make_employer(client, container)
    active = await make_job(client, corp)
    draft = await make_job(client, corp, status="draft", title="Draft Role")
    await make_job(client, rival, title="Rival Role")
    r = await client.get("/job/", headers=corp.headers)
    assert [j["id"] for j in r.json()["results"]] == [draft["id"], active["id"]]
    r = await client.get("/job/?status=draft", headers=corp.headers)
    assert [j["id"] for j in r.json()["results"]] == [draft["id"]]
    r = await client.get("/job/?status=nope", headers=corp.headers)
    assert r.status_code == 400 and r.json() == {"error": "Invalid status parameter"}
    assert (await client.get("/job/")).status_code == 401
    assert (await client.get("/job/?page=9", headers=corp.headers)).status_code == 404
    _, few = await measured(container, lambda: client.get("/job/", headers=corp.headers))
    for _ in range(6):
        await make_job(client, corp)
    r, many = await measured(container, lambda: client.get("/job/?page=2", headers=corp.headers))
    assert r.status_code == 200 and r.json()["count"] == 8
    assert len(few) == len(many) == 2, many  # the token check and the page (rows, flags and count in one)


async def test_job_details_visibility(client: Any, container: Any) -> None:
    owner, corp = await make_employer(client, container)
    draft = await make_job(client, corp, status="draft")
    seeker = await person(client, container)
    assert (await client.get(f"/job/?job_id={draft['id']}", headers=seeker.headers)).status_code == 404
    assert (await client.get(f"/job/?job_id={draft['id']}", headers=corp.headers)).status_code == 200
    # A member of the poster's organization manages its jobs.
    member = await person(client, container)
    r = await client.post("/user/organization-members/", json={"member": member.id}, headers=corp.headers)
    assert r.status_code == 201, r.text
    assert (await client.get(f"/job/?job_id={draft['id']}", headers=member.headers)).status_code == 200
    assert (await client.get(f"/job/?job_id={draft['id']}")).status_code == 401
    assert (await client.get("/job/?job_id=abc", headers=seeker.headers)).status_code == 400
    assert (await client.get("/job/?job_id=999999", headers=seeker.headers)).status_code == 404
    del owner


async def test_edit_drafts_only_by_their_managers(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    draft = await make_job(client, corp, status="draft")
    url = f"/job/?job_id={draft['id']}"
    r = await client.put(url, json={"title": "Platform Engineer", "salary": "1"}, headers=corp.headers)
    assert r.status_code == 206 and set(r.json()) == JOB_KEYS
    assert r.json()["title"] == "Platform Engineer" and r.json()["salary"] == "1" and r.json()["status"] == "draft"
    other = await person(client, container)
    _, rival = await make_employer(client, container)
    for who in (other, rival):
        assert (await client.put(url, json={"title": "Mine"}, headers=who.headers)).status_code == 404
    assert (await client.put(url, json={"title": "x"})).status_code == 401
    assert (await client.put("/job/", json={"title": "x"}, headers=corp.headers)).status_code == 404
    for bad in ({"work_type": "moon"}, {"application_deadline": "2001-01-01"}, {"title": ""}, {"title": ["x"]}):
        r = await client.put(url, json=bad, headers=corp.headers)
        assert r.status_code == 400, (bad, r.text)
    r = await client.put(url, json={"status": "active"}, headers=corp.headers)
    assert r.status_code == 206 and r.json()["status"] == "active"
    r = await client.put(url, json={"title": "again"}, headers=corp.headers)
    assert r.status_code == 403 and r.json() == {"error": "Only Draft jobs can be edited"}
    assert (await client.put(url, json={"title": "Mine"}, headers=rival.headers)).status_code == 403


async def test_status_rules(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    job = await make_job(client, corp, status="draft")

    async def move(status: str, who: Any = corp) -> Any:
        return await client.put("/job/status/update/", json={"job": job["id"], "status": status}, headers=who.headers)

    r = await move("active")
    assert r.status_code == 200 and set(r.json()) == JOB_KEYS and r.json()["status"] == "active"
    assert (await move("closed")).json()["status"] == "closed"
    assert (await move("active")).json()["status"] == "active"
    seeker = await person(client, container)
    assert (await client.post("/job/apply/", json={"job": job["id"]}, headers=seeker.headers)).status_code == 200
    r = await move("draft")
    assert r.status_code == 403, r.text  # never back to draft once somebody applied
    _, rival = await make_employer(client, container)
    assert (await move("closed", rival)).status_code == 403
    assert (await move("nope")).status_code == 400
    r = await client.put("/job/status/update/", json={"job": 999999, "status": "closed"}, headers=corp.headers)
    assert r.status_code == 404
    r = await client.put("/job/status/update/", json={"job": "x", "status": "closed"}, headers=corp.headers)
    assert r.status_code == 400
    assert (await client.put("/job/status/update/", json={"job": job["id"], "status": "closed"})).status_code == 401
    # A draft with no applications may go back to draft.
    other = await make_job(client, corp)
    r = await client.put("/job/status/update/", json={"job": other["id"], "status": "draft"}, headers=corp.headers)
    assert r.status_code == 200 and r.json()["status"] == "draft"


async def test_apply_once_to_open_jobs_and_the_poster_is_told(client: Any, container: Any) -> None:
    from core.jobs.model.board import JobApplied

    _, corp = await make_employer(client, container)
    job = await make_job(client, corp)
    seeker = await person(client, container)
    r = await client.post("/job/apply/", json={"job": job["id"]}, headers=seeker.headers)
    assert r.status_code == 200 and r.json() == {"application_status": "Success"}
    published = container.platform.event_bus().published
    applied = [e for e in published if isinstance(e, JobApplied)]
    assert [(e.job_id, e.actor_id, e.recipient_id) for e in applied] == [(job["id"], seeker.id, corp.id)]
    r = await client.post("/job/apply/", json={"job": job["id"]}, headers=seeker.headers)
    assert r.status_code == 400 and r.json() == {"job": ["You have already applied for this job."]}
    r = await client.post("/job/apply/", json={"job": job["id"]}, headers=corp.headers)
    assert r.status_code == 400 and r.json() == {"job": ["Employers are not allowed to apply for a job."]}
    draft = await make_job(client, corp, status="draft")
    closed = await make_job(client, corp, status="closed")
    for target in (draft, closed):
        r = await client.post("/job/apply/", json={"job": target["id"]}, headers=seeker.headers)
        assert r.status_code == 400 and "job" in r.json()
    assert (await client.post("/job/apply/", json={"job": 99999}, headers=seeker.headers)).status_code == 400
    assert (await client.post("/job/apply/", json={}, headers=seeker.headers)).status_code == 400
    assert (await client.post("/job/apply/", json={"job": job["id"]})).status_code == 401
    r = await client.get("/job/apply/", headers=seeker.headers)
    assert r.status_code == 200
    [item] = r.json()
    assert set(item) == {"id", "job"} and set(item["job"]) == {
        "id", "title", "employment_type", "salary", "country", "organization", "posted_on"}
    assert (await client.get("/job/apply/")).status_code == 401


async def test_applications_for_the_poster_and_members_only(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    job = await make_job(client, corp)
    seekers = [await person(client, container) for _ in range(3)]
    for s in seekers:
        assert (await client.post("/job/apply/", json={"job": job["id"]}, headers=s.headers)).status_code == 200
    url = f"/job/application/?job_id={job['id']}"
    r = await client.get(url, headers=corp.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS and r.json()["count"] == 3
    item = r.json()["results"][0]
    assert set(item) == {"id", "applicant"} and item["applicant"]["id"] == seekers[-1].id
    assert set(item["applicant"]) == {"id", "first_name", "last_name", "middle_name", "profile_photo",
                                      "qualification", "resume"}
    member = await person(client, container)
    assert (await client.post("/user/organization-members/", json={"member": member.id},
                              headers=corp.headers)).status_code == 201
    assert (await client.get(url, headers=member.headers)).status_code == 200
    assert (await client.get(url, headers=seekers[0].headers)).status_code == 403
    assert (await client.get(url)).status_code == 401
    assert (await client.get("/job/application/", headers=corp.headers)).status_code == 400
    assert (await client.get("/job/application/?job_id=99999", headers=corp.headers)).status_code == 404
    r = await client.get("/job/application/recent/", headers=corp.headers)
    assert r.status_code == 200 and len(r.json()) == 3
    assert set(r.json()[0]) == {"id", "applicant", "job_name"} and r.json()[0]["job_name"] == JOB["title"]
    assert (await client.get("/job/application/recent/", headers=seekers[0].headers)).json() == []
    assert (await client.get("/job/application/recent/")).status_code == 401

    more = [await person(client, container) for _ in range(2)]
    for s in more:
        await client.post("/job/apply/", json={"job": job["id"]}, headers=s.headers)
    r, seen = await measured(container, lambda: client.get(url, headers=corp.headers))
    assert r.status_code == 200 and r.json()["count"] == 5
    assert len(seen) == 3, seen  # the token check, the job (its poster asks: no membership check), the page


async def test_save_list_unsave(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    job = await make_job(client, corp)
    seeker = await person(client, container)
    r = await client.post("/job/save/", json={"job": job["id"]}, headers=seeker.headers)
    assert r.status_code == 201 and set(r.json()) == {"job"}
    assert set(r.json()["job"]) == {"id", "title", "organization", "employment_type", "work_type", "country",
                                    "salary", "overview", "description", "experience_level",
                                    "application_deadline", "status"}
    r = await client.post("/job/save/", json={"job": job["id"]}, headers=seeker.headers)
    assert r.status_code == 400 and r.json() == {"job": ["This Job has already been saved."]}
    draft = await make_job(client, corp, status="draft")
    assert (await client.post("/job/save/", json={"job": draft["id"]}, headers=seeker.headers)).status_code == 400
    assert (await client.post("/job/save/", json={"job": "x"}, headers=seeker.headers)).status_code == 400
    assert (await client.post("/job/save/", json={"job": job["id"]})).status_code == 401
    r = await client.get("/job/save/", headers=seeker.headers)
    assert r.status_code == 200 and [s["job"]["id"] for s in r.json()] == [job["id"]]
    assert (await client.get(f"/job/?job_id={job['id']}", headers=seeker.headers)).json()["is_saved"] is True
    assert (await client.get("/job/save/", headers=corp.headers)).json() == []
    assert (await client.get("/job/save/")).status_code == 401
    r = await client.delete("/job/unsave/", headers=seeker.headers)
    assert r.status_code == 400 and r.json() == {"error": "A job query parameter is required for this request"}
    assert (await client.delete(f"/job/unsave/?job={job['id']}", headers=corp.headers)).status_code == 400
    assert (await client.delete(f"/job/unsave/?job={job['id']}")).status_code == 401
    assert (await client.delete(f"/job/unsave/?job={job['id']}", headers=seeker.headers)).status_code == 204
    assert (await client.get("/job/save/", headers=seeker.headers)).json() == []


async def test_preference(client: Any, container: Any) -> None:
    seeker = await person(client, container)
    r = await client.get("/job/preference/", headers=seeker.headers)
    assert r.status_code == 200 and r.json() == {"title": "N/A", "employment_type": "N/A", "work_type": "N/A",
                                                 "industry": "N/A", "experience_level": "N/A",
                                                 "preference_set": False}
    pref = {"title": "Backend Developer", "employment_type": "full_time", "work_type": "hybrid",
            "industry": "technology", "experience_level": "senior"}
    r = await client.put("/job/preference/", json=pref, headers=seeker.headers)
    assert r.status_code == 200 and r.json() == pref
    r = await client.get("/job/preference/", headers=seeker.headers)
    assert r.json() == {**pref, "preference_set": True}
    for bad in ({**pref, "industry": "astrology"}, {**pref, "work_type": "moon"}, {"title": "x"},
                {**pref, "title": ""}):
        r = await client.put("/job/preference/", json=bad, headers=seeker.headers)
        assert r.status_code == 400, (bad, r.text)
    assert (await client.put("/job/preference/", json=pref)).status_code == 401
    assert (await client.get("/job/preference/")).status_code == 401


async def test_recommendations_rank_open_jobs_of_the_viewers_industries(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    seeker = await person(client, container, industry="technology")
    plain = await make_job(client, corp, title="Data Analyst", work_type="onsite", employment_type="contract",
                           experience_level="entry")
    best = await make_job(client, corp, title="Senior Backend Engineer", work_type="hybrid")
    await make_job(client, corp, status="draft")
    await make_job(client, corp, status="closed")
    await make_job(client, corp, title="Farm Hand", overview="Harvest crops on the farm, tractor and livestock",
                   description="Agriculture: soil, irrigation, harvest, farm work.")
    r = await client.get("/job/recommend/", headers=seeker.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS
    ids = [j["id"] for j in r.json()["results"]]
    assert ids == [best["id"], plain["id"]]  # newest first without a preference
    # The preference's industry joins the viewer's: both are searched (two bounded index walks in one statement).
    pref = {"title": "Data Analyst", "employment_type": "contract", "work_type": "onsite",
            "industry": "health", "experience_level": "entry"}
    assert (await client.put("/job/preference/", json=pref, headers=seeker.headers)).status_code == 200
    r = await client.get("/job/recommend/", headers=seeker.headers)
    assert [j["id"] for j in r.json()["results"]] == [plain["id"], best["id"]]  # the preference's match first
    assert (await client.get("/job/recommend/")).status_code == 401
    assert (await client.get("/job/recommend/?page=x", headers=seeker.headers)).status_code == 404
    for _ in range(6):
        await make_job(client, corp)
    r, seen = await measured(container, lambda: client.get("/job/recommend/?page=2", headers=seeker.headers))
    assert r.status_code == 200 and r.json()["previous"] is not None
    # The token check, then on one connection: the viewer with the preference, the candidates, the page's rows.
    assert len(seen) == 4, seen


async def test_public_search(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    a = await make_job(client, corp, title="Backend Developer", country="Ghana")
    b = await make_job(client, corp, title="Frontend Developer", work_type="onsite")
    await make_job(client, corp, title="Backend Draft", status="draft")
    r = await client.get("/job/search/?q=developer")
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS
    assert [j["id"] for j in r.json()["results"]] == [b["id"], a["id"]]
    assert set(r.json()["results"][0]) == JOB_KEYS
    r = await client.get("/job/search/?q=backend")
    assert [j["id"] for j in r.json()["results"]] == [a["id"]]
    r = await client.get("/job/search/?q=Developer&work_type=onsite")
    assert [j["id"] for j in r.json()["results"]] == [b["id"]]
    r = await client.get("/job/search/?country=Ghana")
    assert [j["id"] for j in r.json()["results"]] == [a["id"]]
    r = await client.get("/job/search/?q=sterling technologies backend")
    assert [j["id"] for j in r.json()["results"]] == [a["id"]]
    assert (await client.get("/job/search/?work_type=moon")).status_code == 400
    assert (await client.get("/job/search/?q=%00")).status_code == 400
    r, seen = await measured(container, lambda: client.get("/job/search/?q=developer&employment_type=full_time"))
    assert r.status_code == 200 and len(seen) == 1, seen
