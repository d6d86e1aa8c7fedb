"""The recruiter ATS over HTTP: every endpoint's documented shape, 401 without a token, someone else's object
(403/404), malformed input (400 JSON); hiring settings, members, candidates (imported and platform applicants),
resumes scored in the background, the pipeline and its latest-status rule, test logs and screenings with their
public links, the e-mail check and the counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dependency_injector import providers

from adapters.system.clock import FrozenClock
from core.jobs.ats.tasks import SCORE_TASK
from tests.conftest import wait_for_mail
from tests.e2e.ats_support import (
    ATS_JOB,
    applied,
    docx_bytes,
    import_candidate,
    make_ats_job,
    make_org,
    settled,
    tracker_tasks,
)
from tests.e2e.jobs_support import PAGE_KEYS, alerts_settled, make_employer, measured, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]

JOB_KEYS = {"id", "title", "description", "jd_html", "applicants_count", "applicants_today_count", "experience",
            "min_experience", "max_experience", "encrypted", "owner", "employment_type", "location", "published",
            "closing_in", "close_date", "created_at", "users_shared_with", "must_have_skills", "score_weight"}
CANDIDATE_KEYS = {"id", "name", "email", "profile_pic", "contact", "location", "resumes", "applied_jobs",
                  "created_at", "updated_at"}
RESUME_KEYS = {"id", "name", "job", "status_text", "relevant_experience_in_months", "overall_score", "resume_score",
               "skills_matched", "score_reasons", "processing_state", "processing_message", "completed",
               "is_approved", "approved_by", "created_at", "updated_at"}
SCORE_KEYS = {"skills_score", "work_exp_score", "projects_score", "education_score", "certifications_score",
              "overall_score"}
STATUS_KEYS = {"id", "candidate", "job", "status", "stage_name", "reason", "updated_at"}
STEP_KEYS = {"id", "key", "job", "assigned_to", "status_text", "valid_to", "assigned_at", "is_approved",
             "approved_by", "revoked"}


async def test_jobs_create_read_update_share_delete(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    job = await make_ats_job(client, org.corp, score_weight={"skills": 0.4, "work_experience": "0.10",
                                                             "projects": 0.3, "education": 0.1,
                                                             "certifications": 0.1})
    assert JOB_KEYS <= set(job)
    assert job["score_weight"] | {"id": 0} == {"id": 0, "skills": "0.40", "work_experience": "0.10",
                                              "projects": "0.30", "education": "0.10", "certifications": "0.10",
                                              "user": None}
    assert job["must_have_skills"] == [{"label": "Python", "value": "Python"}, {"label": "SQL", "value": "SQL"}]
    assert job["published"] is True and job["employment_type"] == "full_time" and job["owner"]["id"] == org.corp.id
    assert job["min_experience"] == 2 and job["max_experience"] == 6 and job["location"] == "Lagos / Remote"
    # The ATS job is the board job.
    r = await client.get(f"/job/?job_id={job['id']}", headers=org.corp.headers)
    assert r.status_code == 200 and r.json()["status"] == "active"
    # A board job created on the board is an ATS job with default weights.
    board = (await client.post("/job/", json={
        "title": "Board Only", "organization": "Acme", "employment_type": "full_time", "work_type": "remote",
        "country": "Nigeria", "salary": "1", "overview": "Python work", "description": "Python work",
        "experience_level": "mid", "application_deadline": "2099-12-31"}, headers=org.corp.headers)).json()
    r = await client.get(f"/ats/jobs/{board['id']}/", headers=org.corp.headers)
    assert r.status_code == 200 and r.json()["score_weight"]["skills"] == "0.30"
    assert r.json()["owner"] is None
    r = await client.get("/ats/jobs/", headers=org.corp.headers)
    assert set(r.json()) == PAGE_KEYS and r.json()["count"] == 2
    assert [j["id"] for j in (await client.get("/ats/jobs/?published=false", headers=org.corp.headers)).json()[
        "results"]] == []
    r = await client.get("/ats/jobs/?must_skills=sql", headers=org.corp.headers)
    assert [j["id"] for j in r.json()["results"]] == [job["id"]]
    r = await client.get("/ats/jobs/?o=title", headers=org.corp.headers)
    assert [j["title"] for j in r.json()["results"]] == ["Backend Engineer", "Board Only"]
    # Malformed input: 400 with a JSON body.
    for change, field in (
        ({"score_weight": {"skills": 0.5, "work_experience": 0.3, "projects": 0.2, "education": 0.1,
                           "certifications": 0.1}}, "score_weight"),
        ({"score_weight": {"skills": "0.30001", "work_experience": 0.3, "projects": 0.2, "education": 0.1,
                           "certifications": 0.09999}}, "score_weight"),
        ({"employment_type": "forever"}, "employment_type"),
        ({"application_deadline": "2001-01-01"}, "application_deadline"),
        ({"users_shared_with": [org.creator.id + 10_000]}, "users_shared_with"),
        ({"min_experience": 9, "max_experience": 3}, "max_experience"),
        ({"title": "  "}, "title"),
    ):
        r = await client.post("/ats/jobs/", json={**ATS_JOB, **change}, headers=org.corp.headers)
        assert r.status_code == 400 and field in r.json(), (change, r.text)
    r = await client.post("/ats/jobs/", content=b"{nope", headers={**org.corp.headers,
                                                                   "Content-Type": "application/json"})
    assert r.status_code == 400 and isinstance(r.json(), dict)
    r = await client.post("/ats/jobs/", json={**ATS_JOB, "min_experience": -1}, headers=org.corp.headers)
    assert r.status_code == 400
    # Updates: settings always; board fields only for drafts (the board's rule).
    r = await client.patch(f"/ats/jobs/{job['id']}/", json={"must_have_skills": ["Go"], "threshold": 6.5,
                                                            "published": False}, headers=org.corp.headers)
    assert r.status_code == 200 and r.json()["must_have_skills"] == [{"label": "Go", "value": "Go"}]
    assert r.json()["published"] is False and r.json()["threshold"] == "6.500"
    r = await client.put(f"/ats/jobs/{job['id']}/", json={"title": "New title"}, headers=org.corp.headers)
    assert r.status_code == 403 and r.json() == {"error": "Only Draft jobs can be edited"}
    # Sharing: members only.
    r = await client.post(f"/ats/jobs/{job['id']}/share/", json={"user_ids": [org.viewer_unshared.id]},
                          headers=org.corp.headers)
    assert r.status_code == 200 and r.json() == {"job": job["id"], "users_shared_with": [org.viewer_unshared.id]}
    assert (await client.get(f"/ats/jobs/{job['id']}/", headers=org.viewer_unshared.headers)).status_code == 200
    stranger = await person(client, container)
    r = await client.post(f"/ats/jobs/{job['id']}/share/", json={"user_ids": [stranger.id]}, headers=org.corp.headers)
    assert r.status_code == 400 and "users_shared_with" in r.json()
    r = await client.post(f"/ats/jobs/{job['id']}/share/", json={"user_ids": []}, headers=org.corp.headers)
    assert r.status_code == 400
    r = await client.request("DELETE", f"/ats/jobs/{job['id']}/share/", json={"user_ids": [org.viewer_unshared.id]},
                             headers=org.corp.headers)
    assert r.status_code == 200 and r.json()["users_shared_with"] == []
    assert (await client.get(f"/ats/jobs/{job['id']}/", headers=org.viewer_unshared.headers)).status_code == 404
    # Stage filters.
    r = await client.get(f"/ats/jobs/{job['id']}/stage-filters/", headers=org.corp.headers)
    assert r.status_code == 200
    assert [s["label"] for s in r.json()] == ["Applied", "Resume Screening", "Assessments",
                                              "Automated Video Interview", "On Hold", "Rejected", "Hired"]
    assert set(r.json()[0]) == {"label", "count", "backgroundColor", "color"}
    # Soft delete: gone from the ATS, closed on the board, rows kept.
    assert (await client.delete(f"/ats/jobs/{job['id']}/", headers=org.viewer_shared.headers)).status_code == 404
    assert (await client.delete(f"/ats/jobs/{job['id']}/", headers=org.corp.headers)).status_code == 204
    assert (await client.get(f"/ats/jobs/{job['id']}/", headers=org.corp.headers)).status_code == 404
    assert (await client.get(f"/job/?job_id={job['id']}", headers=org.corp.headers)).json()["status"] == "closed"
    assert (await client.get("/ats/jobs/")).status_code == 401
    assert (await client.get("/ats/jobs/?o=salary", headers=org.corp.headers)).status_code == 400
    assert (await client.get("/ats/jobs/?published=maybe", headers=org.corp.headers)).status_code == 400


async def test_members(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    r = await client.get("/ats/members/", headers=org.corp.headers)
    assert r.status_code == 200 and set(r.json()[0]) == {"user_id", "name", "email", "role"}
    assert {m["user_id"]: m["role"] for m in r.json()}[org.editor_owner.id] == "editor"
    # A member added on the platform is a viewer here.
    newcomer = await person(client, container)
    r = await client.post("/user/organization-members/", json={"member": newcomer.id}, headers=org.corp.headers)
    assert r.status_code in (200, 201), r.text
    roles = {m["user_id"]: m["role"] for m in (await client.get("/ats/members/", headers=org.corp.headers)).json()}
    assert roles[newcomer.id] == "viewer"
    r = await client.patch(f"/ats/members/{newcomer.id}/", json={"role": "editor"}, headers=org.creator.headers)
    assert r.status_code == 200 and r.json()["role"] == "editor"
    assert (await client.patch(f"/ats/members/{newcomer.id}/", json={"role": "owner"},
                               headers=org.corp.headers)).status_code == 400
    assert (await client.post("/ats/members/", json={"user_id": newcomer.id, "role": "boss"},
                              headers=org.corp.headers)).status_code == 400
    assert (await client.post("/ats/members/", json={"user_id": "x"}, headers=org.corp.headers)).status_code == 400
    _, rival = await make_employer(client, container)
    r = await client.post("/ats/members/", json={"user_id": rival.id, "role": "viewer"}, headers=org.corp.headers)
    assert r.status_code == 400
    assert (await client.patch(f"/ats/members/{rival.id}/", json={"role": "viewer"},
                               headers=org.corp.headers)).status_code == 404
    assert (await client.patch(f"/ats/members/{newcomer.id}/", json={"role": "admin"},
                               headers=org.editor_owner.headers)).status_code == 403
    assert (await client.delete(f"/ats/members/{newcomer.id}/", headers=org.viewer_shared.headers)).status_code == 403
    assert (await client.delete(f"/ats/members/{newcomer.id}/", headers=org.corp.headers)).status_code == 204
    assert (await client.delete(f"/ats/members/{newcomer.id}/", headers=org.corp.headers)).status_code == 404
    # The platform member list follows.
    r = await client.get(f"/user/organization/{org.corp.id}/", headers=org.corp.headers)
    if r.status_code == 200 and "members" in r.json():
        assert newcomer.id not in {m["id"] for m in r.json()["members"]}
    assert (await client.get("/ats/members/")).status_code == 401
    assert (await client.get("/ats/members/", headers=newcomer.headers)).status_code == 403


async def test_candidates_imported_and_platform_applicants(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    job = await make_ats_job(client, org.editor_owner)
    other_job = await make_ats_job(client, org.editor_owner, title="Platform Engineer")
    r = await import_candidate(client, org.editor_owner, job["id"], "Jane@Example.com")
    assert r.status_code == 201, r.text
    jane = r.json()
    assert CANDIDATE_KEYS <= set(jane) and jane["email"] == "jane@example.com"
    assert jane["applied_jobs"] == [{"id": job["id"], "title": "Backend Engineer"}]
    assert jane["resumes"]["processing_state"] == "pending" and RESUME_KEYS <= set(jane["resumes"])
    # Same person, another job: the same candidate; the same job twice: 400.
    r = await import_candidate(client, org.editor_owner, other_job["id"], "jane@example.com",
                               data=docx_bytes(), filename="cv.docx")
    assert r.status_code == 201 and r.json()["id"] == jane["id"]
    r = await import_candidate(client, org.editor_owner, job["id"], "jane@example.com")
    assert r.status_code == 400 and "email" in r.json()
    # Files judged by content and size.
    for data, name in ((b"just text", "cv.pdf"), (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "cv.pdf"),
                       (b"%PDF-1.4" + b"0" * (5 * 1024 * 1024), "big.pdf")):
        r = await import_candidate(client, org.editor_owner, job["id"], "x@example.com", data=data, filename=name)
        assert r.status_code == 400 and "resume" in r.json(), r.text
    r = await client.post("/ats/candidates/", data={"job": str(job["id"]), "name": "No File", "email": "n@e.com"},
                          headers=org.editor_owner.headers)
    assert r.status_code == 400 and "resume" in r.json()
    r = await client.post("/ats/candidates/", data={"job": "abc", "name": "X", "email": "n@e.com"},
                          headers=org.editor_owner.headers)
    assert r.status_code == 400
    r = await import_candidate(client, org.editor_owner, job["id"], "not-an-email")
    assert r.status_code == 400 and "email" in r.json()
    assert (await import_candidate(client, org.viewer_shared, job["id"], "v@example.com")).status_code == 404
    assert (await client.post("/ats/candidates/", data={})).status_code == 401
    # A platform applicant appears without import, linked to their account.
    seeker = await person(client, container)
    await applied(client, container, seeker, job["id"])
    r = await client.get(f"/ats/candidates/?job={job['id']}&o=name", headers=org.editor_owner.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS and r.json()["count"] == 2
    platform = next(c for c in r.json()["results"] if c["email"] == seeker.email)
    assert platform["resumes"] is None and platform["applied_jobs"][0]["id"] == job["id"]
    r = await client.get(f"/ats/candidate/{job['id']}/", headers=org.editor_owner.headers)
    assert r.status_code == 200 and r.json()["count"] == 2
    await settled(container, SCORE_TASK)  # scored: the imported candidates moved to Resume Screening
    r = await client.get(f"/ats/candidates/?stage=Resume Screening&job={other_job['id']}",
                         headers=org.editor_owner.headers)
    assert [c["id"] for c in r.json()["results"]] == [jane["id"]]
    r = await client.get(f"/ats/candidates/?stage=Applied&job={job['id']}", headers=org.editor_owner.headers)
    assert [c["id"] for c in r.json()["results"]] == [platform["id"]]
    assert (await client.get("/ats/candidates/?o=salary", headers=org.corp.headers)).status_code == 400
    assert (await client.get("/ats/candidates/?updated_at__in=yesterday", headers=org.corp.headers)).status_code == 400
    assert (await client.get("/ats/candidates/?score_gte=11", headers=org.corp.headers)).status_code == 400
    # Edit and delete.
    r = await client.patch(f"/ats/candidates/{jane['id']}/", json={"name": "Jane D.", "city": "Pune"},
                           headers=org.editor_owner.headers)
    assert r.status_code == 200 and r.json()["name"] == "Jane D." and r.json()["location"]["city"] == "Pune"
    r = await client.patch(f"/ats/candidates/{platform['id']}/", json={"email": "other@example.com"},
                           headers=org.editor_owner.headers)
    assert r.status_code == 400
    r = await client.patch(f"/ats/candidates/{jane['id']}/", json={"name": 5}, headers=org.editor_owner.headers)
    assert r.status_code == 400
    assert (await client.patch(f"/ats/candidates/{jane['id']}/", json={"name": "V"},
                               headers=org.viewer_shared.headers)).status_code == 404
    _, rival = await make_employer(client, container)
    assert (await client.get(f"/ats/candidates/{jane['id']}/", headers=rival.headers)).status_code == 404
    assert (await client.delete(f"/ats/candidates/{jane['id']}/", headers=rival.headers)).status_code == 404
    assert (await client.delete(f"/ats/candidates/{jane['id']}/", headers=org.editor_owner.headers)).status_code == 204
    assert (await client.get(f"/ats/candidates/{jane['id']}/", headers=org.corp.headers)).status_code == 404
    assert (await client.get(f"/ats/candidates/{jane['id']}/")).status_code == 401


async def test_resumes_are_scored_in_the_background(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    job = await make_ats_job(client, org.corp, must_have_skills=["Python", "PostgreSQL", "Docker"])
    good = (await import_candidate(client, org.corp, job["id"], "alex@example.com", "Alex")).json()
    docx = (await import_candidate(client, org.corp, job["id"], "sam@example.com", "Sam", data=docx_bytes(),
                                   filename="cv.docx")).json()
    broken = await import_candidate(client, org.corp, job["id"], "broken@example.com", "Broken",
                                    data=b"%PDF-1.4\n%garbage that is no PDF\n")
    assert broken.status_code == 201, broken.text
    await settled(container, SCORE_TASK)
    r = await client.get(f"/ats/resumes/?job={job['id']}&o=-overall_score", headers=org.corp.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS and r.json()["count"] == 3
    results = r.json()["results"]
    by_candidate = {x["candidate"]: x for x in results}
    alex = by_candidate[good["id"]]
    assert RESUME_KEYS <= set(alex) and SCORE_KEYS <= set(alex["resume_score"])
    assert alex["processing_state"] == "done" and alex["processing_message"]
    assert len(alex["score_reasons"]) == 5 and all(alex["score_reasons"])
    assert {"Python", "PostgreSQL", "Docker"} <= set(alex["skills_matched"])
    parts = [alex["resume_score"][k] for k in ("skills_score", "work_exp_score", "projects_score", "education_score",
                                               "certifications_score")]
    assert sum(float(p) for p in parts) == pytest.approx(float(alex["overall_score"]))
    assert float(alex["resume_score"]["skills_score"]) <= 3.0  # 10 × 0.30
    assert by_candidate[docx["id"]]["processing_state"] == "done"
    failed = by_candidate[broken.json()["id"]]
    assert failed["processing_state"] == "failed" and failed["processing_message"] and failed["overall_score"] is None
    scores = [float(x["overall_score"]) if x["overall_score"] else -1 for x in results]
    assert scores == sorted(scores, reverse=True)
    r = await client.get(f"/ats/resumes/{alex['id']}/", headers=org.corp.headers)
    assert r.status_code == 200 and r.json()["overall_score"] == alex["overall_score"]
    assert alex["status_text"] in ("Under Review", "Not Shortlisted")
    # The pipeline moved to Resume Screening (automation, no override).
    r = await client.get(f"/ats/job-statuses/?candidate={good['id']}", headers=org.corp.headers)
    assert r.json()["results"][0]["stage_name"] == "Resume Screening"
    assert (await client.get(f"/ats/resumes/{alex['id']}/", headers=org.viewer_unshared.headers)).status_code == 404
    assert (await client.get("/ats/resumes/?o=name", headers=org.corp.headers)).status_code == 400
    assert (await client.get("/ats/resumes/")).status_code == 401


async def test_pipeline_latest_status_ties_overrides_and_tracker(client: Any, container: Any) -> None:
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    container.platform.clock.override(providers.Object(clock))
    org = await make_org(client, container)
    job = await make_ats_job(client, org.editor_owner)
    seeker = await person(client, container)
    await applied(client, container, seeker, job["id"])
    cards = (await client.get(f"/ats/candidates/?job={job['id']}", headers=org.editor_owner.headers)).json()
    candidate = cards["results"][0]["id"]

    async def move(status: str, stage: str, reason: str = "") -> Any:
        return await client.post("/ats/job-statuses/", json={"candidate": candidate, "job": job["id"],
                                                               "status": status, "stage_name": stage,
                                                               "reason": reason}, headers=org.editor_owner.headers)

    async def latest() -> dict[str, Any]:
        r = await client.get(f"/ats/job-statuses/?job={job['id']}&candidate={candidate}",
                             headers=org.editor_owner.headers)
        assert r.status_code == 200 and r.json()["count"] == 1
        item: dict[str, Any] = r.json()["results"][0]
        return item

    # Two moves at the same instant: the later one (greatest id) is the latest.
    r = await move("On Hold", "Resume Screening", "waiting for references")
    assert r.status_code == 201 and STATUS_KEYS <= set(r.json())
    r = await move("Resume Screening", "Resume Screening")
    assert (await latest())["status"] == "Resume Screening"
    # An event stamped earlier than the latest (a late writer) is logged but does not become the latest.
    clock.current -= timedelta(minutes=5)
    assert (await move("On Hold", "Resume Screening")).status_code == 201
    assert (await latest())["status"] == "Resume Screening"
    clock.current += timedelta(minutes=10)
    history = (await client.get(f"/ats/job-statuses/history/?job={job['id']}&candidate={candidate}",
                                headers=org.editor_owner.headers)).json()
    assert history["count"] == 4  # Applied + three moves: one event per move
    # On Hold reaches nobody; an assessment invitation, Rejected and Hired reach the applicant's tracker (the board's
    # apply itself told the tracker "applied").
    assert [m["move"] for m in await tracker_tasks(container)] == ["applied"]
    test = await client.post("/ats/testlogs/", json={"job": job["id"], "assigned_to": candidate},
                             headers=org.editor_owner.headers)
    assert test.status_code == 201 and test.json()["status_text"] == "Assigned" and STEP_KEYS <= set(test.json())
    assert (await latest())["stage_name"] == "Assessments"
    # A recruiter's override is never overwritten by automation (the candidate completing the test).
    clock.current += timedelta(seconds=1)
    assert (await move("On Hold", "Assessments")).status_code == 201
    clock.current += timedelta(seconds=1)
    key = test.json()["key"]
    r = await client.post(f"/ats/public/tests/{key}/complete/")
    assert r.status_code == 200 and r.json()["status_text"] == "Completed"
    assert (await latest())["status"] == "On Hold"
    assert (await client.post(f"/ats/public/tests/{key}/complete/")).status_code == 409
    clock.current += timedelta(seconds=1)
    assert (await move("Rejected", "Assessments", "not a fit")).status_code == 201
    moves = await tracker_tasks(container)
    board_application = moves[0]["application_id"]
    assert [(m["move"], m["user_id"], m["job_id"]) for m in moves] == [
        ("applied", seeker.id, job["id"]), ("assessment", seeker.id, job["id"]), ("rejected", seeker.id, job["id"])]
    # The tracker's handler ran them: the applicant's tracked application is at PHONE SCREEN and rejected, and it
    # shows nothing of the ATS's labels or reasons.
    await alerts_settled(container)
    tracked = (await client.get("/tracker/applications/", headers=seeker.headers)).json()
    assert tracked["count"] == 1, tracked
    item = tracked["results"][0]
    assert (item["status"]["name"], item["rejected"], item["source"]) == ("PHONE SCREEN", True, "Career Nexus")
    assert "not a fit" not in str(tracked) and "On Hold" not in str(tracked)
    assert all(m["application_id"] == board_application and m["dedupe_key"].startswith(
        f"tracker-move:{board_application}:") for m in moves)
    assert "not a fit" not in str(moves) and "On Hold" not in str(moves)
    # Malformed and forbidden moves.
    for body in ({"status": "Interviewing", "stage_name": "Assessments"},
                 {"status": "Assessments", "stage_name": "Phone Screen"},
                 {"status": "Applied", "stage_name": "Assessments"}):
        r = await client.post("/ats/job-statuses/", json={"candidate": candidate, "job": job["id"], **body},
                              headers=org.editor_owner.headers)
        assert r.status_code == 400 and set(r.json()) & {"status", "stage_name"}, body
    assert (await client.post("/ats/job-statuses/", json={"candidate": "x"},
                              headers=org.editor_owner.headers)).status_code == 400
    assert (await client.post("/ats/job-statuses/", json={"candidate": candidate, "job": job["id"],
                                                           "status": "Hired", "stage_name": "Applied"},
                              headers=org.viewer_unshared.headers)).status_code == 404
    assert (await client.post("/ats/job-statuses/", json={})).status_code == 401
    assert (await client.get("/ats/job-statuses/history/")).status_code == 401
    assert (await client.get("/ats/job-statuses/?o=name", headers=org.corp.headers)).status_code == 400


async def test_test_logs_and_screenings_with_public_links(client: Any, container: Any) -> None:
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    container.platform.clock.override(providers.Object(clock))
    org = await make_org(client, container)
    job = await make_ats_job(client, org.corp)
    ann = (await import_candidate(client, org.corp, job["id"], "ann@example.com", "Ann")).json()["id"]
    bob = (await import_candidate(client, org.corp, job["id"], "bob@example.com", "Bob")).json()["id"]
    until = (clock.now() + timedelta(hours=1)).isoformat()
    test = (await client.post("/ats/testlogs/", json={"job": job["id"], "assigned_to": ann, "valid_to": until},
                              headers=org.corp.headers)).json()
    assert len(test["key"]) >= 32 and test["status_text"] == "Assigned"
    # Opening counts attempts; past the limit: 429.
    for left in (2, 1, 0):
        r = await client.get(f"/ats/public/tests/{test['key']}/")
        assert r.status_code == 200 and r.json()["attempts_left"] == left and r.json()["status_text"] == "In Progress"
    assert (await client.get(f"/ats/public/tests/{test['key']}/")).status_code == 429
    assert (await client.get("/ats/public/tests/unknown-key/")).status_code == 404
    assert (await client.get(f"/ats/public/screenings/{test['key']}/")).status_code == 404  # a test, not a screening
    # Approval records who approved.
    r = await client.patch(f"/ats/testlogs/{test['id']}/", json={"is_approved": True}, headers=org.creator.headers)
    assert r.status_code == 200 and r.json()["approved_by"] == org.creator.id and r.json()["link_opened"] is True
    assert (await client.patch(f"/ats/testlogs/{test['id']}/", json={"is_approved": "yes"},
                               headers=org.corp.headers)).status_code == 400
    assert (await client.patch(f"/ats/testlogs/{test['id']}/", json={"is_approved": True},
                               headers=org.viewer_shared.headers)).status_code == 404
    r = await client.get(f"/ats/testlog/{job['id']}/", headers=org.corp.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS and r.json()["count"] == 1
    # Expiry: the link answers 410 once past valid_to, and lists show Expired.
    clock.current += timedelta(hours=2)
    assert (await client.post(f"/ats/public/tests/{test['key']}/complete/")).status_code == 410
    assert (await client.get(f"/ats/testlogs/{test['id']}/", headers=org.corp.headers)).json()[
        "status_text"] == "Expired"
    r = await client.post("/ats/testlogs/", json={"job": job["id"], "assigned_to": ann,
                                                  "valid_to": "2001-01-01T00:00:00Z"}, headers=org.corp.headers)
    assert r.status_code == 400 and "valid_to" in r.json()
    r = await client.post("/ats/testlogs/", json={"job": job["id"], "assigned_to": 10**12}, headers=org.corp.headers)
    assert r.status_code == 400 and "candidate" in r.json()
    assert (await client.post("/ats/testlogs/", json={"job": job["id"]}, headers=org.corp.headers)).status_code == 400
    # Screenings: one per candidate, each e-mailed its link through the outbox.
    mailer = container.platform.mailer()
    r = await client.post("/ats/personality-screenings/", json={"job": job["id"], "candidates": [ann, bob]},
                          headers=org.corp.headers)
    assert r.status_code == 201 and len(r.json()) == 2 and all(STEP_KEYS <= set(s) for s in r.json())
    keys = {s["candidate"]: s["key"] for s in r.json()}
    mail = await wait_for_mail(mailer, "bob@example.com", "Your video interview for Backend Engineer")
    assert f"/ats/public/screenings/{keys[bob]}/" in mail.text
    r = await client.get(f"/ats/public/screenings/{keys[bob]}/")
    assert r.status_code == 200 and r.json()["job_title"] == "Backend Engineer"
    assert (await client.post(f"/ats/public/screenings/{keys[bob]}/complete/")).status_code == 200
    r = await client.get(f"/ats/job-statuses/?candidate={bob}", headers=org.corp.headers)
    assert r.json()["results"][0]["stage_name"] == "Automated Video Interview"
    screening = next(s for s in (await client.get(f"/ats/personality_screening/{job['id']}/",
                                                  headers=org.corp.headers)).json()["results"] if s["candidate"] == ann)
    r = await client.patch(f"/ats/personality-screenings/{screening['id']}/", json={"revoked": True},
                           headers=org.corp.headers)
    assert r.status_code == 200 and r.json()["revoked"] is True
    assert (await client.get(f"/ats/public/screenings/{keys[ann]}/")).status_code == 410
    assert (await client.post("/ats/personality-screenings/", json={"job": job["id"], "candidates": []},
                              headers=org.corp.headers)).status_code == 400
    assert (await client.post("/ats/personality-screenings/", json={"job": job["id"], "candidates": [ann]},
                              headers=org.viewer_shared.headers)).status_code == 404
    assert (await client.delete(f"/ats/personality-screenings/{screening['id']}/",
                                headers=org.corp.headers)).status_code == 204
    assert (await client.get(f"/ats/personality-screenings/{screening['id']}/",
                             headers=org.corp.headers)).status_code == 404
    assert (await client.delete(f"/ats/testlogs/{test['id']}/", headers=org.corp.headers)).status_code == 204
    for path in ("/ats/testlogs/", "/ats/personality-screenings/", f"/ats/testlogs/{test['id']}/"):
        assert (await client.get(path)).status_code == 401


async def test_check_email_and_counts(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    job = await make_ats_job(client, org.corp)
    await import_candidate(client, org.corp, job["id"], "ann@example.com", "Ann")
    r = await client.get(f"/ats/check-email/{job['id']}/ann@example.com/")
    assert r.status_code == 200 and set(r.json()) == {"exists", "id", "applied_job", "resume", "retries"}
    assert r.json()["exists"] is True and r.json()["applied_job"] is True and r.json()["retries"] == 0
    assert r.json()["resume"]
    r = await client.get(f"/ats/check-email/{job['id']}/nobody@example.com/")
    assert r.json() == {"exists": False, "id": None, "applied_job": False, "resume": None, "retries": 1}
    assert (await client.get(f"/ats/check-email/{job['id']}/not-an-email/")).status_code == 400
    assert (await client.get("/ats/check-email/999999999/ann@example.com/")).status_code == 404
    r = await client.get("/ats/get_count/", headers=org.corp.headers)
    assert r.status_code == 200 and r.json() == {"jobs": 1, "applicants": 1}
    assert (await client.get("/ats/get_count/")).status_code == 401
    assert (await client.get("/ats/get_count/?org=abc", headers=org.corp.headers)).status_code == 400
    # Rate limited with the platform limiter.
    statuses = [(await client.get(f"/ats/check-email/{job['id']}/x{i}@example.com/")).status_code for i in range(35)]
    assert 429 in statuses


async def test_lists_cost_a_fixed_number_of_statements(client: Any, container: Any) -> None:
    org = await make_org(client, container)
    job = await make_ats_job(client, org.corp)
    paths = ("/ats/jobs/", "/ats/candidates/", f"/ats/candidate/{job['id']}/", "/ats/resumes/",
             "/ats/job-statuses/", "/ats/job-statuses/history/", "/ats/testlogs/", "/ats/personality-screenings/",
             "/ats/members/", "/ats/get_count/")

    async def costs() -> dict[str, int]:
        await settled(container)
        found = {}
        for path in paths:
            who = org.corp if path == "/ats/members/" else org.editor_owner
            r, statements = await measured(container, lambda p=path, w=who: client.get(p, headers=w.headers))
            assert r.status_code == 200, (path, r.text)
            found[path] = len(statements)
        return found

    await client.post(f"/ats/jobs/{job['id']}/share/", json={"user_ids": [org.editor_owner.id]},
                      headers=org.corp.headers)
    cid = (await import_candidate(client, org.corp, job["id"], "c0@example.com")).json()["id"]
    await client.post("/ats/testlogs/", json={"job": job["id"], "assigned_to": cid}, headers=org.corp.headers)
    await client.post("/ats/personality-screenings/", json={"job": job["id"], "candidates": [cid]},
                      headers=org.corp.headers)
    few = await costs()
    for i in range(1, 6):
        extra = await make_ats_job(client, org.editor_owner, title=f"Role {i}",
                                   users_shared_with=[org.editor_shared.id])
        cid = (await import_candidate(client, org.corp, job["id"], f"c{i}@example.com")).json()["id"]
        await import_candidate(client, org.corp, extra["id"], f"c{i}@example.com")
        await client.post("/ats/testlogs/", json={"job": job["id"], "assigned_to": cid}, headers=org.corp.headers)
        await client.post("/ats/personality-screenings/", json={"job": job["id"], "candidates": [cid]},
                          headers=org.corp.headers)
    many = await costs()
    assert few == many, (few, many)
