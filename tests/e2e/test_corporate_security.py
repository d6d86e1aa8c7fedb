"""Issue 16, items 4, 13 and 14 through HTTP: corporate sign-up cannot squat an address, invisible characters
in e-mail addresses are refused everywhere, members are told and can leave, deleting a user deletes the whole
tree of corporate accounts it created (counters and media included)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from tests.conftest import PASSWORD, bearer, code_in, sign_up, wait_for_mail
from tests.e2e.profiles_support import make_admin
from tests.samples import png_bytes

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
CONFIRM = "Confirm your company e-mail"
CORPORATE = {
    "company_name": "Bojowa Ventures Limited",
    "company_email": "bojvent@example.org",
    "company_type": "private",
    "company_size": "1-10",
    "industry": "technology",
    "website": "https://bojvent.example",
    "location": "Lagos",
    "tagline": "Dealers in recycled wastes.",
}
CORPORATE_KEYS = {"id", "company_name", "company_type", "company_size", "country_code", "phone_number", "location",
                  "website", "tagline", "logo", "cover_photo", "members", "user_type", "industry"}


async def create_org(client: Client, creator: dict[str, str], email: str, *, logo: bool = False,
                     name: str | None = None) -> int:
    body = {**CORPORATE, "company_email": email, "company_name": name or f"Org {email}"}
    if logo:
        response = await client.post("/user/corporate/signup/", data=body,
                                     files={"logo": ("logo.png", png_bytes(), "image/png")}, headers=creator)
    else:
        response = await client.post("/user/corporate/signup/", json=body, headers=creator)
    assert response.status_code == 201, response.text
    assert set(response.json()) == CORPORATE_KEYS  # the documented shape, unchanged
    return int(response.json()["id"])


async def switch(client: Client, headers: dict[str, str], account: int) -> dict[str, Any]:
    response = await client.post("/user/switch-account/", json={"account": account}, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def mail_about(container: AppContainer, email: str, subject: str, company: str | None = None) -> Any:
    """The newest mail to ``email`` with ``subject`` (naming ``company`` when given); the relay is asynchronous."""
    mailer = container.platform.mailer()
    for _ in range(250):
        found = [m for m in mailer.sent if m.to == email and m.subject == subject
                 and (company is None or f'"{company}"' in m.text)]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {subject!r} mail to {email} about {company}")


async def confirm_code(container: AppContainer, email: str, company: str | None = None) -> str:
    """The code of the newest claim mail to ``email`` (about ``company`` when given)."""
    return code_in(await mail_about(container, email, CONFIRM, company))


# ------------------------------------------------------------------------ item 4: no squatting


async def test_a_pending_corporate_claim_does_not_keep_the_owner_out(client: Client, container: AppContainer) -> None:
    """The attack: Mallory registers a corporate account under Victor's address before Victor signs up."""
    mallory = await sign_up(client, container, "mallory@example.org")
    org = await create_org(client, mallory.headers, "victor@example.org")
    # The corporate account exists and works, but the address is not its own yet.
    assert (await switch(client, mallory.headers, org))["email"] != "victor@example.org"

    # Victor can still sign up with his address (the old code answered "Existing Email!") and reset it.
    victor = await sign_up(client, container, "victor@example.org")
    reset = await client.post("/user/forget-password/", json={"email": "victor@example.org"})
    assert reset.status_code == 200, reset.text
    assert (await client.post("/user/signin/", json={"email": "victor@example.org", "password": PASSWORD})
            ).status_code == 200

    # The claim lapsed: even the code that went to Victor's mailbox cannot move the address any more.
    code = await confirm_code(container, "victor@example.org")
    late = await client.post("/user/corporate/verify/", json={"account": org, "otp": code}, headers=mallory.headers)
    assert late.status_code == 400
    assert late.json() == {"company_email": ["An account with this email already exists."]}
    again = await client.post("/user/corporate/verify/", json={"account": org, "otp": code}, headers=mallory.headers)
    assert again.status_code == 400 and again.json() == late.json()
    assert (await switch(client, mallory.headers, org))["email"] != "victor@example.org"
    me = await client.get("/user/retrieve-profile/", headers=bearer(victor.access))
    assert me.status_code == 200, me.text


async def test_the_company_address_is_confirmed_by_the_mailed_code(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    mallory = await sign_up(client, container, "mallory@example.org")
    org = await create_org(client, ada.headers, "hr@acme.example")
    mail = await wait_for_mail(container.platform.mailer(), "hr@acme.example", CONFIRM)
    assert "Org hr@acme.example" in mail.text
    code = code_in(mail)

    # Only the corporate account or its creator; never anonymously; never someone else's.
    assert (await client.post("/user/corporate/verify/", json={"account": org, "otp": code})).status_code == 401
    stranger = await client.post("/user/corporate/verify/", json={"account": org, "otp": code},
                                 headers=mallory.headers)
    assert stranger.status_code == 403 and "detail" in stranger.json()
    unknown = await client.post("/user/corporate/verify/", json={"account": 10**9, "otp": code}, headers=ada.headers)
    assert unknown.status_code == 404
    learner = await client.post("/user/corporate/verify/", json={"otp": code}, headers=ada.headers)
    assert learner.status_code == 403
    malformed = await client.post("/user/corporate/verify/", json={"account": "x"}, headers=ada.headers)
    assert malformed.status_code == 400 and "account" in malformed.json()

    wrong = "000000" if code != "000000" else "111111"
    bad = await client.post("/user/corporate/verify/", json={"account": org, "otp": wrong}, headers=ada.headers)
    assert bad.status_code == 400 and bad.json() == {"OTP Error": "Invalid OTP"}

    # A resend replaces the code; the corporate account itself may confirm.
    sent = len(container.platform.mailer().sent)
    resend = await client.post("/user/corporate/verify/", json={"account": org}, headers=ada.headers)
    assert resend.status_code == 200 and resend.json() == {"status": "Otp sent", "email": "hr@acme.example"}
    code = code_in(await wait_for_mail(container.platform.mailer(), "hr@acme.example", CONFIRM, after=sent))
    org_headers = bearer((await switch(client, ada.headers, org))["access"])
    done = await client.post("/user/corporate/verify/", json={"otp": code}, headers=org_headers)
    assert done.status_code == 200 and done.json() == {"status": "Verified", "email": "hr@acme.example"}

    # Now the address is reserved: the corporate account's own, nobody else's.
    assert (await switch(client, ada.headers, org))["email"] == "hr@acme.example"
    taken = await client.post("/user/signup/", json={"email": "hr@acme.example", "password1": PASSWORD,
                                                     "password2": PASSWORD})
    assert taken.status_code == 400 and taken.json() == {"email": ["Existing Email!"]}
    twice = await client.post("/user/corporate/signup/", json={**CORPORATE, "company_email": "hr@acme.example"},
                              headers=mallory.headers)
    assert twice.status_code == 400
    assert twice.json() == {"company_email": ["An account with this email already exists."]}
    verified = await client.post("/user/corporate/verify/", json={"account": org}, headers=ada.headers)
    assert verified.status_code == 400 and verified.json() == {"error": "The company e-mail is already verified."}


async def test_two_claims_of_one_address_the_first_proof_wins(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    mallory = await sign_up(client, container, "mallory@example.org")
    squat = await create_org(client, mallory.headers, "jobs@acme.example", name="Squat")  # first, cannot prove it
    real = await create_org(client, ada.headers, "jobs@acme.example", name="Acme")
    code = await confirm_code(container, "jobs@acme.example", "Acme")
    ok = await client.post("/user/corporate/verify/", json={"account": real, "otp": code}, headers=ada.headers)
    assert ok.status_code == 200, ok.text
    lapsed = await client.post("/user/corporate/verify/", json={"account": squat}, headers=mallory.headers)
    assert lapsed.status_code == 400
    assert lapsed.json() == {"company_email": ["An account with this email already exists."]}


async def test_wrong_codes_void_the_claim_code(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    org = await create_org(client, ada.headers, "hr@acme.example")
    code = await confirm_code(container, "hr@acme.example")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        r = await client.post("/user/corporate/verify/", json={"account": org, "otp": wrong}, headers=ada.headers)
        assert r.status_code == 400
    late = await client.post("/user/corporate/verify/", json={"account": org, "otp": code}, headers=ada.headers)
    assert late.status_code == 400 and late.json() == {"OTP Error": "Expired OTP"}


INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u202e", "\U000e0041"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
async def test_invisible_characters_in_addresses_are_refused(
    client: Client, container: AppContainer, char: str
) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    looks_like_ada = f"ada{char}@example.org"
    calls: list[tuple[str, str, dict[str, Any], dict[str, str], str]] = [
        ("POST", "/user/signup/", {"email": looks_like_ada, "password1": PASSWORD, "password2": PASSWORD}, {},
         "email"),
        ("POST", "/user/signin/", {"email": looks_like_ada, "password": PASSWORD}, {}, "email"),
        ("POST", "/user/forget-password/", {"email": looks_like_ada}, {}, "email"),
        ("POST", "/user/corporate/signup/", {**CORPORATE, "company_email": f"hr{char}@acme.example"}, ada.headers,
         "company_email"),
    ]
    for method, path, body, headers, field in calls:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code == 400, (path, response.text)
        assert list(response.json()) == [field], (path, response.text)
        assert "invisible" in response.json()[field][0], (path, response.text)
    multipart = await client.post("/user/corporate/signup/", data={**CORPORATE, "company_email": f"hr{char}@a.example"},
                                  files={"logo": ("logo.png", png_bytes(), "image/png")}, headers=ada.headers)
    assert multipart.status_code == 400 and list(multipart.json()) == ["company_email"], multipart.text
    # Staff deleting by address.
    await make_admin(container, ada.id)
    staff = await client.request("DELETE", "/user/delete/", json={"email": looks_like_ada}, headers=ada.headers)
    assert staff.status_code == 400 and list(staff.json()) == ["email"], staff.text
    # Nothing was created, and no mail went anywhere but Ada's sign-up code.
    assert {m.to for m in container.platform.mailer().sent} <= {"ada@example.org"}
    assert container.platform.storage().objects == {}


# ---------------------------------------------------------------------- item 13: notify and leave


async def test_an_added_member_is_told_and_can_leave(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    bob = await sign_up(client, container, "bob@example.org")
    mallory = await sign_up(client, container, "mallory@example.org")
    org = await create_org(client, ada.headers, "hr@acme.example")
    other = await create_org(client, ada.headers, "jobs@acme.example")
    for organization in (org, other):
        added = await client.post("/user/organization-members/", json={"member": bob.id, "organization": organization},
                                  headers=ada.headers)
        assert added.status_code == 201, added.text
    for name in ("Org hr@acme.example", "Org jobs@acme.example"):  # one mail per organization, naming it
        mail = await mail_about(container, "bob@example.org", "You were added to an organization", name)
        assert "leave" in mail.text

    # A stranger cannot remove Bob, nor "leave" on his behalf.
    stranger = await client.delete(f"/user/organization-members/?member_id={bob.id}&organization={org}",
                                   headers=mallory.headers)
    assert stranger.status_code == 403
    not_in = await client.delete(f"/user/organization-members/?member_id={mallory.id}&organization={org}",
                                 headers=mallory.headers)
    assert not_in.status_code == 403

    # Bob is in two: he names the one he leaves.
    which = await client.delete(f"/user/organization-members/?member_id={bob.id}", headers=bob.headers)
    assert which.status_code == 400 and list(which.json()) == ["organization"]
    left = await client.delete(f"/user/organization-members/?member_id={bob.id}&organization={org}",
                               headers=bob.headers)
    assert left.status_code == 204, left.text
    assert (await client.get(f"/user/organization-members/?organization={org}", headers=ada.headers)).json() == []
    # In one now: the organization may be omitted.
    left = await client.delete(f"/user/organization-members/?member_id={bob.id}", headers=bob.headers)
    assert left.status_code == 204, left.text
    assert (await client.get(f"/user/organization-members/?organization={other}", headers=ada.headers)).json() == []
    again = await client.delete(f"/user/organization-members/?member_id={bob.id}", headers=bob.headers)
    assert again.status_code == 400 and again.json() == {"error": "This user is not a member."}
    # Adding stays as documented.
    readd = await client.post("/user/organization-members/", json={"member": bob.id, "organization": org},
                              headers=ada.headers)
    assert readd.status_code == 201 and set(readd.json()) == {"member"}


# -------------------------------------------------------------- item 14: the whole tree goes


async def test_deleting_a_user_deletes_the_nested_corporate_accounts(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    bob = await sign_up(client, container, "bob@example.org")
    first = await create_org(client, ada.headers, "first@acme.example", logo=True)
    first_headers = bearer((await switch(client, ada.headers, first))["access"])
    second = await create_org(client, first_headers, "second@acme.example", logo=True)
    second_headers = bearer((await switch(client, first_headers, second))["access"])
    third = await create_org(client, second_headers, "third@acme.example", logo=True)
    third_headers = bearer((await switch(client, second_headers, third))["access"])
    # The deepest corporate account likes and comments on Bob's post; Bob is a member of it.
    post = await client.post("/post/", json={"body": "hello"}, headers=bob.headers)
    post_id = post.json()["post_id"]
    assert (await client.post("/post/like/", json={"post": post_id}, headers=third_headers)).status_code == 201
    assert (await client.post("/post/comment/", json={"post": post_id, "body": "hi"}, headers=third_headers)
            ).status_code == 201
    assert (await client.post("/user/organization-members/", json={"member": bob.id}, headers=third_headers)
            ).status_code == 201
    assert len(container.platform.storage().objects) == 3

    deleted = await client.request("DELETE", "/user/delete/", headers=ada.headers)
    assert deleted.status_code == 204, deleted.text

    for headers in (first_headers, second_headers, third_headers):
        assert (await client.get("/user/linked-accounts/", headers=headers)).status_code == 401
    for account in (first, second, third):
        r = await client.get(f"/user/retrieve-profile/?user_id={account}", headers=bob.headers)
        assert r.status_code == 404, r.text
    view = (await client.get(f"/post/?post_id={post_id}", headers=bob.headers)).json()
    assert (view["like_count"], view["comment_count"]) == (0, 0)  # the deletion steps ran for every account
    assert container.platform.storage().objects == {}  # logos removed after commit
    # The claimed addresses are free.
    await sign_up(client, container, "third@acme.example")


async def test_the_creators_own_media_goes_too(client: Client, container: AppContainer) -> None:
    ada = await sign_up(client, container, "ada@example.org")
    r = await client.put("/user/profile-update/", data={"first_name": "Ada"},
                         files={"profile_photo": ("me.png", png_bytes(), "image/png")}, headers=ada.headers)
    assert r.status_code == 201, r.text
    assert len(container.platform.storage().objects) == 1
    assert (await client.request("DELETE", "/user/delete/", headers=ada.headers)).status_code == 204
    assert container.platform.storage().objects == {}
