"""Reading a profile page: the profile of a user as one viewer may see it, and the view it records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.accounts.model.cards import cards_for
from core.accounts.model.portfolio import Certification, Education, Experience
from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User, UserType
from core.accounts.profiles.budgets import ReadBudget
from core.accounts.profiles.policies import (
    email_seen_by,
    is_live,
    may_follow,
    may_message,
    profile_seen_by,
    view_is_counted,
)
from core.shared.errors import NotFound
from ports.profiles import ProfileSheet, ProfileSheets, ProfilesUnitOfWork, SocialGraph
from ports.system import Clock

__all__ = ("ComposedProfileSheets", "ProfilePage", "ProfilePageService")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfilePage:
    """A profile as one viewer may see it: privacy applied, flags computed."""

    user: User
    profile: Profile
    email: str | None
    experiences: list[Experience] = field(default_factory=list)
    educations: list[Education] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    followers: int = 0
    followings: int = 0
    members: list[MiniUser] = field(default_factory=list)
    rating: int = 0
    can_message: bool = False
    can_follow: bool = False


class ComposedProfileSheets:
    """A sheet from the repositories and the social graph (several statements; the in-memory profile's reader and
    the reference the one-statement SQL reader is tested against)."""

    __slots__ = ("_reads", "_social")

    def __init__(self, *, reads: Callable[[], ProfilesUnitOfWork], social: SocialGraph) -> None:
        self._reads = reads
        self._social = social

    async def sheet(self, user_id: int, viewer_id: int) -> ProfileSheet | None:
        async with self._reads() as uow:
            user = await uow.users.get(user_id)
            profile = await uow.profiles.get(user_id) if user is not None else None
            if user is None or profile is None:
                return None
            if user.user_type is UserType.EMPLOYER:
                members = await _mini_users(uow, await uow.members.members_of(user_id))
                sheet = ProfileSheet(user=user, profile=profile, members=members)
            else:
                sheet = ProfileSheet(
                    user=user,
                    profile=profile,
                    experiences=await uow.experiences.list_for(user_id),
                    educations=await uow.educations.list_for(user_id),
                    certifications=await uow.certifications.list_for(user_id),
                )
        stats = await self._social.stats(user_id, viewer_id)
        return ProfileSheet(
            user=sheet.user,
            profile=sheet.profile,
            experiences=sheet.experiences,
            educations=sheet.educations,
            certifications=sheet.certifications,
            members=sheet.members,
            stats=stats,
        )


class ProfilePageService:
    """``GET /user/retrieve-profile/``: one's own profile or another user's, privacy applied.

    Statements: the sheet (one with the SQL reader), plus the view record when another user looks.
    """

    __slots__ = ("_clock", "_read_budget", "_sheets", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], ProfilesUnitOfWork],
        clock: Clock,
        social: SocialGraph,
        read_budget: ReadBudget,
        reads: Callable[[], ProfilesUnitOfWork] | None = None,
        sheets: ProfileSheets | None = None,
    ) -> None:
        self._uow = uow
        self._sheets = sheets or ComposedProfileSheets(reads=reads or uow, social=social)
        self._clock = clock
        self._read_budget = read_budget

    async def retrieve(self, viewer_id: int, user_id: int | None = None) -> ProfilePage:
        """The profile of ``user_id`` (the viewer's own when omitted) as the viewer may see it.

        A constant number of statements whatever the number of sub-records. A view by another user is counted
        once per viewer and day.
        """
        target = viewer_id if user_id is None else user_id
        await self._read_budget.spend(viewer_id, target)
        sheet = await self._sheets.sheet(target, viewer_id)
        if sheet is None or not is_live(sheet.user):
            raise NotFound("Invalid User Id")
        user, profile, stats = sheet.user, sheet.profile, sheet.stats
        if view_is_counted(viewer_id, target):
            # The only write of a profile read, in its own short transaction.
            async with self._uow() as uow:
                await uow.views.record(viewer_id, target, self._clock.now().date())
                await uow.commit()
        return ProfilePage(
            user=user,
            profile=profile_seen_by(viewer_id, user, profile),
            email=email_seen_by(viewer_id, user),
            experiences=sheet.experiences,
            educations=sheet.educations,
            certifications=sheet.certifications,
            followers=stats.followers,
            followings=stats.followings,
            members=sheet.members,
            can_message=may_message(viewer_id, target, stats),
            can_follow=may_follow(viewer_id, target, stats),
        )


async def _mini_users(uow: ProfilesUnitOfWork, user_ids: list[int]) -> list[MiniUser]:
    """Cards for ``user_ids`` in that order (two statements whatever the count)."""
    if not user_ids:
        return []
    users = {u.id: u for u in await uow.users.get_many(user_ids)}
    profiles = {p.user_id: p for p in await uow.profiles.get_many(user_ids)}
    return cards_for(user_ids, users, profiles)
