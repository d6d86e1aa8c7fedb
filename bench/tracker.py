"""The tracker's metrics benchmark (part of ``make bench`` after the job board; ``--no-tracker`` skips it).

On the job board's data set (``bench_jobs``: 10k users, 16 viewers with live sessions), ``TRACKED_N`` (1M) tracked
applications are bulk-copied (COPY): ``VIEWER_N`` (10k) for each of the 16 viewers — the first viewer is the one
whose statement counts are reported —, the rest spread over the other users; 2 % deleted, sources, companies,
titles and statuses from small vocabularies, days over the last two years. Our server (2 workers) is driven with
wrk on every metrics endpoint of the native API and the job-search-tracker face, and the SQL statements per
request are counted (each metric is one indexed statement per owner: the token check, the time zone, the query).

Data are generated once (a ``bench_tracker_meta`` row records what) and reused."""

from __future__ import annotations

import asyncio
import json
import random
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.tables.tracker import tracked_applications
from bench import run as bench
from bench.generate import _write
from core.jobs.model.tracker import company_key

__all__ = ("ENDPOINTS", "TRACKED_N", "VIEWER_N", "fill", "run", "statement_counts")

TRACKED_N = 1_000_000
VIEWER_N = 10_000
VERSION = 1
SEED = 7
SOURCES = ("LinkedIn", "Indeed", "Hired.com", "Vettery", "Career Nexus", "Referral", "", "Glassdoor")
COMPANIES = ("Acme", "Globex", "Initech", "Umbrella", "Stark Industries", "Wayne Enterprises", "Hooli", "Pied Piper")
TITLES = ("Backend Engineer", "Frontend Developer", "Data Analyst", "Product Manager", "Software Engineer",
          "Cloud Architect", "QA Engineer", "DevOps Engineer")  # fmt: skip

ENDPOINTS = [
    bench.Endpoint("GET /tracker/metrics/summary/", "/tracker/metrics/summary/"),
    bench.Endpoint("GET /tracker/metrics/by-month/?total=true", "/tracker/metrics/by-month/?total=true"),
    bench.Endpoint("GET /tracker/metrics/by-company/", "/tracker/metrics/by-company/"),
    bench.Endpoint("GET /tracker/metrics/by-title-status/", "/tracker/metrics/by-title-status/"),
    bench.Endpoint("GET /tracker/metrics/per-week/", "/tracker/metrics/per-week/"),
    bench.Endpoint("GET /tracker/metrics/dashboard/", "/tracker/metrics/dashboard/"),
    bench.Endpoint("GET /tracker/applications/?status=1", "/tracker/applications/?status=1"),
    bench.Endpoint("GET /api/report/perSite/", "/api/report/perSite/"),
]


def log(message: str) -> None:
    bench.log(message)


async def _meta(url: str) -> dict[str, int] | None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS bench_tracker_meta (info text NOT NULL)"))
        row = (await conn.execute(text("SELECT info FROM bench_tracker_meta"))).first()
    await engine.dispose()
    return json.loads(row[0]) if row is not None else None


async def fill(url: str, viewers: list[int], total: int = TRACKED_N, per_viewer: int = VIEWER_N) -> None:
    """``per_viewer`` applications for each viewer, the rest of ``total`` over the other users (bulk COPY)."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS bench_tracker_meta (info text NOT NULL)"))
        await conn.execute(text("DELETE FROM tracked_applications"))
        users_n = int((await conn.execute(text("SELECT max(id) FROM users"))).scalar_one())
        others = [u for u in range(1, users_n + 1) if u not in set(viewers)]
        owners = [v for v in viewers for _ in range(per_viewer)]
        owners += [others[i % len(others)] for i in range(max(0, total - len(owners)))]
        columns = ("owner_id", "title", "company", "company_key", "source", "status_id", "is_rejected",
                   "rejected_stage", "applied_at", "applied_on", "external_url", "location", "employment_type",
                   "work_type", "pay_currency", "description", "tech_stack", "questions", "extra", "created_at",
                   "updated_at", "is_deleted")  # fmt: skip
        batch: list[tuple[object, ...]] = []
        for owner in owners:
            at = now - timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            company = rng.choice(COMPANIES)
            batch.append((owner, rng.choice(TITLES), company, company_key(company), rng.choice(SOURCES),
                          rng.choice((1, 1, 1, 2, 3, 4, 5)), rng.random() < 0.3, "", at, at.date(), "", "", "", "",
                          "", "", "[]", "[]", "{}", at, at, rng.random() < 0.02))  # fmt: skip
            if len(batch) == 50_000:
                await _write(conn, tracked_applications, columns, batch)
                batch = []
        await _write(conn, tracked_applications, columns, batch)
        await conn.execute(text("DELETE FROM bench_tracker_meta"))
        await conn.execute(text("INSERT INTO bench_tracker_meta VALUES (:i)"),
                           {"i": json.dumps({"tracked": total, "per_viewer": per_viewer, "version": VERSION})})
    async with engine.connect() as conn:
        _ = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE tracked_applications"))
    await engine.dispose()


async def prepare(scale: bench.Scale, total: int = TRACKED_N) -> None:
    if await _meta(scale.url) != {"tracked": total, "per_viewer": VIEWER_N, "version": VERSION}:
        log(f"generating {total:,} tracked applications ({VIEWER_N:,} for each of {len(scale.viewers)} viewers) …")
        started = time.perf_counter()
        await fill(scale.url, scale.viewers, total)
        log(f"generated in {time.perf_counter() - started:.0f} s")
    else:
        log("reusing the tracked applications")


async def statement_counts(scale: bench.Scale) -> dict[str, str]:
    from litestar.testing import AsyncTestClient

    from adapters.db.engine import StatementCounter
    from bootstrap.asgi import create_app
    from bootstrap.container import build_container
    from bootstrap.settings import load_settings

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


def run(binary: str, scale: bench.Scale, floor_rps: float | None, seconds: float, warmup: float) -> list[str]:
    """The tracker's part of the README block (markdown lines); ``scale``: the job board's data set."""
    asyncio.run(prepare(scale))
    counts = asyncio.run(statement_counts(scale))
    log(f"our server: tracker metrics for a user with {VIEWER_N:,} of {TRACKED_N:,} tracked applications")
    with bench.ours(scale.url):
        results = bench.run_endpoints(binary, scale, ENDPOINTS, bench.OURS_PORT, seconds, warmup)
    for name, r in results.items():
        r.statements = counts.get(name, "")
    return [bench.table(f"PG {TRACKED_N // 1000}k tracked applications, {VIEWER_N // 1000}k per viewer — tracker "
                        "metrics, read cache off", results, floor_rps)]
