"""The job-search-tracker-compatible face over HTTP (``spec/job-search-tracker-api.md``): every documented endpoint's
success shape and status code (201 on create, 204 on update and delete), 401 without a token, someone else's object
(404, never their data), malformed input (400 JSON); paths with and without the trailing slash; the register that
never blocks the address's owner; real 401s for failed refreshes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, SignedUp, bearer, code_in, wait_for_mail
from tests.e2e.jobs_support import measured, person
from tests.e2e.profiles_support import make_admin

pytestmark = [pytest.mark.anyio, pytest.mark.db]

SITE_KEYS = {"id", "site_name", "site_url", "site_password", "rating", "resume_format", "github_field",
             "project_site_field", "last_visited_at", "resume_updated_at", "headline", "description"}
POSTING_KEYS = {"id", "job_site_id", "company_name", "posting_title", "posting_status", "posting_url_full",
                "posting_url_domain", "posting_password", "pay_range", "location_type", "location_city",
                "employment_type", "applied_at", "interviewed_at", "rejected_at", "rejected_after_stage",
                "job_scan_info", "outreach_info", "time_spent", "technology_string", "technology_stack", "comments",
                "posting_application_questions", "job_description"}
POSTING_LIST_KEYS = {"id", "company_name", "posting_title", "posting_status", "rejected_after_stage", "applied_at",
                     "rejected_at"}
OPP_KEYS = {"id", "job_title", "opportunity_status", "recruiter_name", "recruiter_company", "email_received_at",
            "employment_type", "job_duration", "location_type", "location_city", "comments", "job_description"}
USER_KEYS = {"id", "username", "email", "first_name", "last_name"}
OPPORTUNITY = {"job_title": "Staff Engineer", "opportunity_status": "5 - Showed Opportunity Interest",
               "recruiter_name": "Rita", "recruiter_company": "Hunters", "employment_type": "Contract",
               "location_type": "In Office", "comments": [{"id": 1, "comment_content": "<p>hi</p>"}]}
STRONG = "Str0ng!Passw0rd#"


def posting(site: int, **changes: Any) -> dict[str, Any]:
    return {"job_site_id": site, "company_name": "Acme", "posting_title": "Backend Engineer",
            "posting_status": "2 - Awaiting Feedback", "posting_url_domain": "LinkedIn Easy Apply",
            "pay_range": "$120,000 - $150k", "location_type": "Remote", "employment_type": "Full-time",
            "applied_at": "2026-11-02T10:00:00Z", "job_description": "TBD", "technology_stack": ["Python"],
            "job_scan_info": "80%", "comments": [{"comment_type": "Phone Call Notes", "comment_content": "Call",
                                                  "commented_at": "2026-11-03T09:00:00Z"}], **changes}


async def _site(client: Any, who: SignedUp, **body: Any) -> int:
    r = await client.post("/api/job_site/", json={"site_name": "LinkedIn", **body}, headers=who.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def _posting(client: Any, who: SignedUp, site: int, **changes: Any) -> int:
    r = await client.post("/api/job_posting/", json=posting(site, **changes), headers=who.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def test_job_sites(client: Any, container: Any) -> None:
    me = await person(client, container)
    r = await client.post("/api/job_site/", json={}, headers=me.headers)  # every field has a default
    assert r.status_code == 201 and set(r.json()) == {"id"}
    site = await _site(client, me, site_password="hunter2", site_url="https://linkedin.com")
    r = await client.get("/api/job_site/", headers=me.headers)
    assert r.status_code == 200 and len(r.json()) == 2
    assert set(r.json()[0]) == {"id", "site_name", "site_url", "rating", "last_visited_at", "headline"}
    for url in (f"/api/job_site/{site}", f"/api/job_site/{site}/"):  # both spellings, no redirect
        r = await client.get(url, headers=me.headers)
        assert r.status_code == 200 and set(r.json()) == SITE_KEYS and r.json()["site_password"] is None
    r = await client.put(f"/api/job_site/{site}", json={"site_name": "Dice", "rating": 4, "github_field": True},
                         headers=me.headers)
    assert r.status_code == 204 and not r.content
    body = (await client.get(f"/api/job_site/{site}/", headers=me.headers)).json()
    assert (body["site_name"], body["rating"], body["github_field"]) == ("Dice", 4, True)
    r = await client.post(f"/api/job_site/{site}/postings", json=posting(site), headers=me.headers)
    assert r.status_code == 201
    r = await client.get(f"/api/job_site/{site}/postings/", headers=me.headers)
    assert r.status_code == 200 and [set(x) for x in r.json()] == [
        {"id", "company_name", "posting_title", "posting_status", "applied_at"}]
    assert (await client.put(f"/api/job_site/{site}/", json={"rating": 11}, headers=me.headers)).status_code == 400
    assert (await client.delete(f"/api/job_site/{site}/", headers=me.headers)).status_code == 204
    assert (await client.get(f"/api/job_site/{site}/", headers=me.headers)).status_code == 404
    assert (await client.get("/api/job_posting/", headers=me.headers)).json() == []  # cascaded with the site


async def test_job_postings(client: Any, container: Any) -> None:
    me = await person(client, container)
    site = await _site(client, me)
    assert (await client.get("/api/job_posting/active/", headers=me.headers)).status_code == 204
    pid = await _posting(client, me, site)
    quiet = await _posting(client, me, site, posting_status="4 - No Response", comments=[])
    r = await client.get("/api/job_posting/", headers=me.headers)
    assert r.status_code == 200 and len(r.json()) == 2 and set(r.json()[0]) == POSTING_LIST_KEYS
    r = await client.get(f"/api/job_posting/{pid}", headers=me.headers)
    body = r.json()
    assert r.status_code == 200 and set(body) == POSTING_KEYS
    assert (body["posting_status"], body["pay_range"], body["location_type"], body["employment_type"]) == (
        "2 - Awaiting Feedback", "$120,000 - $150k", "Remote", "Full-time")
    assert body["comments"][0]["comment_type"] == "Phone Call Notes" and body["job_scan_info"] == "80%"
    r = await client.get("/api/job_posting/active/", headers=me.headers)
    assert r.status_code == 200 and [x["id"] for x in r.json()] == [pid]
    r = await client.put(f"/api/job_posting/{pid}/", json=posting(site, posting_status="3 - Rejected",
                                                                   comments=[]), headers=me.headers)
    assert r.status_code == 204
    body = (await client.get(f"/api/job_posting/{pid}/", headers=me.headers)).json()
    assert body["posting_status"] == "3 - Rejected" and body["comments"] == [] and body["rejected_at"]
    r = await client.get(f"/tracker/applications/{pid}/", headers=me.headers)  # the same application natively
    assert r.json()["rejected"] is True and r.json()["status"]["name"] == "PHONE SCREEN"
    assert r.json()["pay"] == {"min": 12_000_000, "max": 15_000_000, "currency": "USD"}
    assert (await client.get("/api/job_posting/active/", headers=me.headers)).status_code == 204
    assert (await client.delete(f"/api/job_posting/{quiet}", headers=me.headers)).status_code == 204
    assert (await client.get(f"/api/job_posting/{quiet}/", headers=me.headers)).status_code == 404
    for body in (posting(site, posting_status="9 - Whatever"), {"job_description": "x"}, {"job_site_id": site},
                 posting(site, employment_type="Forever"), posting(999_999), posting(site, time_spent=-1)):
        r = await client.post("/api/job_posting/", json=body, headers=me.headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), (body, r.text)


async def test_email_opportunities(client: Any, container: Any) -> None:
    me = await person(client, container)
    r = await client.post("/api/email_opportunity/", json=OPPORTUNITY, headers=me.headers)
    assert r.status_code == 201
    oid = r.json()["id"]
    ignored = (await client.post("/api/email_opportunity/",
                                 json={**OPPORTUNITY, "opportunity_status": "6 - Opportunity Ignored"},
                                 headers=me.headers)).json()["id"]
    r = await client.get("/api/email_opportunity/", headers=me.headers)
    assert r.status_code == 200 and len(r.json()) == 2 and set(r.json()[0]) == OPP_KEYS
    r = await client.get("/api/email_opportunity/active/", headers=me.headers)
    assert r.status_code == 200 and [x["id"] for x in r.json()] == [oid]
    assert set(r.json()[0]) == {"id", "recruiter_name", "job_title", "opportunity_status", "email_received_at"}
    r = await client.get(f"/api/email_opportunity/{oid}", headers=me.headers)
    assert r.status_code == 200 and r.json()["location_type"] == "In Office" and r.json()["comments"]
    r = await client.put(f"/api/email_opportunity/{ignored}/",
                         json={**OPPORTUNITY, "opportunity_status": "1 - Actively Engaged"}, headers=me.headers)
    assert r.status_code == 204
    assert len((await client.get("/api/email_opportunity/active/", headers=me.headers)).json()) == 2
    assert (await client.delete(f"/api/email_opportunity/{oid}/", headers=me.headers)).status_code == 204
    for body in ({"job_title": "x"}, {**OPPORTUNITY, "opportunity_status": "7 - Maybe"},
                 {**OPPORTUNITY, "recruiter_name": ""}, {**OPPORTUNITY, "location_type": "Moon"}):
        r = await client.post("/api/email_opportunity/", json=body, headers=me.headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), body


async def test_reports_and_dashboard(client: Any, container: Any) -> None:
    me = await person(client, container)
    site = await _site(client, me, site_name="Indeed")
    await _posting(client, me, site, applied_at="2025-12-29T12:00:00Z")
    await _posting(client, me, site, applied_at="2026-01-05T12:00:00Z", posting_status="4 - No Response")
    r = await client.get("/api/report/postingsAppliedSince/", headers=me.headers)
    body = r.json()
    assert r.status_code == 200 and set(body) == {"report_name", "report_fields", "report_data"}
    assert body["report_name"] == "Postings Applied" and len(body["report_data"]) == 2
    assert set(body["report_data"][0]) == {"id", "company_name", "posting_title", "posting_status", "applied_at",
                                           "rejected_after_stage", "site_name", "site_id"}
    assert body["report_data"][0]["applied_at"] == "2026-01-05"
    r = await client.get("/api/report/postingsAppliedSince/2026-01-01", headers=me.headers)
    assert r.json()["report_name"] == "Postings Applied since 01/01/26" and len(r.json()["report_data"]) == 1
    r = await client.get("/api/report/perSite/", headers=me.headers)
    assert r.json()["report_data"] == [{"site_name": "Indeed", "site_count": 2}]
    r = await client.get("/api/report/perWeek/2025-01-01/", headers=me.headers)
    # 2025-12-29 is in ISO week 1 of 2026, like 2026-01-05 is in week 2.
    assert r.json()["report_data"] == [{"year": "2026", "week": "01", "month": "December", "week_count": 1},
                                       {"year": "2026", "week": "02", "month": "January", "week_count": 1}]
    assert [f["sortable"] for f in r.json()["report_fields"]] == [False] * 4
    r = await client.get("/api/report/bogus/", headers=me.headers)
    assert r.status_code == 400 and r.json() == {
        "error": "Invalid report type. Valid types are: postingsAppliedSince, perSite, perWeek."}
    r = await client.get("/api/report/perSite/2024-13-40/", headers=me.headers)
    assert r.status_code == 400 and r.json() == {"error": "Invalid date format."}
    r = await client.patch("/api/custom_user/update/", json={"dashboard_first_date": "2025-12-01",
                                                             "dashboard_second_date": "2026-01-01"},
                           headers=me.headers)
    assert r.status_code == 200
    r = await client.get("/api/dashboard/", headers=me.headers)
    assert r.status_code == 200 and r.json() == [
        {"total_count": 2, "response_count": 1, "raw_date": "2025-12-01", "formatted_date": "December 01, 2025"},
        {"total_count": 1, "response_count": 1, "raw_date": "2025-12-01",
         "formatted_date": "December 01, 2025 to January 01, 2026"},
        {"total_count": 1, "response_count": 0, "raw_date": "2026-01-01", "formatted_date": "January 01, 2026"},
    ]


async def test_register_login_tokens_profile(client: Any, container: Any) -> None:
    body = {"username": "jst@example.org", "email": "jst@example.org", "first_name": "Jo", "last_name": "Tee",
            "password": STRONG}
    r = await client.post("/api/auth/register/", json=body)
    assert r.status_code == 201 and r.json() == {"message": "User successfully registered."}
    r = await client.post("/api/auth/register", json=body)
    assert r.status_code == 400 and r.json() == {"error": "Email address is already registered."}
    r = await client.post("/api/auth/register/", json={**body, "password": ""})
    assert r.status_code == 400 and "All fields are required" in r.json()["error"]
    r = await client.post("/api/auth/register/", json={**body, "email": "weak@example.org", "password": "abc"})
    assert r.status_code == 400 and set(r.json()) == {"error"}

    r = await client.post("/api/auth/login/", json={"username": "jst@example.org", "password": STRONG})
    assert r.status_code == 200 and set(r.json()) == {"access", "refresh", "user"}
    assert set(r.json()["user"]) == USER_KEYS | {"bio", "user_greeting", "color_mode", "dashboard_first_date",
                                                  "dashboard_second_date"}
    assert r.json()["user"]["user_greeting"] == "Welcome!" and r.json()["user"]["first_name"] == "Jo"
    login = r.json()
    r = await client.post("/api/auth/login/", json={"username": "jst@example.org", "password": "wrong"})
    assert r.status_code == 401 and r.json() == {"error": "Invalid credentials."}
    r = await client.post("/api/auth/login/", json={"username": "jst@example.org"})
    assert r.status_code == 400 and r.json() == {"error": "Username and password are required."}

    r = await client.post("/api/token/", json={"username": "jst@example.org", "password": STRONG})
    assert r.status_code == 200 and set(r.json()) == {"access", "refresh"}
    assert (await client.post("/api/token/", json={"username": "jst@example.org", "password": "x"})).status_code == 401
    assert (await client.post("/api/token/", json={})).status_code == 400
    pair = r.json()
    r = await client.post("/api/token/refresh/", json={"refresh": pair["refresh"]})
    assert r.status_code == 200 and set(r.json()) == {"access", "refresh"}
    for token in (pair["refresh"], "garbage", pair["access"]):  # spent, malformed, wrong type: real 401s
        r = await client.post("/api/token/refresh/", json={"refresh": token})
        assert r.status_code == 401 and r.json() == {"detail": "Token refresh failed. Please log in again."}
    assert (await client.post("/api/token/refresh/", json={})).status_code == 400

    headers = bearer(login["access"])
    r = await client.get("/api/me/", headers=headers)
    assert r.status_code == 200 and set(r.json()) == USER_KEYS and r.json()["username"] == "jst@example.org"
    r = await client.put("/api/custom_user/update/", json={"first_name": "Joan", "color_mode": "dark"},
                         headers=headers)
    assert r.status_code == 200 and r.json() == {"message": "User info updated successfully."}
    r = await client.patch("/api/custom_user/update", json={"user_greeting": "Hi", "bio": "About me"},
                           headers=headers)
    assert r.status_code == 200
    r = await client.post("/api/auth/login/", json={"username": "jst@example.org", "password": STRONG})
    user = r.json()["user"]
    assert (user["first_name"], user["color_mode"], user["user_greeting"], user["bio"]) == (
        "Joan", "dark", "Hi", "About me")
    for bad in ({"email": "not-mine@example.org"}, {"color_mode": "purple"}, {"dashboard_first_date": "soon"},
                {"user_greeting": "x" * 25}):
        r = await client.patch("/api/custom_user/update/", json=bad, headers=headers)
        assert r.status_code == 400 and isinstance(r.json(), dict), bad

    r = await client.post("/api/auth/logout/", json={"refresh": login["refresh"]})
    assert r.status_code == 200 and r.json() == {"detail": "Successfully logged out."}
    assert (await client.get("/api/me/", headers=headers)).status_code == 401  # the session's access token too
    r = await client.post("/api/auth/logout/", json={"refresh": login["refresh"]})
    assert r.status_code == 400 and r.json() == {"detail": "Invalid token."}
    r = await client.post("/api/auth/logout/", json={})
    assert r.status_code == 400 and r.json() == {"detail": "No refresh token provided."}


async def test_register_never_blocks_the_real_owner_of_the_address(client: Any, container: Any) -> None:
    squat = {"username": "owner@example.org", "email": "owner@example.org", "first_name": "S", "last_name": "Q",
             "password": STRONG}
    assert (await client.post("/api/auth/register/", json=squat)).status_code == 201
    squatter = (await client.post("/api/token/", json={"username": "owner@example.org", "password": STRONG})).json()
    # The real owner signs up on the platform with the e-mailed code and takes the account over.
    mailer = container.platform.mailer()
    before = len(mailer.sent)
    signup = {"email": "owner@example.org", "password1": PASSWORD, "password2": PASSWORD}
    assert (await client.post("/user/signup/", json=signup)).status_code == 201
    mail = await wait_for_mail(mailer, "owner@example.org", "Verify your Email", after=before)
    r = await client.post("/user/signup/", json={**signup, "otp": code_in(mail)})
    assert r.status_code == 201, r.text
    assert (await client.get("/api/me/", headers=bearer(squatter["access"]))).status_code == 401
    assert (await client.post("/api/token/refresh/", json={"refresh": squatter["refresh"]})).status_code == 401
    assert (await client.post("/api/token/", json={"username": "owner@example.org",
                                                   "password": STRONG})).status_code == 401
    r = await client.post("/user/signin/", json={"email": "owner@example.org", "password": PASSWORD})
    assert r.status_code == 200
    # A verified account is never taken over by a register.
    assert (await client.post("/api/auth/register/", json=squat)).status_code == 400


async def test_admin_only_user_list(client: Any, container: Any) -> None:
    me = await person(client, container)
    assert (await client.get("/api/custom_user/all/", headers=me.headers)).status_code == 403
    admin = await person(client, container)
    await make_admin(container, admin.id)
    r = await client.get("/api/custom_user/all/", headers=admin.headers)
    assert r.status_code == 200 and {me.id, admin.id} <= {u["id"] for u in r.json()}
    assert set(r.json()[0]) == USER_KEYS
    assert (await client.get("/api/custom_user/all/")).status_code == 401


async def test_401_without_a_token_and_404_for_someone_elses_objects(client: Any, container: Any) -> None:
    owner = await person(client, container)
    other = await person(client, container)
    site = await _site(client, owner)
    pid = await _posting(client, owner, site)
    oid = (await client.post("/api/email_opportunity/", json=OPPORTUNITY, headers=owner.headers)).json()["id"]
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/api/job_site/{site}/", None), ("PUT", f"/api/job_site/{site}/", {"site_name": "x"}),
        ("DELETE", f"/api/job_site/{site}/", None), ("GET", f"/api/job_site/{site}/postings/", None),
        ("POST", f"/api/job_site/{site}/postings/", posting(site)),
        ("GET", f"/api/job_posting/{pid}/", None), ("PUT", f"/api/job_posting/{pid}/", posting(site)),
        ("DELETE", f"/api/job_posting/{pid}/", None),
        ("GET", f"/api/email_opportunity/{oid}/", None), ("PUT", f"/api/email_opportunity/{oid}/", OPPORTUNITY),
        ("DELETE", f"/api/email_opportunity/{oid}/", None),
    ]
    for method, url, body in calls:
        r = await client.request(method, url, json=body, headers=other.headers)
        assert r.status_code == 404 and isinstance(r.json(), dict), (method, url, r.status_code)
        assert (await client.request(method, url, json=body)).status_code == 401, (method, url)
    # A posting cannot be filed on someone else's site.
    r = await client.post("/api/job_posting/", json=posting(site), headers=other.headers)
    assert r.status_code == 400
    for url in ("/api/job_site/", "/api/job_posting/", "/api/job_posting/active/", "/api/email_opportunity/",
                "/api/email_opportunity/active/", "/api/report/perSite/", "/api/report/perWeek/2025-01-01/",
                "/api/dashboard/", "/api/me/"):
        assert (await client.get(url)).status_code == 401, url
    for url in ("/api/job_site/", "/api/job_posting/", "/api/email_opportunity/"):
        assert (await client.post(url, json={})).status_code == 401, url
        assert (await client.get(url, headers=other.headers)).json() == [], url
    assert (await client.patch("/api/custom_user/update/", json={})).status_code == 401
    assert (await client.put("/api/custom_user/update/", json={})).status_code == 401
    r = await client.get(f"/api/job_posting/{pid}/", headers=owner.headers)
    assert r.status_code == 200 and r.json()["company_name"] == "Acme"


async def test_a_postings_comments_cost_the_same_statements_however_many(client: Any, container: Any) -> None:
    """Replacing a posting with its comments: one DELETE and one multi-row INSERT, not a statement per comment."""
    me = await person(client, container)
    site = await _site(client, me)
    pid = await _posting(client, me, site)

    def comments(n: int) -> list[dict[str, Any]]:
        return [{"comment_type": "Note", "comment_content": f"c{i}", "commented_at": "2026-11-03T09:00:00Z"}
                for i in range(n)]

    counts = []
    for n in (1, 40):
        r, seen = await measured(container, lambda n=n: client.put(  # type: ignore[misc]
            f"/api/job_posting/{pid}/", json=posting(site, comments=comments(n)), headers=me.headers))
        assert r.status_code == 204, r.text
        counts.append(len(seen))
    assert counts[0] == counts[1], counts
    body = (await client.get(f"/api/job_posting/{pid}/", headers=me.headers)).json()
    assert [c["comment_content"] for c in body["comments"]] == [f"c{i}" for i in range(40)]
