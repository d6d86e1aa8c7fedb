"""``make bench``: the whole benchmark in one command.

1. Installs ``wrk`` from Debian's packages when it is missing (``apt-get install -y wrk``).
2. Generates (or reuses, see ``bench_meta``) the data: PostgreSQL databases ``bench_10k``, ``bench_100k``,
   ``bench_1m`` and the SQLite file ``bench/data/bench_100k.db`` (``bench.generate``, deterministic).
3. Runs ``EXPLAIN`` of every post list (ours and the floor's) on the 100k data and reports a failure when a plan
   scans the whole ``posts`` table.
4. Counts the SQL statements each endpoint runs (in-process, ``StatementCounter``).
5. For each data set starts our server (``careernexus serve --workers 2 --no-access-log``) and, at 100k, the floor
   app (``bench/floor.py``, 2 workers), then drives each endpoint with wrk on 127.0.0.1: 16 connections (one
   user and one wrk thread each), a warm-up, then a bounded run; prints req/s, p50, p99, statements per request
   and our req/s as a fraction of the floor's feed.
6. Runs our server twice per data set: read cache off (``READ_CACHE_STALENESS_SECONDS=0``) and on (2 s, shared
   by the workers through Redis at ``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``), including a
   write-heavy mix (90% feed reads, 10% likes/unlikes); reports the cache's memory per worker (measured in-process
   after every viewer read every cached endpoint; bounded by ``READ_CACHE_MAX_BYTES``).
7. Background work (``bench/tasks.py``, ``--tasks N``, default 5000, ``0`` skips it): ``N`` ``mail.send`` tasks
   through the engine (``QUEUE=saq``, two ``careernexus worker`` processes), enqueue → done, in tasks per second;
   then the feed again on the 100k data with the web processes in ``QUEUE=saq`` mode and the two workers running
   beside them.
8. The job board (``bench/jobs.py``, ``--no-jobs`` skips it): ``GET /job/recommend/`` and the job search on 100k jobs /
   10k users (``bench_jobs``) against the floor's feed, and alert matching for one published job against 100k job
   preferences (``bench_job_alerts``), in task time.
9. The tracker (``bench/tracker.py``, ``--no-tracker`` skips it): every metrics endpoint for a user with 10k of 1M
   tracked applications (on ``bench_jobs``), with the SQL statements per request.
10. Writes the tables into README.md's "## Performance" section (``--no-readme`` to skip).

    .venv/bin/python -m bench.run [--scales 10k,100k,1m] [--seconds 8] [--warmup 2] [--no-sqlite] [--tasks 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.migrate import upgrade
from bench import tasks as task_bench
from bench.generate import GENERATOR_VERSION, generate, read_meta

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
BIN = Path(sys.executable).parent
SECRET = "bench-secret-key-for-load-runs-only-0123456789"
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 4
OURS_PORT, FLOOR_PORT = 8781, 8782
CONNECTIONS = 16
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
STALENESS = "2"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    method: str = "GET"


ENDPOINTS = [
    Endpoint("GET /post/?page=1", "/post/?page=1"),
    Endpoint("GET /post/following/", "/post/following/"),
    Endpoint("GET /post/by-mentors/", "/post/by-mentors/"),
    Endpoint("GET /post/posted/", "/post/posted/"),
    Endpoint("GET /user/retrieve-profile/", "/user/retrieve-profile/"),
    Endpoint("GET /followings/", "/followings/"),
    Endpoint("GET /followers/count/", "/followers/count/"),
    Endpoint("GET /follow/recommendation/", "/follow/recommendation/"),
    # Asked on every page of the real frontend (the generated data holds no notifications: an empty page).
    Endpoint("GET /notification-chat/notifications/", "/notification-chat/notifications/"),
    Endpoint("POST /post/like/ + /post/unlike/", "/post/like/", "POST"),
    # 9 feed reads, then a like or an unlike (alternating) of the viewer's post: 10% writes.
    Endpoint("mix: 90% GET /post/?page=1, 10% like/unlike", "/post/?page=1", "MIX"),
]


ENDPOINTS_BY_NAME = {ep.name: ep for ep in ENDPOINTS}


@dataclass
class Result:
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    errors: int = 0
    statements: str = ""


@dataclass
class Scale:
    label: str
    url: str
    viewers: list[int] = field(default_factory=list)
    like_posts: dict[int, list[int]] = field(default_factory=dict)
    sessions: dict[int, str] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- setup


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing Debian's package (apt-get install -y wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], capture_output=True).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update"], check=True, capture_output=True)
        subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("could not install wrk")
    return found


async def ensure_pg_database(name: str) -> str:
    engine = create_async_engine(f"{PG_ADMIN}/postgres", isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        exists = (await conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})).first()
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return f"{PG_ADMIN}/{name}"


async def ensure_data(url: str, posts: int) -> None:
    meta = await read_meta(url)
    if meta and meta["posts"] == posts and meta["seed"] == SEED and meta["version"] == GENERATOR_VERSION:
        log(f"reusing {url.rsplit('/', 1)[-1]} ({posts:,} posts)")
        await asyncio.to_thread(upgrade, url)  # tables added since the data was generated (the servers don't migrate)
        return
    log(f"generating {posts:,} posts into {url.rsplit('/', 1)[-1]} …")
    started = time.perf_counter()
    await generate(url, posts_n=posts, seed=SEED, reset=True)
    log(f"generated in {time.perf_counter() - started:.0f} s")


async def pick_inputs(scale: Scale) -> None:
    """16 viewers who follow at least three people (so every list has rows), five confirmed connections each,
    and for each one 600 posts it has not liked (its like/unlike loop always succeeds)."""
    engine = create_async_engine(scale.url)
    async with engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT follower_id FROM follows GROUP BY follower_id HAVING count(*) >= 3 ORDER BY follower_id LIMIT 16"
        ))  # fmt: skip
        scale.viewers = [int(r[0]) for r in rows]
        for i, viewer in enumerate(scale.viewers):
            rows = await conn.execute(
                text(
                    "SELECT id FROM posts p WHERE id % 16 = :k AND NOT EXISTS "
                    "(SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = :u) ORDER BY id DESC LIMIT 600"
                ),
                {"k": i, "u": viewer},
            )
            scale.like_posts[viewer] = [int(r[0]) for r in rows]
    # Tokens name a live session (``sid``): one per viewer, as a sign-in would create. Each viewer also gets
    # five confirmed connections (the generated data has none), so the feed's connection branch reads rows.
    async with engine.begin() as conn:
        now = datetime.now(UTC)
        users_n = int((await conn.execute(text("SELECT max(id) FROM users"))).scalar_one())
        for viewer in scale.viewers:
            for k in range(1, 6):
                other = (viewer * 31 + k * 97) % users_n + 1
                if other == viewer:
                    continue
                await conn.execute(
                    text(
                        "INSERT INTO connections (sender_id, receiver_id, user_low, user_high, status, created_at, "
                        "updated_at) VALUES (:s, :r, :lo, :hi, 'CONFIRMED', :t, :t) "
                        "ON CONFLICT (user_low, user_high) DO NOTHING"
                    ),
                    {"s": viewer, "r": other, "lo": min(viewer, other), "hi": max(viewer, other), "t": now},
                )
        for viewer in scale.viewers:
            sid = f"bench-{viewer}-{int(now.timestamp())}"
            await conn.execute(
                text("INSERT INTO sessions (id, user_id, created_at) VALUES (:id, :u, :t)"),
                {"id": sid, "u": viewer, "t": now},
            )
            scale.sessions[viewer] = sid
    await engine.dispose()


def tokens(scale: Scale, viewers: list[int]) -> dict[int, str]:
    from adapters.identity.jwt_tokens import JwtTokens

    issuer = JwtTokens(SECRET)
    now = datetime.now(UTC)
    return {v: issuer.issue(v, scale.sessions[v], now).access for v in viewers}


# ------------------------------------------------------------------------------------------- checks


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


async def explain_feeds(scale: Scale) -> list[str]:
    """EXPLAIN every post list (ours and the floor's feed); a sequential scan of ``posts`` is a failure."""
    from adapters.db.feed_queries import _POSTS  # the prebuilt statements the API runs
    from bench.floor import FEED_SQL
    from core.feed.model.views import LISTED_MAX, Listing

    viewer = scale.viewers[0]
    failures: list[str] = []
    engine = create_async_engine(scale.url)
    async with engine.connect() as conn:
        pg = conn.dialect.name == "postgresql"
        params = {"viewer": viewer, "subject": viewer, "bound": LISTED_MAX, "size": 5, "offset": 0}
        plans: dict[str, str] = {}
        for listing in Listing:
            stmt = _POSTS[listing].params(**params)
            dialect = conn.dialect if not pg else postgresql.dialect()
            sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            plans[f"ours {listing.value}"] = sql
        if pg:
            floor_sql = FEED_SQL.replace("$1", str(viewer)).replace("$2", str(LISTED_MAX))
            plans["floor feed"] = floor_sql.replace("$3", "5").replace("$4", "0")
        for name, sql in plans.items():
            if pg:
                raw = (await conn.execute(text("EXPLAIN (FORMAT JSON) " + sql))).scalar_one()
                plan = raw if isinstance(raw, list) else json.loads(raw)
                for node in _plan_nodes(plan[0]["Plan"]):
                    scanned = node.get("Relation Name")
                    if node.get("Node Type") == "Seq Scan" and scanned in {"posts", "post_industries"}:
                        failures.append(f"{name}: Seq Scan on {node['Relation Name']}")
            else:
                rows = (await conn.execute(text("EXPLAIN QUERY PLAN " + sql))).all()
                for row in rows:
                    detail = str(row[-1])
                    if re.match(r"SCAN (posts|post_industries)\b", detail) and "USING" not in detail:
                        failures.append(f"{name}: {detail}")
    await engine.dispose()
    return failures


async def count_statements(scale: Scale) -> dict[str, str]:
    """Statements per request of each endpoint, counted in-process on the same data."""
    from litestar.testing import AsyncTestClient

    from adapters.db.engine import StatementCounter
    from bootstrap.asgi import create_app
    from bootstrap.container import build_container
    from bootstrap.settings import load_settings

    settings = load_settings(server_env(scale.url))
    container = build_container(settings)
    viewer = scale.viewers[0]
    headers = {"Authorization": f"Bearer {tokens(scale, [viewer])[viewer]}"}
    counts: dict[str, str] = {}
    async with AsyncTestClient(app=create_app(container), base_url="http://127.0.0.1") as client:
        counter = StatementCounter()
        counter.attach(container.platform.engine())
        for ep in ENDPOINTS:
            if ep.method == "MIX":
                continue
            if ep.method == "GET":
                await client.get(ep.path, headers=headers)
                with counter.measure() as seen:
                    status = (await client.get(ep.path, headers=headers)).status_code
                counts[ep.name] = str(len([s for s in seen if "mail_outbox" not in s])) + ("" if status == 200 else "!")
            else:
                post = scale.like_posts[viewer][-1]
                with counter.measure() as liked:
                    await client.post("/post/like/", json={"post": post}, headers=headers)
                with counter.measure() as unliked:
                    await client.post("/post/unlike/", json={"post": post}, headers=headers)
                n_like = len([s for s in liked if "mail_outbox" not in s])
                n_unlike = len([s for s in unliked if "mail_outbox" not in s])
                counts[ep.name] = f"{n_like} + {n_unlike}"
        counter.detach(container.platform.engine())
    await container.platform.engine().dispose()
    return counts


async def cache_memory(scale: Scale) -> tuple[int, int]:
    """The read cache's bytes in one process after every viewer read every cached endpoint (the worst case of a
    bench run for one worker), and its bound."""
    from litestar.testing import AsyncTestClient

    from adapters.cache.memory import InProcessReadCache
    from bootstrap.asgi import create_app
    from bootstrap.container import build_container
    from bootstrap.settings import load_settings

    settings = load_settings(server_env(scale.url, cache=True) | {"CAREERNEXUS_REDIS_URL": ""})
    container = build_container(settings)
    cache = container.platform.read_cache()
    assert isinstance(cache, InProcessReadCache)
    toks = tokens(scale, scale.viewers)
    async with AsyncTestClient(app=create_app(container), base_url="http://127.0.0.1") as client:
        for viewer in scale.viewers:
            headers = {"Authorization": f"Bearer {toks[viewer]}"}
            for ep in ENDPOINTS:
                if ep.method == "GET":
                    await client.get(ep.path, headers=headers)
    await container.platform.engine().dispose()
    return cache.memory_bytes(), settings.cache.max_bytes


# ------------------------------------------------------------------------------------------- servers


def server_env(url: str, *, cache: bool = False, engine: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    DATA.mkdir(parents=True, exist_ok=True)
    if engine:  # QUEUE=saq: the web processes only enqueue, `careernexus worker` processes run the tasks
        env.update(CAREERNEXUS_QUEUE="saq", CAREERNEXUS_SAQ_QUEUE=task_bench.QUEUE_NAME)
    env.update(
        CAREERNEXUS_READ_CACHE_STALENESS_SECONDS=STALENESS if cache else "0",
        CAREERNEXUS_REDIS_URL=REDIS if cache or engine else "",
        CAREERNEXUS_DATABASE_URL=url,
        CAREERNEXUS_SECRET_KEY=SECRET,
        CAREERNEXUS_VAR_DIR=str(DATA / "var"),
        CAREERNEXUS_MEDIA_ROOT=str(DATA / "var" / "media"),
        CAREERNEXUS_LOG_LEVEL="WARNING",
        CAREERNEXUS_EMAIL_BACKEND="memory",
    )
    return env


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str], port: int, ready_path: str) -> Iterator[None]:
    log_file = (DATA / f"server-{port}.log").open("w")
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"server on port {port} exited; see {log_file.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=2):
                    break
            except urllib.error.HTTPError:  # any HTTP answer (the floor says 401) means it is serving
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise SystemExit(f"server on port {port} did not start; see {log_file.name}") from None
                time.sleep(0.5)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the process group we started (uvicorn and its workers)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log_file.close()


def ours(url: str, *, cache: bool = False, engine: bool = False) -> contextlib.AbstractContextManager[None]:
    command = [str(BIN / "careernexus"), "serve", "--host", "127.0.0.1", "--port", str(OURS_PORT),
               "--workers", "2", "--no-migrate", "--no-access-log"]  # fmt: skip
    return serving(command, server_env(url, cache=cache, engine=engine), OURS_PORT, "/health")


def floor(url: str) -> contextlib.AbstractContextManager[None]:
    env = server_env(url)
    env.update(BENCH_FLOOR_DSN=url.replace("postgresql+asyncpg://", "postgresql://"), BENCH_FLOOR_SECRET=SECRET)
    command = [str(BIN / "uvicorn"), "bench.floor:create_app", "--factory", "--host", "127.0.0.1", "--port",
               str(FLOOR_PORT), "--workers", "2", "--no-access-log", "--log-level", "warning"]  # fmt: skip
    return serving(command, env, FLOOR_PORT, "/post/?page=1")


# ------------------------------------------------------------------------------------------- load


def _lua(ep: Endpoint, scale: Scale, tokens_by_viewer: dict[int, str]) -> Path:
    """One wrk thread per connection: thread i is viewer i for the whole run; the like scenario alternates like
    and unlike of the same post on that one connection, so every request succeeds."""
    viewers = scale.viewers
    toks = ", ".join(json.dumps(tokens_by_viewer[v]) for v in viewers)
    posts = ", ".join("{" + ", ".join(str(p) for p in scale.like_posts[v]) + "}" for v in viewers)
    script = f"""
local tokens = {{{toks}}}
local posts = {{{posts}}}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("slot", counter)
end
function init(args)
  token = "Bearer " .. tokens[((slot - 1) % #tokens) + 1]
  mine = posts[((slot - 1) % #posts) + 1]
  -- the warm-up likes the second half of the list, the measured run the first: a run cut between a like and
  -- its unlike never leaves a liked post in the other run's way
  step = (args[1] == "warm") and 2 * math.floor(#mine / 2) or 0
end
function request()
  local method = "{ep.method}"
  if method == "GET" then
    return wrk.format("GET", "{ep.path}", {{["Authorization"] = token}})
  end
  if method == "MIX" then
    reads = (reads or 0) + 1
    if reads % 10 ~= 0 then
      return wrk.format("GET", "{ep.path}", {{["Authorization"] = token}})
    end
  end
  local post = mine[(math.floor(step / 2) % #mine) + 1]
  local path = (step % 2 == 0) and "/post/like/" or "/post/unlike/"
  step = step + 1
  return wrk.format("POST", path, {{["Authorization"] = token, ["Content-Type"] = "application/json"}},
                    '{{"post": ' .. post .. '}}')
end
"""
    path = DATA / f"wrk-{re.sub(r'[^a-z]+', '-', ep.name.lower()).strip('-')}.lua"
    path.write_text(script)
    return path


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", value.strip())
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def wrk(binary: str, port: int, ep: Endpoint, script: Path, seconds: float, warmup: float) -> Result:
    base = [binary, f"-t{CONNECTIONS}", f"-c{CONNECTIONS}", "--latency", "--timeout", "5s", "-s", str(script)]
    url = f"http://127.0.0.1:{port}{ep.path}"
    subprocess.run([*base, f"-d{warmup:g}s", url, "--", "warm"], check=True, capture_output=True)
    out = subprocess.run([*base, f"-d{seconds:g}s", url], check=True, capture_output=True, text=True).stdout
    result = Result()
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result.rps = float(m.group(1))
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        result.p50 = _ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        result.p99 = _ms(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result.errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result.errors += sum(int(g) for g in m.groups())
    return result


def run_endpoints(binary: str, scale: Scale, endpoints: list[Endpoint], port: int, seconds: float,
                  warmup: float) -> dict[str, Result]:  # fmt: skip
    toks = tokens(scale, scale.viewers)
    results = {}
    for ep in endpoints:
        results[ep.name] = wrk(binary, port, ep, _lua(ep, scale, toks), seconds, warmup)
        r = results[ep.name]
        log(f"  {scale.label:>10} {ep.name:<34} {r.rps:8.0f} req/s  p50 {r.p50:6.1f} ms  p99 {r.p99:6.1f} ms"
            + (f"  ERRORS {r.errors}" if r.errors else ""))
    return results


# ------------------------------------------------------------------------------------------- report


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    return (f"{os.cpu_count()} cores (`nproc` = {os.cpu_count()}), {cpu}{mem}, Python {platform.python_version()}, "
            "PostgreSQL 15 on the same machine; wrk 4.1 on the same cores")  # fmt: skip


def table(title: str, results: dict[str, Result], floor_rps: float | None) -> str:
    lines = [f"**{title}**", "",
             "| endpoint | req/s | p50 ms | p99 ms | SQL statements / request | of the floor's feed req/s | errors |",
             "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, r in results.items():
        ratio = f"{r.rps / floor_rps:.0%}" if floor_rps else "–"
        lines.append(f"| `{name}` | {r.rps:.0f} | {r.p50:.1f} | {r.p99:.1f} | {r.statements} | {ratio} | {r.errors} |")
    return "\n".join(lines)


def flat_table(by_scale: dict[str, dict[str, Result]]) -> str:
    labels = list(by_scale)
    lines = ["**p50 (ms) by data size, PostgreSQL** (flat = the largest at most 1.5× the smallest)", "",
             "| endpoint | " + " | ".join(labels) + " | largest / smallest |",
             "|---|" + "---:|" * (len(labels) + 1)]  # fmt: skip
    for name in by_scale[labels[0]]:
        p50s = [by_scale[label][name].p50 for label in labels]
        growth = p50s[-1] / p50s[0] if p50s[0] else float("nan")
        lines.append(f"| `{name}` | " + " | ".join(f"{p:.1f}" for p in p50s) + f" | {growth:.2f}× |")
    return "\n".join(lines)


def write_readme(block: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    body = f"{start}\n{block}\n{end}"
    if start in content and end in content:
        content = content[: content.index(start)] + body + content[content.index(end) + len(end) :]
    elif "## Performance" in content:
        content = content.replace("## Performance\n", f"## Performance\n\n{body}\n", 1)
    else:
        content = content.rstrip("\n") + f"\n\n## Performance\n\n{body}\n"
    readme.write_text(content)


# ------------------------------------------------------------------------------------------- main


async def prepare(scales: list[str], sqlite: bool) -> list[Scale]:
    prepared = []
    for label in scales:
        url = await ensure_pg_database(f"bench_{label}")
        await ensure_data(url, SCALES[label])
        prepared.append(Scale(f"PG {label}", url))
    if sqlite:
        url = f"sqlite+aiosqlite:///{DATA / 'bench_100k.db'}"
        await ensure_data(url, SCALES["100k"])
        prepared.append(Scale("SQLite 100k", url))
    for scale in prepared:
        await pick_inputs(scale)
    return prepared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10k,100k,1m", help="PostgreSQL data sets (10k, 100k, 1m)")
    parser.add_argument("--seconds", type=float, default=8, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per endpoint")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--readme", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--tasks", type=int, default=5000, help="tasks through the engine (0: skip that part)")
    parser.add_argument("--jobs", action=argparse.BooleanOptionalAction, default=True, help="the job board's part")
    parser.add_argument("--tracker", action=argparse.BooleanOptionalAction, default=True,
                        help="the tracker's metrics (1M tracked applications on the job board's data set)")
    args = parser.parse_args()
    started = time.monotonic()
    os.chdir(ROOT)
    binary = ensure_wrk()
    labels = [s.strip().lower() for s in args.scales.split(",") if s.strip()]
    scales = asyncio.run(prepare(labels, args.sqlite))
    reference = next((s for s in scales if s.label == "PG 100k"), scales[0])

    failures = asyncio.run(explain_feeds(reference))
    for s in scales:
        if s.label.startswith("SQLite"):
            failures += asyncio.run(explain_feeds(s))
    log("EXPLAIN: " + ("no full scan of posts" if not failures else "FAILURES: " + "; ".join(failures)))

    by_scale: dict[str, dict[str, Result]] = {}
    cached_by_scale: dict[str, dict[str, Result]] = {}
    floor_rps: float | None = None
    memory, bound = asyncio.run(cache_memory(reference))
    for s in scales:
        counts = asyncio.run(count_statements(s))
        if s is reference:
            log(f"floor app on {s.label}")
            with floor(s.url):
                floor_result = run_endpoints(binary, s, ENDPOINTS[:1], FLOOR_PORT, args.seconds, args.warmup)
            floor_rps = floor_result[ENDPOINTS[0].name].rps
            floor_result[ENDPOINTS[0].name].statements = "1"
        log(f"our server on {s.label}, read cache off")
        with ours(s.url):
            results = run_endpoints(binary, s, ENDPOINTS, OURS_PORT, args.seconds, args.warmup)
        for name, r in results.items():
            r.statements = counts.get(name, "")
        by_scale[s.label] = results
        log(f"our server on {s.label}, read cache on ({STALENESS} s, Redis {REDIS})")
        with ours(s.url, cache=True):
            cached = run_endpoints(binary, s, ENDPOINTS, OURS_PORT, args.seconds, args.warmup)
        for name, r in cached.items():
            r.statements = "0 on a hit" if ENDPOINTS_BY_NAME[name].method == "GET" else ""
        cached_by_scale[s.label] = cached

    task_run: task_bench.TaskRun | None = None
    beside: dict[str, Result] = {}
    if args.tasks:
        log(f"{args.tasks} tasks through the engine, {task_bench.WORKERS} `careernexus worker` processes")
        task_run = task_bench.run(args.tasks)
        log(f"our server on {reference.label}, QUEUE=saq with {task_bench.WORKERS} idle task workers beside it")
        task_bench.clear_queue()
        with task_bench.workers(reference.url), ours(reference.url, engine=True):
            beside = run_endpoints(binary, reference, ENDPOINTS[:1], OURS_PORT, args.seconds, args.warmup)
        for r in beside.values():
            r.statements = by_scale[reference.label][ENDPOINTS[0].name].statements
        task_bench.clear_queue()

    job_parts: list[str] = []
    if args.jobs:
        from bench import jobs as jobs_bench  # it imports this module

        job_parts = jobs_bench.run(binary, floor_rps, args.seconds, args.warmup)
    if args.tracker:
        from bench import jobs as jobs_bench  # it imports this module
        from bench import tracker as tracker_bench

        tracker_scale, _ = asyncio.run(jobs_bench.prepare())
        job_parts += ["", *tracker_bench.run(binary, tracker_scale, floor_rps, args.seconds, args.warmup)]

    ref = by_scale[reference.label]
    parts = [
        f"Machine: {machine()}. Command: `make bench` (`python -m bench.run`), {CONNECTIONS} connections "
        f"(one user each), {args.warmup:g} s warm-up then {args.seconds:g} s per endpoint, 2 server workers, access "
        f"log off. Run {datetime.now(UTC).strftime('%Y-%m-%d')}, {time.monotonic() - started:.0f} s in all.",
        "",
        table(f"{reference.label} — floor app (raw asyncpg, one statement)",
              {"GET /post/?page=1 (floor)": floor_result[ENDPOINTS[0].name]}, floor_rps),
        "",
        table(f"{reference.label} — our server, read cache off", ref, floor_rps),
        "",
        table(f"{reference.label} — our server, read cache on ({STALENESS} s, shared through Redis)",
              cached_by_scale[reference.label], floor_rps),
        "",
        f"Read cache memory per worker after each of the {len(reference.viewers)} viewers read every cached "
        f"endpoint once: {memory / 1024:.0f} KiB (bound: `READ_CACHE_MAX_BYTES` = {bound / 1_000_000:g} MB).",
    ]
    if task_run is not None:
        parts += [
            "",
            f"Background tasks through the engine (`QUEUE=saq`, {task_run.workers} `careernexus worker` processes × "
            f"`TASK_CONCURRENCY` {task_run.concurrency}, `python -m bench.tasks`): {task_run.count} `mail.send` tasks "
            f"(stage in the outbox → commit → SAQ pointer → claim → send through the memory backend → mark), "
            f"enqueue → done in {task_run.seconds:.1f} s: **{task_run.per_second:.0f} tasks/s**.",
            "",
            table(f"{reference.label} — our server with `QUEUE=saq` and {task_run.workers} task workers running "
                  "beside it, read cache off", beside, floor_rps),
        ]
    for label, results in by_scale.items():
        if label != reference.label:
            parts += ["", table(f"{label} — our server, read cache off", results, floor_rps)]
            parts += ["", table(f"{label} — our server, read cache on", cached_by_scale[label], floor_rps)]
    if job_parts:
        parts += ["", *job_parts]
    pg_scales = {k: v for k, v in by_scale.items() if k.startswith("PG")}
    if len(pg_scales) > 1:
        parts += ["", flat_table(pg_scales)]
    parts += ["", "EXPLAIN of every post list on the 100k data: "
              + ("no plan scans the whole `posts` table." if not failures else "**FAILED**: " + "; ".join(failures))]
    block = "\n".join(parts)
    print()
    print(block)
    if args.readme:
        write_readme(block)
        log("README.md: Performance section updated")
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
