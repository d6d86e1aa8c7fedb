"""Portfolio projects and their files: added and deleted by their owner, read by anyone signed in (other users'
portfolios within the viewer's read budget)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.accounts.model.portfolio import Project
from core.accounts.profiles.budgets import ReadBudget, WriteBudget
from core.accounts.profiles.common import text_field
from core.accounts.profiles.media import ProfileMedia
from core.accounts.profiles.policies import owns
from core.shared.errors import InvalidInput, NotFound
from core.shared.media import Upload
from ports.profiles import ProfilesUnitOfWork

__all__ = ("PortfolioService", "ProjectInput")

_FILES = ("image", "download_material")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectInput:
    title: str
    description: str
    image: Upload | None = None
    download_material: Upload | None = None


class PortfolioService:
    """``/project/``: the caller's projects, and anyone's projects to read."""

    __slots__ = ("_media", "_read_budget", "_reads", "_uow", "_writes")

    def __init__(
        self,
        *,
        uow: Callable[[], ProfilesUnitOfWork],
        media: ProfileMedia,
        writes: WriteBudget,
        read_budget: ReadBudget,
        reads: Callable[[], ProfilesUnitOfWork] | None = None,
    ) -> None:
        self._uow = uow
        self._reads = reads or uow
        self._media = media
        self._writes = writes
        self._read_budget = read_budget

    async def add_project(self, actor_id: int, data: ProjectInput) -> Project:
        title = text_field("title", data.title, 150, required=True) or ""
        description = text_field("description", data.description, 5000, required=True) or ""
        staged = self._media.check_all(data, _FILES)
        await self._writes.spend("portfolio", actor_id)
        async with self._reads() as uow:
            if await uow.users.get(actor_id) is None:
                raise NotFound("User not found.")
            self._writes.check_room("portfolio", len(await uow.projects.list_for(actor_id)))  # before storing
        urls = await self._media.store(staged)
        try:
            async with self._uow() as uow:
                self._writes.check_room("portfolio", await uow.projects.lock_and_count(actor_id))
                project = await uow.projects.add(
                    Project(user_id=actor_id, title=title, description=description, image=urls.get("image"),
                            download_material=urls.get("download_material"))
                )
                uow.views_changed(actor_id)
                await uow.commit()
        except BaseException:
            await self._media.discard(list(urls.values()))
            raise
        return project

    async def projects(self, viewer_id: int, user_id: int | None = None) -> list[Project]:
        """The portfolio of ``user_id`` (the viewer's own when omitted)."""
        user_id = viewer_id if user_id is None else user_id
        await self._read_budget.spend(viewer_id, user_id)
        async with self._reads() as uow:
            if await uow.users.get(user_id) is None:
                raise InvalidInput.error("Invalid User ID")
            return await uow.projects.list_for(user_id)

    async def project(self, project_id: int) -> Project:
        async with self._reads() as uow:
            item = await uow.projects.get(project_id)
        if item is None:
            raise NotFound("Invalid Portfolio ID")
        return item

    async def delete_project(self, actor_id: int, project_id: int) -> None:
        async with self._uow() as uow:
            item = await uow.projects.get(project_id)
            if not owns(item, actor_id):
                raise NotFound("Invalid portfolio ID")
            await uow.projects.delete(project_id)
            uow.views_changed(actor_id)
            await uow.commit()
        await self._media.discard([item.image, item.download_material])
