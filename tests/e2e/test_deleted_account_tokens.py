from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import bearer, sign_up

pytestmark = [pytest.mark.anyio, pytest.mark.db]

EXPERIENCE = {
    "title": "t",
    "organization": "o",
    "start_date": "2020-01-01",
    "location": "l",
    "employment_type": "Remote",
    "detail": "d",
}
COMPANY = {
    "company_name": "c",
    "company_email": "c@example.org",
    "company_type": "private",
    "company_size": "1-10",
    "industry": "technology",
    "website": "https://w.example",
    "location": "l",
    "tagline": "t",
}

async def test_a_deleted_accounts_tokens_stop_working(client: Any, container: Any) -> None:
    """Every endpoint answers 401 (the account is gone), never a 500 from a dangling reference."""
    u = await sign_up(client, container, "gone@example.org")
    other = await sign_up(client, container, "other@example.org")
    assert (await client.delete("/user/delete/", headers=u.headers)).status_code == 204
    calls = [
        ("POST", "/post/", {"data": {"body": "hello"}}),
        ("POST", "/follow/", {"json": {"user_following": other.id}}),
        ("POST", "/connection/", {"json": {"connection": other.id}}),
        ("PUT", "/user/profile-update/", {"json": {"first_name": "X"}}),
        ("GET", "/user/retrieve-profile/", {}),
        ("POST", "/user/experience/", {"json": EXPERIENCE}),
        ("GET", "/post/?page=1", {}),
        ("PUT", "/user/settings/", {"json": {"email_notify": True}}),
        ("POST", "/user/corporate/signup/", {"json": COMPANY}),
    ]
    for method, path, kw in calls:
        r = await client.request(method, path, headers=u.headers, **kw)
        assert r.status_code == 401, (method, path, r.text)
        assert r.json()["detail"]


async def test_a_password_reset_ends_older_access_tokens(client: Any, container: Any) -> None:
    from tests.conftest import PASSWORD, code_in, wait_for_mail

    u = await sign_up(client, container, "reset@example.org")
    assert (await client.get("/user/linked-accounts/", headers=u.headers)).status_code == 200
    before = len(container.platform.mailer().sent)
    assert (await client.post("/user/forget-password/", json={"email": u.email})).status_code == 200
    mail = await wait_for_mail(container.platform.mailer(), u.email, "Password Reset Request", after=before)
    verified = await client.post("/user/forget-password/", json={"email": u.email, "otp": code_in(mail)})
    assert verified.status_code == 200, verified.text
    new = PASSWORD + "x"
    done = await client.post(
        "/user/forget-password/",
        json={"email": u.email, "password1": new, "password2": new, "reset_token": verified.json()["reset_token"]},
    )
    assert done.status_code == 200, done.text
    assert (await client.get("/user/linked-accounts/", headers=u.headers)).status_code == 401
    fresh = await client.post("/user/signin/", json={"email": u.email, "password": new})
    assert (await client.get("/user/linked-accounts/", headers=bearer(fresh.json()["access"]))).status_code == 200
