"""Account takeover paths through HTTP (issue 16: items 1, 2, 3, 11 and the token part of 16).

``AsyncTestClient`` keeps cookies like a browser with ``withCredentials``: the real frontend's reset flow
(stage 1 ``{email}``, stage 2 ``{otp}``, stage 3 ``{email, password1, password2}``) runs on cookies alone."""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from tests.conftest import PASSWORD, bearer, code_in, make_settings, sign_up, wait_for_mail
from tests.e2e.test_accounts_api import CORPORATE

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
NEW = "N3wPassword"
RESET = "/user/forget-password/"
RESET_MAIL = "Password Reset Request"


def set_cookies(response: Any) -> dict[str, str]:
    """Each Set-Cookie header of a response by cookie name (the raw header, attributes included)."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name = header.split("=", 1)[0].strip()
        found[name] = header
    return found


def attributes(header: str) -> dict[str, str]:
    morsel = next(iter(SimpleCookie(header).values()))
    flags = {k: str(v) for k, v in morsel.items() if v}
    lowered = header.lower()
    flags["httponly"] = "true" if "httponly" in lowered else ""
    flags["secure"] = "true" if "; secure" in lowered else ""
    return flags


async def reset_code(client: Client, container: AppContainer, email: str = "ada@example.org") -> str:
    before = len(container.platform.mailer().sent)
    response = await client.post(RESET, json={"email": email})
    assert response.status_code == 200, response.text
    return code_in(await wait_for_mail(container.platform.mailer(), email, RESET_MAIL, after=before))


async def test_the_frontends_reset_flow_works_on_cookies_alone(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    code_response = await client.post(RESET, json={"email": "ada@example.org"})
    assert code_response.status_code == 200
    assert code_response.json() == {"status": "Reset Password OTP sent.", "email": "ada@example.org"}
    first = set_cookies(code_response)
    assert set(first) == {"careernexus_reset"}
    flags = attributes(first["careernexus_reset"])
    assert flags["path"] == RESET and flags["httponly"] and flags["samesite"].lower() == "lax"
    assert not flags["secure"]  # PUBLIC_URL is http here: the cookie must work on a plain-http local run
    assert "ada@example.org" not in first["careernexus_reset"]  # the address is encoded, not in clear
    mail = await wait_for_mail(container.platform.mailer(), "ada@example.org", RESET_MAIL)

    second = await client.post(RESET, json={"otp": code_in(mail)})
    assert second.status_code == 200, second.text
    assert second.json()["status"] == "Verified" and second.json()["email"] == "ada@example.org"
    proof = attributes(set_cookies(second)["careernexus_reset_proof"])
    assert proof["path"] == RESET and proof["httponly"] and proof["samesite"].lower() == "lax"
    assert "careernexus_reset" not in client.cookies  # the stage-1 binding is spent

    third = await client.post(RESET, json={"email": "ada@example.org", "password1": NEW, "password2": NEW})
    assert third.status_code == 200, third.text
    assert third.json() == {"status": "Password Changed", "email": "ada@example.org"}
    assert "careernexus_reset_proof" not in client.cookies  # cleared
    again = await client.post(RESET, json={"email": "ada@example.org", "password1": NEW, "password2": NEW})
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["Cannot change password. Request new otp."]}
    signin = await client.post("/user/signin/", json={"email": "ada@example.org", "password": NEW})
    assert signin.status_code == 200
    # Every session from before the reset ended, access tokens included.
    assert (await client.get("/user/linked-accounts/", headers=user.headers)).status_code == 401


async def test_cookies_are_secure_when_the_public_url_is_https(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, public_url="https://api.example.org")
    container = build_container(settings, "sql")
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        await sign_up(client, container, "ada@example.org")
        response = await client.post(RESET, json={"email": "ada@example.org"})
        assert response.status_code == 200
        flags = attributes(set_cookies(response)["careernexus_reset"])
        assert flags["secure"] and flags["httponly"] and flags["samesite"].lower() == "lax"


async def test_the_readme_curl_flow_uses_the_reset_token(client: Client, container: AppContainer) -> None:
    await sign_up(client, container, "ada@example.org")
    code = await reset_code(client, container)
    client.cookies.clear()  # curl keeps no cookies
    verified = await client.post(RESET, json={"email": "ada@example.org", "otp": code})
    assert verified.status_code == 200 and set(verified.json()) == {"status", "email", "reset_token"}
    client.cookies.clear()
    body = {"email": "ada@example.org", "password1": NEW, "password2": NEW}
    done = await client.post(RESET, json={**body, "reset_token": verified.json()["reset_token"]})
    assert done.status_code == 200 and done.json()["status"] == "Password Changed"


async def test_a_stranger_cannot_finish_the_owners_reset(client: Client, container: AppContainer) -> None:
    await sign_up(client, container, "ada@example.org")
    code = await reset_code(client, container)
    owner = await client.post(RESET, json={"otp": code})
    assert owner.status_code == 200
    owner_cookies = dict(client.cookies)
    client.cookies.clear()  # the stranger's browser: knows the address, nothing else
    body = {"email": "ada@example.org", "password1": "Stol3nPass", "password2": "Stol3nPass"}
    refused = await client.post(RESET, json=body)
    assert refused.status_code == 400 and refused.json() == {"non_field_errors": ["Invalid reset token"]}
    client.cookies.set("careernexus_reset_proof", "forged")
    forged = await client.post(RESET, json=body)
    assert forged.status_code == 400 and forged.headers["content-type"].startswith("application/json")
    still = await client.post("/user/signin/", json={"email": "ada@example.org", "password": PASSWORD})
    assert still.status_code == 200
    # The owner finishes.
    client.cookies.clear()
    client.cookies.update(owner_cookies)
    done = await client.post(RESET, json={"email": "ada@example.org", "password1": NEW, "password2": NEW})
    assert done.status_code == 200


async def test_otp_alone_is_no_global_oracle(client: Client, container: AppContainer) -> None:
    await sign_up(client, container, "ada@example.org")
    code = await reset_code(client, container)
    client.cookies.clear()
    # Without the stage-1 cookie and without an address, even the right code is refused, and it counts.
    guess = await client.post(RESET, json={"otp": code})
    assert guess.status_code == 400 and guess.json() == {"non_field_errors": ["Invalid OTP"]}
    assert "reset_token" not in guess.text and "ada@example.org" not in guess.text


async def test_token_responses_are_never_cached(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    org = await client.post("/user/corporate/signup/", json=CORPORATE, headers=user.headers)
    assert org.status_code == 201
    responses = {
        "signin": await client.post("/user/signin/", json={"email": "ada@example.org", "password": PASSWORD}),
        "refresh": await client.post("/user/token/refresh/", json={"refresh": user.refresh}),
        "switch": await client.post("/user/switch-account/", json={"account": org.json()["id"]}, headers=user.headers),
        "reset-1": await client.post(RESET, json={"email": "ada@example.org"}),
    }
    mail = await wait_for_mail(container.platform.mailer(), "ada@example.org", RESET_MAIL)
    responses["reset-2"] = await client.post(RESET, json={"otp": code_in(mail)})
    responses["reset-3"] = await client.post(RESET, json={"email": "ada@example.org", "password1": NEW,
                                                          "password2": NEW})
    before = len(container.platform.mailer().sent)
    body = {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    assert (await client.post("/user/signup/", json=body)).status_code == 201
    mailer = container.platform.mailer()
    code = code_in(await wait_for_mail(mailer, "new@example.org", "Verify your Email", after=before))
    responses["signup"] = await client.post("/user/signup/", json={**body, "otp": code})
    for name, response in responses.items():
        assert response.status_code in (200, 201), (name, response.text)
        assert response.headers["cache-control"] == "no-store", name
        assert response.headers["pragma"] == "no-cache", name


async def test_stolen_token_cannot_hop_back_after_the_victims_reset(client: Client, container: AppContainer) -> None:
    victim = await sign_up(client, container, "ada@example.org")
    org = await client.post("/user/corporate/signup/", json=CORPORATE, headers=victim.headers)
    org_id = org.json()["id"]
    # The attacker, with the victim's stolen access token, switches into the corporate account.
    hop = await client.post("/user/switch-account/", json={"account": org_id}, headers=victim.headers)
    assert hop.status_code == 200
    stolen_org = hop.json()
    # The victim resets the password (their own browser).
    code = await reset_code(client, container)
    assert (await client.post(RESET, json={"otp": code})).status_code == 200
    done = await client.post(RESET, json={"email": "ada@example.org", "password1": NEW, "password2": NEW})
    assert done.status_code == 200
    # Every step of the attacker fails afterwards.
    kept = await client.post("/user/token/refresh/", json={"refresh": stolen_org["refresh"]})
    assert kept.status_code == 401
    back = await client.post("/user/switch-account/", json={"account": victim.id},
                             headers=bearer(stolen_org["access"]))
    assert back.status_code == 401
    assert (await client.get("/user/linked-accounts/", headers=bearer(stolen_org["access"]))).status_code == 401
    assert (await client.post("/user/token/refresh/", json={"refresh": victim.refresh})).status_code == 401
