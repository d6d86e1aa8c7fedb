"""``ports.notifications.PersonNames`` for tests: from a dict, or from the feed's author cards (the profile names
the original service put in its notification texts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from core.notifications.model import PersonName
from ports.feed import FeedUnitOfWork

__all__ = ("CardNames", "StaticNames")


class StaticNames:
    __slots__ = ("_names", "asked")

    def __init__(self, names: Mapping[int, tuple[str, str]]) -> None:
        self._names = {user_id: PersonName(*name) for user_id, name in names.items()}
        self.asked: list[int] = []

    async def name(self, user_id: int) -> PersonName | None:
        self.asked.append(user_id)
        return self._names.get(user_id)


class CardNames:
    __slots__ = ("_uow",)

    def __init__(self, uow: Callable[[], FeedUnitOfWork]) -> None:
        self._uow = uow

    async def name(self, user_id: int) -> PersonName | None:
        async with self._uow() as uow:
            card = await uow.people.card(user_id)
        return None if card is None else PersonName(card.first_name, card.last_name)
