"""Content pages (``/info/?title=``): anyone reads them; administrators add, change and delete them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.content.model.pages import ContentPage, normalize_title, split_items
from core.content.staff import require_admin
from core.shared.errors import Conflict, InvalidInput
from ports.content import ContentUnitOfWork
from ports.staff import StaffDirectory
from ports.system import Clock

__all__ = ("ContentPagesService", "PageChange", "PageLookup")

MAX_TITLE = 200
MAX_CONTENT = 100_000
MAX_ITEMS = 200


@dataclass(frozen=True, slots=True)
class PageLookup:
    """The page asked for (``None`` when there is no such title) and every title there is."""

    page: ContentPage | None
    titles: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageChange:
    """A partial update: ``None`` leaves a field as it is."""

    title: str | None = None
    content: str | None = None
    items: str | list[str] | None = None


def _text(name: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput.field(name, "This field may not be blank.")
    if len(value) > limit:
        raise InvalidInput.field(name, f"Ensure this field has no more than {limit} characters.")
    return value


def _items(value: str | list[str] | None) -> list[str] | None:
    items = split_items(value)
    if items is not None and (len(items) > MAX_ITEMS or any(len(i) > 1000 for i in items)):
        raise InvalidInput.field("items", f"At most {MAX_ITEMS} items of at most 1000 characters each.")
    return items


class ContentPagesService:
    __slots__ = ("_clock", "_staff", "_uow")

    def __init__(self, *, uow: Callable[[], ContentUnitOfWork], staff: StaffDirectory, clock: Clock) -> None:
        self._uow = uow
        self._staff = staff
        self._clock = clock

    async def page(self, title: str | None) -> PageLookup:
        """No title → 400 with the available titles; an unknown one → ``PageLookup(None, titles)``."""
        async with self._uow() as uow:
            titles = await uow.pages.titles()
            if title is None or not title.strip():
                raise InvalidInput(
                    {"Status": "Failed", "Message": "No query parameter provided.", "Available_titles": titles}
                )
            page = await uow.pages.get(title.strip()) or await uow.pages.get(normalize_title(title))
        return PageLookup(page, titles)

    async def titles(self) -> list[str]:
        async with self._uow() as uow:
            return await uow.pages.titles()

    async def add(self, actor_id: int, title: str, content: str, items: str | list[str] | None) -> ContentPage:
        await require_admin(self._staff, actor_id)
        key = normalize_title(_text("title", title, MAX_TITLE))
        page = ContentPage(title=key, content=_text("content", content, MAX_CONTENT), items=_items(items),
                           updated=self._clock.now().date())
        async with self._uow() as uow:
            if await uow.pages.get(key) is not None:
                raise InvalidInput.non_field("Existent title")
            try:
                page = await uow.pages.add(page)
            except Conflict:
                raise InvalidInput.non_field("Existent title") from None
            await uow.commit()
        return page

    async def change(self, actor_id: int, title: str | None, change: PageChange) -> ContentPage:
        await require_admin(self._staff, actor_id)
        async with self._uow() as uow:
            page = await uow.pages.get((title or "").strip()) if title else None
            if page is None:
                raise InvalidInput.error("Inexistent content")
            if change.title is not None:
                new_title = _text("title", change.title, MAX_TITLE)
                if new_title != page.title and await uow.pages.get(new_title) is not None:
                    raise InvalidInput.non_field("Existent title")
                page.title = new_title
            if change.content is not None:
                page.content = _text("content", change.content, MAX_CONTENT)
            if change.items is not None:
                page.items = _items(change.items)
            page.updated = self._clock.now().date()
            try:
                await uow.pages.update(page)
            except Conflict:
                raise InvalidInput.non_field("Existent title") from None
            await uow.commit()
        return page

    async def delete(self, actor_id: int, title: str | None) -> None:
        await require_admin(self._staff, actor_id)
        async with self._uow() as uow:
            page = await uow.pages.get(title.strip()) if title and title.strip() else None
            if page is None:
                raise InvalidInput.error("Inexistent content")
            await uow.pages.delete(page.id)
            await uow.commit()
