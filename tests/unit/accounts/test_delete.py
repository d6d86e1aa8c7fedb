"""Deleting accounts: only oneself (staff: anyone), cascading to everything the user owns."""

from __future__ import annotations

import pytest

from core.accounts.corporate import CorporateSignup
from core.accounts.model.events import AccountDeleted
from core.shared.errors import InvalidInput, NotFound, PermissionDenied, Unauthenticated
from tests.conftest import PASSWORD
from tests.unit.accounts.conftest import Env, register

pytestmark = pytest.mark.anyio


def acme(email: str) -> CorporateSignup:
    return CorporateSignup(company_name="Acme", company_email=email, company_type="private", company_size="1-10",
                           industry="technology", website="https://acme.example", location="Lagos", tagline="Things")


def rows(env: Env, table: str) -> list[object]:
    return list(env.table(table).values())


async def test_delete_self_cascades(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    org, _ = await env.corporate_accounts.create_corporate(bob, acme("org@acme.example"))
    await env.organizations.add_member(org.id, ada)
    tokens = (await env.sessions.signin("ada@example.org", PASSWORD)).tokens
    await env.sessions.signout(ada, tokens.refresh)
    assert any(r.user_id == ada for r in rows(env, "revoked_tokens"))  # type: ignore[attr-defined]

    await env.account_deletion.delete_user(ada)

    assert ada not in env.table("users") and ada not in env.table("profiles")
    assert not any(r.user_id == ada for r in rows(env, "revoked_tokens"))  # type: ignore[attr-defined]
    assert not any(r.member_id == ada for r in rows(env, "organization_members"))  # type: ignore[attr-defined]
    assert await env.organizations.list_members(org.id) == []
    with pytest.raises(NotFound):
        await env.accounts_admin.get_user(ada)
    with pytest.raises(Unauthenticated):
        await env.sessions.refresh(tokens.refresh)
    with pytest.raises(InvalidInput):
        await env.sessions.signin("ada@example.org", PASSWORD)
    bus = env.container.platform.event_bus()
    assert bus.published is not None and AccountDeleted(user_id=ada) in bus.published
    # Others are untouched; the address is free again.
    assert (await env.accounts_admin.get_user(bob)).email == "bob@example.org"
    assert await register(env, "ada@example.org") != ada


async def test_deleting_a_creator_deletes_the_corporate_accounts_it_created(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    org, _ = await env.corporate_accounts.create_corporate(ada, acme("org@acme.example"))
    await env.organizations.add_member(org.id, bob)

    await env.account_deletion.delete_user(ada)

    assert org.id not in env.table("users") and org.id not in env.table("profiles")
    assert rows(env, "linked_accounts") == [] and rows(env, "organization_members") == []
    # The company address is free for its real owner.
    await env.corporate_accounts.create_corporate(bob, acme("org@acme.example"))


async def test_deleting_an_organization_keeps_its_creator_and_members(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    org, _ = await env.corporate_accounts.create_corporate(ada, acme("org@acme.example"))
    await env.organizations.add_member(org.id, bob)
    await env.account_deletion.delete_user(org.id)
    assert org.id not in env.table("users")
    assert {ada, bob} <= set(env.table("users"))
    assert await env.corporate_accounts.linked_accounts(ada) == []


async def test_own_email_is_allowed(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    await env.account_deletion.delete_user(ada, " ADA@example.org")
    assert ada not in env.table("users")


async def test_non_staff_cannot_delete_someone_else(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    bob = await register(env, "bob@example.org")
    for email in ("bob@example.org", "nobody@example.org"):
        with pytest.raises(PermissionDenied):
            await env.account_deletion.delete_user(ada, email)
    assert {ada, bob} <= set(env.table("users"))


async def test_staff_may_delete_anyone(env: Env) -> None:
    admin = await env.accounts_admin.create_admin("admin@example.org", "Adm1nPass")
    bob = await register(env, "bob@example.org")
    await env.account_deletion.delete_user(admin.id, "bob@example.org")
    assert bob not in env.table("users") and admin.id in env.table("users")
    with pytest.raises(InvalidInput) as err:
        await env.account_deletion.delete_user(admin.id, "nobody@example.org")
    assert err.value.body == {"email": ["Unregistered User"]}
    with pytest.raises(InvalidInput) as err:
        await env.account_deletion.delete_user(admin.id, "not an email")
    assert list(err.value.body) == ["email"]


async def test_deleting_twice(env: Env) -> None:
    ada = await register(env, "ada@example.org")
    await env.account_deletion.delete_user(ada)
    with pytest.raises(NotFound):
        await env.account_deletion.delete_user(ada)
