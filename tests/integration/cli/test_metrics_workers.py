"""``careernexus serve --workers 2`` with metrics on: every worker writes to ``<VAR_DIR>/prometheus`` and
``/metrics``, whichever worker answers, reports the sum of both."""

from __future__ import annotations

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.cli.test_cli_hardening import CLI, _env, _free_port

pytestmark = pytest.mark.integration


def _ready_count(text: str) -> float:
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "careernexus_http_requests_total" and s.labels.get("route") == "/ready"
    )


def _per_worker(directory: Path, scratch: Path) -> dict[str, float]:
    """The /ready count in each worker's own file (a directory holding that file alone)."""
    counts: dict[str, float] = {}
    for db in directory.glob("counter_*.db"):
        one = scratch / db.stem
        one.mkdir(exist_ok=True)
        shutil.copy(db, one / db.name)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(one))
        counts[db.stem.split("_", 1)[1]] = sum(
            s.value
            for metric in registry.collect()
            for s in metric.samples
            if s.name == "careernexus_http_requests_total" and s.labels.get("route") == "/ready"
        )
    return counts


def test_metrics_add_up_every_worker(tmp_path: Path) -> None:
    port = _free_port()
    stale = tmp_path / "var" / "prometheus"
    stale.mkdir(parents=True)
    (stale / "counter_999999.db").write_bytes(b"left over from an earlier run")
    env = _env(tmp_path, metrics_enabled="true")
    proc = subprocess.Popen(
        [CLI, "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        directory = tmp_path / "var" / "prometheus"
        assert not (directory / "counter_999999.db").exists()  # emptied at start

        def one(_: int) -> int:
            return httpx.get(f"{base}/ready", timeout=10).status_code  # a new connection each time

        sent = 0
        with ThreadPoolExecutor(8) as pool:
            for _ in range(30):  # until both workers have answered some
                assert set(pool.map(one, range(40))) == {200}
                sent += 40
                served = _per_worker(directory, tmp_path)
                if len([n for n in served.values() if n]) == 2:
                    break
        assert len([n for n in served.values() if n]) == 2, served
        for _ in range(3):  # whichever worker answers the scrape reports both workers' requests
            assert _ready_count(httpx.get(f"{base}/metrics", timeout=10).text) == sent
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
