"""From feed views to wire Structs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from litestar import Request

from adapters.http.feed.schemas import (
    CommenterRead,
    CommentRead,
    ConnectionCardRead,
    ConnectionItemRead,
    MiniProfileRead,
    ParentRead,
    PersonRead,
    PostProfileRead,
    PostRead,
    RecommendationRead,
    SharedPostRead,
)
from adapters.http.pagination import page_envelope, page_link
from adapters.http.wire import Site
from core.feed.model.views import AuthorCard, CommentView, ConnectionView, PostView, Recommendation
from core.shared.pagination import Page

__all__ = (
    "NA",
    "comment_read",
    "connection_item",
    "envelope",
    "mini",
    "na",
    "person",
    "post_profile",
    "post_read",
    "recommendation",
    "shared_post",
)

NA = "N/A"


def na(value: str | None) -> str:
    return value or NA


def post_profile(site: Site, card: AuthorCard) -> PostProfileRead:
    """Employers show their company: name as ``first_name``, logo as photo, tagline as qualification."""
    if card.is_employer:
        return PostProfileRead(
            id=card.id,
            first_name=card.company_name or card.first_name,
            last_name="",
            middle_name="",
            profile_photo=site.logo(card.logo),
            qualification=card.tagline or "",
            user_type=card.user_type,
        )
    return PostProfileRead(
        id=card.id,
        first_name=card.first_name,
        last_name=card.last_name,
        middle_name=card.middle_name,
        profile_photo=site.photo(card.profile_photo),
        qualification=card.qualification,
        user_type=card.user_type,
    )


def mini(site: Site, card: AuthorCard) -> MiniProfileRead:
    p = post_profile(site, card)
    return MiniProfileRead(
        id=p.id,
        first_name=p.first_name,
        last_name=p.last_name,
        middle_name=p.middle_name,
        profile_photo=p.profile_photo,
        qualification=p.qualification,
    )


def person(site: Site, card: AuthorCard) -> PersonRead:
    """Personal fields, even for employers (behaviors §4.1)."""
    return PersonRead(
        id=card.id,
        first_name=card.first_name,
        last_name=card.last_name,
        middle_name=card.middle_name,
        profile_photo=site.photo(card.profile_photo),
        qualification=card.qualification,
    )


def _parent(site: Site, view: PostView) -> ParentRead | None:
    parent = view.parent
    if parent is None:
        return None
    return ParentRead(
        profile=post_profile(site, parent.author),
        body=parent.body,
        pic1=na(parent.pic1),
        pic2=na(parent.pic2),
        pic3=na(parent.pic3),
        video=na(parent.video),
        article=na(parent.article),
        time_stamp=parent.created_at,
        post_id=parent.post_id,
    )


def post_read(site: Site, view: PostView) -> PostRead:
    return PostRead(
        profile=post_profile(site, view.author),
        body=view.body,
        pic1=na(view.pic1),
        pic2=na(view.pic2),
        pic3=na(view.pic3),
        video=na(view.video),
        article=na(view.article),
        time_stamp=view.created_at,
        comment_count=view.comment_count,
        like_count=view.like_count,
        share_count=view.share_count,
        parent=_parent(site, view),
        can_like=view.can_like,
        can_follow=view.can_follow,
        is_self=view.is_self,
        is_saved=view.saved,
        post_id=view.post_id,
    )


def shared_post(site: Site, view: PostView) -> SharedPostRead:
    return SharedPostRead(
        profile=post_profile(site, view.author),
        body=view.body,
        pic1=na(view.pic1),
        pic2=na(view.pic2),
        pic3=na(view.pic3),
        video=na(view.video),
        article=na(view.article),
        parent=_parent(site, view),
        like_count=view.like_count,
        comment_count=view.comment_count,
        share_count=view.share_count,
        time_stamp=view.created_at,
        post_id=view.post_id,
    )


def comment_read(site: Site, view: CommentView) -> CommentRead:
    card = view.commenter
    return CommentRead(
        post=view.post_id,
        commenter=CommenterRead(
            first_name=card.first_name,
            last_name=card.last_name,
            middle_name=card.middle_name,
            profile_picture=site.photo(card.profile_photo),
        ),
        body=view.body,
        media=na(view.media),
        parent=view.parent_id,
        replies=[comment_read(site, r) for r in view.replies],
        likes=view.likes,
        time_stamp=view.created_at,
        can_like=view.can_like,
        comment_id=view.comment_id,
    )


def connection_item(site: Site, view: ConnectionView) -> ConnectionItemRead:
    card = view.other
    return ConnectionItemRead(
        id=view.id,
        connection=ConnectionCardRead(
            first_name=card.first_name,
            last_name=card.last_name,
            middle_name=card.middle_name,
            profile_photo=site.photo(card.profile_photo),
            qualification=card.qualification,
            user_type=card.user_type,
            status=view.status,
            user_id=card.id,
        ),
    )


def recommendation(site: Site, rec: Recommendation) -> RecommendationRead:
    card = rec.card
    photo = site.logo(card.logo) if card.is_employer else site.photo(card.profile_photo)
    qualification = (card.tagline or "") if card.is_employer else card.qualification
    return RecommendationRead(
        id=card.id, name=card.display_name, qualification=qualification, profile_photo=photo, followers=rec.followers
    )


def envelope(
    site: Site, request: Request[Any, Any, Any], page: Page[Any], results: list[Any], *, last_page: bool = False
) -> dict[str, Any]:
    """The DRF page; ``last_page`` (where documented) is the absolute URL of the last page, ``?page=`` always
    present."""
    extra: dict[str, Any] | None = None
    if last_page:
        link = page_link(site, request, page.last_page) or ""
        if page.last_page == 1:
            link += ("&" if "?" in link else "?") + "page=1"
        extra = {"last_page": _slashed(link)}
    body = page_envelope(site, request, page, results, extra)
    for key in ("next", "previous"):
        if body[key] is not None:
            body[key] = _slashed(body[key])
    return body


def _slashed(url: str) -> str:
    """Documented links keep the route's trailing slash (``…/post/?page=2``); the router drops it."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
