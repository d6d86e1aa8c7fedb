"""Accounts endpoints through HTTP: documented shapes, 401 without a token, wrong owner, malformed input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer, build_container
from tests.conftest import PASSWORD, SignedUp, bearer, code_in, sign_up, wait_for_mail
from tests.samples import png_bytes

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

CORPORATE = {
    "company_name": "Bojowa Ventures Limited",
    "company_email": "bojvent@example.org",
    "company_type": "private",
    "company_size": "1-10",
    "industry": "technology",
    "website": "https://www.bojventltd.com",
    "location": "Lagos",
    "tagline": "Dealers in recycled wastes and compositions.",
}
CORPORATE_KEYS = {"id", "company_name", "company_type", "company_size", "country_code", "phone_number", "location",
                  "website", "tagline", "logo", "cover_photo", "members", "user_type", "industry"}
CARD_KEYS = {"id", "name", "profile_photo", "extras"}
NEW_PASSWORD = "N3wPassword"


async def signin_status(client: Client, email: str, password: str = PASSWORD) -> int:
    return (await client.post("/user/signin/", json={"email": email, "password": password})).status_code


def link_in(mail: Any) -> str:
    match = re.search(r"/verify/(\S+)", mail.text)
    assert match, mail.text
    return match.group(1)


async def corporate(
    client: Client, container: AppContainer, owner: SignedUp, email: str = "bojvent@example.org"
) -> int:
    """A corporate account of ``owner`` whose company address is confirmed with the code mailed to it."""
    before = len(container.platform.mailer().sent)
    response = await client.post("/user/corporate/signup/", json={**CORPORATE, "company_email": email},
                                 headers=owner.headers)
    assert response.status_code == 201, response.text
    org = int(response.json()["id"])
    code = code_in(await wait_for_mail(container.platform.mailer(), email, "Confirm your company e-mail", after=before))
    verified = await client.post("/user/corporate/verify/", json={"account": org, "otp": code}, headers=owner.headers)
    assert verified.status_code == 200, verified.text
    return org


async def switch(client: Client, user: SignedUp, account: int) -> dict[str, str]:
    response = await client.post("/user/switch-account/", json={"account": account}, headers=user.headers)
    assert response.status_code == 200, response.text
    return bearer(response.json()["access"])


# --------------------------------------------------------------------------------------- sign-up


async def test_signup_two_stages(client: Client, container: AppContainer) -> None:
    mailer = container.platform.mailer()
    body = {"email": "Opeyemi@Example.org", "password1": PASSWORD, "password2": PASSWORD, "resend": True}
    first = await client.post("/user/signup/", json=body)
    assert first.status_code == 201 and first.json() == {"status": "Otp sent"}
    mail = await wait_for_mail(mailer, "opeyemi@example.org", "Verify your Email")
    code = code_in(mail)
    assert code in mail.html and mail.text != mail.html

    second = await client.post("/user/signup/", json={**body, "otp": code})
    assert second.status_code == 201, second.text
    data = second.json()
    assert set(data) == {"refresh", "access", "user", "status"}
    assert data["user"] == "opeyemi@example.org" and data["status"] == "Success"
    welcome = await wait_for_mail(mailer, "opeyemi@example.org", "Welcome to Career Nexus")
    assert welcome.text and welcome.html
    me = await client.get("/user/linked-accounts/", headers=bearer(data["access"]))
    assert me.status_code == 200 and me.json() == []


async def test_signup_errors(client: Client, container: AppContainer) -> None:
    body = {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    weak = await client.post("/user/signup/", json={**body, "password1": "abc", "password2": "abc"})
    assert weak.status_code == 400 and weak.json() == {
        "non_field_errors": ["Passwords cannot be less than 6 characters"]}
    mismatch = await client.post("/user/signup/", json={**body, "password2": "Other1pass"})
    assert mismatch.status_code == 400 and mismatch.json() == {"Password Mismatch": ["Passwords must be the same"]}
    await client.post("/user/signup/", json=body)
    wrong = await client.post("/user/signup/", json={**body, "otp": "000000x"})
    assert wrong.status_code == 400 and wrong.json() == {"OTP Error": "Invalid OTP"}
    await sign_up(client, container, "bob@example.org")
    taken = await client.post("/user/signup/", json={**body, "email": "BOB@example.org"})
    assert taken.status_code == 400 and taken.json() == {"email": ["Existing Email!"]}


async def test_mentor_signup_through_the_api(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "mentor@example.org", industry="health")
    response = await client.post("/user/signin/", json={"email": user.email, "password": PASSWORD})
    assert response.json()["user_type"] == "mentor"


async def test_hash_verify(client: Client, container: AppContainer) -> None:
    body = {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    await client.post("/user/signup/", json=body)
    mail = await wait_for_mail(container.platform.mailer(), "ada@example.org", "Verify your Email")
    response = await client.post("/user/hash/verify/", json={"hash": link_in(mail)})
    assert response.status_code == 201, response.text
    data = response.json()
    assert set(data) == {"refresh", "access", "email", "status"}
    assert data["email"] == "ada@example.org" and data["status"] == "Success"
    again = await client.post("/user/hash/verify/", json={"hash": link_in(mail)})
    assert again.status_code == 400 and again.json() == {"non_field_errors": ["Invalid Link"]}


# ------------------------------------------------------------------------------- sign-in, tokens


async def test_signin_shape(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    response = await client.post("/user/signin/", json={"email": "ADA@example.org", "password": PASSWORD})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"refresh", "access", "user_id", "user", "user_type"}
    assert (data["user_id"], data["user"], data["user_type"]) == (user.id, "ada@example.org", "learner")
    bad = await client.post("/user/signin/", json={"email": "ada@example.org", "password": "Wrong1pass"})
    assert bad.status_code == 400 and bad.json() == {"non_field_errors": ["Invalid Credentials"]}


async def test_repeated_bad_signins_are_throttled(client: Client, container: AppContainer) -> None:
    await sign_up(client, container, "ada@example.org")
    statuses = []
    for _ in range(12):
        response = await client.post("/user/signin/", json={"email": "ada@example.org", "password": "Wrong1pass"})
        statuses.append(response.status_code)
    assert statuses[0] == 400 and statuses[-1] == 429
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["detail"].startswith("Request was throttled.")
    # Even the right password is refused while throttled.
    right = await client.post("/user/signin/", json={"email": "ada@example.org", "password": PASSWORD})
    assert right.status_code == 429


async def test_signout(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    junk = await client.post("/user/signout/", json={"refresh": "junk"}, headers=user.headers)
    assert junk.status_code == 400 and junk.json() == {"non_field_errors": ["Invalid Token"]}
    response = await client.post("/user/signout/", json={"refresh": user.refresh}, headers=user.headers)
    assert response.status_code == 202 and response.json() == {"status": "Logged Out"}
    refused = await client.post("/user/token/refresh/", json={"refresh": user.refresh})
    assert refused.status_code == 401 and "detail" in refused.json()
    # The session's access token ended with it.
    ended = await client.get("/user/linked-accounts/", headers=user.headers)
    assert ended.status_code == 401 and "detail" in ended.json()
    unauth = await client.post("/user/signout/", json={"refresh": user.refresh})
    assert unauth.status_code == 401 and unauth.json() == {"detail": "Authentication credentials were not provided."}


async def test_signout_with_a_revoked_refresh_token_is_invalid(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    invalid = {"non_field_errors": ["Invalid Token"]}
    # A refresh token rotated by /user/token/refresh/ is revoked: signing out with it cannot blacklist it.
    rotated = (await client.post("/user/token/refresh/", json={"refresh": ada.refresh})).json()
    again = await client.post("/user/signout/", json={"refresh": ada.refresh}, headers=bearer(rotated["access"]))
    assert again.status_code == 400 and again.json() == invalid
    assert (await client.get("/user/linked-accounts/", headers=bearer(rotated["access"]))).status_code == 200
    # A second session signed out once: the same refresh token a second time is refused.
    other = (await client.post("/user/signin/", json={"email": "ada@example.org", "password": PASSWORD})).json()
    first = await client.post("/user/signout/", json={"refresh": other["refresh"]}, headers=bearer(rotated["access"]))
    assert first.status_code == 202
    second = await client.post("/user/signout/", json={"refresh": other["refresh"]}, headers=bearer(rotated["access"]))
    assert second.status_code == 400 and second.json() == invalid
    # The live one still signs out.
    done = await client.post("/user/signout/", json={"refresh": rotated["refresh"]}, headers=bearer(rotated["access"]))
    assert done.status_code == 202 and done.json() == {"status": "Logged Out"}


async def test_signout_of_someone_elses_token(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    bob = await sign_up(client, container, "bob@example.org")
    response = await client.post("/user/signout/", json={"refresh": bob.refresh}, headers=ada.headers)
    assert response.status_code == 400 and response.json() == {"non_field_errors": ["Invalid Token"]}
    still = await client.post("/user/token/refresh/", json={"refresh": bob.refresh})
    assert still.status_code == 200


async def test_token_refresh(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    response = await client.post("/user/token/refresh/", json={"refresh": user.refresh})
    assert response.status_code == 200 and set(response.json()) == {"access", "refresh"}
    pair = response.json()
    assert (await client.get("/user/linked-accounts/", headers=bearer(pair["access"]))).status_code == 200
    access = await client.post("/user/token/refresh/", json={"refresh": pair["access"]})
    assert access.status_code == 401
    newer = await client.post("/user/token/refresh/", json={"refresh": pair["refresh"]})
    assert newer.status_code == 200
    # Replaying a rotated refresh token ends the whole session: the newest tokens stop working too.
    old = await client.post("/user/token/refresh/", json={"refresh": user.refresh})
    assert old.status_code == 401
    assert (await client.get("/user/linked-accounts/", headers=bearer(newer.json()["access"]))).status_code == 401
    assert (await client.post("/user/token/refresh/", json={"refresh": newer.json()["refresh"]})).status_code == 401


async def test_invalid_bearer_tokens_are_401(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    for headers in ({"Authorization": "Bearer junk"}, {"Authorization": f"Bearer {user.refresh}"},
                    {"Authorization": f"Token {user.access}"}, {"Authorization": "Bearer "}):
        response = await client.get("/user/linked-accounts/", headers=headers)
        assert response.status_code == 401, headers
        assert "detail" in response.json()


# ------------------------------------------------------------------------------- forget password


async def test_forget_password_three_stages(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    mailer = container.platform.mailer()
    first = await client.post("/user/forget-password/", json={"email": "ada@example.org"})
    assert first.status_code == 200
    assert first.json() == {"status": "Reset Password OTP sent.", "email": "ada@example.org"}
    mail = await wait_for_mail(mailer, "ada@example.org", "Password Reset Request")
    assert mail.text and mail.html

    second = await client.post("/user/forget-password/", json={"otp": code_in(mail)})
    assert second.status_code == 200
    data = second.json()
    assert set(data) == {"status", "email", "reset_token"}
    assert (data["status"], data["email"]) == ("Verified", "ada@example.org")

    body = {"email": "ada@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    mismatch = await client.post("/user/forget-password/", json={**body, "reset_token": "nope"})
    assert mismatch.status_code == 400 and mismatch.json() == {"non_field_errors": ["Invalid reset token"]}
    third = await client.post("/user/forget-password/", json={**body, "reset_token": data["reset_token"]})
    assert third.status_code == 200 and third.json() == {"status": "Password Changed", "email": "ada@example.org"}
    again = await client.post("/user/forget-password/", json=body)
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["Cannot change password. Request new otp."]}

    signin = await client.post("/user/signin/", json={"email": "ada@example.org", "password": NEW_PASSWORD})
    assert signin.status_code == 200
    revoked = await client.post("/user/token/refresh/", json={"refresh": user.refresh})
    assert revoked.status_code == 401
    await wait_for_mail(mailer, "ada@example.org", "Your password was changed")


async def test_forget_password_with_the_link(client: Client, container: AppContainer) -> None:
    await sign_up(client, container, "ada@example.org")
    await client.post("/user/forget-password/", json={"email": "ada@example.org"})
    mail = await wait_for_mail(container.platform.mailer(), "ada@example.org", "Password Reset Request")
    response = await client.post("/user/forget-password/", json={"hash": link_in(mail)})
    assert response.status_code == 200 and response.json()["status"] == "Verified"


async def test_forget_password_errors(client: Client) -> None:
    unknown = await client.post("/user/forget-password/", json={"email": "nobody@example.org"})
    assert unknown.status_code == 400 and unknown.json() == {"non_field_errors": ["Unregistered Email"]}
    empty = await client.post("/user/forget-password/", json={})
    assert empty.status_code == 400 and empty.json() == {"non_field_errors": ["Invalid Request!"]}
    otp = await client.post("/user/forget-password/", json={"otp": "123456"})
    assert otp.status_code == 400 and otp.json() == {"non_field_errors": ["Invalid OTP"]}


# -------------------------------------------------------------------------------------- deletion


async def test_delete_self(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    bob = await sign_up(client, container, "bob@example.org")
    response = await client.delete("/user/delete/", headers=ada.headers)
    assert response.status_code == 204 and response.content == b""
    gone = await client.post("/user/signin/", json={"email": "ada@example.org", "password": PASSWORD})
    assert gone.status_code == 400
    assert (await client.post("/user/signin/", json={"email": bob.email, "password": PASSWORD})).status_code == 200


async def test_delete_self_naming_own_email(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    response = await client.request("DELETE", "/user/delete/", json={"email": "ada@example.org"},
                                    headers=ada.headers)
    assert response.status_code == 204


async def test_delete_requires_a_token(client: Client, container: AppContainer) -> None:
    await sign_up(client, container, "ada@example.org")
    response = await client.request("DELETE", "/user/delete/", json={"email": "ada@example.org"})
    assert response.status_code == 401 and "detail" in response.json()
    assert await signin_status(client, "ada@example.org") == 200


async def test_delete_someone_else_is_403_for_non_staff(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    await sign_up(client, container, "bob@example.org")
    response = await client.request("DELETE", "/user/delete/", json={"email": "bob@example.org"},
                                    headers=ada.headers)
    assert response.status_code == 403 and "detail" in response.json()
    assert await signin_status(client, "bob@example.org") == 200


async def test_staff_deletes_anyone(client: Client, container: AppContainer) -> None:
    # The app's engine lives on the test client's loop: create the admin through a container of our own.
    side = build_container(container.settings(), "sql")
    await side.accounts.admin().create_admin("admin@example.org", "Adm1nPass")
    await side.platform.engine().dispose()
    admin = (await client.post("/user/signin/", json={"email": "admin@example.org", "password": "Adm1nPass"})).json()
    await sign_up(client, container, "bob@example.org")
    response = await client.request("DELETE", "/user/delete/", json={"email": "bob@example.org"},
                                    headers=bearer(admin["access"]))
    assert response.status_code == 204
    unknown = await client.request("DELETE", "/user/delete/", json={"email": "bob@example.org"},
                                   headers=bearer(admin["access"]))
    assert unknown.status_code == 400 and unknown.json() == {"email": ["Unregistered User"]}


# ------------------------------------------------------------------ corporate, linked, switching


async def test_corporate_signup_json(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    response = await client.post("/user/corporate/signup/", json=CORPORATE, headers=owner.headers)
    assert response.status_code == 201, response.text
    data = response.json()
    assert set(data) == CORPORATE_KEYS
    assert data["user_type"] == "employer" and data["members"] == [] and data["industry"] == "technology"
    assert data["company_name"] == CORPORATE["company_name"] and data["tagline"] == CORPORATE["tagline"]
    assert (data["country_code"], data["phone_number"]) == ("+000", "00000000000")
    assert data["logo"].startswith("http") and data["cover_photo"].startswith("http")
    # The corporate account cannot sign in or reset a password: switch-account only.
    signin = await client.post("/user/signin/", json={"email": CORPORATE["company_email"], "password": PASSWORD})
    assert signin.status_code == 400
    reset = await client.post("/user/forget-password/", json={"email": CORPORATE["company_email"]})
    assert reset.status_code == 400


async def test_corporate_signup_multipart_png_logo(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    response = await client.post("/user/corporate/signup/", data=CORPORATE,
                                 files={"logo": ("logo.png", png_bytes(), "image/png")}, headers=owner.headers)
    assert response.status_code == 201, response.text
    objects = container.platform.storage().objects
    [key] = objects
    assert key.startswith("profile_photo/company_logo/") and objects[key] == (png_bytes(), "image/png")
    assert response.json()["logo"].endswith(key)


async def test_corporate_signup_forged_logo(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    response = await client.post("/user/corporate/signup/", data=CORPORATE,
                                 files={"logo": ("logo.png", b"hello, I am text", "image/png")},
                                 headers=owner.headers)
    assert response.status_code == 400 and list(response.json()) == ["logo"]
    assert container.platform.storage().objects == {}
    assert (await client.get("/user/linked-accounts/", headers=owner.headers)).json() == []


async def test_corporate_signup_errors(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    unauth = await client.post("/user/corporate/signup/", json=CORPORATE)
    assert unauth.status_code == 401
    taken = await client.post("/user/corporate/signup/", json={**CORPORATE, "company_email": owner.email},
                              headers=owner.headers)
    assert taken.status_code == 400
    assert taken.json() == {"company_email": ["An account with this email already exists."]}
    choice = await client.post("/user/corporate/signup/", json={**CORPORATE, "company_size": "lots"},
                               headers=owner.headers)
    assert choice.status_code == 400 and list(choice.json()) == ["company_size"]
    missing = await client.post("/user/corporate/signup/", json={"company_name": "X"}, headers=owner.headers)
    assert missing.status_code == 400 and isinstance(missing.json(), dict)


async def test_linked_accounts_and_switching(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    org = await corporate(client, container, owner)
    linked = await client.get("/user/linked-accounts/", headers=owner.headers)
    assert linked.status_code == 200
    [entry] = linked.json()
    assert set(entry) == {"account"} and set(entry["account"]) == CARD_KEYS
    assert entry["account"]["id"] == org and entry["account"]["name"] == CORPORATE["company_name"]
    assert entry["account"]["extras"] == CORPORATE["tagline"]

    response = await client.post("/user/switch-account/", json={"account": org}, headers=owner.headers)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"refresh", "access", "user_id", "email", "user_type"}
    assert (data["user_id"], data["email"], data["user_type"]) == (org, CORPORATE["company_email"], "employer")
    back = await client.get("/user/linked-accounts/", headers=bearer(data["access"]))
    assert [e["account"]["id"] for e in back.json()] == [owner.id]

    self_switch = await client.post("/user/switch-account/", json={"account": owner.id}, headers=owner.headers)
    assert self_switch.status_code == 400
    assert self_switch.json() == {"account": ["You are currently logged in as this user."]}
    assert (await client.get("/user/linked-accounts/")).status_code == 401
    assert (await client.post("/user/switch-account/", json={"account": org})).status_code == 401


async def test_switching_to_someone_elses_corporate_account(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    mallory = await sign_up(client, container, "mallory@example.org")
    org = await corporate(client, container, owner)
    for target in (org, owner.id):
        response = await client.post("/user/switch-account/", json={"account": target}, headers=mallory.headers)
        assert response.status_code == 400
        assert response.json() == {"account": ["This account is not linked to your profile."]}


# ---------------------------------------------------------------------------- organization members


async def test_members_add_list_remove(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    bob = await sign_up(client, container, "bob@example.org")
    carol = await sign_up(client, container, "carol@example.org")
    org = await corporate(client, container, owner)
    org_headers = await switch(client, owner, org)

    added = await client.post("/user/organization-members/", json={"member": bob.id}, headers=org_headers)
    assert added.status_code == 201, added.text
    assert set(added.json()) == {"member"} and set(added.json()["member"]) == CARD_KEYS
    assert added.json()["member"]["id"] == bob.id
    by_creator = await client.post("/user/organization-members/", json={"member": carol.id, "organization": org},
                                   headers=owner.headers)
    assert by_creator.status_code == 201

    listed = await client.get("/user/organization-members/", headers=org_headers)
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()] == [bob.id, carol.id]
    assert all(set(m) == CARD_KEYS for m in listed.json())
    listed_by_creator = await client.get(f"/user/organization-members/?organization={org}", headers=owner.headers)
    assert [m["id"] for m in listed_by_creator.json()] == [bob.id, carol.id]

    duplicate = await client.post("/user/organization-members/", json={"member": bob.id}, headers=org_headers)
    assert duplicate.status_code == 400 and duplicate.json() == {"member": ["This user is already a member."]}
    employer = await client.post("/user/organization-members/", json={"member": org}, headers=org_headers)
    assert employer.status_code == 400
    assert employer.json() == {"member": ["Another employer cannot be a member of an organization."]}

    removed = await client.delete(f"/user/organization-members/?member_id={bob.id}", headers=org_headers)
    assert removed.status_code == 204
    not_member = await client.delete(f"/user/organization-members/?member_id={bob.id}", headers=org_headers)
    assert not_member.status_code == 400 and not_member.json() == {"error": "This user is not a member."}
    unknown = await client.delete("/user/organization-members/?member_id=999999", headers=org_headers)
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Invalid member_id"}
    missing = await client.delete("/user/organization-members/", headers=org_headers)
    assert missing.status_code == 400 and missing.json() == {"error": "A member_id is required for this request"}
    assert [m["id"] for m in (await client.get("/user/organization-members/", headers=org_headers)).json()] == [
        carol.id]


async def test_members_require_a_token(client: Client) -> None:
    assert (await client.post("/user/organization-members/", json={"member": 1})).status_code == 401
    assert (await client.get("/user/organization-members/")).status_code == 401
    assert (await client.delete("/user/organization-members/?member_id=1")).status_code == 401


async def test_members_wrong_owner_is_403(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    bob = await sign_up(client, container, "bob@example.org")
    mallory = await sign_up(client, container, "mallory@example.org")
    org = await corporate(client, container, owner)
    org_headers = await switch(client, owner, org)
    await client.post("/user/organization-members/", json={"member": bob.id}, headers=org_headers)
    mallory_org = await corporate(client, container, mallory, "evil@corp.example")
    mallory_org_headers = await switch(client, mallory, mallory_org)

    learner = await client.post("/user/organization-members/", json={"member": mallory.id}, headers=bob.headers)
    assert learner.status_code == 403
    assert learner.json() == {"detail": "This request is only available to employers."}
    assert (await client.get("/user/organization-members/", headers=bob.headers)).status_code == 403
    for headers in (mallory.headers, mallory_org_headers):
        remove = await client.delete(f"/user/organization-members/?member_id={bob.id}&organization={org}",
                                     headers=headers)
        assert remove.status_code == 403 and "detail" in remove.json()
        add = await client.post("/user/organization-members/", json={"member": mallory.id, "organization": org},
                                headers=headers)
        assert add.status_code == 403
        listing = await client.get(f"/user/organization-members/?organization={org}", headers=headers)
        assert listing.status_code == 403
    # Without naming the organization, Mallory's organization manages only its own (empty) list.
    own = await client.delete(f"/user/organization-members/?member_id={bob.id}", headers=mallory_org_headers)
    assert own.status_code == 400
    assert [m["id"] for m in (await client.get("/user/organization-members/", headers=org_headers)).json()] == [bob.id]


async def test_deleting_the_creator_deletes_its_corporate_account(client: Client, container: AppContainer) -> None:
    owner = await sign_up(client, container, "ada@example.org")
    org = await corporate(client, container, owner)
    org_headers = await switch(client, owner, org)
    assert (await client.delete("/user/delete/", headers=owner.headers)).status_code == 204
    # The corporate account is gone: its token is refused (401), and its address is free again.
    gone = await client.get("/user/organization-members/", headers=org_headers)
    assert gone.status_code == 401
    other = await sign_up(client, container, "bob@example.org")
    assert (await corporate(client, container, other)) > org


async def test_ids_of_deleted_users_are_not_reused(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    assert (await client.delete("/user/delete/", headers=ada.headers)).status_code == 204
    bob = await sign_up(client, container, "bob@example.org")
    assert bob.id > ada.id
    # Ada's tokens do not become Bob's.
    assert (await client.post("/user/token/refresh/", json={"refresh": ada.refresh})).status_code == 401
    assert (await client.delete("/user/delete/", headers=ada.headers)).status_code == 401
    assert (await client.post("/user/signin/", json={"email": bob.email, "password": PASSWORD})).status_code == 200
