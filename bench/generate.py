"""Fill a migrated database with a deterministic social graph for the benchmarks.

    .venv/bin/python -m bench.generate --url sqlite+aiosqlite:///bench/data/bench_100k.db --posts 100000 --reset
    .venv/bin/python -m bench.generate --url postgresql+asyncpg://postgres@127.0.0.1/bench_100k --posts 100000 --reset

Proportions follow the issue (per 100k posts: 10k users, 500k likes, 100k comments, 50k follows) unless given:
users = posts/10 (10 % mentors, spread over the 15 industries), follows = posts/2, likes = 5×posts,
comments = posts (a third of them replies in a thread), reposts = 5 % of the posts, saves = posts/2, shares =
posts/20. Users ``bench1@example.com`` … share the password ``Bench-Passw0rd``. Rows are written with ``COPY``
(PostgreSQL, through asyncpg) or batched ``executemany`` (SQLite), never through the HTTP API; the counters on
posts and comments are computed here, so they are exact. Same seed, same data. A ``bench_meta`` row records what
was generated, so ``bench.run`` can reuse a database.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from adapters.db.migrate import upgrade
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.feed import (
    comments,
    follows,
    post_industries,
    post_likes,
    post_saves,
    post_shares,
    posts,
)

PASSWORD = "Bench-Passw0rd"
GENERATOR_VERSION = 2
INDUSTRIES = [
    "banking", "entertainment", "transportation", "education", "agriculture", "business", "construction",
    "government", "others", "commerce", "health", "technology", "manufacturing", "sports", "media",
]  # fmt: skip
WORDS = (
    "farm", "crops", "harvest", "software", "python", "cloud", "bank", "loan", "school", "teacher",
    "hospital", "doctor", "film", "music", "road", "truck", "market", "trade", "build", "cement", "policy",
    "vote", "factory", "steel", "football", "match", "news", "radio", "data", "ideas", "team", "growth",
)  # fmt: skip
BATCH = 5000
# The instant the generated timeline ends: fixed, so a seed gives the same rows on every run.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


async def _write(
    conn: AsyncConnection, table: Table, columns: Sequence[str], records: Iterable[tuple[Any, ...]]
) -> int:
    rows = list(records)
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.copy_records_to_table(table.name, records=rows, columns=list(columns))
        return len(rows)
    stmt = insert(table)
    for start in range(0, len(rows), BATCH):
        await conn.execute(stmt, [dict(zip(columns, r, strict=True)) for r in rows[start : start + BATCH]])
    return len(rows)


async def _reset(url: str) -> None:
    if url.startswith("sqlite+aiosqlite:///"):
        path = Path(url.removeprefix("sqlite+aiosqlite:///").split("?", 1)[0])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # noqa: ASYNC240 - a script, before any I/O
        return
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def read_meta(url: str) -> dict[str, Any] | None:
    """What ``generate`` recorded in this database, or None (missing, empty or interrupted)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT posts, users, seed, version FROM bench_meta"))).mappings().first()
            return dict(row) if row else None
    except Exception:
        return None
    finally:
        await engine.dispose()


async def generate(
    url: str,
    *,
    posts_n: int,
    users_n: int | None = None,
    follows_n: int | None = None,
    likes_n: int | None = None,
    comments_n: int | None = None,
    mentor_share: float = 0.1,
    seed: int = 4,
    reset: bool = True,
) -> dict[str, float]:
    users_n = users_n or max(100, posts_n // 10)
    follows_n = follows_n if follows_n is not None else posts_n // 2
    likes_n = likes_n if likes_n is not None else posts_n * 5
    comments_n = comments_n if comments_n is not None else posts_n
    rng = random.Random(seed)
    if reset:
        await _reset(url)
    await asyncio.to_thread(upgrade, url)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    password_hash = PasswordHasher().hash(PASSWORD)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        pg = conn.dialect.name == "postgresql"
        if pg:
            await conn.execute(text("SET LOCAL synchronous_commit = off"))
            # The generator writes consistent rows; skipping the per-row foreign-key triggers (a superuser
            # setting, as in pg_restore) makes COPY several times faster.
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            await conn.execute(text("PRAGMA synchronous=OFF"))
        t = time.perf_counter()
        kinds: dict[int, bool] = {}
        user_cols = (
            "id", "email", "password_hash", "user_type", "industry", "is_staff", "is_active", "email_verified",
            "date_joined", "tokens_valid_after", "email_notify", "push_notify", "message_notify", "weekly_summary",
            "job_alerts", "marketing", "show_email", "show_activity", "show_location",
        )  # fmt: skip
        user_rows = []
        joined = EPOCH - timedelta(days=400)
        for uid in range(1, users_n + 1):
            mentor = rng.random() < mentor_share
            kinds[uid] = mentor
            user_rows.append((
                uid, f"bench{uid}@example.com", password_hash, "mentor" if mentor else "learner",
                INDUSTRIES[(uid * 7 + rng.randrange(15)) % 15], False, True, True, joined, None, False, True, False,
                False, True, False, True, False, False,
            ))  # fmt: skip
        await _write(conn, users, user_cols, user_rows)
        empty = "[]" if pg else []
        profile_cols = (
            "user_id", "first_name", "last_name", "middle_name", "profile_photo", "cover_photo", "qualification",
            "position", "location", "bio", "intro_video", "summary", "resume", "country_code", "phone_number",
            "timezone", "years_of_experience", "availability", "current_job", "areas_of_expertise",
            "technical_skills", "mentorship_styles", "session_rate_minor", "session_rate_currency", "linkedin_url",
            "company_name", "company_type", "company_size", "website", "tagline", "logo",
        )  # fmt: skip
        await _write(conn, profiles, profile_cols, (
            (uid, f"First{uid}", f"Last{uid}", "N/A", None, None, "BSc", "", "", "", "", "", "", "+000",
             "00000000000", "UTC", None, None, None, empty, empty, empty, 0, "USD", None, None, None, None, None,
             None, None)
            for uid in range(1, users_n + 1)
        ))  # fmt: skip
        timings["users"] = time.perf_counter() - t

        t = time.perf_counter()
        seen: set[tuple[int, int]] = set()
        follow_rows = []
        while len(follow_rows) < follows_n:
            a, b = rng.randint(1, users_n), rng.randint(1, users_n)
            if a != b and (a, b) not in seen:
                seen.add((a, b))
                follow_rows.append((len(follow_rows) + 1, a, b, joined))
        await _write(conn, follows, ("id", "follower_id", "followed_id", "created_at"), follow_rows)
        del seen, follow_rows
        timings["follows"] = time.perf_counter() - t

        t = time.perf_counter()
        start = EPOCH - timedelta(seconds=posts_n * 30)
        created = [start + timedelta(seconds=30 * pid) for pid in range(posts_n + 1)]
        parents: dict[int, int] = {}
        for pid in range(2, posts_n + 1):
            if rng.random() < 0.05:
                parent = rng.randint(1, pid - 1)
                parents[pid] = parents.get(parent, parent)  # a repost points at the root original
        likes: dict[int, set[int]] = {}
        for _ in range(likes_n):
            likes.setdefault(rng.randint(1, posts_n), set()).add(rng.randint(1, users_n))
        comment_rows = []
        top_level: list[int] = []
        comment_counts: dict[int, int] = {}
        comment_post: dict[int, int] = {}
        for cid in range(1, comments_n + 1):
            if top_level and rng.random() < 1 / 3:
                parent = rng.choice(top_level)
                pid, thread = comment_post[parent], parent
            else:
                pid, parent, thread = rng.randint(1, posts_n), None, None
                top_level.append(cid)
                comment_counts[pid] = comment_counts.get(pid, 0) + 1
            comment_post[cid] = pid
            comment_rows.append((
                cid, pid, rng.randint(1, users_n), parent, thread, " ".join(rng.choices(WORDS, k=8)), None,
                created[pid] + timedelta(seconds=1 + cid % 29), 0,
            ))  # fmt: skip
        del top_level, comment_post
        shares: dict[int, set[int]] = {}
        for _ in range(posts_n // 20):
            shares.setdefault(rng.randint(1, posts_n), set()).add(rng.randint(1, users_n))
        post_rows = []
        tag_rows = []
        for pid in range(1, posts_n + 1):
            author = rng.randint(1, users_n)
            parent_id = parents.get(pid)
            tags = sorted(set(rng.choices(INDUSTRIES, k=rng.randint(1, 2))))
            body = "" if parent_id and rng.random() < 0.5 else " ".join(rng.choices(WORDS, k=rng.randint(10, 40)))
            post_rows.append((
                pid, author, body, None, None, None, None, None, parent_id, ",".join(tags), kinds[author],
                created[pid], len(likes.get(pid, ())), comment_counts.get(pid, 0), len(shares.get(pid, ())),
            ))  # fmt: skip
            tag_rows.extend((pid, tag, created[pid]) for tag in tags)
        post_cols = (
            "id", "author_id", "body", "pic1", "pic2", "pic3", "video", "article", "parent_id", "industries",
            "by_mentor", "created_at", "like_count", "comment_count", "share_count",
        )  # fmt: skip
        await _write(conn, posts, post_cols, post_rows)
        await _write(conn, post_industries, ("post_id", "industry", "created_at"), tag_rows)
        del post_rows, tag_rows
        timings["posts"] = time.perf_counter() - t

        t = time.perf_counter()
        await _write(conn, post_likes, ("post_id", "user_id", "created_at"), (
            (p, u, created[p]) for p in sorted(likes) for u in sorted(likes[p])
        ))  # fmt: skip
        del likes
        await _write(conn, comments, (
            "id", "post_id", "user_id", "parent_id", "thread_id", "body", "media", "created_at", "like_count",
        ), comment_rows)  # fmt: skip
        del comment_rows
        saved: set[tuple[int, int]] = set()
        for _ in range(posts_n // 2):
            saved.add((rng.randint(1, users_n), rng.randint(1, posts_n)))
        await _write(conn, post_saves, ("user_id", "post_id", "created_at"), (
            (u, p, created[p]) for u, p in sorted(saved)
        ))  # fmt: skip
        share_rows = []
        for p in sorted(shares):
            for u in sorted(shares[p]):
                digest = hashlib.sha256(f"{seed}:{p}:{u}".encode()).hexdigest()
                share_rows.append((len(share_rows) + 1, p, u, digest, created[p]))
        await _write(conn, post_shares, ("id", "post_id", "user_id", "hash", "created_at"), share_rows)
        timings["likes+comments+saves"] = time.perf_counter() - t
        if pg:
            for table in ("users", "posts", "comments", "follows", "post_shares"):
                await conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                ))  # fmt: skip
        await conn.execute(text("DROP TABLE IF EXISTS bench_meta"))
        await conn.execute(
            text("CREATE TABLE bench_meta (posts INTEGER, users INTEGER, seed INTEGER, version INTEGER)")
        )
        await conn.execute(
            text("INSERT INTO bench_meta VALUES (:p, :u, :s, :v)"),
            {"p": posts_n, "u": users_n, "s": seed, "v": GENERATOR_VERSION},
        )
    t = time.perf_counter()
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # VACUUM sets the visibility map so the covering indexes serve index-only scans at once (autovacuum
            # would do it later on a live system).
            _ = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
        else:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    timings["analyze"] = time.perf_counter() - t
    await engine.dispose()
    timings["total"] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="SQLAlchemy async URL of an empty (or --reset) database")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=None, help="default posts/10")
    parser.add_argument("--follows", type=int, default=None, help="default posts/2")
    parser.add_argument("--likes", type=int, default=None, help="default 5×posts")
    parser.add_argument("--comments", type=int, default=None, help="default posts")
    parser.add_argument("--mentor-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--reset", action="store_true", help="drop everything first")
    args = parser.parse_args()
    timings = asyncio.run(generate(
        args.url, posts_n=args.posts, users_n=args.users, follows_n=args.follows, likes_n=args.likes,
        comments_n=args.comments, mentor_share=args.mentor_share, seed=args.seed, reset=args.reset,
    ))  # fmt: skip
    for name, seconds in timings.items():
        print(f"{name:>22}: {seconds:7.2f} s")


if __name__ == "__main__":
    main()
