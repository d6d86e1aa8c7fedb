"""Feed endpoints under ``/post/``. Thin: decode, call one service method, encode the documented shape."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.feed.render import comment_read, envelope, mini, na, post_profile, post_read, shared_post
from adapters.http.feed.schemas import (
    CommentBody,
    CommentCreatedRead,
    CommentForm,
    CommentLikedRead,
    CommentRead,
    FeedPageRead,
    LikedRead,
    PostBody,
    PostCreatedRead,
    PostForm,
    PostPageRead,
    PostRead,
    ReplyBody,
    ReplyCreatedRead,
    RepostBody,
    RepostRead,
    SavedItemRead,
    SavedRead,
    SharedRead,
    ShareRead,
    StatusRead,
)
from adapters.http.openapi import write_budget_note
from adapters.http.pagination import page_request
from adapters.http.readcache import CACHE_NOTE, cached
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site, convert, read_body, to_upload
from core.feed.model.views import LISTED_MAX, Listing
from core.feed.service import POST_PAGE_SIZE, CreatePost, FeedService
from core.shared.errors import InvalidInput
from ports.readcache import ReadCache

__all__ = ("FeedController",)

Feed = NamedDependency[FeedService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
Cache = NamedDependency[ReadCache]
PageParam = Annotated[
    str | None, QueryParameter(name="page", description="Page number (5 posts a page).", pattern=NO_NUL)
]

LIST_NOTE = (
    f" Page size 5. Lists are bounded to the newest {LISTED_MAX} posts: `count` is exact up to that bound "
    "(it is one bounded index scan, not a COUNT over the table) and pages past it answer 404 `Invalid page.`. "
    "`can_like`, `can_follow`, `is_self` and `is_saved` are always the caller's own (nothing is cached across "
    "users). Counters (`like_count`, `comment_count` = top-level comments, `share_count` = distinct sharers) "
    "are kept on the post in the same transaction as the like, comment or share." + CACHE_NOTE
)


async def _post_page(
    request: Request[Any, Any, Any],
    feed: FeedService,
    me: Principal,
    site: Site,
    read_cache: ReadCache,
    listing: Listing,
    page: str | None,
    subject_id: int | None = None,
) -> Response[PostPageRead]:
    """One page of a post list (by user, by mentors, following), answered from the caller's read cache."""

    async def produce() -> PostPageRead:
        result = await feed.posts(me.user_id, listing, page_request(page, POST_PAGE_SIZE).number, subject_id)
        return PostPageRead(**envelope(site, request, result, [post_read(site, v) for v in result.items]))

    return await cached(request, read_cache, me.user_id, produce)


class FeedController(Controller):
    path = "/post"
    tags = ["Feed"]

    @get(
        "/",
        summary="Retrieve Posts / Post Retrieve",
        description=(
            "Without `post_id`: the caller's feed — posts tagged with the caller's industry, posts by mentors, "
            "posts by people the caller follows, the caller's own posts and the posts of the caller's confirmed "
            "connections, newest first, each post once, with `last_page`." + LIST_NOTE + " With "
            "`post_id`: that one post (404 when unknown)."
        ),
        security=BEARER,
    )
    async def feed(
        self,
        request: Request[Any, Any, Any],
        feed: Feed,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
        post_id: Annotated[int | None, QueryParameter(name="post_id", ge=1, le=2**63 - 1)] = None,
    ) -> Response[PostRead | FeedPageRead]:
        async def produce() -> PostRead | FeedPageRead:
            if post_id is not None:
                return post_read(site, await feed.post(me.user_id, post_id))
            result = await feed.posts(me.user_id, Listing.FEED, page_request(page, POST_PAGE_SIZE).number)
            items = [post_read(site, v) for v in result.items]
            return FeedPageRead(**envelope(site, request, result, items, last_page=True))

        return await cached(request, read_cache, me.user_id, produce)

    @post(
        "/",
        status_code=201,
        summary="Post Create",
        description=(
            "JSON or multipart: `body` (required, ≤10000 characters), `article` (optional text), images `pic1`.."
            "`pic3` (PNG or JPEG, ≤1 MB each) and `video` (MP4 or WebM, ≤5 MB), judged by content, not name. "
            "The post is tagged with industries by the keyword classifier. Answers the post with its `post_id`."
            + write_budget_note("posts")
        ),
        security=BEARER,
        request_max_body_size=9_000_000,
        opt={"form": (PostForm, ("pic1", "pic2", "pic3", "video"))},
    )
    async def create(self, request: Request[Any, Any, Any], feed: Feed, me: Me) -> PostCreatedRead:
        body = await read_body(request)
        form = convert(body.fields, PostForm)
        media = ("pic1", "pic2", "pic3", "video")
        files = {name: await to_upload(f) for name, f in body.files.items() if name in media}
        created = await feed.create_post(
            me.user_id,
            CreatePost(
                body=form.body,
                article=form.article,
                pic1=files.get("pic1"),
                pic2=files.get("pic2"),
                pic3=files.get("pic3"),
                video=files.get("video"),
            ),
        )
        return PostCreatedRead(
            body=created.body,
            pic1=na(created.pic1),
            pic2=na(created.pic2),
            pic3=na(created.pic3),
            video=na(created.video),
            article=na(created.article),
            time_stamp=created.created_at,
            post_id=created.id,
        )

    @delete(
        "/delete/",
        status_code=204,
        summary="Delete Post",
        description="Deletes the caller's post with its reposts, comments, likes, saves and shares. Someone "
        "else's post → 403; unknown → 400 `{\"error\": \"Invalid Post ID\"}`.",
        security=BEARER,
    )
    async def delete_post(
        self,
        feed: Feed,
        me: Me,
        post_id: Annotated[int | None, QueryParameter(name="post_id", ge=1, le=2**63 - 1)] = None,
    ) -> None:
        if post_id is None:
            raise InvalidInput.error("A post_id query parameter is required for this request.")
        await feed.delete_post(me.user_id, post_id)

    @get("/posted/", summary="Retrieve Own Posts", description="The caller's posts." + LIST_NOTE, security=BEARER)
    async def own(
        self,
        request: Request[Any, Any, Any],
        feed: Feed,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
    ) -> Response[FeedPageRead]:
        async def produce() -> FeedPageRead:
            result = await feed.posts(me.user_id, Listing.OWN, page_request(page, POST_PAGE_SIZE).number)
            items = [post_read(site, v) for v in result.items]
            return FeedPageRead(**envelope(site, request, result, items, last_page=True))

        return await cached(request, read_cache, me.user_id, produce)

    @get(
        "/by-user/",
        summary="Get Other User Post",
        description="Posts of `user_id`." + LIST_NOTE,
        security=BEARER,
    )
    async def by_user(
        self,
        request: Request[Any, Any, Any],
        feed: Feed,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
        user_id: Annotated[int | None, QueryParameter(name="user_id", ge=1, le=2**63 - 1)] = None,
    ) -> Response[PostPageRead]:
        if user_id is None:
            raise InvalidInput.error("No user_id query parameter was provided.")
        return await _post_page(request, feed, me, site, read_cache, Listing.BY_USER, page, user_id)

    @get("/by-mentors/", summary="Retrieve Mentors Posts", description="Posts by mentors." + LIST_NOTE,
         security=BEARER)
    async def by_mentors(
        self,
        request: Request[Any, Any, Any],
        feed: Feed,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
    ) -> Response[PostPageRead]:
        return await _post_page(request, feed, me, site, read_cache, Listing.MENTORS, page)

    @get(
        "/following/",
        summary="Get Followings Post",
        description="Posts by the users the caller follows." + LIST_NOTE,
        security=BEARER,
    )
    async def following(
        self,
        request: Request[Any, Any, Any],
        feed: Feed,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
    ) -> Response[PostPageRead]:
        return await _post_page(request, feed, me, site, read_cache, Listing.FOLLOWING, page)

    # ------------------------------------------------------------------ comments

    @post(
        "/comment/",
        status_code=201,
        summary="Create comment",
        description="JSON or multipart: `post`, `body` (required, ≤5000 characters), optional `media` image "
        "(PNG or JPEG, ≤1 MB). No notification for top-level comments."
        + write_budget_note("comments and replies (one budget)"),
        security=BEARER,
        request_max_body_size=2_000_000,
        opt={"form": (CommentForm, ("media",))},
    )
    async def comment(self, request: Request[Any, Any, Any], feed: Feed, me: Me, site: SiteDep) -> CommentCreatedRead:
        body = await read_body(request)
        form = convert(body.fields, CommentForm)
        media_file = body.files.get("media")
        media = await to_upload(media_file) if media_file is not None else None
        created, card = await feed.comment(me.user_id, form.post, form.body, media)
        return CommentCreatedRead(
            user=mini(site, card),
            body=created.body,
            media=na(created.media),
            time_stamp=created.created_at,
            comment_id=created.id,
        )

    @get(
        "/comment/",
        summary="Get comment",
        description=(
            "Top-level comments of `post_id`, oldest first, 50 per `page` (default 1), each with up to 50 "
            "replies in its thread (the oldest). Replies nest recursively: a reply to a reply is listed in the "
            "`replies` of the reply it answers, with `parent` naming it, at any depth (each level oldest first). "
            "`can_like` is the caller's own."
        ),
        security=BEARER,
    )
    async def comments(
        self,
        feed: Feed,
        me: Me,
        site: SiteDep,
        page: PageParam = None,
        post_id: Annotated[int | None, QueryParameter(name="post_id", ge=1, le=2**63 - 1)] = None,
    ) -> list[CommentRead]:
        if post_id is None:
            raise InvalidInput.error("No query parameter")
        number = page_request(page, 50).number
        return [comment_read(site, c) for c in await feed.comments(me.user_id, post_id, number)]

    @post(
        "/reply/",
        status_code=201,
        summary="Reply Comment",
        description="`parent` (a comment or a reply), `body`. Notifies the author of `parent` (not oneself)."
        + write_budget_note("comments and replies (one budget)"),
        security=BEARER,
    )
    async def reply(self, data: JSONBody[ReplyBody], feed: Feed, me: Me, site: SiteDep) -> ReplyCreatedRead:
        created, card = await feed.reply(me.user_id, data.parent, data.body)
        return ReplyCreatedRead(
            user=mini(site, card),
            body=created.body,
            parent=created.parent_id or data.parent,
            time_stamp=created.created_at,
            comment_id=created.id,
        )

    # ------------------------------------------------------------------ likes

    @post("/like/", status_code=201, summary="Post Like", description="Once per user (unique); a second like "
          "→ 400 `{\"error\": [\"Post Already Liked\"]}`.", security=BEARER)
    async def like(self, data: JSONBody[PostBody], feed: Feed, me: Me) -> LikedRead:
        await feed.like(me.user_id, data.post)
        return LikedRead(post=data.post)

    @post("/unlike/", status_code=200, summary="Unlike Post", security=BEARER)
    async def unlike(self, data: JSONBody[PostBody], feed: Feed, me: Me) -> StatusRead:
        await feed.unlike(me.user_id, data.post)
        return StatusRead(status="Unliked post")

    @post("/like/comment/", status_code=200, summary="Like Comment/Reply", security=BEARER)
    async def like_comment(self, data: JSONBody[CommentBody], feed: Feed, me: Me) -> CommentLikedRead:
        await feed.like_comment(me.user_id, data.comment)
        return CommentLikedRead(comment_id=data.comment, user_id=me.user_id)

    @post("/unlike/comment/", status_code=200, summary="Unlike Comment/Reply", security=BEARER)
    async def unlike_comment(self, data: JSONBody[CommentBody], feed: Feed, me: Me) -> StatusRead:
        await feed.unlike_comment(me.user_id, data.comment)
        return StatusRead(status="Unliked Comment")

    # ------------------------------------------------------------------ reposts, saves, shares

    @post(
        "/repost/",
        status_code=201,
        summary="Reposting",
        description="`parent`, optional `body` (≤2000). Reposting a repost points at its root original; "
        "`parent` in the answer carries the original's `post_id`." + write_budget_note("reposts"),
        security=BEARER,
    )
    async def repost(self, data: JSONBody[RepostBody], feed: Feed, me: Me, site: SiteDep) -> RepostRead:
        view = await feed.repost(me.user_id, data.parent, data.body)
        full = post_read(site, view)
        return RepostRead(
            profile=post_profile(site, view.author),
            body=view.body,
            pic1=full.pic1,
            pic2=full.pic2,
            pic3=full.pic3,
            video=full.video,
            media="N/A",
            article=full.article,
            time_stamp=view.created_at,
            parent=full.parent,
            post_id=view.post_id,
        )

    @post("/save/", status_code=201, summary="Post Save", description="Idempotent: a post is saved once.",
          security=BEARER)
    async def save(self, data: JSONBody[PostBody], feed: Feed, me: Me) -> SavedRead:
        await feed.save(me.user_id, data.post)
        return SavedRead(post_id=data.post)

    @get("/save/", summary="Get Saved Post", description="The caller's saved posts, last saved first (at most "
         "200)." + CACHE_NOTE, security=BEARER)
    async def saved(
        self, request: Request[Any, Any, Any], feed: Feed, me: Me, site: SiteDep, read_cache: Cache
    ) -> Response[list[SavedItemRead]]:
        async def produce() -> list[SavedItemRead]:
            return [SavedItemRead(post=post_read(site, v)) for v in await feed.saved(me.user_id)]

        return await cached(request, read_cache, me.user_id, produce)

    @delete("/save/", status_code=204, summary="Post Unsave", description="Removes a saved post (404 if it "
            "was not saved).", security=BEARER)
    async def unsave(
        self,
        feed: Feed,
        me: Me,
        post_id: Annotated[int | None, QueryParameter(name="post_id", ge=1, le=2**63 - 1)] = None,
    ) -> None:
        if post_id is None:
            raise InvalidInput.error("A post_id query parameter is required for this request.")
        await feed.unsave(me.user_id, post_id)

    @post(
        "/share/",
        status_code=200,
        summary="Post Share",
        description="A stable hash per (post, sharer); `share_count` counts distinct sharers.",
        security=BEARER,
    )
    async def share(self, data: JSONBody[PostBody], feed: Feed, me: Me) -> ShareRead:
        return ShareRead(post_hash=await feed.share(me.user_id, data.post))

    @get(
        "/share/",
        summary="Retrieve Shared Post",
        description="Public (no token): the shared post and who shared it, with live counts.",
    )
    async def shared(
        self,
        feed: Feed,
        site: SiteDep,
        # Named as on the wire: validation errors are keyed by the parameter's Python name.
        hash: Annotated[str | None, QueryParameter(name="hash", max_length=64, pattern=NO_NUL)] = None,
    ) -> SharedRead:
        view = await feed.shared(hash)
        return SharedRead(shared_by=mini(site, view.shared_by), post=shared_post(site, view.post))
