"""Account takeover and lock-out paths (issue 16: items 1, 2, 3, 5, 8, 11), each written as the attack.

Services on the memory profile with a frozen clock; ``Browser`` keeps what the HTTP layer keeps in cookies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from dependency_injector import providers

from adapters.identity.passwords import Argon2PasswordHasher
from adapters.system.clock import FrozenClock
from bootstrap.container import build_container
from core.accounts.model.users import User, UserType
from core.accounts.reset import ForgetPassword
from core.shared.errors import InvalidInput, PermissionDenied, RateLimited, Unauthenticated
from tests.conftest import PASSWORD, TEST_SECRET, make_settings
from tests.unit.accounts.conftest import START, Env, FakeGoogleIdentity, caller_of, register, signed_in
from tests.unit.accounts.test_organizations import corporate
from tests.unit.accounts.test_reset import NEW, RESET, Browser, request, reset_challenges, set_password, verify

pytestmark = pytest.mark.anyio


class CountingHasher:
    """The real (cheap) argon2 hasher, counting calls to ``verify``."""

    def __init__(self) -> None:
        self.inner = Argon2PasswordHasher(cheap=True)
        self.verified: list[str] = []

    async def hash(self, password: str) -> str:
        return await self.inner.hash(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password_hash)
        return await self.inner.verify(password_hash, password)


def custom_env(tmp_path: Path, *, start_ago: float = 0.0, **settings: object) -> Env:
    base = make_settings(tmp_path)
    container = build_container(base.with_values(**settings), "memory")
    clock = FrozenClock(START - timedelta(seconds=start_ago))
    google = FakeGoogleIdentity()
    container.platform.clock.override(providers.Object(clock))
    container.accounts.google.override(providers.Object(google))
    return Env(container=container, clock=clock, google=google)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def otp_only(env: Env, code: str, browser: Browser | None = None, ip: str = "10.7.0.1") -> str:
    outcome = await env.password_reset.forget_password(
        ForgetPassword(otp=code, challenge_cookie=browser.challenge if browser else None, client_ip=ip)
    )
    assert outcome.reset_token
    return outcome.reset_token


async def add_nested_corporate(env: Env, main_id: int, email: str) -> int:
    """A corporate account created by another corporate account (straight through the unit of work)."""
    async with env.container.accounts.uow() as uow:
        user = User(email=email, user_type=UserType.EMPLOYER, date_joined=env.clock.now())
        await uow.users.add(user)
        await uow.links.link(main_id, user.id)
        await uow.commit()
    return user.id


# ------------------------------------------------------------------- 1. stage 3 needs the stage-2 proof


async def test_stranger_cannot_set_the_password_in_the_owners_window(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    owner = Browser()
    await verify(env, await request(env, browser=owner), email=None, browser=owner)
    for attempt in (None, "guess", ""):
        with pytest.raises(InvalidInput) as err:
            await set_password(env, attempt, ip="10.66.0.1")
        assert err.value.body == {"non_field_errors": ["Invalid reset token"]}
    # The owner still finishes with the proof their browser holds; once.
    assert await set_password(env, browser=owner) == "Password Changed"
    with pytest.raises(InvalidInput):
        await set_password(env, browser=owner)
    assert (await env.sessions.signin("ada@example.org", NEW)).user.id == ada


async def test_stage_three_failures_are_rate_limited_per_ip_and_address(env: Env) -> None:
    await register(env, "ada@example.org")
    token = await verify(env, await request(env))
    for _ in range(10):
        with pytest.raises(InvalidInput):
            await set_password(env, "guess", ip="10.66.0.2")
    with pytest.raises(RateLimited):
        await set_password(env, token, ip="10.66.0.2")
    # Per client IP, across addresses.
    for i in range(10):
        with pytest.raises(InvalidInput):
            await env.password_reset.forget_password(ForgetPassword(
                email=f"u{i}@example.org", password1=NEW, password2=NEW, reset_token="x", client_ip="10.66.0.3"))
    for i in range(10):
        with pytest.raises(InvalidInput):
            await env.password_reset.forget_password(ForgetPassword(
                email=f"v{i}@example.org", password1=NEW, password2=NEW, reset_token="x", client_ip="10.66.0.3"))
    with pytest.raises(RateLimited):
        await env.password_reset.forget_password(ForgetPassword(
            email="w@example.org", password1=NEW, password2=NEW, reset_token="x", client_ip="10.66.0.3"))
    # The owner, from their own client, is not locked out by the stranger.
    assert await set_password(env, token, ip="10.9.0.1") == "Password Changed"


# ------------------------------------------------------------------- 2. OTP-only stage 2 is no oracle


async def test_otp_alone_without_the_cookie_is_refused_even_when_right(env: Env) -> None:
    await register(env, "ada@example.org")
    await register(env, "bob@example.org")
    code = await request(env)
    await request(env, "bob@example.org")
    with pytest.raises(InvalidInput) as err:
        await otp_only(env, code)
    assert err.value.body == {"non_field_errors": ["Invalid OTP"]}
    assert all(c.verified_at is None for c in reset_challenges(env))
    # Another browser's cookie (bob's request) resolves bob's challenge, never ada's.
    mallory = Browser()
    await request(env, "bob@example.org", browser=mallory)
    with pytest.raises(InvalidInput):
        await otp_only(env, code, mallory)


async def test_every_wrong_guess_counts_whatever_the_form(env: Env) -> None:
    await register(env, "ada@example.org")
    browser = Browser()
    code = await request(env, browser=browser)
    for i in range(5):
        with pytest.raises(InvalidInput):
            if i % 2:
                await otp_only(env, wrong(code), browser)
            else:
                await env.password_reset.forget_password(ForgetPassword(otp=wrong(code), email="ada@example.org"))
    assert reset_challenges(env) == []  # five wrong → void
    with pytest.raises(InvalidInput):
        await otp_only(env, code, browser)


async def test_cookies_cannot_be_forged_or_reused_after_expiry(env: Env) -> None:
    await register(env, "ada@example.org")
    await register(env, "mallory@example.org")
    code = await request(env)
    own = Browser()
    await request(env, "mallory@example.org", browser=own, ip="10.7.0.9")
    assert own.challenge
    encoded, expiry, mac = own.challenge.split(".")
    ada_encoded = own.challenge.replace(encoded, "YWRhQGV4YW1wbGUub3Jn")  # base64url("ada@example.org")
    for forged in (ada_encoded, f"{encoded}.{int(expiry) + 999}.{mac}", f"{encoded}.{expiry}.{'0' * 64}", "junk",
                   ""):
        with pytest.raises(InvalidInput):
            await otp_only(env, code, Browser(challenge=forged))
    browser = Browser()
    code = await request(env, browser=browser)
    env.clock.advance(env.password_reset.reset_cookie_seconds + 1)
    with pytest.raises(InvalidInput):
        await otp_only(env, code, browser)


async def test_by_code_lookup_is_gone() -> None:
    from adapters.db.accounts import InMemoryChallengeRepository, SqlChallengeRepository

    assert not hasattr(SqlChallengeRepository, "by_code")
    assert not hasattr(InMemoryChallengeRepository, "by_code")


# ------------------------------------------------------- 3. a reset ends every session of the person


async def test_stolen_token_cannot_survive_a_reset_through_linked_accounts(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    org = await corporate(env, ada)
    nested = await add_nested_corporate(env, org, "branch@acme.example")
    stolen = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    # The attacker hops into the corporate account and into the one it created, keeping their tokens.
    as_org = await env.sessions.switch_account(await caller_of(env, stolen.access), org)
    as_nested = await env.sessions.switch_account(await caller_of(env, as_org.tokens.access), nested)
    env.clock.advance(1)
    # The victim resets the password.
    token = await verify(env, await request(env))
    assert await set_password(env, token) == "Password Changed"
    for pair in (stolen, as_org.tokens, as_nested.tokens):
        with pytest.raises(Unauthenticated):
            await env.sessions.refresh(pair.refresh)
        with pytest.raises(Unauthenticated):
            await env.token_check.authenticate(pair.access)
    # The victim signs in again and can switch as before.
    fresh = await signed_in(env, "ada@example.org", NEW)
    assert (await env.sessions.switch_account(fresh, org)).user.id == org


async def test_switch_checks_the_reset_times_afresh(tmp_path: Path) -> None:
    env = custom_env(tmp_path, auth_cache_seconds=60)
    ada = await register(env, "ada@example.org")
    org = await corporate(env, ada)
    caller = await signed_in(env, "ada@example.org")
    as_org = await env.sessions.switch_account(caller, org)
    org_caller = await caller_of(env, as_org.tokens.access)
    env.clock.advance(1)
    # Another worker records a reset of the creator (this worker's token cache still trusts the old tokens).
    async with env.container.accounts.uow() as uow:
        user = await uow.users.get(ada)
        assert user is not None
        user.tokens_valid_after = env.clock.now()
        await uow.users.update(user)
        await uow.commit()
    assert await env.token_check.authenticate(as_org.tokens.access) == org  # cached
    with pytest.raises(Unauthenticated):  # the caller's own token predates its reset
        await env.sessions.switch_account(caller, org)
    with pytest.raises(PermissionDenied):  # the target's token is fine, but the target predates the reset
        await env.sessions.switch_account(org_caller, ada)
    # And the corporate account's creator's reset guards switching into it from elsewhere too.
    async with env.container.accounts.uow() as uow:
        target = await uow.users.get(org)
        assert target is not None
        target.tokens_valid_after = env.clock.now()
        await uow.users.update(target)
        await uow.commit()
    fresh = await env.token_check.caller((await env.sessions.signin("ada@example.org", PASSWORD)).tokens.access)
    env.clock.advance(1)
    assert (await env.sessions.switch_account(fresh, org)).user.id == org


async def test_refresh_chains_end_after_their_maximum_age(tmp_path: Path) -> None:
    env = custom_env(tmp_path, start_ago=1000, refresh_chain_max_age=300)
    ada = await register(env, "ada@example.org")
    org = await corporate(env, ada)
    first = await env.sessions.signin("ada@example.org", PASSWORD)
    env.clock.advance(200)
    second = await env.sessions.refresh(first.tokens.refresh)
    # Switching starts a session that inherits the chain's start: it does not extend the chain.
    switched = await env.sessions.switch_account(await caller_of(env, second.tokens.access), org)
    env.clock.advance(100)
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(second.tokens.refresh)
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(switched.tokens.refresh)
    # A new sign-in starts a new chain.
    again = await env.sessions.signin("ada@example.org", PASSWORD)
    assert (await env.sessions.refresh(again.tokens.refresh)).user.id == ada


# -------------------------------------------------------------------------------- 5. no lock-out


def sleep_recorder(env: Env) -> list[float]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    env.container.accounts.sessions.add_kwargs(sleep=sleep)
    return slept


async def test_successful_signins_do_not_consume_the_budget(env: Env) -> None:
    await register(env, "ada@example.org")
    for _ in range(40):
        assert (await env.sessions.signin("ada@example.org", PASSWORD, client_ip="10.8.0.1")).user.email


async def test_strangers_failures_never_refuse_the_owner(env: Env) -> None:
    slept = sleep_recorder(env)
    await register(env, "ada@example.org")
    # One stranger locks only itself out.
    for _ in range(10):
        with pytest.raises(InvalidInput):
            await env.sessions.signin("ada@example.org", "Wrong1pass", client_ip="10.8.1.1")
    with pytest.raises(RateLimited):
        await env.sessions.signin("ada@example.org", PASSWORD, client_ip="10.8.1.1")
    assert (await env.sessions.signin("ada@example.org", PASSWORD, client_ip="10.8.9.9")).user.email
    assert slept == []
    # Many strangers: the account is under attack; failed clients are refused, clean ones slowed, never refused.
    for i in range(20):
        with pytest.raises((InvalidInput, RateLimited)):
            await env.sessions.signin("ada@example.org", "Wrong1pass", client_ip=f"10.8.2.{i}")
    with pytest.raises(RateLimited):
        await env.sessions.signin("ada@example.org", PASSWORD, client_ip="10.8.2.3")
    assert (await env.sessions.signin("ada@example.org", PASSWORD, client_ip="10.8.3.1")).user.email
    assert slept and all(0 < s <= 2 for s in slept)


async def test_a_strangers_code_requests_leave_the_owners_code_usable(env: Env) -> None:
    await register(env, "ada@example.org")
    owner = Browser()
    code = await request(env, ip="10.9.5.1", browser=owner)
    # The stranger hits the send limit for the owner's address from their own client: refused sends change nothing.
    for _ in range(10):
        try:
            await env.password_reset.forget_password(ForgetPassword(email="ada@example.org", client_ip="10.66.5.1"))
        except RateLimited:
            pass
    latest = env.last_code("ada@example.org", RESET)
    # The owner's latest code still verifies (through the owner's cookie, which names the address).
    await verify(env, latest, email=None, browser=owner)
    assert await set_password(env, browser=owner) == "Password Changed"
    # And the owner could still ask for a new code from their own client.
    assert code  # the first code was replaced by the stranger's sends, which also went to the owner
    await request(env, ip="10.9.5.1")


async def test_a_strangers_signup_code_requests_leave_the_latest_code_usable(env: Env) -> None:
    from core.accounts.registration import SignUp

    body = {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    assert await env.registration.signup(SignUp(**body, client_ip="10.9.6.1")) is None  # type: ignore[arg-type]
    refused = 0
    for _ in range(30):
        try:
            await env.registration.signup(SignUp(**body, client_ip="10.66.6.1"))  # type: ignore[arg-type]
        except RateLimited:
            refused += 1
    assert refused
    code = env.last_code("new@example.org")
    result = await env.registration.signup(SignUp(**body, otp=code, client_ip="10.9.6.1"))  # type: ignore[arg-type]
    assert result is not None and result.user.email == "new@example.org"


# ----------------------------------------------------------------------- 8. unknown addresses cost a verify


async def test_unknown_and_passwordless_addresses_verify_a_dummy_hash(env: Env) -> None:
    hasher = CountingHasher()
    env.container.accounts.hasher.override(providers.Object(hasher))
    ada = await register(env, "ada@example.org")
    await corporate(env, ada)
    hasher.verified.clear()
    for email in ("nobody@example.org", "hello@acme.example", "ada@example.org"):
        with pytest.raises(InvalidInput) as err:
            await env.sessions.signin(email, "Wrong1pass")
        assert err.value.body == {"non_field_errors": ["Invalid Credentials"]}
    assert len(hasher.verified) == 3
    dummy = hasher.verified[0]
    assert dummy.startswith("$argon2") and hasher.verified[1] == dummy and hasher.verified[2] != dummy


# ------------------------------------------------------------------------ 11. sign-out ends the session


async def test_signout_ends_the_sessions_access_token_at_once(tmp_path: Path) -> None:
    env = custom_env(tmp_path, auth_cache_seconds=60)
    ada = await register(env, "ada@example.org")
    pair = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    assert await env.token_check.authenticate(pair.access) == ada  # now cached for 60 s
    await env.sessions.signout(ada, pair.refresh)
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(pair.access)


async def test_every_entry_starts_a_session(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    org = await corporate(env, ada)
    google = await env.google_accounts.google_signup(env.google.issue("g@example.org"), None)
    signin = await env.sessions.signin("ada@example.org", PASSWORD)
    switched = await env.sessions.switch_account(await caller_of(env, signin.tokens.access), org)
    rows = env.table("sessions")
    sids = set()
    for tokens in (google.tokens, signin.tokens, switched.tokens):
        claims = jwt.decode(tokens.access, TEST_SECRET, algorithms=["HS256"])
        assert claims["sid"] in rows and len(claims["sid"]) >= 32
        sids.add(claims["sid"])
    assert len(sids) == 3


async def test_tokens_without_a_session_are_refused(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    now = env.clock.now()
    legacy = jwt.encode({"token_type": "access", "exp": int(now.timestamp()) + 600, "iat": now.timestamp(),
                         "jti": "x" * 32, "user_id": ada}, TEST_SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(legacy)
    forged_sid = jwt.encode({"token_type": "access", "exp": int(now.timestamp()) + 600, "iat": now.timestamp(),
                             "jti": "x" * 32, "user_id": ada, "sid": "made-up"}, TEST_SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(forged_sid)


async def test_another_users_session_id_does_not_count(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    await register(env, "bob@example.org")
    bob = jwt.decode((await env.sessions.signin("bob@example.org", PASSWORD)).tokens.access, TEST_SECRET,
                     algorithms=["HS256"])
    now = env.clock.now()
    mixed = jwt.encode({"token_type": "access", "exp": int(now.timestamp()) + 600, "iat": now.timestamp(),
                        "jti": "y" * 32, "user_id": ada, "sid": bob["sid"]}, TEST_SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        await env.token_check.authenticate(mixed)



