"""Posts and comments (write side) and the limits the original service documented."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.shared.errors import InvalidInput
from core.shared.model import Entity

__all__ = (
    "ARTICLE_MAX",
    "BODY_MAX",
    "COMMENT_MAX",
    "REPOST_MAX",
    "Comment",
    "Post",
    "check_text",
)

BODY_MAX = 10_000
REPOST_MAX = 2_000
COMMENT_MAX = 5_000
ARTICLE_MAX = 10_000


def check_text(value: str | None, field: str, max_length: int, *, required: bool = True) -> str:
    """A body as DRF validated it: required, not blank, at most ``max_length`` characters."""
    if value is None:
        if required:
            raise InvalidInput.field(field, "This field is required.")
        return ""
    if required and not value.strip():
        raise InvalidInput.field(field, "This field may not be blank.")
    if len(value) > max_length:
        raise InvalidInput.field(field, f"Ensure this field has no more than {max_length} characters.")
    return value


@dataclass(eq=False, kw_only=True)
class Post(Entity):
    """A post or a repost (``parent_id`` is then the root original). Media fields hold URLs, ``None`` = absent."""

    author_id: int
    body: str
    created_at: datetime
    pic1: str | None = None
    pic2: str | None = None
    pic3: str | None = None
    video: str | None = None
    article: str | None = None
    parent_id: int | None = None
    industries: tuple[str, ...] = ()
    by_mentor: bool = False

    @property
    def root_id(self) -> int:
        """The post a repost of this one points at: reposting a repost points at its root."""
        return self.parent_id if self.parent_id is not None else self.id

    @property
    def media_urls(self) -> list[str]:
        return [u for u in (self.pic1, self.pic2, self.pic3, self.video) if u]


@dataclass(eq=False, kw_only=True)
class Comment(Entity):
    """A top-level comment (``parent_id`` None) or a reply. Replies keep the comment they answer in
    ``parent_id`` and the top-level comment of their thread in ``thread_id``, so responses nest one level."""

    post_id: int
    user_id: int
    body: str
    created_at: datetime
    media: str | None = None
    parent_id: int | None = None
    thread_id: int | None = None
