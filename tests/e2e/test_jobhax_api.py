"""The JobHax-compatible face (``../shared/spec/jobhax-api.md``): every documented endpoint with its envelope and
documented keys, 401 without a token, another user's object (``success: false``, code 11, ``data: null``, never
their data), malformed input; OAuth clients; the unverified register and its take-over by the address owner;
Gmail syncs against a local fake Gmail (imported once and only once) and ``.eml``/``.mbox`` uploads."""

from __future__ import annotations

import asyncio
import mailbox
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from tests.conftest import PASSWORD, SignedUp, bearer, code_in, make_settings, sign_up, wait_for_mail
from tests.e2e.jobs_support import alerts_settled, make_employer, make_job, measured, person
from tests.e2e.profiles_support import direct
from tests.fakes.gmail import FakeGmail, running_fake_gmail
from tests.fakes.google import FakeGoogle, running_fake_google
from tests.mail_samples import SAMPLES, raw_mail

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
GOOGLE_CLIENT = "test-client-id.apps.googleusercontent.com"
ENVELOPE = {"success", "error_code", "error_message", "data"}
TOKEN_KEYS = {"access_token", "expires_in", "token_type", "scope", "refresh_token"}
JOBAPP_KEYS = {"id", "applicationStatus", "jobTitle", "company", "companyLogo", "applyDate", "msgId", "source",
               "isRejected", "user"}
NOTE_KEYS = {"id", "description", "created_date", "update_date"}
GMAIL_TOKEN = "ya29.fake-gmail-token"


@pytest.fixture
def gmail() -> Iterator[FakeGmail]:
    with running_fake_gmail() as fake:
        fake.tokens.add(GMAIL_TOKEN)
        yield fake


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with running_fake_google(GOOGLE_CLIENT, "test-google-secret") as fake:
        yield fake


@pytest.fixture
def container(tmp_path: Path, database_url: str, gmail: FakeGmail, google: FakeGoogle) -> AppContainer:
    settings = make_settings(tmp_path, database_url, gmail_api_base=gmail.url, google_client_id=GOOGLE_CLIENT,
                             google_token_url=google.token_url, google_jwks_url=google.jwks_url)
    return build_container(settings, "sql")


@pytest.fixture
async def client(container: AppContainer) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
async def oauth(client: Client, container: AppContainer) -> dict[str, str]:
    """A registered client (through a container of our own: the app's engine lives on the test client's loop)."""
    async with direct(container) as side:
        made = await side.jobhax.identity().create_client("tests")
    return {"client_id": made.client_id, "client_secret": made.client_secret}


def succeeded(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ENVELOPE, body
    assert body["success"] is True and body["error_code"] == 0 and body["error_message"] == "", body
    return body["data"]


def failed(response: Any, code: int) -> None:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == ENVELOPE, body
    assert body == {"success": False, "error_code": code, "error_message": body["error_message"], "data": None}
    assert body["error_message"], body


def unauthorized(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "success" not in response.json()


async def settled(container: AppContainer) -> None:
    await alerts_settled(container)


async def wait_sync(client: Client, who: SignedUp, task_id: int, timeout: float = 15.0) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            data = succeeded(await client.get(f"/api/users/sync_status?task_id={task_id}", headers=who.headers))
            if data["status"] in ("done", "failed"):
                return dict(data)
            await asyncio.sleep(0.05)


# ------------------------------------------------------------------------------------------- users


async def test_login_with_the_email_or_the_username_and_a_registered_client(
    client: Client, container: AppContainer, oauth: dict[str, str]
) -> None:
    user = await sign_up(client, container, "ada@example.org")
    data = succeeded(await client.post("/api/users/login", json={**oauth, "username": user.email,
                                                                 "password": PASSWORD}))
    assert set(data) == TOKEN_KEYS
    assert data["token_type"] == "Bearer" and data["scope"] == "read write"
    assert data["expires_in"] == container.platform.settings().auth.access_token_ttl
    # the token works on the face's authenticated endpoints
    assert succeeded(await client.get("/api/jobapps/get_jobapps", headers=bearer(data["access_token"]))) == []

    registered = {"first_name": "Joe", "last_name": "Smith", "username": "JoeSmith", "email": "joe@example.org",
                  "password": PASSWORD, "password2": PASSWORD}
    assert succeeded(await client.post("/api/users/register", json=registered)) is None
    by_alias = succeeded(await client.post("/api/users/login", json={**oauth, "username": "joesmith",
                                                                     "password": PASSWORD}))
    assert set(by_alias) == TOKEN_KEYS


@pytest.mark.parametrize(
    "change",
    [
        {"password": "Wr0ngPassword"},
        {"username": "nobody@example.org"},
        {"username": "no-such-alias"},
        {"client_secret": "not-the-secret-of-this-client"},
        {"client_id": "unknown-client-id"},
    ],
)
async def test_login_failures_answer_code_6(
    client: Client, container: AppContainer, oauth: dict[str, str], change: dict[str, str]
) -> None:
    await sign_up(client, container, "ada@example.org")
    body = {**oauth, "username": "ada@example.org", "password": PASSWORD, **change}
    failed(await client.post("/api/users/login", json=body), 6)


async def test_malformed_bodies(client: Client, oauth: dict[str, str]) -> None:
    for path in ("/api/users/login", "/api/users/register", "/api/users/refresh_token", "/api/users/logout",
                 "/api/users/auth_social_user"):
        not_json = await client.post(path, content=b"{nope", headers={"content-type": "application/json"})
        assert not_json.status_code == 400 and "detail" in not_json.json(), (path, not_json.text)
        a_list = await client.post(path, json=[1, 2])
        assert a_list.status_code == 400 and a_list.headers["content-type"].startswith("application/json")
        failed(await client.post(path, json={"client_id": 5}), 10)  # missing and mistyped fields
    failed(await client.post("/api/users/login", json={**oauth, "username": ["a"], "password": "x"}), 10)


async def test_wrong_method_is_405(client: Client) -> None:
    assert (await client.get("/api/users/login")).status_code == 405
    assert (await client.post("/api/jobapps/get_jobapps", json={})).status_code == 405


async def test_register_error_codes_in_order(client: Client, container: AppContainer) -> None:
    base = {"first_name": "Joe", "last_name": "Smith", "username": "joe", "email": "joe@example.org",
            "password": PASSWORD, "password2": PASSWORD}
    failed(await client.post("/api/users/register", json={**base, "password2": "Other1234"}), 7)
    assert succeeded(await client.post("/api/users/register", json=base)) is None
    # the mismatch is checked first, then the username, then the address
    failed(await client.post("/api/users/register", json={**base, "password2": "x"}), 7)
    failed(await client.post("/api/users/register", json={**base, "username": "JOE", "email": "x@example.org"}), 8)
    failed(await client.post("/api/users/register", json={**base, "username": "joe2"}), 9)
    await sign_up(client, container, "taken@example.org")
    failed(await client.post("/api/users/register", json={**base, "username": "joe3",
                                                           "email": "taken@example.org"}), 9)
    failed(await client.post("/api/users/register", json={**base, "username": "joe4", "email": "not-an-address"}),
           10)
    failed(await client.post("/api/users/register", json={**base, "username": "bad name!",
                                                           "email": "j5@example.org"}), 10)
    weak = {**base, "username": "joe6", "email": "j6@example.org", "password": "short", "password2": "short"}
    failed(await client.post("/api/users/register", json=weak), 10)


async def test_a_registered_address_never_blocks_its_owner_who_takes_the_account_over(
    client: Client, container: AppContainer, oauth: dict[str, str]
) -> None:
    squat = "Squatt3rPass"
    body = {"username": "squatter", "email": "owner@example.org", "password": squat, "password2": squat}
    succeeded(await client.post("/api/users/register", json=body))
    # it signs in at once, by alias or address
    squatter = succeeded(await client.post("/api/users/login", json={**oauth, "username": "squatter",
                                                                      "password": squat}))
    assert succeeded(await client.get("/api/jobapps/get_jobapps", headers=bearer(squatter["access_token"]))) == []
    await _add(client, SignedUp(id=0, email="", access=squatter["access_token"], refresh=""), job_title="Squat")
    # the real owner signs up on the platform with the e-mailed code: the same account becomes theirs
    owner = await sign_up(client, container, "owner@example.org")
    unauthorized(await client.get("/api/jobapps/get_jobapps", headers=bearer(squatter["access_token"])))
    failed(await client.post("/api/users/refresh_token", json={**oauth, "refresh_token": squatter["refresh_token"]}),
           1)
    for username in ("squatter", "owner@example.org"):
        failed(await client.post("/api/users/login", json={**oauth, "username": username, "password": squat}), 6)
    mine = succeeded(await client.post("/api/users/login", json={**oauth, "username": "owner@example.org",
                                                                  "password": PASSWORD}))
    apps = succeeded(await client.get("/api/jobapps/get_jobapps", headers=bearer(mine["access_token"])))
    assert [a["user"] for a in apps] == [owner.id]  # one account: the owner's now


async def test_refresh_token(client: Client, container: AppContainer, oauth: dict[str, str]) -> None:
    user = await sign_up(client, container, "ada@example.org")
    data = succeeded(await client.post("/api/users/refresh_token", json={**oauth, "refresh_token": user.refresh}))
    assert set(data) == TOKEN_KEYS and data["refresh_token"] != user.refresh
    # rotated: the old refresh token is spent
    failed(await client.post("/api/users/refresh_token", json={**oauth, "refresh_token": user.refresh}), 1)
    failed(await client.post("/api/users/refresh_token", json={**oauth, "refresh_token": "garbage"}), 1)
    other = {**oauth, "client_secret": "wrong-secret-wrong-secret"}
    failed(await client.post("/api/users/refresh_token", json={**other, "refresh_token": data["refresh_token"]}),
           1)


async def test_logout_ends_the_session_of_the_access_token(
    client: Client, container: AppContainer, oauth: dict[str, str]
) -> None:
    user = await sign_up(client, container, "ada@example.org")
    other = await sign_up(client, container, "bob@example.org")
    assert succeeded(await client.post("/api/users/logout", json={**oauth, "token": user.access})) is None
    unauthorized(await client.get("/api/jobapps/get_jobapps", headers=user.headers))
    failed(await client.post("/api/users/logout", json={**oauth, "token": user.access}), 5)
    failed(await client.post("/api/users/logout", json={**oauth, "token": user.refresh}), 5)  # not an access token
    failed(await client.post("/api/users/logout", json={"client_id": "x" * 10, "client_secret": "y" * 20,
                                                        "token": other.access}), 5)
    succeeded(await client.get("/api/jobapps/get_jobapps", headers=other.headers))


async def test_auth_social_user_with_google(
    client: Client, google: FakeGoogle, oauth: dict[str, str]
) -> None:
    body = {**oauth, "provider": "google-oauth2", "token": google.issue_code("gina@example.org", name="Gina Lee")}
    data = succeeded(await client.post("/api/users/auth_social_user", json=body))
    assert set(data) == TOKEN_KEYS
    again = {**oauth, "provider": "google-oauth2", "token": google.issue_code("gina@example.org")}
    assert set(succeeded(await client.post("/api/users/auth_social_user", json=again))) == TOKEN_KEYS
    failed(await client.post("/api/users/auth_social_user", json={**again, "token": "used-or-unknown"}), 1)
    linkedin = {**oauth, "provider": "linkedin-oauth2", "token": google.issue_code("gina@example.org")}
    failed(await client.post("/api/users/auth_social_user", json=linkedin), 1)


async def test_authenticated_user_endpoints_need_a_token(client: Client) -> None:
    unauthorized(await client.post("/api/users/update_gmail_token", json={"token": "t"}))
    unauthorized(await client.get("/api/users/sync_user_emails"))
    unauthorized(await client.get("/api/users/sync_status?task_id=1"))
    unauthorized(await client.get("/api/users/get_user_google_mails"))
    unauthorized(await client.get("/api/users/get_linkedin_profile"))
    unauthorized(await client.post("/api/users/upload_emails", files={"file": ("a.eml", b"x", "message/rfc822")}))
    unauthorized(await client.get("/api/users/get_user_google_mails", headers=bearer("not-a-token")))


async def test_linkedin_profile_is_never_there(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    failed(await client.get("/api/users/get_linkedin_profile", headers=user.headers), 2)


# ------------------------------------------------------------------------------------------- mail


async def test_a_gmail_sync_imports_new_messages_once_and_only_once(
    client: Client, container: AppContainer, gmail: FakeGmail
) -> None:
    user = await sign_up(client, container, "ada@example.org")
    other = await sign_up(client, container, "bob@example.org")
    failed(await client.get("/api/users/sync_user_emails", headers=user.headers), 4)  # not linked yet
    for sample in SAMPLES[:3]:
        gmail.add(sample.raw)
    gmail.add(raw_mail("friend@example.org", "Lunch?", "<p>hi</p>"))  # not an application, not even listed
    failed(await client.post("/api/users/update_gmail_token", json={}, headers=user.headers), 3)
    assert succeeded(await client.post("/api/users/update_gmail_token", json={"token": GMAIL_TOKEN},
                                       headers=user.headers)) is None
    # update_gmail_token queued a sync; sync_user_emails answers it (or a new one once it finished)
    started = await client.get("/api/users/sync_user_emails", headers=user.headers)
    task = succeeded(started, 202)
    assert set(task) == {"task_id"}
    first = await wait_sync(client, user, task["task_id"])
    assert first["status"] == "done" and first["error"] == "", first
    assert set(first) == {"task_id", "kind", "status", "imported", "skipped", "error", "created_at", "finished_at"}
    mails = succeeded(await client.get("/api/users/get_user_google_mails", headers=user.headers))
    assert sorted(m["subject"] for m in mails) == sorted(
        {"You applied for Android Developer at Genuent", "You applied for Data Analyst at Greatwater Analytics",
         "You applied for Head of Operations at Boatwright"})
    assert all(set(m) == {"subject", "body", "date"} for m in mails)
    apps = succeeded(await client.get("/api/jobapps/get_jobapps", headers=user.headers))
    assert sorted((a["jobTitle"], a["company"], a["source"]) for a in apps) == sorted(
        (s.title, s.company, "LinkedIn") for s in SAMPLES[:3])
    assert all(a["msgId"] and a["applicationStatus"] == {"id": 1, "value": "APPLIED"} for a in apps)
    fetched = len(gmail.fetches())

    # a second sync with a new message in between: only the new one is fetched and imported
    gmail.add(SAMPLES[3].raw, internal_date_ms=4_000_000_000_000)
    second = succeeded(await client.get("/api/users/sync_user_emails", headers=user.headers), 202)
    assert second["task_id"] != task["task_id"]
    result = await wait_sync(client, user, second["task_id"])
    assert result["status"] == "done" and result["imported"] == 1, result
    assert len(gmail.fetches()) == fetched + 1
    # the second run asked Gmail only for mail after the last sync (less a day of overlap)
    assert any("after:" in q.get("q", "") for _, q in gmail.requests[-3:])
    apps = succeeded(await client.get("/api/jobapps/get_jobapps", headers=user.headers))
    assert len(apps) == 4 and len({a["msgId"] for a in apps}) == 4
    third = succeeded(await client.get("/api/users/sync_user_emails", headers=user.headers), 202)
    assert (await wait_sync(client, user, third["task_id"]))["imported"] == 0
    assert len(succeeded(await client.get("/api/jobapps/get_jobapps", headers=user.headers))) == 4

    # the token never leaves the server; another user sees none of it
    for response in (await client.get("/api/users/get_user_google_mails", headers=user.headers),
                     await client.get(f"/api/users/sync_status?task_id={task['task_id']}", headers=user.headers)):
        assert GMAIL_TOKEN not in response.text
    assert succeeded(await client.get("/api/users/get_user_google_mails", headers=other.headers)) == []
    failed(await client.get(f"/api/users/sync_status?task_id={task['task_id']}", headers=other.headers), 11)
    failed(await client.get("/api/users/sync_status?task_id=abc", headers=user.headers), 10)


async def test_a_refused_gmail_token_stops_syncs_until_a_new_one(
    client: Client, container: AppContainer, gmail: FakeGmail
) -> None:
    user = await sign_up(client, container, "ada@example.org")
    gmail.add(SAMPLES[0].raw)
    succeeded(await client.post("/api/users/update_gmail_token", json={"token": "revoked-token"},
                                headers=user.headers))
    task = succeeded(await client.get("/api/users/sync_user_emails", headers=user.headers), 202)
    result = await wait_sync(client, user, task["task_id"])
    assert result["status"] == "failed" and "Google token" in result["error"], result
    failed(await client.get("/api/users/sync_user_emails", headers=user.headers), 4)
    gmail.fail_with = 503  # Gmail down: the sync fails and says so; the link stays usable
    succeeded(await client.post("/api/users/update_gmail_token", json={"token": GMAIL_TOKEN}, headers=user.headers))
    task = succeeded(await client.get("/api/users/sync_user_emails", headers=user.headers), 202)
    down = await wait_sync(client, user, task["task_id"])
    assert down["status"] == "failed" and "Gmail did not answer" in down["error"], down
    gmail.fail_with = None
    task = succeeded(await client.get("/api/users/sync_user_emails", headers=user.headers), 202)
    assert (await wait_sync(client, user, task["task_id"]))["status"] == "done"


async def test_an_mbox_upload_is_imported_once(client: Client, container: AppContainer, tmp_path: Path) -> None:
    user = await sign_up(client, container, "ada@example.org")
    path = tmp_path / "export.mbox"
    box = mailbox.mbox(str(path))
    for sample in (SAMPLES[5], SAMPLES[7]):  # Indeed, Vettery
        box.add(sample.raw)
    box.flush()
    box.close()
    for expected in (2, 0):
        response = await client.post("/api/users/upload_emails", headers=user.headers,
                                     files={"file": ("export.mbox", path.read_bytes(), "application/mbox")})
        task = succeeded(response, 202)
        result = await wait_sync(client, user, task["task_id"])
        assert result["status"] == "done" and result["imported"] == expected, result
    apps = succeeded(await client.get("/api/jobapps/get_jobapps", headers=user.headers))
    assert sorted(a["source"] for a in apps) == ["Indeed", "Vettery"]
    one = await client.post("/api/users/upload_emails", headers=user.headers,
                            files={"file": ("one.eml", SAMPLES[9].raw, "message/rfc822")})
    assert (await wait_sync(client, user, succeeded(one, 202)["task_id"]))["imported"] == 1
    for name, data in (("notes.txt", b"hello"), ("empty.eml", b"")):
        failed(await client.post("/api/users/upload_emails", headers=user.headers,
                                 files={"file": (name, data, "text/plain")}), 10)
    failed(await client.post("/api/users/upload_emails", headers=user.headers, data={"x": "y"}), 10)


async def test_a_mail_about_a_platform_job_links_to_its_item(client: Client, container: AppContainer) -> None:
    _, corp = await make_employer(client, container)
    job = await make_job(client, corp, title="Backend Developer", organization="Sterling Technologies")
    seeker = await person(client, container)
    r = await client.post("/job/apply/", json={"job": job["id"]}, headers=seeker.headers)
    assert r.status_code in (200, 201), r.text
    await settled(container)
    before = succeeded(await client.get("/api/jobapps/get_jobapps", headers=seeker.headers))
    assert [(a["jobTitle"], a["source"]) for a in before] == [("Backend Developer", "Career Nexus")]
    mail = raw_mail("LinkedIn <jobs-listings@linkedin.com>",
                    "You applied for Backend Developer at Sterling Technologies", "<p>sent</p>")
    task = succeeded(await client.post("/api/users/upload_emails", headers=seeker.headers,
                                       files={"file": ("a.eml", mail, "message/rfc822")}), 202)
    assert (await wait_sync(client, seeker, task["task_id"]))["imported"] == 1
    after = succeeded(await client.get("/api/jobapps/get_jobapps", headers=seeker.headers))
    assert [a["id"] for a in after] == [before[0]["id"]]


# ------------------------------------------------------------------------------------------- jobapps


async def _add(client: Client, who: SignedUp, **changes: Any) -> dict[str, Any]:
    body = {"job_title": "Android Engineer", "status_id": "1", "company": "OpenPhone", "application_date":
            "2019-01-31", "source": "Vettery", **changes}
    assert succeeded(await client.post("/api/jobapps/add_jobapp", json=body, headers=who.headers)) is None
    apps = succeeded(await client.get("/api/jobapps/get_jobapps", headers=who.headers))
    return dict(next(a for a in apps if a["jobTitle"] == body["job_title"]))


async def test_jobapps_lifecycle(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    statuses = succeeded(await client.get("/api/jobapps/get_statuses", headers=user.headers))
    assert statuses == [{"id": 2, "value": "TO APPLY"}, {"id": 1, "value": "APPLIED"},
                        {"id": 3, "value": "PHONE SCREEN"}, {"id": 4, "value": "ONSITE INTERVIEW"},
                        {"id": 5, "value": "OFFER"}]
    app = await _add(client, user)
    assert set(app) == JOBAPP_KEYS
    assert app["applicationStatus"] == {"id": 1, "value": "APPLIED"} and app["source"] == "Vettery"
    assert app["applyDate"].startswith("2019-01-") and app["user"] == user.id and app["isRejected"] is False
    await _add(client, user, job_title="Mobile Developer", status_id=2)
    only_to_apply = succeeded(await client.get("/api/jobapps/get_jobapps?status_id=2", headers=user.headers))
    assert [a["jobTitle"] for a in only_to_apply] == ["Mobile Developer"]

    # status, rejection, history (both id spellings)
    succeeded(await client.post("/api/jobapps/update_jobapp", json={"jobapp_id": str(app["id"]), "status_id": "3"},
                                headers=user.headers))
    succeeded(await client.post("/api/jobapps/update_jobapp", json={"jopapp_id": app["id"], "rejected": True},
                                headers=user.headers))
    history = succeeded(await client.get(f"/api/jobapps/get_status_history?jopapp_id={app['id']}",
                                         headers=user.headers))
    assert [h["applicationStatus"]["value"] for h in history] == ["APPLIED", "PHONE SCREEN"]
    assert all(set(h) == {"applicationStatus", "update_date"} for h in history)
    same = succeeded(await client.get(f"/api/jobapps/get_status_history?jobapp_id={app['id']}",
                                      headers=user.headers))
    assert same == history
    now = next(a for a in succeeded(await client.get("/api/jobapps/get_jobapps", headers=user.headers))
               if a["id"] == app["id"])
    assert now["isRejected"] is True and now["applicationStatus"]["id"] == 3

    detail = succeeded(await client.get(f"/api/jobapps/get_jobapp_detail?jopapp_id={app['id']}",
                                        headers=user.headers))
    assert set(detail) == {"posterInformation", "decoratedJobPosting", "topCardV2"}
    assert detail["topCardV2"]["companyName"] == "OpenPhone"

    # notes
    note = succeeded(await client.post("/api/jobapps/add_jobapp_note", json={"jobapp_id": app["id"],
                                                                            "description": "test note"},
                                       headers=user.headers))
    assert set(note) == NOTE_KEYS and note["description"] == "test note" and note["update_date"] is None
    succeeded(await client.post("/api/jobapps/update_jobapp_note", json={"jobapp_note_id": note["id"],
                                                                         "description": "test note update"},
                                headers=user.headers))
    notes = succeeded(await client.get(f"/api/jobapps/get_jobapp_notes?jopapp_id={app['id']}",
                                       headers=user.headers))
    assert [(n["description"], n["update_date"] is not None) for n in notes] == [("test note update", True)]
    assert all(set(n) == NOTE_KEYS for n in notes)
    succeeded(await client.post("/api/jobapps/delete_jobapp_note", json={"jobapp_note_id": note["id"]},
                                headers=user.headers))
    assert succeeded(await client.get(f"/api/jobapps/get_jobapp_notes?jobapp_id={app['id']}",
                                      headers=user.headers)) == []

    succeeded(await client.post("/api/jobapps/delete_jobapp", json={"jobapp_id": app["id"]}, headers=user.headers))
    left = succeeded(await client.get("/api/jobapps/get_jobapps", headers=user.headers))
    assert [a["jobTitle"] for a in left] == ["Mobile Developer"]
    failed(await client.post("/api/jobapps/delete_jobapp", json={"jobapp_id": app["id"]}, headers=user.headers), 11)


async def test_another_users_objects_answer_not_found_with_no_data(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    other = await sign_up(client, container, "bob@example.org")
    app = await _add(client, owner, job_title="SECRET-TITLE")
    note = succeeded(await client.post("/api/jobapps/add_jobapp_note", json={"jobapp_id": app["id"],
                                                                            "description": "SECRET-NOTE"},
                                       headers=owner.headers))
    aid, nid = app["id"], note["id"]
    calls = [
        ("GET", f"/api/jobapps/get_status_history?jopapp_id={aid}", None),
        ("GET", f"/api/jobapps/get_jobapp_detail?jopapp_id={aid}", None),
        ("GET", f"/api/jobapps/get_jobapp_notes?jobapp_id={aid}", None),
        ("POST", "/api/jobapps/update_jobapp", {"jobapp_id": aid, "status_id": 3}),
        ("POST", "/api/jobapps/update_jobapp", {"jobapp_id": aid, "rejected": True}),
        ("POST", "/api/jobapps/delete_jobapp", {"jobapp_id": aid}),
        ("POST", "/api/jobapps/add_jobapp_note", {"jobapp_id": aid, "description": "x"}),
        ("POST", "/api/jobapps/update_jobapp_note", {"jobapp_note_id": nid, "description": "hijack"}),
        ("POST", "/api/jobapps/delete_jobapp_note", {"jobapp_note_id": nid}),
    ]
    for method, url, body in calls:
        response = await client.request(method, url, json=body, headers=other.headers)
        failed(response, 11)
        assert "SECRET" not in response.text
    assert succeeded(await client.get("/api/jobapps/get_jobapps", headers=other.headers)) == []
    # nothing changed for the owner
    history = succeeded(await client.get(f"/api/jobapps/get_status_history?jopapp_id={aid}", headers=owner.headers))
    assert [h["applicationStatus"]["id"] for h in history] == [1]
    notes = succeeded(await client.get(f"/api/jobapps/get_jobapp_notes?jopapp_id={aid}", headers=owner.headers))
    assert [n["description"] for n in notes] == ["SECRET-NOTE"]


async def test_jobapps_malformed_input(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    app = await _add(client, user)
    h = user.headers
    failed(await client.get("/api/jobapps/get_status_history", headers=h), 10)
    failed(await client.get("/api/jobapps/get_jobapp_notes?jopapp_id=abc", headers=h), 10)
    failed(await client.get("/api/jobapps/get_jobapp_detail?jopapp_id=-1", headers=h), 10)
    failed(await client.get("/api/jobapps/get_jobapps?status_id=x", headers=h), 10)
    failed(await client.get("/api/jobapps/get_jobapps?status_id=9", headers=h), 11)
    failed(await client.post("/api/jobapps/update_jobapp", json={"jobapp_id": app["id"]}, headers=h), 10)
    failed(await client.post("/api/jobapps/update_jobapp", json={"status_id": 1}, headers=h), 10)
    failed(await client.post("/api/jobapps/update_jobapp", json={"jobapp_id": app["id"], "status_id": 9}, headers=h),
           11)
    failed(await client.post("/api/jobapps/update_jobapp", json={"jobapp_id": app["id"], "rejected": "maybe"},
                             headers=h), 10)
    failed(await client.post("/api/jobapps/add_jobapp", json={"company": "X"}, headers=h), 10)
    failed(await client.post("/api/jobapps/add_jobapp", json={"job_title": "A", "company": "X",
                                                              "application_date": "31/01/2019"}, headers=h), 10)
    failed(await client.post("/api/jobapps/add_jobapp", json={"job_title": "A", "company": "X", "status_id": 42},
                             headers=h), 11)
    failed(await client.post("/api/jobapps/add_jobapp", json={"job_title": " ", "company": "X"}, headers=h), 10)
    failed(await client.post("/api/jobapps/add_jobapp_note", json={"jobapp_id": app["id"]}, headers=h), 10)
    failed(await client.post("/api/jobapps/update_jobapp_note", json={"jobapp_note_id": "x", "description": "d"},
                             headers=h), 10)
    failed(await client.post("/api/jobapps/delete_jobapp_note", json={}, headers=h), 10)
    failed(await client.post("/api/jobapps/delete_jobapp", json={"jobapp_id": 2**70}, headers=h), 10)
    bad = await client.post("/api/jobapps/add_jobapp", content=b"not json", headers={**h, "content-type":
                                                                                      "application/json"})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/json")


JOBAPP_CALLS = [
    ("GET", "/api/jobapps/get_jobapps"), ("GET", "/api/jobapps/get_statuses"),
    ("GET", "/api/jobapps/get_status_history?jopapp_id=1"), ("POST", "/api/jobapps/add_jobapp"),
    ("POST", "/api/jobapps/update_jobapp"), ("POST", "/api/jobapps/delete_jobapp"),
    ("GET", "/api/jobapps/get_jobapp_detail?jopapp_id=1"), ("POST", "/api/jobapps/add_jobapp_note"),
    ("GET", "/api/jobapps/get_jobapp_notes?jopapp_id=1"), ("POST", "/api/jobapps/update_jobapp_note"),
    ("POST", "/api/jobapps/delete_jobapp_note"),
    ("GET", "/api/metrics/get_total_application_count"), ("GET", "/api/metrics/get_application_count_by_month"),
    ("GET", "/api/metrics/get_application_count_by_month_with_total"), ("GET", "/api/metrics/get_count_by_statuses"),
    ("GET", "/api/metrics/get_word_count"), ("GET", "/api/metrics/get_count_by_jobtitle_and_statuses"),
]


async def test_jobapps_and_metrics_need_a_token(client: Client) -> None:
    for method, url in JOBAPP_CALLS:
        unauthorized(await client.request(method, url, json={} if method == "POST" else None))


# ------------------------------------------------------------------------------------------- metrics


async def test_metrics_shapes_and_owner_only(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    other = await sign_up(client, container, "bob@example.org")
    from datetime import UTC, datetime

    today = datetime.now(UTC).date().isoformat()
    await _add(client, user, job_title="Android Engineer", company="Amazon", source="LinkedIn",
               application_date=today)
    await _add(client, user, job_title="iOS Engineer", company="amazon ", source="LinkedIn", status_id=3,
               application_date=today)
    deleted = await _add(client, user, job_title="Gone", company="Deleted Co", source="Indeed",
                         application_date=today)
    succeeded(await client.post("/api/jobapps/delete_jobapp", json={"jobapp_id": deleted["id"]},
                                headers=user.headers))
    await _add(client, other, job_title="Other's", company="Elsewhere", source="Hired.com", application_date=today)
    h = user.headers
    assert succeeded(await client.get("/api/metrics/get_total_application_count", headers=h)) == {"count": 2}

    monthly = succeeded(await client.get("/api/metrics/get_application_count_by_month", headers=h))
    series, months = monthly
    assert len(months) == 12 and months[-1] == datetime.now(UTC).strftime("%B")
    assert all(set(s) == {"source", "data"} and len(s["data"]) == 12 for s in series)
    assert {s["source"]: s["data"][-1] for s in series} == {"LinkedIn": 2, "Others": 0}
    with_total = succeeded(await client.get("/api/metrics/get_application_count_by_month_with_total", headers=h))
    assert with_total[0][-1] == {"source": "Total", "data": [0] * 11 + [2]} and with_total[1] == months

    by_status = succeeded(await client.get("/api/metrics/get_count_by_statuses", headers=h))
    assert by_status == [{"name": "APPLIED", "value": 1}, {"name": "PHONE SCREEN", "value": 1}]
    words = succeeded(await client.get("/api/metrics/get_word_count", headers=h))
    assert len(words) == 1 and words[0]["value"] == 2 and set(words[0]) == {"word", "value"}
    titles = succeeded(await client.get("/api/metrics/get_count_by_jobtitle_and_statuses", headers=h))
    assert set(titles) == {"jobs", "statuses", "data"}
    assert sorted(titles["jobs"]) == ["Android Engineer", "iOS Engineer"]
    assert titles["statuses"] == ["TO APPLY", "APPLIED", "PHONE SCREEN", "ONSITE INTERVIEW", "OFFER"]
    per_status = {d["name"]: dict(zip(titles["jobs"], d["data"], strict=True)) for d in titles["data"]}
    assert per_status["APPLIED"]["Android Engineer"] == 1 and per_status["PHONE SCREEN"]["iOS Engineer"] == 1
    # another user's data never counts
    assert succeeded(await client.get("/api/metrics/get_total_application_count",
                                      headers=other.headers)) == {"count": 1}


# ------------------------------------------------------------------------------------------- OAuth clients


async def test_oauth_client_secrets_are_stored_hashed(memory_container: AppContainer) -> None:
    identity = memory_container.jobhax.identity()
    made = await identity.create_client("web", "my-client-id", "a-long-enough-secret")
    assert (made.client_id, made.client_secret) == ("my-client-id", "a-long-enough-secret")
    async with memory_container.jobhax.uow() as uow:
        stored = await uow.clients.by_client_id("my-client-id")
    assert stored is not None and "a-long-enough-secret" not in stored.secret_digest
    assert await identity.client_ok("my-client-id", "a-long-enough-secret")
    assert not await identity.client_ok("my-client-id", "a-long-enough-secreT")
    assert not await identity.client_ok("other-client-id", "a-long-enough-secret")
    generated = await identity.create_client("mobile")
    assert len(generated.client_secret) >= 40
    assert await identity.client_ok(generated.client_id, generated.client_secret)


async def test_the_owner_signup_code_still_reaches_a_registered_address(
    client: Client, container: AppContainer
) -> None:
    """The platform sign-up of an address a JobHax register holds is not refused ("Existing Email!")."""
    body = {"username": "squat", "email": "real@example.org", "password": PASSWORD, "password2": PASSWORD}
    succeeded(await client.post("/api/users/register", json=body))
    mailer = container.platform.mailer()
    before = len(mailer.sent)
    r = await client.post("/user/signup/", json={"email": "real@example.org", "password1": PASSWORD,
                                                 "password2": PASSWORD})
    assert r.status_code == 201 and r.json() == {"status": "Otp sent"}, r.text
    assert code_in(await wait_for_mail(mailer, "real@example.org", "Verify your Email", after=before))


# ------------------------------------------------------------------------------------------- statements


async def test_lists_and_metrics_cost_the_same_statements_whatever_their_size(
    client: Client, container: AppContainer
) -> None:
    user = await sign_up(client, container, "ada@example.org")
    calls = ["/api/jobapps/get_jobapps", "/api/users/get_user_google_mails",
             "/api/metrics/get_application_count_by_month_with_total", "/api/metrics/get_word_count",
             "/api/metrics/get_count_by_jobtitle_and_statuses", "/api/metrics/get_count_by_statuses"]

    async def costs() -> list[int]:
        counted = []
        for url in calls:
            answer, seen = await measured(container, lambda url=url: client.get(url, headers=user.headers))
            succeeded(answer)
            counted.append(len(seen))
        return counted

    await _add(client, user, job_title="First")
    small = await costs()
    for n in range(6):
        await _add(client, user, job_title=f"Job {n}", company=f"Company {n}", source=f"Source {n}")
    mbox = b"".join(b"From x@y Thu Jan  1 00:00:00 2024\n" + s.raw + b"\n" for s in SAMPLES[:5])
    task = succeeded(await client.post("/api/users/upload_emails", headers=user.headers,
                                       files={"file": ("e.mbox", mbox, "application/mbox")}), 202)
    assert (await wait_sync(client, user, task["task_id"]))["imported"] == 5
    assert await costs() == small
