"""Mentor discovery: search, recommendations (the caller's industry), saved mentors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.shared.errors import InvalidInput, NotFound
from core.shared.pagination import Page, PageRequest
from ports.choices import ChoiceCatalogue
from ports.mentorship import MentorCard, MentorFilters, MentorReads, MentorshipUnitOfWork
from ports.system import Clock

__all__ = ("EXPERIENCE_LEVELS", "RECOMMEND_PAGE_SIZE", "SEARCH_MAX", "DiscoveryService")

RECOMMEND_PAGE_SIZE = 4
SEARCH_MAX = 100
SAVED_MAX = 500
EXPERIENCE_LEVELS: dict[str, tuple[int, int]] = {
    "entry": (0, 2), "mid": (3, 5), "senior": (6, 10), "executive": (11, 50),
}


class DiscoveryService:
    __slots__ = ("_catalogue", "_clock", "_reads", "_uow")

    def __init__(self, *, uow: Callable[[], MentorshipUnitOfWork], reads: MentorReads, clock: Clock,
                 catalogue: ChoiceCatalogue) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock
        self._catalogue = catalogue

    async def search(self, viewer_id: int, *, text: str | None, experience_level: str | None,
                     skills: str | None, availability: str | None) -> list[MentorCard]:
        years = None
        if experience_level:
            years = EXPERIENCE_LEVELS.get(experience_level.strip().lower())
            if years is None:
                raise InvalidInput.field("experience_level", f'"{experience_level}" is not a valid choice.')
        if availability:
            choices = await self._catalogue.values("availability")
            if choices and availability not in choices:
                raise InvalidInput.field("availability", f'"{availability}" is not a valid choice.')
        filters = MentorFilters(text=(text or "").strip() or None, years=years, skill=(skills or "").strip() or None,
                                availability=availability or None)
        return await self._reads.search(viewer_id, filters, SEARCH_MAX)

    async def recommended(self, viewer_id: int, page: int) -> Page[MentorCard]:
        found = await self._reads.recommended(viewer_id, PageRequest(page, RECOMMEND_PAGE_SIZE))
        return found.check_in_range()

    async def save(self, viewer_id: int, mentor_id: int) -> MentorCard:
        now: datetime = self._clock.now()
        if mentor_id == viewer_id:
            raise InvalidInput.field("mentor", "Cannot save self.")
        async with self._uow() as uow:
            mentor = await uow.people.person(mentor_id)
            if mentor is None:
                raise InvalidInput.field("mentor", f'Invalid pk "{mentor_id}" - object does not exist.')
            if not mentor.is_mentor:
                raise InvalidInput.field("mentor", "This user is not a mentor.")
            if not await uow.saved.add(viewer_id, mentor_id, now):
                raise InvalidInput.field("mentor", "This User has already been saved")
            uow.views_changed(viewer_id)
            await uow.commit()
        card = await self._reads.mentor(viewer_id, mentor_id)
        if card is None:
            raise NotFound("User not found.")
        return card

    async def saved(self, viewer_id: int) -> list[MentorCard]:
        return await self._reads.saved(viewer_id, SAVED_MAX)

    async def unsave(self, viewer_id: int, mentor_id: int | None) -> None:
        if mentor_id is None:
            raise InvalidInput.error("A mentor query parameter is required to Unsave a mentor.")
        async with self._uow() as uow:
            if not await uow.saved.remove(viewer_id, mentor_id):
                raise InvalidInput.non_field("This Mentor have not been previously saved.")
            uow.views_changed(viewer_id)
            await uow.commit()
