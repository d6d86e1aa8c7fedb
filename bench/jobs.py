"""The job board's benchmark (part of ``make bench``; ``python -m bench.jobs`` runs it alone).

* ``bench_jobs`` (PostgreSQL): 10k users (``bench.generate`` with 10k posts) and 100k jobs
  (85 % active, 10 % closed, 5 % drafts; one or two of the 15 industries; titles from a small vocabulary; deadlines
  spread around today), each of the 16 bench viewers with a job preference. Our server (2 workers) is driven with wrk
  on ``GET /job/recommend/`` and ``GET /job/search/?q=engineer`` (16 connections, one user each) and compared with the
  floor app's ``GET /post/?page=1`` on ``bench_100k`` in the same run.
* ``bench_job_alerts`` (PostgreSQL): 100k users, each with a job preference. One job is published through the
  service and the alert-matching task (``jobs.match-alerts``) runs in-process: its wall time is the task time (the
  matching query, the ledger of alerted pairs, and the events' handlers — stored notifications once the
  notifications domain is wired). The job is deleted afterwards (its ledger rows go with it), so reruns measure the
  same thing.

Data are generated once (a ``bench_jobs_meta`` row records what) and reused.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.jobs import job_words
from adapters.db.migrate import upgrade
from adapters.db.tables.accounts import users
from adapters.db.tables.jobs import (
    job_industries,
    job_preference_terms,
    job_preferences,
    job_terms,
    jobs,
)
from bench import run as bench
from bench.generate import EPOCH, INDUSTRIES, _write, generate
from core.jobs.model.kernel import words

__all__ = ("ENDPOINTS", "AlertRun", "alert_matching", "prepare", "run")

JOBS_N = 100_000
USERS_N = 10_000
PREFERENCES_N = 100_000
VERSION = 1
SEED = 4
TITLES = (
    "Backend Engineer", "Frontend Developer", "Data Analyst", "Product Manager", "Sales Executive", "Nurse",
    "Accountant", "Civil Engineer", "Teacher", "Farm Manager", "Truck Driver", "Loan Officer", "Journalist",
    "Football Coach", "Factory Supervisor", "Policy Analyst", "Software Engineer", "Cloud Architect",
    "Marketing Lead", "Research Scientist",
)  # fmt: skip
LEVELS = ("Junior", "Senior", "Lead", "Principal", "")
ORGS = ("Acme", "Sterling Technologies", "Career Nexus Ltd", "TechExperts", "Mitiget Assurance", "Delta Farms")
EMPLOYMENT = ("full_time", "part_time", "internship", "freelance", "contract")
WORK = ("remote", "onsite", "hybrid")
EXPERIENCE = ("entry", "mid", "senior", "executive")

ENDPOINTS = [
    bench.Endpoint("GET /job/recommend/", "/job/recommend/"),
    bench.Endpoint("GET /job/search/?q=engineer", "/job/search/?q=engineer"),
    bench.Endpoint("GET /job/search/?q=engineer&work_type=remote", "/job/search/?q=engineer&work_type=remote"),
]


def log(message: str) -> None:
    bench.log(message)


async def _meta(url: str) -> dict[str, Any] | None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT jobs, users, preferences, version FROM bench_jobs_meta")))
            found = row.mappings().first()
            return dict(found) if found else None
    except Exception:
        return None
    finally:
        await engine.dispose()


async def _set_meta(url: str, jobs_n: int, users_n: int, prefs_n: int) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS bench_jobs_meta"))
        await conn.execute(text(
            "CREATE TABLE bench_jobs_meta (jobs INTEGER, users INTEGER, preferences INTEGER, version INTEGER)"
        ))  # fmt: skip
        await conn.execute(text("INSERT INTO bench_jobs_meta VALUES (:j, :u, :p, :v)"),
                           {"j": jobs_n, "u": users_n, "p": prefs_n, "v": VERSION})  # fmt: skip
        await conn.execute(text("SELECT 1"))
    async with engine.connect() as conn:
        _ = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))
    await engine.dispose()


async def _fill_jobs(url: str, jobs_n: int, users_n: int, rng: random.Random) -> None:
    today = datetime.now(UTC).date()
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("SET LOCAL synchronous_commit = off"))
        await conn.execute(text("SET LOCAL session_replication_role = replica"))
        job_rows, industry_rows, term_rows = [], [], []
        start = EPOCH - timedelta(seconds=jobs_n * 60)
        for jid in range(1, jobs_n + 1):
            roll = rng.random()
            status = "active" if roll < 0.85 else ("closed" if roll < 0.95 else "draft")
            title = f"{rng.choice(LEVELS)} {rng.choice(TITLES)}".strip()
            org = rng.choice(ORGS)
            tags = list(dict.fromkeys(rng.sample(INDUSTRIES, rng.choice((1, 1, 2)))))
            created = start + timedelta(seconds=60 * jid)
            deadline = today + timedelta(days=rng.randint(-30, 180))
            job_rows.append((
                jid, rng.randint(1, users_n), title, org, rng.choice(EMPLOYMENT), rng.choice(WORK), "Nigeria",
                "350,000NGN", "We are looking for you.", "Build things with us.", ",".join(tags),
                rng.choice(EXPERIENCE), deadline, status, created, created,
            ))  # fmt: skip
            industry_rows.extend((jid, tag, status, created) for tag in tags)
            term_rows.extend((jid, term, status, created) for term in job_words(title, org))
        columns = ("id", "poster_id", "title", "organization", "employment_type", "work_type", "country", "salary",
                   "overview", "description", "industries", "experience_level", "application_deadline", "status",
                   "created_at", "updated_at")  # fmt: skip
        await _write(conn, jobs, columns, job_rows)
        await _write(conn, job_industries, ("job_id", "industry", "status", "created_at"), industry_rows)
        await _write(conn, job_terms, ("job_id", "term", "status", "created_at"), term_rows)
        await conn.execute(text("SELECT setval(pg_get_serial_sequence('jobs', 'id'), (SELECT max(id) FROM jobs))"))
    await engine.dispose()


async def _fill_preferences(url: str, user_ids: range, rng: random.Random) -> None:
    now = datetime.now(UTC)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("SET LOCAL synchronous_commit = off"))
        await conn.execute(text("SET LOCAL session_replication_role = replica"))
        rows, terms = [], []
        for uid in user_ids:
            title = rng.choice(TITLES)
            rows.append((uid, title, rng.choice(EMPLOYMENT), rng.choice(WORK), rng.choice(INDUSTRIES),
                         rng.choice(EXPERIENCE), now))  # fmt: skip
            terms.extend((uid, t) for t in words(title))
        await _write(conn, job_preferences, ("user_id", "title", "employment_type", "work_type", "industry",
                                             "experience_level", "updated_at"), rows)  # fmt: skip
        await _write(conn, job_preference_terms, ("user_id", "term"), terms)
    await engine.dispose()


async def _bare_users(url: str, first: int, last: int) -> None:
    """Users without anything else (the alert bench needs many preferences, not their owners' activity)."""
    engine = create_async_engine(url)
    joined = EPOCH - timedelta(days=10)
    async with engine.begin() as conn:
        await conn.execute(text("SET LOCAL synchronous_commit = off"))
        columns = ("id", "email", "password_hash", "user_type", "industry", "is_staff", "is_active", "email_verified",
                   "date_joined", "tokens_valid_after", "email_notify", "push_notify", "message_notify",
                   "weekly_summary", "job_alerts", "marketing", "show_email", "show_activity", "show_location")
        await _write(conn, users, columns, (
            (uid, f"alerts{uid}@example.com", None, "learner", INDUSTRIES[uid % 15], False, True, True, joined, None,
             False, True, False, False, True, False, False, False, False)
            for uid in range(first, last + 1)
        ))  # fmt: skip
        await conn.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))"))
    await engine.dispose()


async def _settle(url: str) -> None:
    """The data as the daily ``close-expired-jobs`` leaves it, and no leftover tasks (the servers' inline workers would
    run them during the measurements)."""
    from bootstrap.container import build_container
    from bootstrap.settings import load_settings
    from core.tasks.jobs import run_batches

    container = build_container(load_settings(bench.server_env(url) | {"CAREERNEXUS_TASK_SCHEDULER": "false"}))
    try:
        closed = await run_batches(container.jobs.expiry())
        if closed:
            log(f"closed {closed} expired job(s) (close-expired-jobs)")
        async with container.platform.engine().begin() as conn:
            await conn.execute(text("DELETE FROM tasks"))
        if closed:  # what autovacuum would do soon after: index-only scans see the closed jobs' pages as visible
            async with container.platform.engine().connect() as conn:
                _ = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
    finally:
        await container.platform.engine().dispose()


async def prepare(jobs_n: int = JOBS_N, prefs_n: int = PREFERENCES_N) -> tuple[bench.Scale, str]:
    """``bench_jobs`` (with its 16 viewers picked) and the URL of ``bench_job_alerts``."""
    url = await bench.ensure_pg_database("bench_jobs")
    meta = await _meta(url)
    if meta != {"jobs": jobs_n, "users": USERS_N, "preferences": 16, "version": VERSION}:
        log(f"generating bench_jobs: {USERS_N:,} users, {jobs_n:,} jobs …")
        started = time.perf_counter()
        await generate(url, posts_n=10_000, users_n=USERS_N, seed=SEED, reset=True)
        await _fill_jobs(url, jobs_n, USERS_N, random.Random(SEED))
        scale = bench.Scale("PG jobs", url)
        await bench.pick_inputs(scale)
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            for i, viewer in enumerate(scale.viewers):
                await conn.execute(text(
                    "INSERT INTO job_preferences VALUES (:u, :t, :e, :w, :i, :x, now()) ON CONFLICT DO NOTHING"
                ), {"u": viewer, "t": TITLES[i % len(TITLES)], "e": EMPLOYMENT[i % 5], "w": WORK[i % 3],
                    "i": INDUSTRIES[i % 15], "x": EXPERIENCE[i % 4]})  # fmt: skip
                for term in words(TITLES[i % len(TITLES)]):
                    await conn.execute(text("INSERT INTO job_preference_terms VALUES (:u, :t) ON CONFLICT DO NOTHING"),
                                       {"u": viewer, "t": term})  # fmt: skip
        await engine.dispose()
        await _set_meta(url, jobs_n, USERS_N, 16)
        log(f"generated in {time.perf_counter() - started:.0f} s")
    else:
        log("reusing bench_jobs")
        await asyncio.to_thread(upgrade, url)
    await _settle(url)
    scale = bench.Scale("PG jobs", url)
    await bench.pick_inputs(scale)

    alerts_url = await bench.ensure_pg_database("bench_job_alerts")
    meta = await _meta(alerts_url)
    if meta != {"jobs": 0, "users": prefs_n, "preferences": prefs_n, "version": VERSION}:
        log(f"generating bench_job_alerts: {prefs_n:,} users with a job preference …")
        engine = create_async_engine(alerts_url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
        await asyncio.to_thread(upgrade, alerts_url)
        await _bare_users(alerts_url, 1, prefs_n)
        await _fill_preferences(alerts_url, range(1, prefs_n + 1), random.Random(SEED + 1))
        await _set_meta(alerts_url, 0, prefs_n, prefs_n)
    else:
        await asyncio.to_thread(upgrade, alerts_url)
    return scale, alerts_url


@dataclass(frozen=True)
class AlertRun:
    preferences: int
    alerted: int
    seconds: float


async def alert_matching(url: str, repeats: int = 3) -> AlertRun:
    """Publish one job and run its alert-matching task in-process (best of ``repeats``); the job is deleted after
    each run, its ledger rows with it."""
    from bootstrap.container import build_container
    from bootstrap.settings import load_settings
    from core.jobs.board.postings import NewJob
    from core.jobs.board.tasks import MatchAlerts

    env = bench.server_env(url) | {"CAREERNEXUS_TASK_SCHEDULER": "false"}
    container = build_container(load_settings(env))
    best = float("inf")
    alerted = 0
    engine = container.platform.engine()
    async with engine.connect() as conn:
        prefs = int((await conn.execute(text("SELECT count(*) FROM job_preferences"))).scalar_one())
        poster = int((await conn.execute(text("SELECT min(id) FROM users"))).scalar_one())
        await conn.execute(text("UPDATE users SET user_type = 'employer' WHERE id = :u"), {"u": poster})
        await conn.commit()
    try:
        for _ in range(repeats):
            job = await container.jobs.postings().create(poster, NewJob(
                title="Senior Backend Engineer", organization="Acme", employment_type="full_time",
                work_type="remote", country="Nigeria", salary="1", experience_level="senior",
                overview="Backend software engineering: APIs, databases and cloud servers.",
                description="Programming in Python for our software platform.",
                application_deadline=date.today() + timedelta(days=30),
            ))  # fmt: skip
            started = time.perf_counter()
            alerted = await container.jobs.alerts().run(MatchAlerts(job_id=job.id))
            best = min(best, time.perf_counter() - started)
            async with engine.begin() as conn:
                await conn.execute(delete(jobs).where(jobs.c.id == job.id))
                await conn.execute(text("DELETE FROM tasks WHERE name = 'jobs.match-alerts'"))
                if (await conn.execute(text("SELECT to_regclass('notifications') IS NOT NULL"))).scalar_one():
                    await conn.execute(text("DELETE FROM notifications WHERE page = 'Job'"))
    finally:
        await engine.dispose()
    return AlertRun(prefs, alerted, best)


async def statement_counts(scale: bench.Scale) -> dict[str, str]:
    from litestar.testing import AsyncTestClient

    from adapters.db.engine import StatementCounter
    from bootstrap.asgi import create_app
    from bootstrap.container import build_container
    from bootstrap.settings import load_settings

    # No scheduled jobs meanwhile (close-expired-jobs would run at start-up and be counted).
    container = build_container(load_settings(bench.server_env(scale.url) | {"CAREERNEXUS_TASK_SCHEDULER": "false"}))
    viewer = scale.viewers[0]
    headers = {"Authorization": f"Bearer {bench.tokens(scale, [viewer])[viewer]}"}
    counts: dict[str, str] = {}
    async with AsyncTestClient(app=create_app(container), base_url="http://127.0.0.1") as client:
        counter = StatementCounter()
        counter.attach(container.platform.engine())
        for ep in ENDPOINTS:
            await client.get(ep.path, headers=headers)
            with counter.measure() as seen:
                status = (await client.get(ep.path, headers=headers)).status_code
            counts[ep.name] = str(len([s for s in seen if "tasks" not in s])) + ("" if status == 200 else "!")
        counter.detach(container.platform.engine())
    await container.platform.engine().dispose()
    return counts


def run(binary: str, floor_rps: float | None, seconds: float, warmup: float) -> list[str]:
    """The job board's part of the README block (markdown lines)."""
    scale, alerts_url = asyncio.run(prepare())
    counts = asyncio.run(statement_counts(scale))
    log(f"our server on bench_jobs ({JOBS_N:,} jobs, {USERS_N:,} users), read cache off")
    with bench.ours(scale.url):
        results = bench.run_endpoints(binary, scale, ENDPOINTS, bench.OURS_PORT, seconds, warmup)
    for name, r in results.items():
        r.statements = counts.get(name, "")
    log("alert matching: one published job against the stored preferences")
    alerts = asyncio.run(alert_matching(alerts_url))
    log(f"  {alerts.alerted} alerted of {alerts.preferences:,} preferences in {alerts.seconds * 1000:.0f} ms")
    return [
        bench.table(f"PG {JOBS_N // 1000}k jobs / {USERS_N // 1000}k users — job board, read cache off", results,
                    floor_rps),
        "",
        f"Job alert matching (`jobs.match-alerts`, in-process on PostgreSQL): one published job against "
        f"{alerts.preferences:,} stored job preferences → {alerts.alerted} users alerted, task time "
        f"**{alerts.seconds * 1000:.0f} ms** (best of 3: the matching query, the ledger of alerted pairs and the "
        f"alert events' handlers).",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--floor", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the floor app's feed on bench_100k (must exist)")
    args = parser.parse_args()
    binary = bench.ensure_wrk()
    floor_rps: float | None = None
    if args.floor:
        reference = bench.Scale("PG 100k", f"{bench.PG_ADMIN}/bench_100k")
        asyncio.run(bench.pick_inputs(reference))
        with bench.floor(reference.url):
            floor = bench.run_endpoints(binary, reference, bench.ENDPOINTS[:1], bench.FLOOR_PORT, args.seconds,
                                        args.warmup)  # fmt: skip
        floor_rps = floor[bench.ENDPOINTS[0].name].rps
    print("\n".join(run(binary, floor_rps, args.seconds, args.warmup)))


if __name__ == "__main__":
    main()
