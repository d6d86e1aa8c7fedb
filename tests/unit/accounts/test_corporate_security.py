"""Issue 16 items 4, 13, 14 on the memory profile: corporate claims, invisible characters in addresses, members
leaving, deleting the whole tree of corporate accounts a user created."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from core.accounts.corporate import CorporateSignup
from core.accounts.model.events import AccountDeleted
from core.accounts.model.users import normalize_email
from core.accounts.reset import ForgetPassword
from core.shared.errors import InvalidInput, PermissionDenied
from core.shared.media import Upload
from tests.samples import png_bytes
from tests.unit.accounts.conftest import Env, register

pytestmark = pytest.mark.anyio
CONFIRM = "Confirm your company e-mail"


def acme(email: str, name: str = "Acme", logo: bool = False) -> CorporateSignup:
    upload = Upload(filename="logo.png", data=png_bytes(), declared_type="image/png") if logo else None
    return CorporateSignup(company_name=name, company_email=email, company_type="private", company_size="1-10",
                           industry="technology", website="https://acme.example", location="Lagos", tagline="t",
                           logo=upload)


# ------------------------------------------------------------------------------- invisible characters

FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]


def test_every_format_character_is_refused_in_an_address() -> None:
    assert {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"} <= set(FORMAT_CHARACTERS)
    for char in [*FORMAT_CHARACTERS, "\u034f", "\u3164", "\ufe0f", "\x7f"]:
        for raw in (f"ada{char}@example.org", f"ada@exa{char}mple.org", f"{char}ada@example.org"):
            with pytest.raises(InvalidInput) as err:
                normalize_email(raw, field_name="company_email")
            assert list(err.value.body) == ["company_email"], repr(raw)
    # Ordinary differences still normalise to one address.
    assert normalize_email("  ADA@Example.ORG ") == "ada@example.org"
    assert normalize_email("ａｄａ@example.org") == "ada@example.org"  # full-width, NFKC


async def test_services_refuse_invisible_addresses(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.password_reset.forget_password(ForgetPassword(email="ada\u200b@example.org"))
    assert list(err.value.body) == ["email"]
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.create_corporate(ada, acme("hr\u00ad@acme.example"))
    assert list(err.value.body) == ["company_email"]
    with pytest.raises(InvalidInput) as err:
        await env.account_deletion.delete_user(ada, "ada\ufeff@example.org")
    assert list(err.value.body) == ["email"]
    with pytest.raises(InvalidInput) as err:
        await env.sessions.signin("ada\u200d@example.org", "Password1")
    assert list(err.value.body) == ["email"]
    assert ada in env.table("users")


# ------------------------------------------------------------------------------------ corporate claims


async def test_a_claim_reserves_nothing_until_confirmed(env: Env) -> None:
    mallory = await register(env, "mallory@example.org")
    org, _ = await env.corporate_accounts.create_corporate(mallory, acme("victor@example.org"))
    assert org.email.endswith("@corporate.invalid") and not org.email_verified
    squatter_code = env.last_code("victor@example.org", CONFIRM)
    # Victor signs up: his proof lapses the claim.
    victor = await register(env, "victor@example.org")
    assert env.table("corporate_claims") == {}
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.verify_corporate_email(mallory, org.id, squatter_code)
    assert err.value.body == {"company_email": ["An account with this email already exists."]}
    assert (await env.accounts_admin.get_user(victor)).email == "victor@example.org"
    outcome = await env.password_reset.forget_password(ForgetPassword(email="victor@example.org"))
    assert outcome.status.startswith("Reset")


async def test_google_sign_up_lapses_a_claim_too(env: Env) -> None:
    mallory = await register(env, "mallory@example.org")
    await env.corporate_accounts.create_corporate(mallory, acme("victor@example.org"))
    result = await env.google_accounts.google_signup(env.google.issue("victor@example.org", name="Victor V"), None)
    assert result.user.email == "victor@example.org" and env.table("corporate_claims") == {}


async def test_confirming_moves_the_address_to_the_account(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    mallory = await register(env, "mallory@example.org")
    org, _ = await env.corporate_accounts.create_corporate(ada, acme("hr@acme.example"))
    code = env.last_code("hr@acme.example", CONFIRM)
    with pytest.raises(PermissionDenied):
        await env.corporate_accounts.verify_corporate_email(mallory, org.id, code)
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.verify_corporate_email(ada, org.id, "12345x")
    assert err.value.body == {"OTP Error": "Invalid OTP"}
    # The corporate account itself may confirm.
    outcome = await env.corporate_accounts.verify_corporate_email(org.id, None, code)
    assert (outcome.status, outcome.email) == ("Verified", "hr@acme.example")
    user = await env.accounts_admin.get_user(org.id)
    assert (user.email, user.email_verified) == ("hr@acme.example", True)
    assert env.table("corporate_claims") == {}
    with pytest.raises(InvalidInput) as err:
        await register(env, "hr@acme.example")
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.verify_corporate_email(ada, org.id)
    assert err.value.body == {"error": "The company e-mail is already verified."}


async def test_codes_expire_and_five_wrong_codes_void_them(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    org, _ = await env.corporate_accounts.create_corporate(ada, acme("hr@acme.example"))
    code = env.last_code("hr@acme.example", CONFIRM)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(InvalidInput):
            await env.corporate_accounts.verify_corporate_email(ada, org.id, wrong)
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.verify_corporate_email(ada, org.id, code)
    assert err.value.body == {"OTP Error": "Expired OTP"}
    # A new code works; after 24 hours it expires.
    sent = await env.corporate_accounts.verify_corporate_email(ada, org.id)
    assert (sent.status, sent.email) == ("Otp sent", "hr@acme.example")
    env.clock.advance(seconds=86_400)
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.verify_corporate_email(ada, org.id, env.last_code("hr@acme.example", CONFIRM))
    assert err.value.body == {"OTP Error": "Expired OTP"}
    await env.corporate_accounts.verify_corporate_email(ada, org.id)
    done = await env.corporate_accounts.verify_corporate_email(ada, org.id, env.last_code("hr@acme.example", CONFIRM))
    assert done.status == "Verified"


async def test_a_code_belongs_to_its_claim(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    first, _ = await env.corporate_accounts.create_corporate(ada, acme("hr@acme.example", "First"))
    second, _ = await env.corporate_accounts.create_corporate(ada, acme("jobs@acme.example", "Second"))
    with pytest.raises(InvalidInput):
        await env.corporate_accounts.verify_corporate_email(ada, second.id, env.last_code("hr@acme.example", CONFIRM))
    await env.corporate_accounts.verify_corporate_email(ada, first.id, env.last_code("hr@acme.example", CONFIRM))


# ------------------------------------------------------------------------------------ leaving


async def test_members_are_told_and_leave(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    org, _ = await env.corporate_accounts.create_corporate(ada, acme("hr@acme.example", "Acme Org"))
    other, _ = await env.corporate_accounts.create_corporate(ada, acme("jobs@acme.example", "Other Org"))
    await env.organizations.add_member(org.id, bob)
    [mail] = env.mails_to("bob@example.org", "You were added to an organization")
    assert "Acme Org" in mail.text and "Acme Org" in (mail.html or "")
    await env.organizations.add_member(ada, bob, organization_id=other.id)
    with pytest.raises(InvalidInput) as err:
        await env.organizations.remove_member(bob, bob)
    assert list(err.value.body) == ["organization"]
    await env.organizations.remove_member(bob, bob, organization_id=other.id)
    assert [c.id for c in await env.organizations.list_members(org.id)] == [bob]
    await env.organizations.remove_member(bob, bob)
    assert await env.organizations.list_members(org.id) == []
    with pytest.raises(InvalidInput) as err:
        await env.organizations.remove_member(bob, bob)
    assert err.value.body == {"error": "This user is not a member."}
    with pytest.raises(PermissionDenied):
        await env.organizations.remove_member(bob, bob, organization_id=org.id)


# ------------------------------------------------------------------------------------ deletion tree


async def test_deleting_a_user_deletes_its_whole_corporate_tree(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    first, _ = await env.corporate_accounts.create_corporate(ada, acme("first@acme.example", logo=True))
    second, _ = await env.corporate_accounts.create_corporate(first.id, acme("second@acme.example", logo=True))
    third, _ = await env.corporate_accounts.create_corporate(second.id, acme("third@acme.example", logo=True))
    sibling, _ = await env.corporate_accounts.create_corporate(first.id, acme("sibling@acme.example"))
    bobs, _ = await env.corporate_accounts.create_corporate(bob, acme("bobs@acme.example", logo=True))
    await env.organizations.add_member(third.id, bob)
    assert len(env.container.platform.storage().objects) == 4

    await env.account_deletion.delete_user(ada)

    gone = {ada, first.id, second.id, third.id, sibling.id}
    assert not gone & set(env.table("users")) and not gone & set(env.table("profiles"))
    assert {bob, bobs.id} <= set(env.table("users"))
    assert [c.id for c in await env.corporate_accounts.linked_accounts(bob)] == [bobs.id]
    assert env.table("organization_members") == {}
    assert [c.user_id for c in env.table("corporate_claims").values()] == [bobs.id]  # type: ignore[attr-defined]
    bus = env.container.platform.event_bus()
    assert bus.published is not None
    assert {e.user_id for e in bus.published if isinstance(e, AccountDeleted)} == gone
    # Only Bob's corporate logo is left in storage.
    [key] = env.container.platform.storage().objects
    profile = env.table("profiles")[bobs.id]
    assert profile.logo.endswith(key)  # type: ignore[attr-defined]


async def test_deleting_a_middle_corporate_account_takes_its_subtree_only(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    first, _ = await env.corporate_accounts.create_corporate(ada, acme("first@acme.example"))
    second, _ = await env.corporate_accounts.create_corporate(first.id, acme("second@acme.example"))
    third, _ = await env.corporate_accounts.create_corporate(second.id, acme("third@acme.example"))
    await env.account_deletion.delete_user(second.id)
    assert {ada, first.id} <= set(env.table("users"))
    assert not {second.id, third.id} & set(env.table("users"))
