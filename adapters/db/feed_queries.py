"""Read models of the feed: each list page is one SQL statement (two at most) whatever its size.

A post row carries its author card, counters (kept on the posts row), the repost's original with its author,
and the viewer's own flags as ``EXISTS`` probes on unique indexes. Lists are bounded to the newest
``LISTED_MAX`` items: candidate ids come from index range scans limited to that bound (one per source, merged
with ``UNION``), so the page and its ``count`` cost the same at 10 thousand or 10 million posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.selectable import FromClause

from adapters.db.engine import read_engine
from adapters.db.feed import card_from
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.feed import (
    comment_likes,
    comments,
    connections,
    follows,
    post_industries,
    post_likes,
    post_saves,
    post_shares,
    posts,
)
from adapters.db.uow import is_connection_error
from core.feed.model.views import (
    LISTED_MAX,
    AuthorCard,
    CommentView,
    ConnectionSide,
    ConnectionView,
    Listing,
    ParentView,
    PostView,
    Recommendation,
    SharedPostView,
    nest_thread,
)
from core.shared.errors import InvalidInput, NotFound, StorageUnavailable
from core.shared.pagination import Page, PageRequest

__all__ = ("SqlFeedReads",)

# Statements are built once with bind parameters and reused: building a statement of this size per request
# (aliases, column proxies, CTEs) cost more CPU than PostgreSQL spends answering it. A prebuilt statement also
# memoizes its cache key, so each request only looks up its compiled form.
_VIEWER: Any = bindparam("viewer")
_SUBJECT: Any = bindparam("subject")
_BOUND: Any = bindparam("bound", type_=Integer)
_SIZE: Any = bindparam("size", type_=Integer)
_OFFSET: Any = bindparam("offset", type_=Integer)
_POST_ID: Any = bindparam("post_id")
_USER_ID: Any = bindparam("user_id")

_au = users.alias("au")
_ap = profiles.alias("ap")
_pp = posts.alias("pp")
_pu = users.alias("pu")
_ppr = profiles.alias("ppr")


def _card_columns(u: FromClause, pr: FromClause, prefix: str) -> list[ColumnElement[Any]]:
    return [
        u.c.id.label(f"{prefix}id"),
        u.c.user_type.label(f"{prefix}user_type"),
        pr.c.first_name.label(f"{prefix}first_name"),
        pr.c.last_name.label(f"{prefix}last_name"),
        pr.c.middle_name.label(f"{prefix}middle_name"),
        pr.c.profile_photo.label(f"{prefix}profile_photo"),
        pr.c.qualification.label(f"{prefix}qualification"),
        pr.c.company_name.label(f"{prefix}company_name"),
        pr.c.logo.label(f"{prefix}logo"),
        pr.c.tagline.label(f"{prefix}tagline"),
    ]


def _keyset(stmt: Select[Any], created: ColumnElement[Any], ident: ColumnElement[Any], limit: Any) -> Subquery:
    return stmt.order_by(created.desc(), ident.desc()).limit(limit).subquery()


def _branch(sub: Subquery) -> Select[Any]:
    return select(sub.c.id, sub.c.created_at)


def _viewer_industry(viewer_id: Any) -> Any:
    industry = func.lower(users.c.industry)
    return (
        select(case((industry == "", literal("others")), else_=industry))
        .where(users.c.id == viewer_id)
        .scalar_subquery()
    )


def _by_posts(where: ColumnElement[bool], limit: Any) -> Select[Any]:
    stmt = select(posts.c.id.label("id"), posts.c.created_at.label("created_at")).where(where)
    return _branch(_keyset(stmt, posts.c.created_at, posts.c.id, limit))


def _candidates(viewer_id: Any, listing: Listing, subject_id: Any, limit: Any) -> Select[Any]:
    if listing is Listing.OWN:
        return _by_posts(posts.c.author_id == viewer_id, limit)
    if listing is Listing.BY_USER:
        return _by_posts(posts.c.author_id == subject_id, limit)
    if listing is Listing.MENTORS:
        return _by_posts(posts.c.by_mentor.is_(True), limit)
    followed = select(follows.c.followed_id).where(follows.c.follower_id == viewer_id)
    if listing is Listing.FOLLOWING:
        return _by_posts(posts.c.author_id.in_(followed), limit)
    # The main feed's people: the viewer, whom the viewer follows, and the viewer's confirmed connections
    # (either side of the request). Each part is an index lookup (users' primary key, the follows unique
    # constraint, the connections' sender/receiver + status indexes); their posts are one index range scan per
    # author on ``ix_posts_author_created``.
    c = connections.c
    people = union(
        select(users.c.id).where(users.c.id == viewer_id),
        followed,
        select(c.receiver_id).where(c.sender_id == viewer_id, c.status == "CONFIRMED"),
        select(c.sender_id).where(c.receiver_id == viewer_id, c.status == "CONFIRMED"),
    )
    tagged = select(post_industries.c.post_id.label("id"), post_industries.c.created_at.label("created_at")).where(
        post_industries.c.industry == _viewer_industry(viewer_id)
    )
    return union(
        _branch(_keyset(tagged, post_industries.c.created_at, post_industries.c.post_id, limit)),
        _by_posts(posts.c.by_mentor.is_(True), limit),
        _by_posts(posts.c.author_id.in_(people), limit),
    ).subquery().select()


def _post_select(viewer_id: Any, ids: FromClause) -> Select[Any]:
    p = posts
    liked = exists().where(post_likes.c.post_id == p.c.id, post_likes.c.user_id == viewer_id)
    saved = exists().where(post_saves.c.user_id == viewer_id, post_saves.c.post_id == p.c.id)
    following = exists().where(follows.c.follower_id == viewer_id, follows.c.followed_id == p.c.author_id)
    return (
        select(
            p.c.id,
            p.c.body,
            p.c.pic1,
            p.c.pic2,
            p.c.pic3,
            p.c.video,
            p.c.article,
            p.c.created_at,
            p.c.like_count,
            p.c.comment_count,
            p.c.share_count,
            *_card_columns(_au, _ap, "card_"),
            _pp.c.id.label("parent_id"),
            _pp.c.body.label("parent_body"),
            _pp.c.pic1.label("parent_pic1"),
            _pp.c.pic2.label("parent_pic2"),
            _pp.c.pic3.label("parent_pic3"),
            _pp.c.video.label("parent_video"),
            _pp.c.article.label("parent_article"),
            _pp.c.created_at.label("parent_created_at"),
            *_card_columns(_pu, _ppr, "pc_"),
            liked.label("liked"),
            saved.label("saved"),
            following.label("following"),
        )
        .select_from(
            ids.join(p, p.c.id == ids.c.id)
            .join(_au, _au.c.id == p.c.author_id)
            .outerjoin(_ap, _ap.c.user_id == p.c.author_id)
            .outerjoin(_pp, _pp.c.id == p.c.parent_id)
            .outerjoin(_pu, _pu.c.id == _pp.c.author_id)
            .outerjoin(_ppr, _ppr.c.user_id == _pp.c.author_id)
        )
        .order_by(ids.c.created_at.desc(), ids.c.id.desc())
    )


def _post_view(row: RowMapping, viewer_id: int) -> PostView:
    parent = None
    if row["parent_id"] is not None:
        parent = ParentView(
            post_id=int(row["parent_id"]),
            author=card_from(row, "pc_"),
            body=row["parent_body"],
            pic1=row["parent_pic1"],
            pic2=row["parent_pic2"],
            pic3=row["parent_pic3"],
            video=row["parent_video"],
            article=row["parent_article"],
            created_at=row["parent_created_at"],
        )
    return PostView(
        post_id=int(row["id"]),
        author=card_from(row),
        body=row["body"],
        pic1=row["pic1"],
        pic2=row["pic2"],
        pic3=row["pic3"],
        video=row["video"],
        article=row["article"],
        created_at=row["created_at"],
        comment_count=int(row["comment_count"]),
        like_count=int(row["like_count"]),
        share_count=int(row["share_count"]),
        parent=parent,
        viewer_id=viewer_id,
        liked=bool(row["liked"]),
        saved=bool(row["saved"]),
        following=bool(row["following"]),
    )


def _people(
    source: FromClause, id_column: ColumnElement[Any], where: ColumnElement[bool], order: Sequence[Any], limit: Any
) -> Select[Any]:
    return (
        select(*_card_columns(users, profiles, "card_"))
        .select_from(source.join(users, users.c.id == id_column).outerjoin(profiles, profiles.c.user_id == users.c.id))
        .where(where)
        .order_by(*order)
        .limit(limit)
    )


def _posts_statement(listing: Listing) -> Select[Any]:
    cand: CTE = _candidates(_VIEWER, listing, _SUBJECT, _BOUND).cte("cand")
    total = select(func.count()).select_from(cand).scalar_subquery()
    window = (
        select(cand.c.id, cand.c.created_at)
        .order_by(cand.c.created_at.desc(), cand.c.id.desc())
        .limit(_SIZE)
        .offset(_OFFSET)
        .subquery("page")
    )
    return _post_select(_VIEWER, window).add_columns(total.label("total"))


def _comment_select() -> Select[Any]:
    liked = exists().where(comment_likes.c.comment_id == comments.c.id, comment_likes.c.user_id == _VIEWER)
    return select(
        comments.c.id,
        comments.c.post_id,
        comments.c.parent_id,
        comments.c.thread_id,
        comments.c.body,
        comments.c.media,
        comments.c.created_at,
        comments.c.like_count,
        liked.label("liked"),
        *_card_columns(users, profiles, "card_"),
    ).select_from(
        comments.join(users, users.c.id == comments.c.user_id).outerjoin(
            profiles, profiles.c.user_id == comments.c.user_id
        )
    )


def _replies_statement() -> Select[Any]:
    ranked = (
        _comment_select()
        .add_columns(func.row_number().over(partition_by=comments.c.thread_id, order_by=comments.c.id).label("rn"))
        .where(comments.c.thread_id.in_(bindparam("threads", expanding=True)))
        .subquery("ranked")
    )
    return select(ranked).where(ranked.c.rn <= bindparam("per_thread", type_=Integer)).order_by(
        ranked.c.thread_id, ranked.c.id
    )


_POSTS: dict[Listing, Select[Any]] = {listing: _posts_statement(listing) for listing in Listing}
_USER_EXISTS = select(users.c.id).where(users.c.id == _SUBJECT)
_POST_EXISTS = select(posts.c.id).where(posts.c.id == _POST_ID)
_ONE_POST = _post_select(
    _VIEWER, select(posts.c.id, posts.c.created_at).where(posts.c.id == _POST_ID).subquery("one")
)
_SAVED = _post_select(
    _VIEWER,
    select(post_saves.c.post_id.label("id"), post_saves.c.created_at)
    .where(post_saves.c.user_id == _VIEWER)
    .order_by(post_saves.c.created_at.desc(), post_saves.c.post_id.desc())
    .limit(_SIZE)
    .subquery("saved"),
)
_SHARED = (
    select(post_shares.c.post_id, *_card_columns(users, profiles, "card_"))
    .select_from(
        post_shares.join(users, users.c.id == post_shares.c.user_id).outerjoin(
            profiles, profiles.c.user_id == users.c.id
        )
    )
    .where(post_shares.c.hash == bindparam("hash"))
)
_TOP_COMMENTS = (
    _comment_select()
    .where(comments.c.post_id == _POST_ID, comments.c.thread_id.is_(None))
    .order_by(comments.c.id)
    .limit(_SIZE)
    .offset(_OFFSET)
)
_REPLIES = _replies_statement()
_FOLLOWINGS = _people(follows, follows.c.followed_id, follows.c.follower_id == _USER_ID, [follows.c.id.desc()], _SIZE)
_FOLLOWERS = _people(follows, follows.c.follower_id, follows.c.followed_id == _USER_ID, [follows.c.id.desc()], _SIZE)
_FOLLOWING_COUNT = select(func.count()).select_from(follows).where(follows.c.follower_id == _USER_ID)
_FOLLOWERS_COUNT = select(func.count()).select_from(follows).where(follows.c.followed_id == _USER_ID)


class SqlFeedReads:
    """``FeedReads`` over SQL. Each method runs one prebuilt statement (two at most) on a pooled connection
    outside any write transaction; on PostgreSQL that connection is in autocommit mode, so a read costs one
    round trip (no ``BEGIN``/``ROLLBACK``)."""

    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = read_engine(engine)

    async def _rows(self, statement: Any, params: dict[str, Any] | None = None) -> list[RowMapping]:
        try:
            async with self._engine.connect() as conn:
                return list((await conn.execute(statement, params)).mappings().all())
        except Exception as exc:
            if is_connection_error(exc):
                raise StorageUnavailable("The database is unavailable.") from exc
            raise

    async def _scalar(self, statement: Any, params: dict[str, Any] | None = None) -> int:
        rows = await self._rows(statement, params)
        return int(next(iter(rows[0].values()))) if rows else 0

    # ------------------------------------------------------------------ posts

    async def posts(
        self, viewer_id: int, listing: Listing, page: PageRequest, subject_id: int | None = None
    ) -> Page[PostView]:
        if page.offset >= LISTED_MAX:
            raise NotFound("Invalid page.")
        params = {
            "viewer": viewer_id,
            "subject": subject_id or 0,
            "bound": LISTED_MAX,
            "size": page.size,
            "offset": page.offset,
        }
        rows = await self._rows(_POSTS[listing], params)
        if not rows:
            if listing is Listing.BY_USER:
                known = await self._rows(_USER_EXISTS, {"subject": subject_id or 0})
                if not known:
                    raise InvalidInput.error("Invalid user_id")
            if page.number > 1:
                raise NotFound("Invalid page.")
            return Page(items=[], total=0, request=page)
        count = min(int(rows[0]["total"]), LISTED_MAX)
        return Page(items=[_post_view(r, viewer_id) for r in rows], total=count, request=page)

    async def post(self, viewer_id: int, post_id: int) -> PostView | None:
        rows = await self._rows(_ONE_POST, {"viewer": viewer_id, "post_id": post_id})
        return _post_view(rows[0], viewer_id) if rows else None

    async def saved(self, viewer_id: int, limit: int) -> list[PostView]:
        rows = await self._rows(_SAVED, {"viewer": viewer_id, "size": limit})
        return [_post_view(r, viewer_id) for r in rows]

    async def shared(self, share_hash: str) -> SharedPostView | None:
        rows = await self._rows(_SHARED, {"hash": share_hash})
        if not rows:
            return None
        post = await self.post(0, int(rows[0]["post_id"]))
        return SharedPostView(shared_by=card_from(rows[0]), post=post) if post else None

    # ------------------------------------------------------------------ comments

    @staticmethod
    def _comment_view(row: RowMapping, replies: tuple[CommentView, ...] = ()) -> CommentView:
        return CommentView(
            comment_id=int(row["id"]),
            post_id=int(row["post_id"]),
            commenter=card_from(row),
            body=row["body"],
            media=row["media"],
            parent_id=row["parent_id"],
            thread_id=row["thread_id"],
            likes=int(row["like_count"]),
            created_at=row["created_at"],
            liked=bool(row["liked"]),
            replies=replies,
        )

    async def comments(
        self, viewer_id: int, post_id: int, page: PageRequest, replies_per_thread: int
    ) -> list[CommentView] | None:
        heads = await self._rows(
            _TOP_COMMENTS, {"viewer": viewer_id, "post_id": post_id, "size": page.size, "offset": page.offset}
        )
        if not heads:
            found = await self._rows(_POST_EXISTS, {"post_id": post_id})
            return [] if found else None
        reply_rows = await self._rows(
            _REPLIES,
            {"viewer": viewer_id, "threads": [int(h["id"]) for h in heads], "per_thread": replies_per_thread},
        )
        by_thread: dict[int, list[CommentView]] = {}
        for r in reply_rows:
            by_thread.setdefault(int(r["thread_id"]), []).append(self._comment_view(r))
        return [nest_thread(self._comment_view(h), by_thread.get(int(h["id"]), ())) for h in heads]

    # ------------------------------------------------------------------ follows

    async def followings(self, user_id: int, limit: int) -> list[AuthorCard]:
        return [card_from(r) for r in await self._rows(_FOLLOWINGS, {"user_id": user_id, "size": limit})]

    async def followers(self, user_id: int, limit: int) -> list[AuthorCard]:
        return [card_from(r) for r in await self._rows(_FOLLOWERS, {"user_id": user_id, "size": limit})]

    async def following_count(self, user_id: int) -> int:
        return await self._scalar(_FOLLOWING_COUNT, {"user_id": user_id})

    async def followers_count(self, user_id: int) -> int:
        return await self._scalar(_FOLLOWERS_COUNT, {"user_id": user_id})

    # ------------------------------------------------------------------ connections

    async def connections(self, user_id: int, side: ConnectionSide, limit: int) -> list[ConnectionView]:
        c = connections
        other: ColumnElement[Any]
        if side is ConnectionSide.INCOMING:
            where, other = and_(c.c.receiver_id == user_id, c.c.status == "PENDING"), c.c.sender_id
        elif side is ConnectionSide.OUTGOING:
            where, other = and_(c.c.sender_id == user_id, c.c.status == "PENDING"), c.c.receiver_id
        else:
            where = and_(or_(c.c.sender_id == user_id, c.c.receiver_id == user_id), c.c.status == "CONFIRMED")
            other = case((c.c.sender_id == user_id, c.c.receiver_id), else_=c.c.sender_id)
        stmt = _people(c, other, where, [c.c.id], limit).add_columns(c.c.id.label("connection_id"), c.c.status)
        return [
            ConnectionView(id=int(r["connection_id"]), other=card_from(r), status=str(r["status"]))
            for r in await self._rows(stmt)
        ]

    async def connections_count(self, user_id: int) -> int:
        c = connections
        stmt = (
            select(func.count())
            .select_from(c)
            .where(or_(c.c.sender_id == user_id, c.c.receiver_id == user_id), c.c.status == "CONFIRMED")
        )
        return await self._scalar(stmt)

    # ------------------------------------------------------------------ recommendations

    async def _recommend(self, where: ColumnElement[bool], page: PageRequest) -> Page[Recommendation]:
        if page.offset >= LISTED_MAX:
            raise NotFound("Invalid page.")
        cand = (
            select(users.c.id)
            .select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
            .where(where, users.c.is_active.is_(True))
            .order_by(users.c.id)
            .limit(LISTED_MAX)
            .cte("cand")
        )
        total = select(func.count()).select_from(cand).scalar_subquery()
        window = select(cand.c.id).order_by(cand.c.id).limit(page.size).offset(page.offset).subquery("page")
        followers = select(func.count()).where(follows.c.followed_id == users.c.id).scalar_subquery()
        stmt = (
            select(*_card_columns(users, profiles, "card_"), followers.label("followers"), total.label("total"))
            .select_from(
                window.join(users, users.c.id == window.c.id).outerjoin(profiles, profiles.c.user_id == users.c.id)
            )
            .order_by(users.c.id)
        )
        rows = await self._rows(stmt)
        if not rows:
            if page.number > 1:
                raise NotFound("Invalid page.")
            return Page(items=[], total=0, request=page)
        items = [Recommendation(card=card_from(r), followers=int(r["followers"])) for r in rows]
        return Page(items=items, total=min(int(rows[0]["total"]), LISTED_MAX), request=page)

    async def _me(self, viewer_id: int) -> tuple[str, str]:
        rows = await self._rows(
            select(users.c.industry, profiles.c.location)
            .select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
            .where(users.c.id == viewer_id)
        )
        if not rows:
            return "", ""
        return str(rows[0]["industry"] or ""), str(rows[0]["location"] or "").strip()

    async def follow_recommendations(self, viewer_id: int, page: PageRequest) -> Page[Recommendation]:
        industry, location = await self._me(viewer_id)
        similar: ColumnElement[bool] = users.c.industry == industry
        if location:
            similar = or_(similar, profiles.c.location.icontains(location, autoescape=True))
        followed = select(follows.c.followed_id).where(follows.c.follower_id == viewer_id)
        following_me = select(follows.c.follower_id).where(follows.c.followed_id == viewer_id)
        where = and_(
            similar, users.c.id != viewer_id, users.c.id.not_in(followed), users.c.id.not_in(following_me)
        )
        return await self._recommend(where, page)

    async def connection_recommendations(
        self, viewer_id: int, criteria: str, page: PageRequest
    ) -> Page[Recommendation]:
        industry, location = await self._me(viewer_id)
        similar: ColumnElement[bool]
        if criteria == "industry":
            similar = users.c.industry == industry
        elif location:
            similar = profiles.c.location.icontains(location, autoescape=True)
        else:
            similar = false()
        c = connections
        low = select(c.c.user_high).where(c.c.user_low == viewer_id)
        high = select(c.c.user_low).where(c.c.user_high == viewer_id)
        where = and_(similar, users.c.id != viewer_id, users.c.id.not_in(low), users.c.id.not_in(high))
        return await self._recommend(where, page)
