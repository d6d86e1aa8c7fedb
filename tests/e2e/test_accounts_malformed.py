"""Malformed input on every accounts endpoint: a 400 with a JSON object body, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from tests.conftest import PASSWORD, sign_up

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

HUGE = 2**64
LONG = "x" * 5000
OK_SIGNUP = {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
CORPORATE = {"company_name": "Acme", "company_email": "acme@example.org", "company_type": "private",
             "company_size": "1-10", "industry": "technology", "website": "https://acme.example", "location": "Lagos",
             "tagline": "Things"}

INVALID_JSON = object()

# (method, path, needs a token, body)
CASES: list[tuple[str, str, bool, Any]] = [
    # sign-up
    ("POST", "/user/signup/", False, INVALID_JSON),
    ("POST", "/user/signup/", False, []),
    ("POST", "/user/signup/", False, "just a string"),
    ("POST", "/user/signup/", False, {}),
    ("POST", "/user/signup/", False, {"email": "ada@example.org"}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "email": 12}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "password1": ["A1a"]}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "email": "a" * 400 + "@example.org"}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "password1": "Aa1" * 100, "password2": "Aa1" * 100}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "otp": "1" * 50}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "otp": 123456}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "industry": LONG}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "email": "ada\x00@example.org"}),
    ("POST", "/user/signup/", False, {**OK_SIGNUP, "industry": "tech\x00nology"}),
    # hash
    ("POST", "/user/hash/verify/", False, INVALID_JSON),
    ("POST", "/user/hash/verify/", False, []),
    ("POST", "/user/hash/verify/", False, {}),
    ("POST", "/user/hash/verify/", False, {"hash": None}),
    ("POST", "/user/hash/verify/", False, {"hash": 5}),
    ("POST", "/user/hash/verify/", False, {"hash": LONG}),
    ("POST", "/user/hash/verify/", False, {"hash": "abc\x00"}),
    # sign-in
    ("POST", "/user/signin/", False, INVALID_JSON),
    ("POST", "/user/signin/", False, [{"email": "a@b.c"}]),
    ("POST", "/user/signin/", False, {}),
    ("POST", "/user/signin/", False, {"email": "ada@example.org"}),
    ("POST", "/user/signin/", False, {"email": ["ada@example.org"], "password": PASSWORD}),
    ("POST", "/user/signin/", False, {"email": "ada@example.org", "password": LONG}),
    ("POST", "/user/signin/", False, {"email": LONG, "password": PASSWORD}),
    ("POST", "/user/signin/", False, {"email": "ada\x00@example.org", "password": "\x00"}),
    # sign-out, refresh
    ("POST", "/user/signout/", True, INVALID_JSON),
    ("POST", "/user/signout/", True, []),
    ("POST", "/user/signout/", True, {}),
    ("POST", "/user/signout/", True, {"refresh": 1}),
    ("POST", "/user/signout/", True, {"refresh": LONG}),
    ("POST", "/user/token/refresh/", False, INVALID_JSON),
    ("POST", "/user/token/refresh/", False, []),
    ("POST", "/user/token/refresh/", False, {}),
    ("POST", "/user/token/refresh/", False, {"refresh": None}),
    ("POST", "/user/token/refresh/", False, {"refresh": LONG}),
    # forget password
    ("POST", "/user/forget-password/", False, INVALID_JSON),
    ("POST", "/user/forget-password/", False, []),
    ("POST", "/user/forget-password/", False, {}),
    ("POST", "/user/forget-password/", False, {"email": 5}),
    ("POST", "/user/forget-password/", False, {"email": "not an email"}),
    ("POST", "/user/forget-password/", False, {"email": LONG}),
    ("POST", "/user/forget-password/", False, {"otp": LONG}),
    ("POST", "/user/forget-password/", False, {"otp": "12\x0034"}),
    ("POST", "/user/forget-password/", False, {"hash": LONG}),
    ("POST", "/user/forget-password/", False, {"password1": "x"}),
    ("POST", "/user/forget-password/", False, {"email": "ada@example.org", "password1": LONG, "password2": LONG}),
    # Google
    ("POST", "/user/google/signin/", False, INVALID_JSON),
    ("POST", "/user/google/signin/", False, []),
    ("POST", "/user/google/signin/", False, {}),
    ("POST", "/user/google/signin/", False, {"code": 7}),
    ("POST", "/user/google/signin/", False, {"code": LONG}),
    ("POST", "/user/google/signup/", False, INVALID_JSON),
    ("POST", "/user/google/signup/", False, []),
    ("POST", "/user/google/signup/", False, {"code": None}),
    ("POST", "/user/google/signup/", False, {"code": "c", "user_type": LONG}),
    ("POST", "/user/google/signup/", False, {"code": "c", "user_type": 3}),
    # deletion
    ("DELETE", "/user/delete/", True, INVALID_JSON),
    ("DELETE", "/user/delete/", True, []),
    ("DELETE", "/user/delete/", True, {"email": 3}),
    ("DELETE", "/user/delete/", True, {"email": "not an email"}),
    ("DELETE", "/user/delete/", True, {"email": LONG}),
    # corporate
    ("POST", "/user/corporate/signup/", True, INVALID_JSON),
    ("POST", "/user/corporate/signup/", True, []),
    ("POST", "/user/corporate/signup/", True, {}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "company_name": ""}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "company_name": LONG}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "company_name": ["Acme"]}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "website": LONG}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "tagline": 5.5}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "company_email": "nope"}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "company_name": "Acme\x00Ltd"}),
    ("POST", "/user/corporate/signup/", True, {**CORPORATE, "location": "La\x00gos"}),
    ("POST", "/user/corporate/signup/", True, b'{"company_name": "\\ud800", "company_email": "x@example.org"}'),
    # corporate e-mail confirmation
    ("POST", "/user/corporate/verify/", True, INVALID_JSON),
    ("POST", "/user/corporate/verify/", True, []),
    ("POST", "/user/corporate/verify/", True, {"account": "abc"}),
    ("POST", "/user/corporate/verify/", True, {"account": -1}),
    ("POST", "/user/corporate/verify/", True, {"account": HUGE}),
    ("POST", "/user/corporate/verify/", True, {"account": 1, "otp": 123456}),
    ("POST", "/user/corporate/verify/", True, {"account": 1, "otp": LONG}),
    ("POST", "/user/corporate/verify/", True, {"account": 1, "otp": "12\x003456"}),
    # switch
    ("POST", "/user/switch-account/", True, INVALID_JSON),
    ("POST", "/user/switch-account/", True, []),
    ("POST", "/user/switch-account/", True, {}),
    ("POST", "/user/switch-account/", True, {"account": "abc"}),
    ("POST", "/user/switch-account/", True, {"account": -1}),
    ("POST", "/user/switch-account/", True, {"account": 0}),
    ("POST", "/user/switch-account/", True, {"account": HUGE}),
    ("POST", "/user/switch-account/", True, {"account": 10**40}),
    ("POST", "/user/switch-account/", True, {"account": 1.5}),
    ("POST", "/user/switch-account/", True, {"account": 2**63 - 1}),
    # members
    ("POST", "/user/organization-members/", True, INVALID_JSON),
    ("POST", "/user/organization-members/", True, []),
    ("POST", "/user/organization-members/", True, {}),
    ("POST", "/user/organization-members/", True, {"member": "x"}),
    ("POST", "/user/organization-members/", True, {"member": -3}),
    ("POST", "/user/organization-members/", True, {"member": HUGE}),
    ("POST", "/user/organization-members/", True, {"member": 1, "organization": -1}),
    ("POST", "/user/organization-members/", True, {"member": 1, "organization": HUGE}),
    ("DELETE", "/user/organization-members/?member_id=abc", True, None),
    ("DELETE", "/user/organization-members/?member_id=-1", True, None),
    ("DELETE", f"/user/organization-members/?member_id={HUGE}", True, None),
    ("DELETE", "/user/organization-members/?member_id=1&organization=-2", True, None),
    ("GET", "/user/organization-members/?organization=abc", True, None),
    ("GET", f"/user/organization-members/?organization={HUGE}", True, None),
    ("GET", "/user/organization-members/?organization=0", True, None),
]


def _id(case: tuple[str, str, bool, Any]) -> str:
    method, path, _, body = case
    shown = "invalid-json" if body is INVALID_JSON else repr(body)[:40]
    return f"{method} {path} {shown}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
async def test_malformed_input_is_a_400_json_object(client: Client, container: AppContainer,
                                                    case: tuple[str, str, bool, Any]) -> None:
    method, path, authenticated, body = case
    headers: dict[str, str] = {}
    if authenticated:
        # An employer, so that member endpoints get past the role check and see the input.
        owner = await sign_up(client, container, "owner@example.org")
        org = await client.post("/user/corporate/signup/", json={**CORPORATE, "company_email": "org@example.org"},
                                headers=owner.headers)
        assert org.status_code == 201
        switched = await client.post("/user/switch-account/", json={"account": org.json()["id"]},
                                     headers=owner.headers)
        access = switched.json()["access"] if "members" in path else owner.access
        headers["Authorization"] = f"Bearer {access}"
    kwargs: dict[str, Any] = {"headers": headers}
    if body is INVALID_JSON or isinstance(body, bytes):
        kwargs["content"] = b'{"email": ' if body is INVALID_JSON else body
        headers["Content-Type"] = "application/json"
    elif body is not None:
        kwargs["json"] = body
    response = await client.request(method, path, **kwargs)
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert isinstance(data, dict) and data, data
