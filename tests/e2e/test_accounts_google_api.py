"""Google sign-up and sign-in through HTTP against the local fake Google (real HTTP, RS256 id_tokens)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from tests.conftest import PASSWORD, bearer, make_settings, sign_up, wait_for_mail
from tests.fakes.google import FakeGoogle, running_fake_google

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
CLIENT_ID = "test-client-id.apps.googleusercontent.com"


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with running_fake_google(CLIENT_ID, "test-google-secret") as fake:
        yield fake


@pytest.fixture
def google_container(tmp_path: Path, database_url: str, google: FakeGoogle) -> AppContainer:
    settings = make_settings(tmp_path, database_url, google_client_id=CLIENT_ID,
                             google_token_url=google.token_url, google_jwks_url=google.jwks_url)
    return build_container(settings, "sql")


@pytest.fixture
async def gclient(google_container: AppContainer) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create_app(google_container), base_url="http://testserver.local") as test_client:
        yield test_client


async def test_google_signup_then_signin(gclient: Client, google_container: AppContainer, google: FakeGoogle) -> None:
    code = google.issue_code("Ada@Example.org", name="Ada Lovelace")
    response = await gclient.post("/user/google/signup/", json={"code": code, "user_type": "mentor"})
    assert response.status_code == 201, response.text
    data = response.json()
    assert set(data) == {"refresh", "access", "user", "email", "status"}
    assert data["user"] == data["email"] == "ada@example.org" and data["status"] == "Success"
    request = google.token_requests[-1]
    assert (request["code"], request["client_id"]) == (code, CLIENT_ID)
    assert request["grant_type"] == "authorization_code"
    assert request["redirect_uri"] == google_container.accounts.settings().google_redirect_uri
    await wait_for_mail(google_container.platform.mailer(), "ada@example.org", "Welcome to Career Nexus")
    assert (await gclient.get("/user/linked-accounts/", headers=bearer(data["access"]))).status_code == 200

    signin = await gclient.post("/user/google/signin/", json={"code": google.issue_code("ada@example.org")})
    assert signin.status_code == 200, signin.text
    body = signin.json()
    assert set(body) == {"refresh", "access", "email", "user_type", "id"}
    assert (body["email"], body["user_type"]) == ("ada@example.org", "mentor")
    # Password-less: the password route refuses it.
    password = await gclient.post("/user/signin/", json={"email": "ada@example.org", "password": PASSWORD})
    assert password.status_code == 400


async def test_google_signin_of_a_password_account(gclient: Client, google_container: AppContainer,
                                                   google: FakeGoogle) -> None:
    user = await sign_up(gclient, google_container, "bob@example.org")
    response = await gclient.post("/user/google/signin/", json={"code": google.issue_code("bob@example.org")})
    assert response.status_code == 200 and response.json()["id"] == user.id


async def test_google_errors(gclient: Client, google_container: AppContainer, google: FakeGoogle) -> None:
    async def post(path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = await gclient.post(path, json=body)
        return response.status_code, response.json()

    assert await post("/user/google/signup/", {}) == (400, {"error": "Missing Code"})
    assert await post("/user/google/signin/", {"code": ""}) == (400, {"error": "Missing Code"})
    assert await post("/user/google/signin/", {"code": "4/unknown"}) == (400, {"error": "Failed to get ID token"})
    no_token = google.issue_code("ada@example.org", include_id_token=False)
    assert await post("/user/google/signup/", {"code": no_token}) == (400, {"error": "Failed to get ID token"})
    for kwargs in ({"aud": "someone-else"}, {"signing": "other_key"}, {"signing": "none"}, {"signing": "hs256"},
                   {"expires_in": -3600}, {"iss": "https://evil.example"}):
        code = google.issue_code("ada@example.org", **kwargs)  # type: ignore[arg-type]
        assert await post("/user/google/signup/", {"code": code}) == (400, {"error": "Invalid Token"}), kwargs
    unverified = google.issue_code("ada@example.org", email_verified=False)
    assert await post("/user/google/signup/", {"code": unverified}) == (400, {"error": "Email not verified"})
    unknown = google.issue_code("nobody@example.org")
    assert await post("/user/google/signin/", {"code": unknown}) == (
        400, {"error": "No account with this email exist. Signup to continue"})
    await sign_up(gclient, google_container, "bob@example.org")
    existing = google.issue_code("bob@example.org")
    assert await post("/user/google/signup/", {"code": existing}) == (
        400, {"error": "An account with this email exists. Proceed to Login"})


async def test_google_provider_down_is_a_400_not_a_500(gclient: Client, google: FakeGoogle) -> None:
    google.token_reply = (503, b"upstream unavailable")
    response = await gclient.post("/user/google/signin/", json={"code": google.issue_code("ada@example.org")})
    assert response.status_code == 400 and response.json() == {"error": "Failed to get ID token"}
    google.token_reply = (200, b"not json")
    response = await gclient.post("/user/google/signup/", json={"code": google.issue_code("ada@example.org")})
    assert response.status_code == 400 and response.json() == {"error": "Failed to get ID token"}
