"""Corporate accounts, linked accounts, switching and organization members."""

from __future__ import annotations

import dataclasses

import pytest

from core.accounts.corporate import CorporateSignup
from core.accounts.model.users import UserType
from core.accounts.reset import ForgetPassword
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from core.shared.media import Upload
from tests.conftest import PASSWORD
from tests.samples import png_bytes
from tests.unit.accounts.conftest import Env, caller_of, register, signed_in

pytestmark = pytest.mark.anyio

ACME = CorporateSignup(
    company_name="Acme Ltd",
    company_email="hello@acme.example",
    company_type="private",
    company_size="1-10",
    industry="technology",
    website="https://acme.example",
    location="Lagos",
    tagline="We make things.",
)


def acme(**changes: object) -> CorporateSignup:
    return dataclasses.replace(ACME, **changes)  # type: ignore[arg-type]


async def corporate(env: Env, owner: int, email: str = "hello@acme.example", *, confirm: bool = True) -> int:
    """A corporate account of ``owner``; its company address confirmed with the mailed code unless told not to."""
    user, _ = await env.corporate_accounts.create_corporate(owner, acme(company_email=email))
    if confirm:
        code = env.last_code(email, "Confirm your company e-mail")
        outcome = await env.corporate_accounts.verify_corporate_email(owner, user.id, code)
        assert (outcome.status, outcome.email) == ("Verified", email)
    return user.id


async def test_create_corporate_account(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    user, profile = await env.corporate_accounts.create_corporate(owner, acme(company_email="Hello@Acme.example"))
    assert user.user_type is UserType.EMPLOYER and user.industry == "technology"
    # The company address is only claimed: a code goes to it, the account holds a placeholder meanwhile.
    assert user.email.endswith("@corporate.invalid") and not user.has_usable_password and not user.email_verified
    [mail] = env.mails_to("hello@acme.example", "Confirm your company e-mail")
    assert "Acme Ltd" in mail.text
    assert (profile.company_name, profile.company_type, profile.company_size) == ("Acme Ltd", "private", "1-10")
    assert (profile.website, profile.location, profile.tagline, profile.logo) == (
        "https://acme.example", "Lagos", "We make things.", None)
    cards = await env.corporate_accounts.linked_accounts(owner)
    assert [(c.id, c.name, c.extras, c.user_type) for c in cards] == [
        (user.id, "Acme Ltd", "We make things.", UserType.EMPLOYER)]
    # The corporate account sees its creator too (links work both ways).
    assert [c.id for c in await env.corporate_accounts.linked_accounts(user.id)] == [owner]


async def test_corporate_account_with_a_png_logo(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    logo = Upload(filename="logo.PNG", data=png_bytes(), declared_type="image/png")
    _, profile = await env.corporate_accounts.create_corporate(owner, acme(logo=logo))
    objects = env.container.platform.storage().objects
    [(key, (data, content_type))] = objects.items()
    assert key.startswith("profile_photo/company_logo/") and key.endswith(".png")
    assert data == png_bytes() and content_type == "image/png"
    assert profile.logo is not None and profile.logo.endswith(key)


async def test_forged_logo_is_refused_and_nothing_is_stored(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    logo = Upload(filename="logo.png", data=b"definitely not a png", declared_type="image/png")
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.create_corporate(owner, acme(logo=logo))
    assert list(err.value.body) == ["logo"]
    assert env.container.platform.storage().objects == {}
    assert await env.corporate_accounts.linked_accounts(owner) == []


async def test_logo_is_removed_when_the_account_cannot_be_created(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    await register(env, "taken@example.org")
    logo = Upload(filename="logo.png", data=png_bytes(), declared_type="image/png")
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.create_corporate(owner, acme(company_email="taken@example.org", logo=logo))
    assert err.value.body == {"company_email": ["An account with this email already exists."]}
    assert env.container.platform.storage().objects == {}


@pytest.mark.parametrize(("change", "field"), [
    ({"company_type": "cartel"}, "company_type"),
    ({"company_size": "9000"}, "company_size"),
    ({"industry": "piracy"}, "industry"),
    ({"company_email": "not-an-email"}, "company_email"),
])
async def test_corporate_validation(env: Env, change: dict[str, str], field: str) -> None:
    owner = await register(env, "ada@example.org")
    with pytest.raises(InvalidInput) as err:
        await env.corporate_accounts.create_corporate(owner, acme(**change))
    assert list(err.value.body) == [field]


async def test_corporate_accounts_cannot_sign_in_directly(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    await corporate(env, owner)
    with pytest.raises(InvalidInput):
        await env.sessions.signin("hello@acme.example", "")
    # Nor get a password through forget-password, nor sign in with Google: switch-account only.
    with pytest.raises(InvalidInput):
        await env.password_reset.forget_password(ForgetPassword(email="hello@acme.example"))
    assert env.mails_to("hello@acme.example", "Password Reset Request") == []
    with pytest.raises(InvalidInput):
        await env.google_accounts.google_signin(env.google.issue("hello@acme.example"))


async def test_switch_account(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    org = await corporate(env, owner)
    result = await env.sessions.switch_account(await signed_in(env, "ada@example.org"), org)
    assert result.user.id == org and result.user.user_type is UserType.EMPLOYER
    assert await env.token_check.authenticate(result.tokens.access) == org
    back = await env.sessions.switch_account(await caller_of(env, result.tokens.access), owner)
    assert back.user.id == owner


async def test_switch_account_refusals(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    mallory = await register(env, "mallory@example.org")
    org = await corporate(env, owner)
    with pytest.raises(InvalidInput) as err:
        await env.sessions.switch_account(await signed_in(env, "ada@example.org"), owner)
    assert err.value.body == {"account": ["You are currently logged in as this user."]}
    as_mallory = await signed_in(env, "mallory@example.org")
    assert as_mallory.user_id == mallory
    for target in (org, owner, 10**12):
        with pytest.raises(InvalidInput) as err:
            await env.sessions.switch_account(as_mallory, target)
        assert err.value.body == {"account": ["This account is not linked to your profile."]}


async def test_members_added_by_the_organization_and_by_its_creator(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    carol = await register(env, "carol@example.org", industry="health")
    org = await corporate(env, owner)

    card = await env.organizations.add_member(org, carol)
    assert card.id == carol and card.user_type is UserType.MENTOR
    await env.organizations.add_member(owner, bob, organization_id=org)
    assert [c.id for c in await env.organizations.list_members(org)] == [carol, bob]
    assert [c.id for c in await env.organizations.list_members(owner, org)] == [carol, bob]
    _, _, members = await env.organizations.organization_profile(org)
    assert [m.id for m in members] == [carol, bob]

    await env.organizations.remove_member(org, carol)
    assert [c.id for c in await env.organizations.list_members(org)] == [bob]
    await env.organizations.remove_member(owner, bob, organization_id=org)
    assert await env.organizations.list_members(org) == []


async def test_member_rules(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    org = await corporate(env, owner)
    other_org = await corporate(env, owner, "other@acme.example")
    with pytest.raises(InvalidInput) as err:
        await env.organizations.add_member(org, other_org)
    assert err.value.body == {"member": ["Another employer cannot be a member of an organization."]}
    with pytest.raises(InvalidInput) as err:
        await env.organizations.add_member(org, org)
    assert list(err.value.body) == ["member"]
    await env.organizations.add_member(org, bob)
    with pytest.raises(InvalidInput) as err:
        await env.organizations.add_member(org, bob)
    assert err.value.body == {"member": ["This user is already a member."]}
    with pytest.raises(InvalidInput) as err:
        await env.organizations.add_member(org, 999_999)
    assert err.value.body == {"member": ['Invalid pk "999999" - object does not exist.']}
    with pytest.raises(NotFound):
        await env.organizations.remove_member(org, 999_999)
    with pytest.raises(InvalidInput) as err:
        await env.organizations.remove_member(org, owner)
    assert err.value.body == {"error": "This user is not a member."}


async def test_only_the_organization_or_its_creator_manages_members(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    mallory = await register(env, "mallory@example.org")
    org = await corporate(env, owner)
    mallory_org = await corporate(env, mallory, "evil@corp.example")
    await env.organizations.add_member(org, bob)

    # A learner without an organization.
    with pytest.raises(PermissionDenied):
        await env.organizations.add_member(bob, owner)
    with pytest.raises(PermissionDenied):
        await env.organizations.list_members(bob)
    # Someone else's organization, named explicitly, by a user or by another organization.
    for actor in (mallory, mallory_org):
        with pytest.raises(PermissionDenied):
            await env.organizations.add_member(actor, mallory, organization_id=org)
        with pytest.raises(PermissionDenied):
            await env.organizations.remove_member(actor, bob, organization_id=org)
        with pytest.raises(PermissionDenied):
            await env.organizations.list_members(actor, org)
    # A member is not a manager: they may leave, not remove someone else.
    carol = await register(env, "carol@example.org")
    await env.organizations.add_member(org, carol)
    with pytest.raises(PermissionDenied):
        await env.organizations.remove_member(bob, carol, organization_id=org)
    await env.organizations.remove_member(org, carol)
    # Naming a non-organization or an unknown id.
    with pytest.raises(NotFound):
        await env.organizations.add_member(owner, bob, organization_id=mallory)
    with pytest.raises(NotFound):
        await env.organizations.list_members(owner, 10**12)
    assert [c.id for c in await env.organizations.list_members(org)] == [bob]


async def test_signin_after_switch_still_works_for_the_creator(env: Env) -> None:
    owner = await register(env, "ada@example.org")
    await corporate(env, owner)
    assert (await env.sessions.signin("ada@example.org", PASSWORD)).user.id == owner
