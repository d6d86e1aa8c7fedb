"""Who may do what with accounts: the permission rules several accounts use cases apply, each named once
(tests: ``tests/unit/accounts/test_policies.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeGuard

from core.accounts.model.sessions import LoginSession
from core.accounts.model.users import User, UserType
from core.shared.errors import NotFound, PermissionDenied
from ports.accounts import AccountsUnitOfWork

__all__ = (
    "CORPORATE_NO_SIGNIN",
    "acts_for",
    "managed_organization",
    "may_join_organization",
    "predates_reset",
    "require_staff",
    "session_is_live",
    "signs_in_directly",
)

CORPORATE_NO_SIGNIN = "Corporate accounts cannot sign in directly; switch to them from a linked account."


def signs_in_directly(user: User) -> bool:
    """Corporate (employer) accounts have no sign-in of their own (password, Google or reset): they are reached
    by switching from a linked account."""
    return user.user_type is not UserType.EMPLOYER


def predates_reset(issued_at: datetime, tokens_valid_after: datetime | None) -> bool:
    """A token issued before the account's last password reset is worth nothing, on this account and on any
    account it would switch to."""
    return tokens_valid_after is not None and issued_at < tokens_valid_after


def session_is_live(session: LoginSession | None, user_id: int) -> TypeGuard[LoginSession]:
    """The session exists, belongs to ``user_id`` and was not ended (signed out, replayed, reset)."""
    return session is not None and session.user_id == user_id and session.revoked_at is None


def require_staff(actor: User) -> None:
    """Staff-only actions (acting on another person's account)."""
    if not actor.is_staff:
        raise PermissionDenied("You do not have permission to perform this action.")


def acts_for(actor_id: int, account_id: int, creator_id: int | None) -> bool:
    """The owner-or-creator rule: an account is acted for by itself or by the account that created it."""
    return actor_id == account_id or (creator_id is not None and creator_id == actor_id)


def may_join_organization(user: User) -> bool:
    """People join organizations; another employer cannot be a member of one."""
    return user.user_type is not UserType.EMPLOYER


async def managed_organization(uow: AccountsUnitOfWork, actor_id: int, organization_id: int | None) -> int:
    """The organization ``actor_id`` may manage (its members, its company address): itself when it is one
    (``organization_id`` omitted or its own), else ``organization_id`` when the actor created it.

    ``NotFound`` for an unknown actor or a target that is not an organization; ``PermissionDenied`` for a
    person acting as an organization, or for anyone but the organization's creator."""
    actor = await uow.users.get(actor_id)
    if actor is None:
        raise NotFound("User not found.")
    if organization_id is None or organization_id == actor_id:
        if actor.user_type is not UserType.EMPLOYER:
            raise PermissionDenied("This request is only available to employers.")
        return actor_id
    organization = await uow.users.get(organization_id)
    if organization is None or organization.user_type is not UserType.EMPLOYER:
        raise NotFound("Invalid organization.")
    if not acts_for(actor_id, organization_id, await uow.links.main_of(organization_id)):
        raise PermissionDenied("Only the organization or its creator can manage its members.")
    return organization_id
