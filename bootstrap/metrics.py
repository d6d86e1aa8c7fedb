"""Prometheus metrics (``prometheus-client``): one :class:`Metrics` per process, built only when
``METRICS_ENABLED`` is on.

Single process: the metrics live in this object's own registry. ``careernexus serve --workers N``: ``serve``
points ``PROMETHEUS_MULTIPROC_DIR`` at ``<VAR_DIR>/prometheus`` (emptied first) before any worker imports
``prometheus_client``; every worker then writes its values to files there and ``/metrics``, whichever worker
answers it, adds up all of them (``MultiProcessCollector``).

To add a metric, declare it in :meth:`Metrics.__init__` through ``self.counter/histogram/gauge`` (names get
the ``careernexus_`` prefix; labels must have a small, fixed set of values) and hand the object to the code that
updates it from the composition root; ``prometheus_client`` is imported here only, never by the core.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from ports.email import EmailMessage, Mailer, TransientMailError

if TYPE_CHECKING:
    from prometheus_client import Counter, Gauge, Histogram

__all__ = ("MULTIPROC_ENV", "MeteredMailer", "Metrics", "prepare_multiprocess_dir")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
PREFIX = "careernexus_"
# Seconds; the feed answers in a few milliseconds, slow pages in tenths.
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0)
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def prepare_multiprocess_dir(var_dir: str) -> Path:
    """Empty ``<var_dir>/prometheus`` (values of a previous run would be added to this one's) and export it as
    ``PROMETHEUS_MULTIPROC_DIR`` for this process and the workers it starts. Call before importing
    ``prometheus_client``."""
    directory = Path(var_dir) / "prometheus"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, mode=0o700)
    os.environ[MULTIPROC_ENV] = str(directory)
    return directory


class Metrics:
    """The process's metrics and their exposition."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry

        self.multiprocess = bool(os.environ.get(MULTIPROC_ENV))
        # Own registry (not the global one): tests build many apps in one process.
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = self.counter(
            "http_requests_total", "HTTP requests by method, route template and status", ("method", "route", "status")
        )
        self.latency = self.histogram(
            "http_request_duration_seconds",
            "HTTP request latency by method, route template and status",
            ("method", "route", "status"),
            buckets=LATENCY_BUCKETS,
        )
        self.mail_sent = self.counter("mail_sent_total", "e-mails the transport accepted", ())
        self.mail_failed = self.counter(
            "mail_failed_total", "e-mail send attempts that failed (transient: retried later)", ("kind",)
        )
        # Background tasks: the queue depth is a database figure every worker reads alike (max, not sum).
        self.task_queue_depth = self.gauge(
            "task_queue_depth", "background tasks per status", ("status",), multiprocess_mode="livemax"
        )
        self.task_duration = self.histogram(
            "task_duration_seconds", "background task run time by task name and outcome", ("task", "outcome"),
            buckets=TASK_BUCKETS,
        )
        self.task_failures = self.counter("task_failures_total", "task attempts that failed (retried)", ("task",))
        self.task_dead = self.counter("task_dead_total", "tasks given up (dead letter)", ("task",))
        self.db_pool_checked_out = self.gauge(
            "db_pool_checked_out", "database connections checked out of the pool", ()
        )
        self.db_pool_size = self.gauge("db_pool_size", "database pool size (without overflow)", ())
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    # --- declaring metrics
    def counter(self, name: str, documentation: str, labels: Sequence[str]) -> Counter:
        from prometheus_client import Counter

        return Counter(PREFIX + name, documentation, labels, registry=self.registry)

    def histogram(
        self, name: str, documentation: str, labels: Sequence[str], *, buckets: Sequence[float] = LATENCY_BUCKETS
    ) -> Histogram:
        from prometheus_client import Histogram

        return Histogram(PREFIX + name, documentation, labels, registry=self.registry, buckets=buckets)

    def gauge(
        self,
        name: str,
        documentation: str,
        labels: Sequence[str],
        *,
        multiprocess_mode: Literal["livesum", "livemax"] = "livesum",
    ) -> Gauge:
        from prometheus_client import Gauge

        # Summed over the live workers in multiprocess mode (unless told otherwise).
        return Gauge(
            PREFIX + name, documentation, labels, registry=self.registry, multiprocess_mode=multiprocess_mode
        )

    # --- updating
    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """One finished HTTP request (``adapters.http.observability.RequestMetrics``)."""
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            labels = (method, route, str(status))
            children = self._children[key] = (self.requests.labels(*labels), self.latency.labels(*labels))
        children[0].inc()
        children[1].observe(seconds)

    def observe_task(self, task: str, outcome: str, seconds: float) -> None:
        """One finished task run (``outcome``: done, failed, dead or lost)."""
        self.task_duration.labels(task, outcome).observe(seconds)
        if outcome == "failed":
            self.task_failures.labels(task).inc()
        elif outcome == "dead":
            self.task_dead.labels(task).inc()

    def set_queue_depth(self, counts: Mapping[str, int]) -> None:
        for status, count in counts.items():
            self.task_queue_depth.labels(status).set(count)

    def watch_pool(self, engine: AsyncEngine) -> None:
        """Keep the checked-out gauge current on checkout and checkin (pools that count them: PostgreSQL's
        queue pool; SQLite's per-use connections have nothing to report)."""
        pool = engine.sync_engine.pool
        checkedout = getattr(pool, "checkedout", None)
        size = getattr(pool, "size", None)
        if checkedout is None or size is None:
            return
        self.db_pool_size.set(size())
        gauge = self.db_pool_checked_out

        def checked_out(*_: object) -> None:
            gauge.set(checkedout())

        def checked_in(*_: object) -> None:  # dispatched before the pool takes the connection back
            gauge.set(max(checkedout() - 1, 0))

        event.listen(engine.sync_engine, "checkout", checked_out)
        event.listen(engine.sync_engine, "checkin", checked_in)

    # --- exposition
    def render(self) -> tuple[bytes, str]:
        """The exposition (all workers' values in multiprocess mode) and its content type."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector

        if self.multiprocess:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    async def aclose(self) -> None:
        """This worker is stopping: its live gauges stop counting."""
        if self.multiprocess:
            from prometheus_client.multiprocess import mark_process_dead

            with contextlib.suppress(Exception):
                mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class MeteredMailer:
    """A mailer that counts what the transport accepted and refused (the relay's sends)."""

    __slots__ = ("_failed_permanent", "_failed_transient", "_mailer", "_sent")

    def __init__(self, mailer: Mailer, metrics: Metrics) -> None:
        self._mailer = mailer
        self._sent = metrics.mail_sent
        self._failed_transient = metrics.mail_failed.labels("transient")
        self._failed_permanent = metrics.mail_failed.labels("permanent")

    async def send(self, message: EmailMessage) -> None:
        try:
            await self._mailer.send(message)
        except TransientMailError:
            self._failed_transient.inc()
            raise
        except Exception:
            self._failed_permanent.inc()
            raise
        self._sent.inc()


def metered_mailer(mailer: Mailer, metrics: Metrics | None) -> Mailer:
    """``mailer`` counted by ``metrics`` (itself when metrics are off)."""
    return mailer if metrics is None else MeteredMailer(mailer, metrics)
