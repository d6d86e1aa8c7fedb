"""The floor: the smallest Python service that answers ``GET /post/?page=N`` with our exact JSON document.

Raw asyncpg (a pool per worker, statements prepared once per connection by asyncpg's cache), one hand-written
SQL statement per request, the bearer token checked with PyJWT, rows turned into plain dicts and encoded with
msgspec — no DI, no ORM, no service layer, no access log. It is the practical limit of a Python service on this
machine; ``bench.run`` reports our requests/s as a fraction of this app's. ``tests/e2e/test_bench_floor.py``
checks both apps give equal documents for the same viewer and data.

    BENCH_FLOOR_DSN=postgresql://postgres@127.0.0.1:5432/bench_100k BENCH_FLOOR_SECRET=... \
      .venv/bin/uvicorn bench.floor:create_app --factory --workers 2 --port 8782 --no-access-log
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import jwt
import msgspec
from litestar import Litestar, Request, Response, get

LISTED_MAX = 500
PAGE_SIZE = 5

_CARD = "{a}.id AS {p}id, {a}.user_type AS {p}user_type, {r}.first_name AS {p}first_name, " \
        "{r}.last_name AS {p}last_name, {r}.middle_name AS {p}middle_name, {r}.profile_photo AS {p}profile_photo, " \
        "{r}.qualification AS {p}qualification, {r}.company_name AS {p}company_name, {r}.logo AS {p}logo, " \
        "{r}.tagline AS {p}tagline"  # fmt: skip

# $1 viewer id, $2 bound (500), $3 page size, $4 offset. The selection is ours: the viewer's industry, mentors'
# posts, and the posts of the viewer, of whom the viewer follows and of the viewer's confirmed connections.
FEED_SQL = f"""
WITH cand AS (
    (SELECT post_id AS id, created_at FROM post_industries
      WHERE industry = (SELECT CASE WHEN lower(industry) = '' THEN 'others' ELSE lower(industry) END
                          FROM users WHERE id = $1)
      ORDER BY created_at DESC, post_id DESC LIMIT $2)
    UNION
    (SELECT id, created_at FROM posts WHERE by_mentor ORDER BY created_at DESC, id DESC LIMIT $2)
    UNION
    (SELECT id, created_at FROM posts
      WHERE author_id IN (SELECT id FROM users WHERE id = $1
                          UNION SELECT followed_id FROM follows WHERE follower_id = $1
                          UNION SELECT receiver_id FROM connections WHERE sender_id = $1 AND status = 'CONFIRMED'
                          UNION SELECT sender_id FROM connections WHERE receiver_id = $1 AND status = 'CONFIRMED')
      ORDER BY created_at DESC, id DESC LIMIT $2)
), page AS (
    SELECT id, created_at FROM cand ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4
)
SELECT p.id, p.body, p.pic1, p.pic2, p.pic3, p.video, p.article, p.created_at,
       p.like_count, p.comment_count, p.share_count,
       {_CARD.format(a="au", r="ap", p="c_")},
       pp.id AS parent_id, pp.body AS parent_body, pp.pic1 AS parent_pic1, pp.pic2 AS parent_pic2,
       pp.pic3 AS parent_pic3, pp.video AS parent_video, pp.article AS parent_article,
       pp.created_at AS parent_created_at,
       {_CARD.format(a="pu", r="ppr", p="pc_")},
       EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = $1) AS liked,
       EXISTS (SELECT 1 FROM post_saves s WHERE s.user_id = $1 AND s.post_id = p.id) AS saved,
       EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followed_id = p.author_id) AS following,
       (SELECT count(*) FROM cand) AS total
  FROM page
  JOIN posts p ON p.id = page.id
  JOIN users au ON au.id = p.author_id
  LEFT JOIN profiles ap ON ap.user_id = p.author_id
  LEFT JOIN posts pp ON pp.id = p.parent_id
  LEFT JOIN users pu ON pu.id = pp.author_id
  LEFT JOIN profiles ppr ON ppr.user_id = pp.author_id
 ORDER BY page.created_at DESC, page.id DESC
"""

_ENCODER = msgspec.json.Encoder()


def _na(value: str | None) -> str:
    return value or "N/A"


def _profile(row: asyncpg.Record, p: str, public: str) -> dict[str, Any]:
    if row[f"{p}user_type"] == "employer":
        return {
            "id": row[f"{p}id"],
            "first_name": row[f"{p}company_name"] or row[f"{p}first_name"] or "",
            "last_name": "",
            "middle_name": "",
            "profile_photo": row[f"{p}logo"] or f"{public}/static/defaults/company_logo.png",
            "qualification": row[f"{p}tagline"] or "",
            "user_type": row[f"{p}user_type"],
        }
    return {
        "id": row[f"{p}id"],
        "first_name": row[f"{p}first_name"] or "",
        "last_name": row[f"{p}last_name"] or "",
        "middle_name": row[f"{p}middle_name"] or "",
        "profile_photo": row[f"{p}profile_photo"] or f"{public}/static/defaults/profile_photo.png",
        "qualification": row[f"{p}qualification"] or "",
        "user_type": row[f"{p}user_type"],
    }


def _post(row: asyncpg.Record, viewer: int, public: str) -> dict[str, Any]:
    parent = None
    if row["parent_id"] is not None:
        parent = {
            "profile": _profile(row, "pc_", public),
            "body": row["parent_body"],
            "pic1": _na(row["parent_pic1"]),
            "pic2": _na(row["parent_pic2"]),
            "pic3": _na(row["parent_pic3"]),
            "video": _na(row["parent_video"]),
            "article": _na(row["parent_article"]),
            "time_stamp": row["parent_created_at"],
            "post_id": row["parent_id"],
        }
    is_self = row["c_id"] == viewer
    return {
        "profile": _profile(row, "c_", public),
        "body": row["body"],
        "pic1": _na(row["pic1"]),
        "pic2": _na(row["pic2"]),
        "pic3": _na(row["pic3"]),
        "video": _na(row["video"]),
        "article": _na(row["article"]),
        "time_stamp": row["created_at"],
        "comment_count": row["comment_count"],
        "like_count": row["like_count"],
        "share_count": row["share_count"],
        "parent": parent,
        "can_like": not row["liked"],
        "can_follow": not is_self and not row["following"],
        "is_self": is_self,
        "is_saved": row["saved"],
        "post_id": row["id"],
    }


def _error(status: int, detail: str) -> Response[bytes]:
    return Response(_ENCODER.encode({"detail": detail}), status_code=status, media_type="application/json")


def create_app(dsn: str | None = None, secret: str | None = None, public_url: str | None = None) -> Litestar:
    dsn = dsn or os.environ["BENCH_FLOOR_DSN"]
    key = secret or os.environ["BENCH_FLOOR_SECRET"]
    public = (public_url or os.environ.get("BENCH_FLOOR_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
    state: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        state["pool"] = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
        try:
            yield
        finally:
            await state["pool"].close()

    @get("/post/")
    async def feed(request: Request[Any, Any, Any]) -> Response[bytes]:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            claims = jwt.decode(token, key, algorithms=["HS256"])
        except jwt.PyJWTError:
            return _error(401, "Given token not valid for any token type")
        if scheme.lower() != "bearer" or claims.get("token_type") != "access":
            return _error(401, "Given token not valid for any token type")
        viewer = int(claims["user_id"])
        raw = request.query_params.get("page") or "1"
        number = int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else 0
        offset = (number - 1) * PAGE_SIZE
        if number == 0 or offset >= LISTED_MAX:
            return _error(404, "Invalid page.")
        rows = await state["pool"].fetch(FEED_SQL, viewer, LISTED_MAX, PAGE_SIZE, offset)
        count = min(int(rows[0]["total"]), LISTED_MAX) if rows else 0
        last = max(1, -(-count // PAGE_SIZE))
        if number > last:
            return _error(404, "Invalid page.")
        base = f"{request.base_url}".rstrip("/") + "/post/"

        def link(n: int) -> str:
            return f"{base}?page={n}" if n > 1 else base

        doc = {
            "count": count,
            "next": link(number + 1) if number < last else None,
            "previous": link(number - 1) if number > 1 else None,
            "results": [_post(r, viewer, public) for r in rows],
            "last_page": f"{base}?page={last}",
        }
        return Response(_ENCODER.encode(doc), media_type="application/json")

    return Litestar(route_handlers=[feed], lifespan=[lifespan], openapi_config=None, logging_config=None)
