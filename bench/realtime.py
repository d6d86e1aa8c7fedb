"""Real-time benchmark (``python -m bench.realtime``): how many idle websockets one process holds and what each
costs, and chat delivery latency between two app processes fanned out through Redis.

1. Idle sockets: one ``careernexus serve`` process (one worker, ``SERVE_LIMIT_CONCURRENCY=0`` since every socket
   counts as a connection, a heartbeat longer than the run) on a fresh SQLite file; this process raises its
   file-descriptor soft limit to the hard limit (the server inherits it) and opens ``--sockets`` authenticated
   ``/ws/notification/`` sockets in batches. Reports how many were open at once and the server's resident memory
   per socket (RSS after minus RSS before, divided by the sockets), then one push to a user with all sockets.
2. Chat latency: two ``serve`` processes sharing the database and Redis (``REDIS_URL``); user A's chat socket on
   the first, user B's on the second; A sends ``--messages`` messages one after the other and the time from send
   to B's frame is recorded: p50 and p99.

    .venv/bin/python -m bench.realtime [--sockets 10000] [--messages 500] [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient
from websockets.asyncio.client import connect as ws_connect

from adapters.db.migrate import upgrade_async
from bootstrap.asgi import create_app
from bootstrap.container import build_container
from bootstrap.settings import Secret, Settings

BIN = Path(sys.executable).parent
SECRET = "bench-secret-key-for-realtime-runs-only-0123456789"
PASSWORD = "Passw0rd!"


def log(message: str) -> None:
    print(f"[realtime {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 1_048_576
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def env_for(var: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERNEXUS_")}
    env.update(
        {
            "CAREERNEXUS_DATABASE_URL": database_url,
            "CAREERNEXUS_SECRET_KEY": SECRET,
            "CAREERNEXUS_VAR_DIR": str(var),
            "CAREERNEXUS_PASSWORD_HASH": "cheap",
            "CAREERNEXUS_EMAIL_BACKEND": "console",
            "CAREERNEXUS_SERVE_LIMIT_CONCURRENCY": "0",
            "CAREERNEXUS_REALTIME_HEARTBEAT_SECONDS": "3600",
            "CAREERNEXUS_LOG_LEVEL": "WARNING",
        }
    )
    env.update({f"CAREERNEXUS_{k.upper()}": v for k, v in extra.items()})
    return env


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "careernexus"), "serve", "--port", str(port), "--no-access-log", "--no-migrate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve did not start")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def people(database_url: str, var: Path, n: int, *, connect_pairs: bool = False) -> list[dict[str, Any]]:
    """``n`` signed-up users (through an in-process app on the same database; codes from its memory mailer)."""
    settings = Settings().with_values(
        database_url=database_url, secret_key=Secret(SECRET), var_dir=str(var), email_backend="memory",
        password_hash="cheap", storage_backend="memory",
    )  # fmt: skip
    container = build_container(settings)
    from dependency_injector import providers

    from adapters.system.ratelimit import NoRateLimiter

    container.platform.limiter.override(providers.Object(NoRateLimiter()))
    found: list[dict[str, Any]] = []
    async with AsyncTestClient(app=create_app(container), base_url="http://bench.local") as client:
        mailer = container.platform.mailer()
        for i in range(n):
            email = f"rt{i}-{uuid.uuid4().hex[:6]}@example.org"
            body = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
            assert (await client.post("/user/signup/", json=body)).status_code == 201
            deadline = time.monotonic() + 30
            while not (mails := [m for m in mailer.sent if m.to == email]):  # the relay sends after the commit
                if time.monotonic() > deadline:
                    raise SystemExit(f"no code mailed to {email}")
                await asyncio.sleep(0.02)
            mail = mails[-1]
            code = mail.text.split("code is ", 1)[1][:6]
            done = await client.post("/user/signup/", json={**body, "otp": code})
            assert done.status_code == 201, done.text
            signin = (await client.post("/user/signin/", json={"email": email, "password": PASSWORD})).json()
            found.append({"id": signin["user_id"], "access": done.json()["access"]})
        if connect_pairs:
            a, b = found[0], found[1]
            asked = await client.post("/connection/", json={"connection": b["id"]},
                                      headers={"Authorization": f"Bearer {a['access']}"})  # fmt: skip
            await client.post("/connection/status/", json={"connection_id": asked.json()["id"], "status": "Accept"},
                              headers={"Authorization": f"Bearer {b['access']}"})  # fmt: skip
    return found


async def idle_sockets(target: int, batch: int) -> dict[str, Any]:
    limit = raise_fd_limit()
    work = Path(tempfile.mkdtemp(prefix="rt-bench-"))
    url = f"sqlite+aiosqlite:///{work / 'rt.db'}"
    await upgrade_async(url)
    user = (await people(url, work, 1))[0]
    result: dict[str, Any] = {"target": target, "fd_limit": limit}
    try:
        with serving(env_for(work, url)) as (base, pid):
            ws_base = base.replace("http://", "ws://") + f"/ws/notification/?token={user['access']}"
            before = rss_kib(pid)
            sockets: list[Any] = []
            stack = contextlib.AsyncExitStack()
            started = time.perf_counter()
            error = ""
            try:
                while len(sockets) < target:
                    size = min(batch, target - len(sockets))
                    opened = await asyncio.gather(
                        *(stack.enter_async_context(ws_connect(ws_base, open_timeout=60, ping_interval=None))
                          for _ in range(size)),
                        return_exceptions=True,
                    )  # fmt: skip
                    good = [s for s in opened if not isinstance(s, BaseException)]
                    sockets += good
                    if len(good) < size:
                        error = repr(next(s for s in opened if isinstance(s, BaseException)))
                        break
                # Ping the last socket: once it answers, the server has subscribed every earlier one.
                if sockets:
                    await sockets[-1].send('{"type":"ping"}')
                    await asyncio.wait_for(sockets[-1].recv(), 60)
                opened_in = time.perf_counter() - started
                await asyncio.sleep(2)
                after = rss_kib(pid)
                result.update(
                    {
                        "open": len(sockets),
                        "seconds_to_open": round(opened_in, 1),
                        "rss_before_mib": round(before / 1024, 1),
                        "rss_after_mib": round(after / 1024, 1),
                        "kib_per_socket": round((after - before) / max(1, len(sockets)), 1),
                        "error": error,
                    }
                )
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(stack.aclose(), 120)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


async def chat_latency(messages: int, redis_url: str) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="rt-bench-"))
    url = f"sqlite+aiosqlite:///{work / 'rt.db'}"
    await upgrade_async(url)
    a, b = await people(url, work, 2, connect_pairs=True)
    env = env_for(work, url, redis_url=redis_url, realtime_channel_prefix=f"bench-{uuid.uuid4().hex}")
    samples: list[float] = []
    try:
        with serving(env) as (one, _), serving(env) as (two, _):
            ws_one = one.replace("http://", "ws://") + f"/ws/chat/{b['id']}/?token={a['access']}"
            ws_two = two.replace("http://", "ws://") + f"/ws/chat/{a['id']}/?token={b['access']}"
            async with ws_connect(ws_one) as sender, ws_connect(ws_two) as receiver:
                for ws in (sender, receiver):
                    await ws.send('{"type":"ping"}')
                    await asyncio.wait_for(ws.recv(), 30)
                for i in range(messages):
                    sent = time.perf_counter()
                    await sender.send(json.dumps({"message": f"m{i}"}))
                    while True:
                        frame = json.loads(await asyncio.wait_for(receiver.recv(), 30))
                        if frame.get("message") == f"m{i}":
                            break
                    samples.append((time.perf_counter() - sent) * 1000)
                    await asyncio.wait_for(sender.recv(), 30)  # the sender's own copy
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ordered = sorted(samples)
    return {
        "messages": len(samples),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--redis", default=os.environ.get("CAREERNEXUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--skip-sockets", action="store_true")
    parser.add_argument("--skip-chat", action="store_true")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    if not args.skip_sockets:
        log(f"opening {args.sockets} idle sockets on one process …")
        report["idle_sockets"] = asyncio.run(idle_sockets(args.sockets, args.batch))
        log(json.dumps(report["idle_sockets"]))
    if not args.skip_chat:
        log(f"chat latency over Redis between two processes ({args.messages} messages) …")
        report["chat_latency"] = asyncio.run(chat_latency(args.messages, args.redis))
        log(json.dumps(report["chat_latency"]))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
