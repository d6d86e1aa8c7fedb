"""What a profile adds up to: analytics (posts, views, connections), completion, and the user search."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.accounts.model.portfolio import SearchHit
from core.accounts.model.users import UserType
from core.accounts.profiles.budgets import ReadBudget
from core.accounts.profiles.common import live_user_and_profile
from core.accounts.profiles.policies import is_live, may_read_analytics
from core.shared.errors import InvalidInput, NotFound
from core.shared.pagination import Page, PageRequest
from ports.profiles import ProfilesUnitOfWork, SocialGraph, UserSearch

__all__ = ("SEARCH_PAGE_SIZE", "Analytics", "Completion", "ProfileInsightsService")

SEARCH_PAGE_SIZE = 4
MAX_SEARCH_WORDS = 8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    completion: int
    incomplete_items: list[str]
    complete_items: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Analytics:
    total_posts: int
    total_views: int
    total_connections: int


class ProfileInsightsService:
    """``/user/analytics/``, ``/user/completion/`` and ``/user/search/``."""

    __slots__ = ("_read_budget", "_reads", "_search", "_social")

    def __init__(
        self,
        *,
        reads: Callable[[], ProfilesUnitOfWork],
        social: SocialGraph,
        search: UserSearch,
        read_budget: ReadBudget,
    ) -> None:
        self._reads = reads
        self._social = social
        self._search = search
        self._read_budget = read_budget

    async def analytics(self, viewer_id: int, user_id: int | None = None) -> Analytics | None:
        """The user's numbers; ``None`` when another user's analytics are private (``show_activity`` off)."""
        target = viewer_id if user_id is None else user_id
        await self._read_budget.spend(viewer_id, target)
        async with self._reads() as uow:
            user = await uow.users.get(target)
            if not is_live(user):
                if target == viewer_id:
                    raise NotFound("User not found.")
                raise InvalidInput.error("Invalid User ID")
            if not may_read_analytics(viewer_id, user):
                return None
            views = await uow.views.count_for(target)
        return Analytics(
            total_posts=await self._social.posts_count(target),
            total_views=views,
            total_connections=await self._social.confirmed_connections(target),
        )

    async def completion(self, actor_id: int) -> Completion:
        async with self._reads() as uow:
            user, profile = await live_user_and_profile(uow, actor_id, "User not found.")
            if user.user_type is UserType.EMPLOYER:
                has_members = bool(await uow.members.members_of(actor_id))
                items = [
                    ("logo", 25, profile.logo is not None),
                    ("tagline", 25, bool(profile.tagline)),
                    ("website", 25, bool(profile.website)),
                    ("members", 25, has_members),
                ]
            else:
                items = [
                    ("profile_photo", 15, profile.profile_photo is not None),
                    ("intro_video", 15, bool(profile.intro_video)),
                    ("experience", 20, bool(await uow.experiences.list_for(actor_id))),
                    ("certification", 15, bool(await uow.certifications.list_for(actor_id))),
                    ("bio", 15, bool(profile.bio.strip())),
                    ("education", 20, bool(await uow.educations.list_for(actor_id))),
                ]
        return Completion(
            completion=sum(weight for _, weight, done in items if done),
            incomplete_items=[name for name, _, done in items if not done],
            complete_items=[name for name, _, done in items if done],
        )

    async def search(self, keyword: str | None, page: int | PageRequest = 1) -> Page[SearchHit]:
        if keyword is None or not keyword.strip():
            raise InvalidInput.error("No keyword query param is provided")
        request = page if isinstance(page, PageRequest) else PageRequest(page, SEARCH_PAGE_SIZE)
        words = [w[:50] for w in _WORD.findall(keyword.lower())][:MAX_SEARCH_WORDS]
        if not words:
            return Page(items=[], total=0, request=request).check_in_range()
        return (await self._search.search(words, request)).check_in_range()
