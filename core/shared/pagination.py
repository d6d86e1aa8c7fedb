"""Page requests and pages (page-number pagination with a server-fixed size)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from core.shared.errors import NotFound

__all__ = ("MAX_PAGE", "Page", "PageRequest")

T = TypeVar("T")
MAX_PAGE = 1_000_000


@dataclass(frozen=True, slots=True)
class PageRequest:
    number: int
    size: int

    def __post_init__(self) -> None:
        if self.number < 1 or self.number > MAX_PAGE:
            raise NotFound("Invalid page.")
        if self.size < 1:
            raise ValueError("page size must be positive")

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    request: PageRequest

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.request.size))

    @property
    def has_next(self) -> bool:
        return self.request.number < self.last_page

    @property
    def has_previous(self) -> bool:
        return self.request.number > 1

    def check_in_range(self) -> Page[T]:
        """DRF answers 404 ``Invalid page.`` for a page past the last one (page 1 always exists)."""
        if self.request.number > self.last_page:
            raise NotFound("Invalid page.")
        return self
