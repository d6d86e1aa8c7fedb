"""The library (``/info/library/``): signed-in users read and search it; administrators publish and delete items.

Files are judged by their content (PDF, DOC, DOCX or an image, at most ``max_bytes``), stored before the
transaction, removed again if it fails, and deleted after the transaction that deletes their item.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from core.content.model.library import LibraryItem, LibraryQuery, normalize_tag
from core.content.staff import require_admin
from core.shared.errors import Conflict, InvalidInput, StorageUnavailable
from core.shared.media import MediaKind, MediaPolicy, Upload, check_upload, new_key, sniff
from ports.content import ContentUnitOfWork
from ports.staff import StaffDirectory
from ports.storage import BlobStorage
from ports.system import Clock

__all__ = ("LIBRARY_LIMIT", "LibraryInput", "LibraryService")

MAX_TITLE = 250
MAX_DESCRIPTION = 20_000
MAX_TAGS = 20
MAX_TAG = 100
MAX_QUERY = 100
# The library is one unpaginated list (as documented); this bounds a single answer.
LIBRARY_LIMIT = 500
DUPLICATE_TITLE = "A Library content with this title already exists."
PREFIX = "Library/uploads"


@dataclass(frozen=True, slots=True, kw_only=True)
class LibraryInput:
    title: str
    description: str
    tags: list[str]
    file: Upload | None


def _clean_tags(tags: list[str]) -> list[str]:
    out: list[str] = []
    for raw in tags:
        tag = normalize_tag(raw)
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            raise InvalidInput.field("tags", f"Each tag has at most {MAX_TAG} characters.")
        if tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise InvalidInput.field("tags", f"At most {MAX_TAGS} tags.")
    return out


def _query_text(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    text = normalize_tag(value)
    if len(text) > MAX_QUERY:
        raise InvalidInput.field(name, f"Ensure this value has at most {MAX_QUERY} characters.")
    return text or None


class LibraryService:
    __slots__ = ("_clock", "_max_bytes", "_staff", "_storage", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], ContentUnitOfWork],
        staff: StaffDirectory,
        storage: BlobStorage,
        clock: Clock,
        max_bytes: int = 5_000_000,
    ) -> None:
        self._uow = uow
        self._staff = staff
        self._storage = storage
        self._clock = clock
        self._max_bytes = max_bytes

    def _policy(self, upload: Upload) -> MediaPolicy:
        kind = MediaKind.IMAGE if sniff(upload.data) in MediaKind.IMAGE.types else MediaKind.DOCUMENT
        return MediaPolicy(kind, self._max_bytes)

    async def add(self, actor_id: int, data: LibraryInput) -> LibraryItem:
        await require_admin(self._staff, actor_id)
        title = data.title.strip()
        if not title:
            raise InvalidInput.field("title", "This field may not be blank.")
        if len(title) > MAX_TITLE:
            raise InvalidInput.field("title", f"Ensure this field has no more than {MAX_TITLE} characters.")
        description = data.description.strip()
        if not description:
            raise InvalidInput.field("description", "This field may not be blank.")
        if len(description) > MAX_DESCRIPTION:
            raise InvalidInput.field("description", f"Ensure this field has no more than {MAX_DESCRIPTION} characters.")
        tags = _clean_tags(data.tags)
        if data.file is None:
            raise InvalidInput.field("file", "No file was submitted.")
        content_type, extension = check_upload(data.file, self._policy(data.file), "file")
        async with self._uow() as uow:
            if await uow.library.title_taken(title):
                raise InvalidInput.field("title", DUPLICATE_TITLE)
        key = new_key(PREFIX, data.file.filename, extension)
        url = await self._storage.put(key, data.file.data, content_type)
        try:
            async with self._uow() as uow:
                try:
                    item = await uow.library.add(
                        LibraryItem(title=title, description=description, tags=tags, file=url,
                                    created_at=self._clock.now())
                    )
                except Conflict:
                    raise InvalidInput.field("title", DUPLICATE_TITLE) from None
                await uow.commit()
        except BaseException:
            await self._discard(key)
            raise
        return item

    async def item(self, item_id: int) -> LibraryItem:
        async with self._uow() as uow:
            item = await uow.library.get(item_id)
        if item is None:
            raise InvalidInput.error("Invalid content id")
        return item

    async def search(self, tag: str | None = None, q: str | None = None) -> list[LibraryItem]:
        query = LibraryQuery(tag=_query_text(tag, "tag"), q=_query_text(q, "q"))
        async with self._uow() as uow:
            return await uow.library.search(query, LIBRARY_LIMIT)

    async def delete(self, actor_id: int, item_id: int | None) -> None:
        await require_admin(self._staff, actor_id)
        if item_id is None:
            raise InvalidInput.error("A content_id query parameter is required for this request")
        async with self._uow() as uow:
            item = await uow.library.get(item_id)
            if item is None:
                raise InvalidInput.error("Invalid Content ID")
            await uow.library.delete(item_id)
            await uow.commit()
        key = self._storage.key_of(item.file)
        if key is not None:
            await self._discard(key)

    async def _discard(self, key: str) -> None:
        # An orphan object is harmless; the action itself succeeded or failed already.
        with contextlib.suppress(StorageUnavailable, OSError):
            await self._storage.delete(key)
