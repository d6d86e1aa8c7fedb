"""The files of profiles and portfolio projects: checked by content before anything is stored, stored before
the transaction, removed again if it fails, and the replaced ones deleted after it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from core.shared.media import JPEG, PNG, MediaKind, MediaPolicy, Upload, check_upload, new_key, sniff
from ports.storage import BlobStorage

__all__ = ("ProfileMedia", "ProfileMediaLimits", "Staged")

_PREFIXES = {
    "profile_photo": "profile_pictures",
    "cover_photo": "cover_photos",
    "logo": "profile_photo/company_logo",
    "intro_video": "intro_videos",
    "resume": "resumes",
    "image": "portfolio/image",
    "download_material": "portfolio/material",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileMediaLimits:
    """Upload size limits in bytes (settings ``MAX_IMAGE_BYTES``, ``MAX_PORTFOLIO_IMAGE_BYTES`` …)."""

    image_bytes: int = 2_000_000
    portfolio_image_bytes: int = 1_000_000
    video_bytes: int = 5_000_000
    document_bytes: int = 5_000_000

    def policy(self, name: str) -> MediaPolicy:
        photo = frozenset({PNG, JPEG})
        return {
            "profile_photo": MediaPolicy(MediaKind.IMAGE, self.image_bytes, photo),
            "cover_photo": MediaPolicy(MediaKind.IMAGE, self.image_bytes),
            "logo": MediaPolicy(MediaKind.IMAGE, self.image_bytes, photo),
            "intro_video": MediaPolicy(MediaKind.VIDEO, self.video_bytes),
            "resume": MediaPolicy(MediaKind.DOCUMENT, self.document_bytes),
            "image": MediaPolicy(MediaKind.IMAGE, self.portfolio_image_bytes, photo),
            "download_material": MediaPolicy(MediaKind.DOCUMENT, self.document_bytes),
        }[name]

    def material_image(self) -> MediaPolicy:
        """Portfolio material may also be a picture (the documented example is a PNG)."""
        return MediaPolicy(MediaKind.IMAGE, self.document_bytes)


@dataclass(frozen=True, slots=True)
class Staged:
    """A checked upload and the key it will be stored under."""

    upload: Upload
    key: str
    content_type: str


class ProfileMedia:
    """Checks, stores and removes the files of profiles and projects (shared by the services that take uploads)."""

    __slots__ = ("_limits", "_storage")

    def __init__(self, *, storage: BlobStorage, limits: ProfileMediaLimits | None = None) -> None:
        self._storage = storage
        self._limits = limits or ProfileMediaLimits()

    def check(self, name: str, upload: Upload) -> Staged:
        """Judge ``upload`` for field ``name`` by its content (400 naming the field) and give it a new key."""
        policy = self._limits.policy(name)
        if name == "download_material" and sniff(upload.data) in MediaKind.IMAGE.types:
            policy = self._limits.material_image()
        content_type, extension = check_upload(upload, policy, name)
        return Staged(upload, new_key(_PREFIXES[name], upload.filename, extension), content_type)

    def check_all(self, source: object, names: tuple[str, ...]) -> dict[str, Staged]:
        """Check the uploads among the attributes ``names`` of ``source`` (a command) that were sent."""
        staged: dict[str, Staged] = {}
        for name in names:
            upload: Upload | None = getattr(source, name)
            if upload is not None:
                staged[name] = self.check(name, upload)
        return staged

    async def store(self, staged: dict[str, Staged]) -> dict[str, str]:
        """Put checked uploads; on any failure remove what was stored. Returns field → URL."""
        urls: dict[str, str] = {}
        try:
            for name, item in staged.items():
                urls[name] = await self._storage.put(item.key, item.upload.data, item.content_type)
        except BaseException:
            await self.discard([item.key for item in staged.values()])
            raise
        return urls

    async def discard(self, keys_or_urls: list[str | None]) -> None:
        """Delete objects by key or URL, ignoring failures (an orphan object is harmless; the action succeeded)."""
        for item in keys_or_urls:
            if not item:
                continue
            key = self._storage.key_of(item) if "://" in item else item
            if key is not None:
                with contextlib.suppress(Exception):
                    await self._storage.delete(key)
