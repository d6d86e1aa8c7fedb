"""Forget password: request a code, verify it (code or link), set the password in a single-use window.

A ``Browser`` keeps what the HTTP layer keeps in HttpOnly cookies: the stage-1 binding and the stage-2 proof."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.accounts.model.users import ChallengePurpose, EmailChallenge
from core.accounts.registration import SignUp
from core.accounts.reset import ForgetPassword
from core.shared.errors import InvalidInput, RateLimited, Unauthenticated
from tests.conftest import PASSWORD
from tests.unit.accounts.conftest import Env, register

pytestmark = pytest.mark.anyio

NEW = "N3wPassword"
RESET = "Password Reset Request"


def reset_challenges(env: Env) -> list[EmailChallenge]:
    rows: list[EmailChallenge] = list(env.table("email_challenges").values())  # type: ignore[arg-type]
    return [c for c in rows if c.purpose is ChallengePurpose.RESET]


@dataclass
class Browser:
    challenge: str | None = None
    proof: str | None = None


async def request(env: Env, email: str = "ada@example.org", ip: str = "10.9.0.1",
                  browser: Browser | None = None) -> str:
    outcome = await env.password_reset.forget_password(ForgetPassword(email=email, client_ip=ip))
    assert outcome.status == "Reset Password OTP sent."
    assert outcome.challenge_cookie
    if browser is not None:
        browser.challenge = outcome.challenge_cookie
    return env.last_code(email.strip().lower(), RESET)


async def verify(env: Env, code: str, email: str | None = "ada@example.org", browser: Browser | None = None) -> str:
    outcome = await env.password_reset.forget_password(
        ForgetPassword(otp=code, email=email, challenge_cookie=browser.challenge if browser else None)
    )
    assert outcome.status == "Verified" and outcome.email == "ada@example.org"
    assert outcome.reset_token
    if browser is not None:
        browser.proof = outcome.reset_token
    return outcome.reset_token


async def set_password(env: Env, reset_token: str | None = None, *, password: str = NEW,
                       password2: str | None = None, browser: Browser | None = None, ip: str = "") -> str:
    outcome = await env.password_reset.forget_password(
        ForgetPassword(email="ada@example.org", password1=password, password2=password2 or password,
                       reset_token=reset_token, proof_cookie=browser.proof if browser else None, client_ip=ip)
    )
    return outcome.status


@pytest.fixture
async def ada(env: Env) -> int:
    return await register(env, "ada@example.org")


async def test_full_flow_with_code_and_reset_token(env: Env, ada: int) -> None:
    old = await env.sessions.signin("ada@example.org", PASSWORD)
    code = await request(env)
    mail = env.mails_to("ada@example.org", RESET)[-1]
    assert code in mail.html and "/verify/" in mail.text
    token = await verify(env, code)
    env.clock.advance(1)
    assert await set_password(env, token) == "Password Changed"

    assert (await env.sessions.signin("ada@example.org", NEW)).user.id == ada
    with pytest.raises(InvalidInput):
        await env.sessions.signin("ada@example.org", PASSWORD)
    # Every token issued before the reset is void, access tokens included.
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(old.tokens.refresh)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(old.tokens.access)
    assert reset_challenges(env) == []
    assert env.mails_to("ada@example.org", "Your password was changed")


async def test_verify_with_email_and_code(env: Env, ada: int) -> None:
    code = await request(env)
    token = await verify(env, code, email="ADA@example.org")
    assert await set_password(env, token) == "Password Changed"


async def test_verify_with_the_link(env: Env, ada: int) -> None:
    await request(env)
    link = env.last_link_token("ada@example.org", RESET)
    outcome = await env.password_reset.forget_password(ForgetPassword(hash=link))
    assert outcome.status == "Verified" and outcome.reset_token
    assert await set_password(env, outcome.reset_token) == "Password Changed"


async def test_stage_three_without_proof_is_refused(env: Env, ada: int) -> None:
    # The attack: the owner verified the code; a stranger who only knows the address sets the password.
    await verify(env, await request(env))
    with pytest.raises(InvalidInput) as err:
        await set_password(env)
    assert err.value.body == {"non_field_errors": ["Invalid reset token"]}
    assert (await env.sessions.signin("ada@example.org", PASSWORD)).user.id == ada


async def test_frontend_flow_with_cookies_only(env: Env, ada: int) -> None:
    browser = Browser()
    code = await request(env, browser=browser)
    await verify(env, code, email=None, browser=browser)
    assert await set_password(env, browser=browser) == "Password Changed"
    # The proof works once.
    with pytest.raises(InvalidInput) as err:
        await set_password(env, browser=browser, password="An0therPass")
    assert err.value.body == {"non_field_errors": ["Cannot change password. Request new otp."]}
    assert (await env.sessions.signin("ada@example.org", NEW)).user.id == ada


async def test_reset_token_mismatch(env: Env, ada: int) -> None:
    token = await verify(env, await request(env))
    with pytest.raises(InvalidInput) as err:
        await set_password(env, token + "x")
    assert err.value.body == {"non_field_errors": ["Invalid reset token"]}
    # The window is still open for the right token.
    assert await set_password(env, token) == "Password Changed"


async def test_window_is_single_use(env: Env, ada: int) -> None:
    token = await verify(env, await request(env))
    assert await set_password(env, token) == "Password Changed"
    with pytest.raises(InvalidInput) as err:
        await set_password(env, token, password="An0therPass")
    assert err.value.body == {"non_field_errors": ["Cannot change password. Request new otp."]}


async def test_window_expires_after_five_minutes_from_verification(env: Env, ada: int) -> None:
    code = await request(env)
    env.clock.advance(240)  # the code is still valid
    token = await verify(env, code)
    env.clock.advance(299)  # within the window measured from verification
    assert await set_password(env, token) == "Password Changed"


async def test_expired_window(env: Env, ada: int) -> None:
    token = await verify(env, await request(env))
    env.clock.advance(300)
    with pytest.raises(InvalidInput) as err:
        await set_password(env, token)
    assert err.value.body == {"non_field_errors": ["Expired Request"]}
    with pytest.raises(InvalidInput) as err:
        await set_password(env, token)
    assert err.value.body == {"non_field_errors": ["Cannot change password. Request new otp."]}
    assert (await env.sessions.signin("ada@example.org", PASSWORD)).user.id == ada


async def test_stage_three_without_verification(env: Env, ada: int) -> None:
    await request(env)
    with pytest.raises(InvalidInput) as err:
        await set_password(env)
    assert err.value.body == {"non_field_errors": ["Cannot change password. Request new otp."]}


async def test_expired_code(env: Env, ada: int) -> None:
    code = await request(env)
    env.clock.advance(300)
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword(otp=code, email="ada@example.org"))
    assert err.value.body == {"non_field_errors": ["Expired OTP"]}
    assert reset_challenges(env) == []


async def test_expired_link(env: Env, ada: int) -> None:
    await request(env)
    link = env.last_link_token("ada@example.org", RESET)
    env.clock.advance(301)
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword(hash=link))
    assert err.value.body == {"non_field_errors": ["Link Expired"]}


async def test_code_verifies_only_once(env: Env, ada: int) -> None:
    code = await request(env)
    await verify(env, code)
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword(otp=code, email="ada@example.org"))
    assert err.value.body == {"non_field_errors": ["Invalid OTP"]}


async def test_five_wrong_codes_with_email_void_the_code(env: Env, ada: int) -> None:
    code = await request(env)
    bad = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(InvalidInput) as err:
            await env.password_reset.forget_password(ForgetPassword(otp=bad, email="ada@example.org"))
        assert err.value.body == {"non_field_errors": ["Invalid OTP"]}
    assert reset_challenges(env) == []
    with pytest.raises(InvalidInput):
        await env.password_reset.forget_password(ForgetPassword(otp=code, email="ada@example.org"))


async def test_new_request_replaces_the_old_code(env: Env, ada: int) -> None:
    first = await request(env)
    second = await request(env)
    assert len(reset_challenges(env)) == 1
    if first != second:
        with pytest.raises(InvalidInput):
            await env.password_reset.forget_password(ForgetPassword(otp=first, email="ada@example.org"))
    await verify(env, second)


async def test_a_new_request_closes_an_open_window(env: Env, ada: int) -> None:
    token = await verify(env, await request(env))
    await request(env)
    with pytest.raises(InvalidInput) as err:
        await set_password(env, token)
    assert err.value.body == {"non_field_errors": ["Cannot change password. Request new otp."]}


async def test_code_of_one_address_does_not_verify_another(env: Env, ada: int) -> None:
    await register(env, "bob@example.org")
    code = await request(env)
    await request(env, "bob@example.org")
    with pytest.raises(InvalidInput):
        await env.password_reset.forget_password(ForgetPassword(otp=code, email="bob@example.org"))
    await verify(env, code, email="ada@example.org")
    # Bob's address has no open window.
    with pytest.raises(InvalidInput):
        await env.password_reset.forget_password(
            ForgetPassword(email="bob@example.org", password1=NEW, password2=NEW)
        )


async def test_signup_code_is_not_a_reset_code(env: Env) -> None:
    await env.registration.signup(SignUp(email="new@example.org", password1=PASSWORD, password2=PASSWORD))
    code = env.last_code("new@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword(otp=code, email="new@example.org"))
    assert err.value.body == {"non_field_errors": ["Invalid OTP"]}


async def test_unregistered_email(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword(email="nobody@example.org"))
    assert err.value.body == {"non_field_errors": ["Unregistered Email"]}


async def test_invalid_request(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword())
    assert err.value.body == {"non_field_errors": ["Invalid Request!"]}


async def test_stage_three_missing_fields(env: Env, ada: int) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword(password1=NEW))
    assert err.value.body == {"email": ["This field is required."], "password2": ["This field is required."]}


async def test_stage_three_mismatch_and_policy(env: Env, ada: int) -> None:
    token = await verify(env, await request(env))
    with pytest.raises(InvalidInput) as err:
        await set_password(env, token, password2="Different1")
    assert err.value.body == {"non_field_errors": ["Unmatched passwords"]}
    with pytest.raises(InvalidInput) as err:
        await set_password(env, token, password="weak")
    assert err.value.body == {"non_field_errors": ["Passwords cannot be less than 6 characters"]}
    assert await set_password(env, token) == "Password Changed"


async def test_reset_gives_a_google_user_a_password(env: Env) -> None:
    code = env.google.issue("ada@example.org", name="Ada Lovelace")
    created = await env.google_accounts.google_signup(code, None)
    assert not created.user.has_usable_password
    token = await verify(env, await request(env))
    assert await set_password(env, token) == "Password Changed"
    assert (await env.sessions.signin("ada@example.org", NEW)).user.id == created.user.id


async def test_reset_requests_are_rate_limited_per_email_and_client(env: Env, ada: int) -> None:
    # Five code e-mails per (address, client IP) per 10 minutes.
    for _ in range(5):
        await request(env, ip="10.9.1.1")
    with pytest.raises(RateLimited):
        await env.password_reset.forget_password(ForgetPassword(email="ada@example.org", client_ip="10.9.1.1"))


async def test_reset_verifications_are_rate_limited_per_ip(env: Env, ada: int) -> None:
    code = await request(env)
    for _ in range(30):
        with pytest.raises(InvalidInput):
            await env.password_reset.forget_password(ForgetPassword(otp="000000x", client_ip="10.9.3.1"))
    with pytest.raises(RateLimited):
        await env.password_reset.forget_password(
            ForgetPassword(otp=code, email="ada@example.org", client_ip="10.9.3.1")
        )
