"""Organizations and their members: an organization's public page, and its member list, managed by the
organization or its creator (``policies.managed_organization``); a member may leave on their own."""

from __future__ import annotations

from collections.abc import Callable

from core.accounts.common import commit_and_publish, mini_users
from core.accounts.mails import member_added_mail
from core.accounts.model.events import MemberAdded
from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User, UserType
from core.accounts.policies import managed_organization, may_join_organization
from core.shared.errors import InvalidInput, NotFound
from ports.accounts import AccountsUnitOfWork
from ports.events import EventPublisher

__all__ = ("OrganizationsService",)


class OrganizationsService:
    __slots__ = ("_events", "_uow")

    def __init__(self, *, uow: Callable[[], AccountsUnitOfWork], events: EventPublisher) -> None:
        self._uow = uow
        self._events = events

    async def organization_profile(self, organization_id: int) -> tuple[User, Profile, list[MiniUser]]:
        async with self._uow() as uow:
            user = await uow.users.get(organization_id)
            profile = await uow.profiles.get(organization_id)
            if user is None or profile is None:
                raise NotFound("Invalid User Id")
            members = await mini_users(uow, await uow.members.members_of(organization_id))
        return user, profile, members

    async def add_member(self, actor_id: int, member_id: int, organization_id: int | None = None) -> MiniUser:
        async with self._uow() as uow:
            org_id = await managed_organization(uow, actor_id, organization_id)
            member = await uow.users.get(member_id)
            if member is None:
                raise InvalidInput.field("member", f'Invalid pk "{member_id}" - object does not exist.')
            if not may_join_organization(member):
                raise InvalidInput.field("member", "Another employer cannot be a member of an organization.")
            if not await uow.members.add(org_id, member_id):
                raise InvalidInput.field("member", "This user is already a member.")
            card = (await mini_users(uow, [member_id]))[0]
            organization = await uow.profiles.get(org_id)
            # Being listed on an organization's profile is news to the member: tell them, they can leave.
            uow.outbox.add(member_added_mail(member.email, (organization.company_name if organization else "") or ""))
            member.record(MemberAdded(organization_id=org_id, member_id=member_id))
            uow.track(member)
            uow.views_changed(actor_id, org_id, member_id)
            await commit_and_publish(uow, self._events)
        return card

    async def remove_member(self, actor_id: int, member_id: int, organization_id: int | None = None) -> None:
        """By the organization or its creator; or by the member themselves (``member_id`` is the caller), who
        leaves the organization named in ``organization`` — which may be omitted when they are in only one."""
        async with self._uow() as uow:
            if member_id == actor_id:
                joined = await uow.members.organizations_of(actor_id)
                leaving: int | None = None
                if organization_id is None:
                    if len(joined) > 1:
                        raise InvalidInput.field(
                            "organization", "You are a member of several organizations: name the one to leave."
                        )
                    leaving = joined[0] if joined else None
                    if leaving is None:
                        actor = await uow.users.get(actor_id)
                        if actor is not None and actor.user_type is not UserType.EMPLOYER:
                            raise InvalidInput.error("This user is not a member.")
                elif organization_id in joined:
                    leaving = organization_id
                if leaving is not None:
                    await uow.members.remove(leaving, actor_id)
                    uow.views_changed(actor_id, leaving)
                    await uow.commit()
                    return
            org_id = await managed_organization(uow, actor_id, organization_id)
            if await uow.users.get(member_id) is None:
                raise NotFound("Invalid member_id")
            if not await uow.members.remove(org_id, member_id):
                raise InvalidInput.error("This user is not a member.")
            uow.views_changed(actor_id, org_id, member_id)
            await uow.commit()

    async def list_members(self, actor_id: int, organization_id: int | None = None) -> list[MiniUser]:
        async with self._uow() as uow:
            org_id = await managed_organization(uow, actor_id, organization_id)
            return await mini_users(uow, await uow.members.members_of(org_id))
