"""Content pages (``/info/?title=``): terms of service, privacy policy and other texts administrators keep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ("ContentPage", "normalize_title", "split_items")


@dataclass(kw_only=True)
class ContentPage:
    id: int = 0
    title: str
    content: str
    items: list[str] | None = None
    updated: date


def normalize_title(title: str) -> str:
    """A page's key as the original stored it: lower case, spaces as underscores."""
    return "_".join(title.strip().lower().split())


def split_items(items: str | list[str] | None) -> list[str] | None:
    """``items`` as a list: a comma-separated string is split (blank parts dropped); ``None`` stays ``None``."""
    if items is None:
        return None
    parts = items.split(",") if isinstance(items, str) else items
    return [p.strip() for p in parts if p.strip()]


