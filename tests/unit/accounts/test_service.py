"""Registration, sessions and the token check: codes and links, sign-in, token rotation and sign-out, rate limits."""

from __future__ import annotations

import dataclasses

import pytest

from core.accounts.model.events import AccountRegistered
from core.accounts.model.users import ChallengePurpose, EmailChallenge, UserType
from core.accounts.registration import SignUp
from core.shared.errors import InvalidInput, RateLimited, Unauthenticated
from tests.conftest import PASSWORD
from tests.unit.accounts.conftest import Env, register

pytestmark = pytest.mark.anyio


def signup(email: str, otp: str | None = None, *, industry: str | None = None, password: str = PASSWORD,
           password2: str | None = None, ip: str = "10.0.0.1") -> SignUp:
    return SignUp(email=email, password1=password, password2=password if password2 is None else password2,
                  industry=industry, otp=otp, client_ip=ip)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def challenges(env: Env) -> list[EmailChallenge]:
    return list(env.table("email_challenges").values())  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ sign-up


async def test_signup_sends_a_six_digit_code_then_creates_a_learner(env: Env) -> None:
    assert await env.registration.signup(signup("Ada@Example.org ")) is None
    code = env.last_code("ada@example.org")
    assert len(code) == 6 and code.isdigit()
    mail = env.mails_to("ada@example.org", "Verify your Email")[-1]
    assert code in mail.text and code in mail.html and "5 minutes" in mail.text

    result = await env.registration.signup(signup("ada@example.org", code))

    assert result is not None
    assert result.user.email == "ada@example.org"
    assert result.user.user_type is UserType.LEARNER and result.user.industry == "others"
    assert result.user.email_verified and result.user.password_hash
    assert await env.token_check.authenticate(result.tokens.access) == result.user.id
    assert challenges(env) == []  # consumed
    assert [m.subject for m in env.mails_to("ada@example.org")] == ["Verify your Email", "Welcome to Career Nexus"]
    bus = env.container.platform.event_bus()
    assert bus.published is not None
    assert [e for e in bus.published if isinstance(e, AccountRegistered)] == [
        AccountRegistered(user_id=result.user.id, email="ada@example.org", user_type="learner")
    ]
    # A profile exists, its id is the user id.
    assert result.user.id in env.table("profiles")


async def test_password_is_hashed_with_argon2_and_never_stored_in_challenges(env: Env) -> None:
    secret = "Sup3rSecretPw"
    await env.registration.signup(signup("ada@example.org", password=secret, industry="technology"))
    [challenge] = challenges(env)
    for value in dataclasses.asdict(challenge).values():
        assert secret not in str(value)
    code = env.last_code("ada@example.org")
    assert code not in str(dataclasses.asdict(challenge))  # stored as a keyed digest
    result = await env.registration.signup(signup("ada@example.org", code, password=secret, industry="technology"))
    assert result is not None
    assert result.user.password_hash is not None and result.user.password_hash.startswith("$argon2id$")
    assert secret not in result.user.password_hash


async def test_mentor_signup_when_industry_is_given(env: Env) -> None:
    uid = await register(env, "mentor@example.org", industry="technology")
    user = await env.accounts_admin.get_user(uid)
    assert user.user_type is UserType.MENTOR and user.industry == "technology"


async def test_unknown_industry_is_a_field_error(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ada@example.org", industry="astrology"))
    assert err.value.body == {"industry": ['"astrology" is not a valid choice.']}


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1", "Passwords cannot be less than 6 characters"),
        ("abcdef1", "Password must contain upper case character"),
        ("ABCDEF1", "Password must contain lower case character"),
        ("Abcdefg", "Password must contain an Integer"),
        ("Ab1" + "x" * 200, "Passwords cannot be more than 200 characters"),
    ],
)
async def test_password_policy(env: Env, password: str, message: str) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ada@example.org", password=password))
    assert err.value.body == {"non_field_errors": [message]}
    assert challenges(env) == []


async def test_password_mismatch(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ada@example.org", password2="Other1pass"))
    assert err.value.body == {"Password Mismatch": ["Passwords must be the same"]}


@pytest.mark.parametrize("email", ["", "   ", "not-an-email", "a@b", "a b@example.org", "x" * 250 + "@example.org"])
async def test_invalid_email_is_a_field_error(env: Env, email: str) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup(email))
    assert list(err.value.body) == ["email"]


async def test_existing_email_is_refused_at_both_stages(env: Env) -> None:
    await register(env, "ada@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ADA@example.org"))
    assert err.value.body == {"email": ["Existing Email!"]}
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ada@example.org", "123456"))
    assert err.value.body == {"email": ["Existing Email!"]}


async def test_code_expires_after_five_minutes(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    code = env.last_code("ada@example.org")
    env.clock.advance(300)
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ada@example.org", code))
    assert err.value.body == {"OTP Error": "Expired OTP"}
    assert challenges(env) == []
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ada@example.org", code))
    assert err.value.body == {"OTP Error": "Invalid OTP"}


async def test_code_still_valid_just_before_five_minutes(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    env.clock.advance(299)
    assert await env.registration.signup(signup("ada@example.org", env.last_code("ada@example.org"))) is not None


async def test_five_wrong_attempts_void_the_code(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    code = env.last_code("ada@example.org")
    for attempt in range(1, 6):
        with pytest.raises(InvalidInput) as err:
            await env.registration.signup(signup("ada@example.org", wrong(code)))
        assert err.value.body == {"OTP Error": "Invalid OTP"}
        if attempt < 5:
            assert challenges(env)[0].attempts == attempt
    assert challenges(env) == []
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("ada@example.org", code))  # the right code, too late
    assert err.value.body == {"OTP Error": "Invalid OTP"}


async def test_four_wrong_attempts_then_the_right_code_works(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    code = env.last_code("ada@example.org")
    for _ in range(4):
        with pytest.raises(InvalidInput):
            await env.registration.signup(signup("ada@example.org", wrong(code)))
    assert await env.registration.signup(signup("ada@example.org", code)) is not None


async def test_resend_replaces_the_old_code(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    first = env.last_code("ada@example.org")
    await env.registration.signup(signup("ada@example.org"))
    second = env.last_code("ada@example.org")
    assert len(challenges(env)) == 1
    if first != second:
        with pytest.raises(InvalidInput) as err:
            await env.registration.signup(signup("ada@example.org", first))
        assert err.value.body == {"OTP Error": "Invalid OTP"}
    assert await env.registration.signup(signup("ada@example.org", second)) is not None


async def test_resend_restarts_the_clock_and_the_attempt_count(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    code = env.last_code("ada@example.org")
    for _ in range(4):
        with pytest.raises(InvalidInput):
            await env.registration.signup(signup("ada@example.org", wrong(code)))
    env.clock.advance(240)
    await env.registration.signup(signup("ada@example.org"))
    [challenge] = challenges(env)
    assert challenge.attempts == 0
    env.clock.advance(240)
    assert await env.registration.signup(signup("ada@example.org", env.last_code("ada@example.org"))) is not None


async def test_code_is_bound_to_its_email(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    await env.registration.signup(signup("bob@example.org"))
    code_a = env.last_code("ada@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("bob@example.org", code_a))
    assert err.value.body == {"OTP Error": "Invalid OTP"}
    with pytest.raises(InvalidInput) as err:
        await env.registration.signup(signup("eve@example.org", code_a))  # no challenge at all
    assert err.value.body == {"OTP Error": "Invalid OTP"}
    # Ada's code still works for Ada.
    result = await env.registration.signup(signup("ada@example.org", code_a))
    assert result is not None and result.user.email == "ada@example.org"


async def test_a_code_is_single_use(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    code = env.last_code("ada@example.org")
    assert await env.registration.signup(signup("ada@example.org", code)) is not None
    with pytest.raises(InvalidInput):
        await env.registration.signup(signup("ada@example.org", code))


async def test_codes_come_from_a_csprng_and_vary(env: Env) -> None:
    codes = set()
    for i in range(5):
        await env.registration.signup(signup(f"user{i}@example.org", ip=f"10.0.1.{i}"))
        codes.add(env.last_code(f"user{i}@example.org"))
    assert len(codes) >= 2


# ------------------------------------------------------------------------------------ link (hash)


async def test_hash_link_creates_a_passwordless_account(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    token = env.last_link_token("ada@example.org")
    assert token not in str([dataclasses.asdict(c) for c in challenges(env)])
    result = await env.registration.verify_link(token)
    assert result.user.email == "ada@example.org"
    assert result.user.user_type is UserType.LEARNER
    assert not result.user.has_usable_password
    assert challenges(env) == []
    with pytest.raises(InvalidInput) as err:
        await env.registration.verify_link(token)
    assert err.value.body == {"non_field_errors": ["Invalid Link"]}
    # No password yet: signing in with the stage-1 password fails.
    with pytest.raises(InvalidInput):
        await env.sessions.signin("ada@example.org", PASSWORD)


async def test_hash_link_keeps_the_mentor_industry(env: Env) -> None:
    await env.registration.signup(signup("mentor@example.org", industry="health"))
    result = await env.registration.verify_link(env.last_link_token("mentor@example.org"))
    assert result.user.user_type is UserType.MENTOR and result.user.industry == "health"


async def test_hash_link_expires_with_the_code(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    token = env.last_link_token("ada@example.org")
    env.clock.advance(301)
    with pytest.raises(InvalidInput) as err:
        await env.registration.verify_link(token)
    assert err.value.body == {"non_field_errors": ["Link Expired"]}
    assert challenges(env) == []


async def test_hash_link_is_replaced_by_a_resend(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    old = env.last_link_token("ada@example.org")
    await env.registration.signup(signup("ada@example.org"))
    with pytest.raises(InvalidInput) as err:
        await env.registration.verify_link(old)
    assert err.value.body == {"non_field_errors": ["Invalid Link"]}
    assert (await env.registration.verify_link(env.last_link_token("ada@example.org"))).user.email == "ada@example.org"


async def test_unknown_link(env: Env) -> None:
    with pytest.raises(InvalidInput) as err:
        await env.registration.verify_link("nope")
    assert err.value.body == {"non_field_errors": ["Invalid Link"]}


async def test_a_reset_link_does_not_create_an_account(env: Env) -> None:
    await register(env, "ada@example.org")
    from core.accounts.reset import ForgetPassword

    await env.password_reset.forget_password(ForgetPassword(email="ada@example.org"))
    token = env.last_link_token("ada@example.org", "Password Reset Request")
    with pytest.raises(InvalidInput):
        await env.registration.verify_link(token)


# ------------------------------------------------------------------------------------------ sign-in


async def test_signin(env: Env) -> None:
    uid = await register(env, "ada@example.org")
    result = await env.sessions.signin(" ADA@example.org", PASSWORD)
    assert result.user.id == uid
    assert await env.token_check.authenticate(result.tokens.access) == uid


@pytest.mark.parametrize(("email", "password"), [
    ("ada@example.org", "Wrong1pass"),
    ("nobody@example.org", PASSWORD),
    ("not an email", PASSWORD),
    ("ada@example.org", ""),
])
async def test_signin_failures_are_one_message(env: Env, email: str, password: str) -> None:
    await register(env, "ada@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.sessions.signin(email, password)
    assert err.value.body == {"non_field_errors": ["Invalid Credentials"]}


async def test_signin_rate_limited_per_email_and_client(env: Env) -> None:
    await register(env, "ada@example.org")
    for _ in range(10):
        with pytest.raises(InvalidInput):
            await env.sessions.signin("ada@example.org", "Wrong1pass", client_ip="10.1.0.1")
    with pytest.raises(RateLimited) as err:
        await env.sessions.signin("ada@example.org", PASSWORD, client_ip="10.1.0.1")
    assert err.value.retry_after > 0
    # The owner, from another client, is not locked out.
    owner = await env.sessions.signin("ada@example.org", PASSWORD, client_ip="10.1.1.1")
    assert owner.user.email == "ada@example.org"
    # Another address is unaffected.
    await register(env, "bob@example.org")
    bob = await env.sessions.signin("bob@example.org", PASSWORD, client_ip="10.1.1.1")
    assert bob.user.email == "bob@example.org"


async def test_signin_rate_limited_per_ip(env: Env) -> None:
    for i in range(30):
        with pytest.raises(InvalidInput):
            await env.sessions.signin(f"u{i}@example.org", "Wrong1pass", client_ip="10.2.0.1")
    with pytest.raises(RateLimited):
        await env.sessions.signin("someone@example.org", "Wrong1pass", client_ip="10.2.0.1")
    with pytest.raises(InvalidInput):
        await env.sessions.signin("someone@example.org", "Wrong1pass", client_ip="10.2.0.2")


async def test_code_sending_rate_limited_per_email_and_per_ip(env: Env) -> None:
    for _ in range(5):
        await env.registration.signup(signup("ada@example.org", ip="10.3.0.1"))
    with pytest.raises(RateLimited):
        await env.registration.signup(signup("ada@example.org", ip="10.3.0.1"))
    # The per-address cap (15 a window) refuses clients that already asked for this address ...
    for i in range(10):
        await env.registration.signup(signup("ada@example.org", ip=f"10.3.2.{i}"))
    with pytest.raises(RateLimited):
        await env.registration.signup(signup("ada@example.org", ip="10.3.2.0"))
    # ... but never a client that has not.
    assert await env.registration.signup(signup("ada@example.org", ip="10.3.3.1")) is None
    for i in range(20):
        await env.registration.signup(signup(f"u{i}@example.org", ip="10.4.0.1"))
    with pytest.raises(RateLimited):
        await env.registration.signup(signup("other@example.org", ip="10.4.0.1"))


async def test_code_checking_rate_limited_per_ip(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    for i in range(30):
        with pytest.raises(InvalidInput):
            await env.registration.signup(signup(f"x{i}@example.org", "000000", ip="10.5.0.1"))
    with pytest.raises(RateLimited):
        await env.registration.signup(signup("ada@example.org", env.last_code("ada@example.org"), ip="10.5.0.1"))
    with pytest.raises(RateLimited):
        await env.registration.verify_link("whatever", client_ip="10.5.0.1")


# ------------------------------------------------------------------------------ tokens and sign-out


async def test_refresh_rotates_and_refuses_the_old_token(env: Env) -> None:
    uid = await register(env, "ada@example.org")
    first = await env.sessions.signin("ada@example.org", PASSWORD)
    env.clock.advance(1)
    second = await env.sessions.refresh(first.tokens.refresh)
    assert second.user.id == uid
    assert second.tokens.refresh != first.tokens.refresh
    assert await env.token_check.authenticate(second.tokens.access) == uid
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(first.tokens.refresh)
    # Replaying the rotated token ended the whole session: its newest tokens stop working too.
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(second.tokens.refresh)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(second.tokens.access)


async def test_access_token_is_not_a_refresh_token_and_vice_versa(env: Env) -> None:
    await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(pair.access)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(pair.refresh)
    for junk in ("", "garbage", pair.refresh[:-3] + "abc"):
        with pytest.raises(Unauthenticated):
            await env.sessions.refresh(junk)


async def test_signout_revokes_the_refresh_token(env: Env) -> None:
    uid = await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    other = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    await env.sessions.signout(uid, pair.refresh)
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(pair.refresh)
    # The session's access token ends with it; another session of the account goes on.
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(pair.access)
    assert await env.token_check.authenticate(other.access) == uid


async def test_signout_with_a_revoked_refresh_token_is_invalid(env: Env) -> None:
    uid = await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    rotated = (await env.sessions.refresh(pair.refresh)).tokens
    other = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    await env.sessions.signout(uid, other.refresh)
    for revoked in (pair.refresh, other.refresh):  # rotated by a refresh; signed out already
        with pytest.raises(InvalidInput) as err:
            await env.sessions.signout(uid, revoked)
        assert err.value.body == {"non_field_errors": ["Invalid Token"]}
    # Nothing changed: the rotated pair's session goes on and signs out normally.
    assert await env.token_check.authenticate(rotated.access) == uid
    await env.sessions.signout(uid, rotated.refresh)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(rotated.access)


async def test_signout_of_someone_elses_refresh_token(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    await register(env, "bob@example.org")
    bob_pair = (await env.sessions.signin("bob@example.org", PASSWORD)).tokens
    with pytest.raises(InvalidInput) as err:
        await env.sessions.signout(ada, bob_pair.refresh)
    assert err.value.body == {"non_field_errors": ["Invalid Token"]}
    assert (await env.sessions.refresh(bob_pair.refresh)).user.email == "bob@example.org"  # untouched


async def test_signout_with_an_access_token_or_junk(env: Env) -> None:
    uid = await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    for token in (pair.access, "junk"):
        with pytest.raises(InvalidInput) as err:
            await env.sessions.signout(uid, token)
        assert err.value.body == {"non_field_errors": ["Invalid Token"]}


async def test_expired_refresh_token_is_refused(env: Env) -> None:
    await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    # PyJWT checks expiry against wall time: a token stamped two days ago (refresh lifetime 1 day) is expired.
    env.clock.advance(-2 * 86400)
    old = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(old.refresh)
    assert (await env.sessions.refresh(pair.refresh)).user.email == "ada@example.org"


async def test_challenge_purposes_are_separate(env: Env) -> None:
    await env.registration.signup(signup("ada@example.org"))
    assert {c.purpose for c in challenges(env)} == {ChallengePurpose.SIGNUP}
