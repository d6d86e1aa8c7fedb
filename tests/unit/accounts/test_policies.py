"""The accounts permission rules, each tested once here (the services call these, never a copy)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.db.accounts import InMemoryAccountsUnitOfWork
from adapters.db.memory import InMemoryStore
from core.accounts.model.sessions import LoginSession
from core.accounts.model.users import User, UserType
from core.accounts.policies import (
    acts_for,
    managed_organization,
    may_join_organization,
    predates_reset,
    require_staff,
    session_is_live,
    signs_in_directly,
)
from core.shared.errors import NotFound, PermissionDenied

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def user(user_type: UserType = UserType.LEARNER, *, staff: bool = False) -> User:
    return User(email="x@example.org", user_type=user_type, is_staff=staff, date_joined=T0)


def test_only_people_sign_in_directly() -> None:
    assert signs_in_directly(user(UserType.LEARNER))
    assert signs_in_directly(user(UserType.MENTOR))
    assert not signs_in_directly(user(UserType.EMPLOYER))


def test_a_token_from_before_the_last_reset_is_void() -> None:
    assert not predates_reset(T0, None)  # never reset
    assert predates_reset(T0, T0 + timedelta(seconds=1))
    assert not predates_reset(T0, T0)  # issued at the reset instant: after it
    assert not predates_reset(T0 + timedelta(seconds=1), T0)


def test_a_session_is_live_while_it_is_the_users_and_not_ended() -> None:
    live = LoginSession(id="s", user_id=1, created_at=T0)
    assert session_is_live(live, 1)
    assert not session_is_live(None, 1)
    assert not session_is_live(live, 2)  # someone else's session
    assert not session_is_live(LoginSession(id="s", user_id=1, created_at=T0, revoked_at=T0), 1)


def test_staff_only_actions() -> None:
    require_staff(user(staff=True))
    with pytest.raises(PermissionDenied) as err:
        require_staff(user())
    assert err.value.message == "You do not have permission to perform this action."


def test_an_account_is_acted_for_by_itself_or_its_creator() -> None:
    assert acts_for(5, 5, None)
    assert acts_for(1, 5, 1)
    assert not acts_for(2, 5, 1)
    assert not acts_for(2, 5, None)


def test_employers_cannot_join_an_organization() -> None:
    assert may_join_organization(user(UserType.LEARNER))
    assert may_join_organization(user(UserType.MENTOR))
    assert not may_join_organization(user(UserType.EMPLOYER))


@pytest.mark.anyio
async def test_an_organization_is_managed_by_itself_or_its_creator() -> None:
    store = InMemoryStore()
    async with InMemoryAccountsUnitOfWork(store) as uow:
        ada = await uow.users.add(User(email="ada@example.org", date_joined=T0))
        bob = await uow.users.add(User(email="bob@example.org", date_joined=T0))
        acme = await uow.users.add(User(email="acme@example.org", user_type=UserType.EMPLOYER, date_joined=T0))
        await uow.links.link(ada.id, acme.id)
        await uow.commit()

    async with InMemoryAccountsUnitOfWork(store) as uow:
        # The organization itself (named or not) and its creator.
        assert await managed_organization(uow, acme.id, None) == acme.id
        assert await managed_organization(uow, acme.id, acme.id) == acme.id
        assert await managed_organization(uow, ada.id, acme.id) == acme.id
        # Anyone else: refused, and a person cannot act as an organization.
        with pytest.raises(PermissionDenied) as denied:
            await managed_organization(uow, bob.id, acme.id)
        assert denied.value.message == "Only the organization or its creator can manage its members."
        with pytest.raises(PermissionDenied) as person:
            await managed_organization(uow, ada.id, None)
        assert person.value.message == "This request is only available to employers."
        # Targets that are not organizations, and unknown actors.
        for target in (bob.id, 999_999):
            with pytest.raises(NotFound) as missing:
                await managed_organization(uow, ada.id, target)
            assert missing.value.message == "Invalid organization."
        with pytest.raises(NotFound):
            await managed_organization(uow, 999_999, acme.id)
