"""Drive a running server and print throughput and latency percentiles of the feed's hot endpoints.

    .venv/bin/python -m bench.load --base http://127.0.0.1:8000 --connections 16 --seconds 15

Signs in as ``bench1..benchN@example.com`` (see ``bench.generate``), one user per connection, then for each
scenario runs a warm-up followed by a bounded-time closed loop: every connection sends its next request as
soon as the previous answer arrived. Scenarios: ``GET /post/?page=1`` and ``POST /post/like/`` followed by
``POST /post/unlike/`` (each connection likes and unlikes posts of its own, so every call succeeds).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

PASSWORD = "Bench-Passw0rd"


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self) -> str:
        ordered = sorted(self.latencies)
        n = len(ordered)

        def pct(p: float) -> float:
            return ordered[min(n - 1, int(p * n))] * 1000 if n else float("nan")

        rps = n / self.seconds if self.seconds else 0.0
        mean = statistics.fmean(ordered) * 1000 if n else float("nan")
        cells = f"{n:>8} | {rps:>9.0f} | {mean:>7.1f} | {pct(0.5):>6.1f} | {pct(0.99):>6.1f} | {self.errors:>6}"
        return f"| {self.name:<30} | {cells} |"


async def _signin(client: httpx.AsyncClient, n: int) -> str:
    r = await client.post("/user/signin/", json={"email": f"bench{n}@example.com", "password": PASSWORD})
    r.raise_for_status()
    return str(r.json()["access"])


Step = Callable[[httpx.AsyncClient, int], Awaitable[bool]]


async def _run(name: str, clients: list[httpx.AsyncClient], step: Step, warmup: float, seconds: float) -> Result:
    result = Result(name)

    async def worker(i: int, until: float, record: bool) -> None:
        client = clients[i]
        while time.perf_counter() < until:
            t0 = time.perf_counter()
            try:
                ok = await step(client, i)
            except httpx.HTTPError:
                ok = False
            if record:
                result.latencies.append(time.perf_counter() - t0)
                result.errors += 0 if ok else 1

    until = time.perf_counter() + warmup
    await asyncio.gather(*(worker(i, until, False) for i in range(len(clients))))
    start = time.perf_counter()
    await asyncio.gather(*(worker(i, start + seconds, True) for i in range(len(clients))))
    result.seconds = time.perf_counter() - start
    return result


async def main_async(base: str, connections: int, seconds: float, warmup: float, posts: int) -> list[Result]:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, limits=limits, timeout=30) for _ in range(connections)]
    try:
        tokens = await asyncio.gather(*(_signin(c, i + 1) for i, c in enumerate(clients)))
        for client, token in zip(clients, tokens, strict=True):
            client.headers["Authorization"] = f"Bearer {token}"
        rng = random.Random(12)
        # Each connection owns a disjoint slice of post ids, so likes never collide.
        slices = [list(range(i + 1, posts + 1, connections)) for i in range(connections)]
        for s in slices:
            rng.shuffle(s)
        cursor = [0] * connections

        async def feed(client: httpx.AsyncClient, _i: int) -> bool:
            return (await client.get("/post/?page=1")).status_code == 200

        async def like_unlike(client: httpx.AsyncClient, i: int) -> bool:
            pid = slices[i][cursor[i] % len(slices[i])]
            cursor[i] += 1
            liked = await client.post("/post/like/", json={"post": pid})
            unliked = await client.post("/post/unlike/", json={"post": pid})
            return liked.status_code in (201, 400) and unliked.status_code == 200

        results = [await _run("GET /post/?page=1", clients, feed, warmup, seconds)]
        # Clear this user's likes of its slice first would be slow; 400 "already liked" counts as served.
        results.append(await _run("POST like + POST unlike (pair)", clients, like_unlike, warmup, seconds))
        return results
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--posts", type=int, default=100_000, help="post ids to like (1..N)")
    args = parser.parse_args()
    results = asyncio.run(main_async(args.base, args.connections, args.seconds, args.warmup, args.posts))
    print(f"{args.connections} connections, {args.seconds:g} s after {args.warmup:g} s warm-up, {args.base}")
    print("| scenario                       | requests |     req/s | mean ms | p50 ms | p99 ms | errors |")
    print("|--------------------------------|---------:|----------:|--------:|-------:|-------:|-------:|")
    for r in results:
        print(r.row())


if __name__ == "__main__":
    main()
