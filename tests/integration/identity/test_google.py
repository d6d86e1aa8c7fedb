"""GoogleOAuthIdentity against the local fake Google (real HTTP, real RS256 tokens)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator

import pytest

from adapters.identity.google import GoogleOAuthIdentity
from ports.accounts import ExternalIdentity, IdentityError
from tests.fakes.google import FakeGoogle, Signing, running_fake_google

pytestmark = [pytest.mark.anyio, pytest.mark.integration]

CLIENT_ID = "client-123.apps.googleusercontent.com"
SECRET = "s3cret"
SIGNIN = "https://app.example/auth/google/signin"
SIGNUP = "https://app.example/auth/google/signup"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with running_fake_google(CLIENT_ID, SECRET) as fake:
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def identity(google: FakeGoogle, clock: FakeClock) -> AsyncIterator[GoogleOAuthIdentity]:
    adapter = GoogleOAuthIdentity(
        CLIENT_ID, SECRET, SIGNIN, SIGNUP, token_url=google.token_url, jwks_url=google.jwks_url, clock=clock
    )
    yield adapter
    await adapter.aclose()


async def test_valid_code_gives_the_identity(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    code = google.issue_code("ada@example.org", name="Ada King Lovelace")

    who = await identity.identify(code, flow="signin")

    assert who == ExternalIdentity(email="ada@example.org", email_verified=True, name="Ada King Lovelace")
    [form] = google.token_requests
    assert form == {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "redirect_uri": SIGNIN,
    }


async def test_signup_flow_uses_the_signup_redirect(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    await identity.identify(google.issue_code("bob@example.org"), flow="signup")

    assert google.token_requests[0]["redirect_uri"] == SIGNUP


async def test_missing_name_is_empty(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    code = google.issue_code("ada@example.org", extra_claims={"name": None})

    assert (await identity.identify(code, flow="signin")).name == ""


async def test_short_issuer_is_accepted(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    code = google.issue_code("ada@example.org", iss="accounts.google.com")

    assert (await identity.identify(code, flow="signin")).email == "ada@example.org"


async def test_unknown_flow_is_a_programming_error(identity: GoogleOAuthIdentity) -> None:
    with pytest.raises(ValueError):
        await identity.identify("x", flow="login")


# -- the exchange fails: "Failed to get ID token" -------------------------------------------------


async def test_unknown_code(identity: GoogleOAuthIdentity) -> None:
    with pytest.raises(IdentityError, match=r"^Failed to get ID token$"):
        await identity.identify("4/never-issued", flow="signin")


async def test_code_is_single_use(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    code = google.issue_code("ada@example.org")
    await identity.identify(code, flow="signin")

    with pytest.raises(IdentityError, match=r"^Failed to get ID token$"):
        await identity.identify(code, flow="signin")


async def test_no_id_token_in_the_answer(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    code = google.issue_code("ada@example.org", include_id_token=False)

    with pytest.raises(IdentityError, match=r"^Failed to get ID token$"):
        await identity.identify(code, flow="signin")


@pytest.mark.parametrize("reply", [(503, b'{"error":"unavailable"}'), (200, b"<html>oops</html>"), (200, b"[]")])
async def test_bad_token_endpoint_answer(
    google: FakeGoogle, identity: GoogleOAuthIdentity, reply: tuple[int, bytes]
) -> None:
    google.token_reply = reply

    with pytest.raises(IdentityError, match=r"^Failed to get ID token$"):
        await identity.identify(google.issue_code("ada@example.org"), flow="signin")


async def test_wrong_client_secret(google: FakeGoogle) -> None:
    adapter = GoogleOAuthIdentity(CLIENT_ID, "wrong", SIGNIN, SIGNUP, google.token_url, google.jwks_url)
    try:
        with pytest.raises(IdentityError, match=r"^Failed to get ID token$"):
            await adapter.identify(google.issue_code("ada@example.org"), flow="signin")
    finally:
        await adapter.aclose()


async def test_token_endpoint_unreachable(google: FakeGoogle) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/token"
    adapter = GoogleOAuthIdentity(CLIENT_ID, SECRET, SIGNIN, SIGNUP, dead, google.jwks_url, timeout=2)
    try:
        with pytest.raises(IdentityError, match=r"^Failed to get ID token$"):
            await adapter.identify("4/any", flow="signin")
    finally:
        await adapter.aclose()


# -- the id_token does not verify: "Invalid Token" ------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "signing"),
    [
        ({"aud": "someone-else.apps.googleusercontent.com"}, "valid"),
        ({"iss": "https://evil.example"}, "valid"),
        ({"expires_in": -3600}, "valid"),
        ({}, "other_key"),
        ({}, "none"),
        ({}, "hs256"),
        ({"extra_claims": {"email": None}}, "valid"),
        ({"extra_claims": {"exp": None}}, "valid"),
    ],
    ids=["wrong-audience", "wrong-issuer", "expired", "other-key", "alg-none", "alg-hs256", "no-email", "no-exp"],
)
async def test_invalid_token(
    google: FakeGoogle, identity: GoogleOAuthIdentity, kwargs: dict[str, object], signing: Signing
) -> None:
    code = google.issue_code("ada@example.org", signing=signing, **kwargs)  # type: ignore[arg-type]

    with pytest.raises(IdentityError, match=r"^Invalid Token$"):
        await identity.identify(code, flow="signin")


async def test_garbage_id_token(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    google.token_reply = (200, b'{"id_token": "not.a.jwt"}')

    with pytest.raises(IdentityError, match=r"^Invalid Token$"):
        await identity.identify("4/any", flow="signin")


# -- email_verified ----------------------------------------------------------------------------


@pytest.mark.parametrize("verified", [False, None], ids=["false", "missing"])
async def test_unverified_email(google: FakeGoogle, identity: GoogleOAuthIdentity, verified: bool | None) -> None:
    code = google.issue_code("ada@example.org", email_verified=verified)

    with pytest.raises(IdentityError, match=r"^Email not verified$"):
        await identity.identify(code, flow="signin")


# -- JWKS caching ------------------------------------------------------------------------------


async def test_jwks_fetched_once_across_identifies(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    await identity.identify(google.issue_code("ada@example.org"), flow="signin")
    await identity.identify(google.issue_code("bob@example.org"), flow="signup")

    assert google.jwks_requests == 1
    assert len(google.token_requests) == 2


async def test_unknown_kid_refetches_once(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    await identity.identify(google.issue_code("ada@example.org"), flow="signin")
    google.rotate_key()

    who = await identity.identify(google.issue_code("bob@example.org"), flow="signin")

    assert who.email == "bob@example.org"
    assert google.jwks_requests == 2


async def test_cache_expires_after_an_hour(google: FakeGoogle, identity: GoogleOAuthIdentity, clock: FakeClock) -> None:
    await identity.identify(google.issue_code("ada@example.org"), flow="signin")
    clock.now += 3599
    await identity.identify(google.issue_code("ada@example.org"), flow="signin")
    assert google.jwks_requests == 1

    clock.now += 2
    await identity.identify(google.issue_code("ada@example.org"), flow="signin")
    assert google.jwks_requests == 2


async def test_stale_keys_still_verify_when_jwks_is_down(
    google: FakeGoogle, identity: GoogleOAuthIdentity, clock: FakeClock
) -> None:
    await identity.identify(google.issue_code("ada@example.org"), flow="signin")
    google.jwks_reply = (503, b"down")
    clock.now += 7200

    assert (await identity.identify(google.issue_code("ada@example.org"), flow="signin")).email
    assert google.jwks_requests == 2  # it did try to refresh
    google.rotate_key()  # a key never seen cannot be trusted without the JWKS
    with pytest.raises(IdentityError, match=r"^Invalid Token$"):
        await identity.identify(google.issue_code("ada@example.org"), flow="signin")


async def test_jwks_down_on_first_use(google: FakeGoogle, identity: GoogleOAuthIdentity) -> None:
    google.jwks_reply = (200, b"not json")

    with pytest.raises(IdentityError, match=r"^Invalid Token$"):
        await identity.identify(google.issue_code("ada@example.org"), flow="signin")
