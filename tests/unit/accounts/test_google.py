"""Google sign-up and sign-in through the GoogleIdentity port (a stateful in-test fake)."""

from __future__ import annotations

import pytest

from core.accounts.model.users import UserType
from core.shared.errors import InvalidInput
from tests.conftest import PASSWORD
from tests.unit.accounts.conftest import Env, register

pytestmark = pytest.mark.anyio


async def test_google_signup_creates_a_passwordless_learner(env: Env) -> None:
    code = env.google.issue("Ada@Example.org", name="Ada Byron Lovelace")
    result = await env.google_accounts.google_signup(code, None)
    assert result.user.email == "ada@example.org"
    assert result.user.user_type is UserType.LEARNER and not result.user.has_usable_password
    assert env.google.calls == [(code, "signup")]
    profile = env.table("profiles")[result.user.id]
    assert (profile.first_name, profile.middle_name, profile.last_name) == ("Ada", "Byron", "Lovelace")  # type: ignore[attr-defined]
    assert await env.token_check.authenticate(result.tokens.access) == result.user.id
    assert env.mails_to("ada@example.org", "Welcome to Career Nexus")
    with pytest.raises(InvalidInput):
        await env.sessions.signin("ada@example.org", PASSWORD)


@pytest.mark.parametrize(
    ("name", "first", "last"), [("Ada", "Ada", "N/A"), ("John Doe", "John", "Doe"), ("", "N/A", "N/A")]
)
async def test_google_signup_name_parsing(env: Env, name: str, first: str, last: str) -> None:
    result = await env.google_accounts.google_signup(env.google.issue("ada@example.org", name=name), None)
    profile = env.table("profiles")[result.user.id]
    assert (profile.first_name, profile.last_name) == (first, last)  # type: ignore[attr-defined]


async def test_google_signup_as_mentor(env: Env) -> None:
    result = await env.google_accounts.google_signup(env.google.issue("m@example.org"), "mentor")
    assert result.user.user_type is UserType.MENTOR
    other = await env.google_accounts.google_signup(env.google.issue("e@example.org"), "employer")
    assert other.user.user_type is UserType.LEARNER  # only "mentor" is honoured


async def test_google_signup_existing_email(env: Env) -> None:
    await register(env, "ada@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signup(env.google.issue("ada@example.org"), None)
    assert err.value.body == {"error": "An account with this email exists. Proceed to Login"}


async def test_google_signup_requires_a_verified_email(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signup(env.google.issue("ada@example.org", verified=False), None)
    assert err.value.body == {"error": "Email not verified"}
    assert env.table("users") == {}


@pytest.mark.parametrize("code", [None, ""])
async def test_google_missing_code(env: Env, code: str | None) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signup(code, None)
    assert err.value.body == {"error": "Missing Code"}
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signin(code)
    assert err.value.body == {"error": "Missing Code"}
    assert env.google.calls == []


async def test_google_provider_errors_are_client_errors(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signup("4/unknown", None)
    assert err.value.body == {"error": "Invalid Token"}
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signin(env.google.issue_without_id_token())
    assert err.value.body == {"error": "Failed to get ID token"}


async def test_google_code_is_single_use(env: Env) -> None:
    code = env.google.issue("ada@example.org")
    await env.google_accounts.google_signup(code, None)
    with pytest.raises(InvalidInput):
        await env.google_accounts.google_signin(code)


async def test_google_signin(env: Env) -> None:
    created = await env.google_accounts.google_signup(env.google.issue("ada@example.org"), "mentor")
    result = await env.google_accounts.google_signin(env.google.issue("ADA@example.org"))
    assert result.user.id == created.user.id and result.user.user_type is UserType.MENTOR
    assert env.google.calls[-1][1] == "signin"


async def test_google_signin_for_a_password_account(env: Env) -> None:
    uid = await register(env, "ada@example.org")
    assert (await env.google_accounts.google_signin(env.google.issue("ada@example.org"))).user.id == uid


async def test_google_signin_unknown_or_unverified(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signin(env.google.issue("nobody@example.org"))
    assert err.value.body == {"error": "No account with this email exist. Signup to continue"}
    await register(env, "ada@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.google_accounts.google_signin(env.google.issue("ada@example.org", verified=False))
    assert err.value.body == {"error": "Email not verified"}
