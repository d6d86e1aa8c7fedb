"""The library (``/info/library/``): documents administrators publish for signed-in users, tagged and searchable."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ("LibraryItem", "LibraryQuery", "normalize_tag")


@dataclass(kw_only=True)
class LibraryItem:
    id: int = 0
    title: str
    description: str
    tags: list[str] = field(default_factory=list)
    file: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class LibraryQuery:
    """``tag``: items carrying that tag (case-insensitive); ``q``: words in the title, description or tags."""

    tag: str | None = None
    q: str | None = None


def normalize_tag(tag: str) -> str:
    """Tags are matched case-insensitively and without surrounding or repeated spaces."""
    return " ".join(tag.strip().lower().split())
