"""Fill a migrated database with a deterministic social graph for the feed benchmarks.

    .venv/bin/python -m bench.generate --url sqlite+aiosqlite:///var/bench.db --posts 100000
    .venv/bin/python -m bench.generate --url postgresql+asyncpg://postgres@127.0.0.1/bench --posts 100000

Users ``bench1@example.com`` … share the password ``Bench-Passw0rd`` (the load script signs in as them). The
database must be empty (fresh or after ``--reset``). Rows are written in batches with ``executemany``
(PostgreSQL: ``COPY`` through asyncpg); counters on posts and comments are computed here, so they are exact.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from adapters.db.migrate import upgrade
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.feed import comments, follows, post_industries, post_likes, posts

PASSWORD = "Bench-Passw0rd"
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


async def _write(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        columns = list(rows[0])
        records = [tuple(r[c] for c in columns) for r in rows]
        await driver.copy_records_to_table(table.name, records=records, columns=columns)
        return
    for start in range(0, len(rows), BATCH):
        await conn.execute(insert(table), rows[start : start + BATCH])


async def generate(url: str, *, users_n: int, posts_n: int, follows_per_user: int, likes_n: int, comments_n: int,
                   mentor_share: float, seed: int, reset: bool) -> dict[str, float]:
    rng = random.Random(seed)
    if reset and url.startswith("sqlite+aiosqlite:///"):
        path = Path(url.removeprefix("sqlite+aiosqlite:///").split("?", 1)[0])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # noqa: ASYNC240 - a script, before any I/O
    elif reset:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await asyncio.to_thread(upgrade, url)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    password_hash = PasswordHasher().hash(PASSWORD)
    now = datetime.now(UTC).replace(microsecond=0)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            await conn.execute(text("PRAGMA synchronous=OFF"))
        t = time.perf_counter()
        user_rows, profile_rows, kinds = [], [], {}
        for uid in range(1, users_n + 1):
            kind = "mentor" if rng.random() < mentor_share else "learner"
            kinds[uid] = kind
            user_rows.append({
                "id": uid, "email": f"bench{uid}@example.com", "password_hash": password_hash, "user_type": kind,
                "industry": rng.choice(INDUSTRIES), "is_staff": False, "is_active": True, "email_verified": True,
                "date_joined": now, "tokens_valid_after": None, "email_notify": False, "push_notify": True,
                "message_notify": False, "weekly_summary": False, "job_alerts": True, "marketing": False,
                "show_email": True, "show_activity": False, "show_location": False,
            })
            profile_rows.append({
                "user_id": uid, "first_name": f"First{uid}", "last_name": f"Last{uid}", "middle_name": "N/A",
                "profile_photo": None, "cover_photo": None, "qualification": "BSc", "position": "", "location": "",
                "bio": "", "intro_video": "", "summary": "", "resume": "", "country_code": "+000",
                "phone_number": "00000000000", "timezone": "UTC", "years_of_experience": None, "availability": None,
                "current_job": None, "areas_of_expertise": [], "technical_skills": [], "mentorship_styles": [],
                "session_rate_minor": 0, "session_rate_currency": "USD", "linkedin_url": None, "company_name": None,
                "company_type": None, "company_size": None, "website": None, "tagline": None, "logo": None,
            })
        await _write(conn, users, user_rows)
        if conn.dialect.name == "postgresql":
            for col in ("areas_of_expertise", "technical_skills", "mentorship_styles"):
                for row in profile_rows:
                    row[col] = "[]"
        await _write(conn, profiles, profile_rows)
        timings["users"] = time.perf_counter() - t

        t = time.perf_counter()
        follow_rows, seen = [], set()
        for uid in range(1, users_n + 1):
            for _ in range(follows_per_user):
                other = rng.randint(1, users_n)
                if other != uid and (uid, other) not in seen:
                    seen.add((uid, other))
                    follow_rows.append({"follower_id": uid, "followed_id": other, "created_at": now})
        await _write(conn, follows, follow_rows)
        timings["follows"] = time.perf_counter() - t

        t = time.perf_counter()
        likes: dict[int, set[int]] = {}
        for _ in range(likes_n):
            likes.setdefault(rng.randint(1, posts_n), set()).add(rng.randint(1, users_n))
        comment_counts: dict[int, int] = {}
        comment_rows = []
        for cid in range(1, comments_n + 1):
            pid = rng.randint(1, posts_n)
            comment_counts[pid] = comment_counts.get(pid, 0) + 1
            comment_rows.append({
                "id": cid, "post_id": pid, "user_id": rng.randint(1, users_n), "parent_id": None, "thread_id": None,
                "body": " ".join(rng.choices(WORDS, k=8)), "media": None, "created_at": now, "like_count": 0,
            })
        post_rows: list[dict[str, Any]] = []
        tag_rows: list[dict[str, Any]] = []
        start = now - timedelta(seconds=posts_n)
        for pid in range(1, posts_n + 1):
            author = rng.randint(1, users_n)
            created = start + timedelta(seconds=pid)
            tags = sorted(set(rng.choices(INDUSTRIES, k=rng.randint(1, 2))))
            post_rows.append({
                "id": pid, "author_id": author, "body": " ".join(rng.choices(WORDS, k=rng.randint(10, 40))),
                "pic1": None, "pic2": None, "pic3": None, "video": None, "article": None, "parent_id": None,
                "industries": ",".join(tags), "by_mentor": kinds[author] == "mentor", "created_at": created,
                "like_count": len(likes.get(pid, ())), "comment_count": comment_counts.get(pid, 0), "share_count": 0,
            })
            tag_rows.extend({"post_id": pid, "industry": tag, "created_at": created} for tag in tags)
        await _write(conn, posts, post_rows)
        await _write(conn, post_industries, tag_rows)
        timings["posts"] = time.perf_counter() - t
        t = time.perf_counter()
        like_rows = [{"post_id": p, "user_id": u, "created_at": now} for p, us in likes.items() for u in sorted(us)]
        await _write(conn, post_likes, like_rows)
        await _write(conn, comments, comment_rows)
        timings["likes+comments"] = time.perf_counter() - t
        if conn.dialect.name == "postgresql":
            for table in ("users", "posts", "comments"):
                await conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                ))
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # VACUUM sets the visibility map so the covering indexes serve index-only scans at once (autovacuum
            # would do it later on a live system).
            _ = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
        else:
            await conn.execute(text("ANALYZE"))
    await engine.dispose()
    timings["total"] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="SQLAlchemy async URL of an empty (or --reset) database")
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--follows-per-user", type=int, default=20)
    parser.add_argument("--likes", type=int, default=200_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--mentor-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--reset", action="store_true", help="drop everything first")
    args = parser.parse_args()
    timings = asyncio.run(generate(
        args.url, users_n=args.users, posts_n=args.posts, follows_per_user=args.follows_per_user,
        likes_n=args.likes, comments_n=args.comments, mentor_share=args.mentor_share, seed=args.seed,
        reset=args.reset,
    ))
    for name, seconds in timings.items():
        print(f"{name:>16}: {seconds:7.2f} s")


if __name__ == "__main__":
    main()
