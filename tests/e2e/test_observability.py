"""Observability: liveness and readiness, Prometheus metrics at ``/metrics`` (off by default, optionally behind a
bearer token), and a request id on every request, its log lines and its 5xx bodies."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Request, get
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from bootstrap.asgi import create_app
from bootstrap.container import build_container
from bootstrap.logs import JsonFormatter
from bootstrap.metrics import MeteredMailer, Metrics
from bootstrap.settings import Secret
from ports.email import EmailMessage, TransientMailError
from tests.conftest import PG_URL, make_settings, sign_up, wait_for_mail

pytestmark = [pytest.mark.anyio, pytest.mark.db]

REDIS_UP = "redis://127.0.0.1:6379/11"
REDIS_DOWN = "redis://127.0.0.1:1/0"


async def _client(settings: Any) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        yield client


def _samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


# ----------------------------------------------------------------------------------------------- /ready


async def test_ready_checks_the_database(tmp_path: Path, database_url: str) -> None:
    async with AsyncTestClient(app=create_app(build_container(make_settings(tmp_path, database_url)))) as client:
        response = await client.get("/ready")
        assert (await client.get("/health")).json() == {"status": "ok", "database": "ok"}  # liveness unchanged
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "queue": "ok"}, "down": []}


async def test_ready_checks_redis_when_configured(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, redis_url=REDIS_UP)
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.get("/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ready", "checks": {"database": "ok", "redis": "ok", "queue": "ok"}, "down": []
    }


async def test_ready_is_503_naming_an_unreachable_redis(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, redis_url=REDIS_DOWN)
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.get("/ready")
        health = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable", "checks": {"database": "ok", "redis": "unreachable", "queue": "ok"}, "down": ["redis"]
    }
    assert health.status_code == 200  # liveness does not depend on Redis


async def test_ready_is_503_naming_an_unreachable_database(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgresql+asyncpg://postgres@127.0.0.1:9/nothing")
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.get("/ready")
    assert response.status_code == 503
    assert response.json()["down"] == ["database", "queue"]  # the queue is the database's tasks table


async def test_metrics_report_tasks_and_the_queue(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, metrics_enabled=True)
    container = build_container(settings)
    async with AsyncTestClient(app=create_app(container)) as client:
        await sign_up(client, container, "ada@example.org")  # its mails are sent by mail.send tasks
        done = (("outcome", "done"), ("task", "mail.send"))
        async with asyncio.timeout(10):  # the task is marked done (and observed) just after the mail left
            while done not in _samples((await client.get("/metrics")).text, "careernexus_task_duration_seconds_count"):
                await asyncio.sleep(0.02)
        assert (await client.get("/ready")).status_code == 200  # refreshes the queue depth
        text = (await client.get("/metrics")).text
    assert _samples(text, "careernexus_task_duration_seconds_count")[done] >= 1
    depth = _samples(text, "careernexus_task_queue_depth")
    assert depth[(("status", "dead"),)] == 0 and (("status", "done"),) in depth


# ----------------------------------------------------------------------------------------------- /metrics


async def test_metrics_are_off_by_default(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/metrics")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


async def test_metrics_count_requests_per_route_template_and_status(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, metrics_enabled=True)
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        for user_id in (101, 202, 303):
            await client.get(f"/project/{user_id}/")  # 401: no token
        for n in range(3):
            await client.get(f"/no/such/path/{n}")
        await client.get("/health")
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    counts = _samples(response.text, "careernexus_http_requests_total")
    routes = {dict(labels)["route"] for labels in counts}
    # Route templates, never raw paths: three ids and three unknown paths make one series each.
    assert not any("101" in r or "/no/such" in r for r in routes), routes
    by_route = {(dict(k)["route"], dict(k)["status"]): v for k, v in counts.items()}
    profile = [v for (route, status), v in by_route.items() if route.startswith("/project/{") and status == "401"]
    assert profile == [3.0]
    assert by_route[("<unmatched>", "404")] == 3.0
    assert by_route[("/health", "200")] == 1.0
    latency = _samples(response.text, "careernexus_http_request_duration_seconds_count")
    assert sum(latency.values()) == sum(counts.values())
    if PG_URL:  # the queue pool reports its size and checked-out connections
        assert _samples(response.text, "careernexus_db_pool_size") == {(): 10.0}
        # Between scrapes nothing of the request holds a connection; the inline task worker may (a mail.send run).
        checked_out = _samples(response.text, "careernexus_db_pool_checked_out")
        assert set(checked_out) == {()} and 0.0 <= checked_out[()] <= 10.0, checked_out


async def test_metrics_count_mail_the_relay_sent(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, metrics_enabled=True)
    container = build_container(settings)
    async with AsyncTestClient(app=create_app(container)) as client:
        await sign_up(client, container, "metrics-mail@example.org")  # waits for the sign-up codes' e-mails
        # The welcome e-mail goes out after the sign-up answered: wait for it, or the scrape may miss it.
        await wait_for_mail(container.platform.mailer(), "metrics-mail@example.org", "Welcome to Career Nexus")
        response = await client.get("/metrics")
    sent = _samples(response.text, "careernexus_mail_sent_total")[()]
    assert sent == len(container.platform.mailer().sent) >= 1


async def test_metered_mailer_counts_failures_by_kind() -> None:
    metrics = Metrics()

    class Flaky:
        def __init__(self) -> None:
            self.errors: list[Exception] = [TransientMailError("421"), RuntimeError("550")]

        async def send(self, message: EmailMessage) -> None:
            if self.errors:
                raise self.errors.pop(0)

    mailer = MeteredMailer(Flaky(), metrics)
    message = EmailMessage(to="a@example.org", subject="s", text="t", html="h")
    for _ in range(2):
        with pytest.raises((TransientMailError, RuntimeError)):  # both kinds propagate to the relay
            await mailer.send(message)
    await mailer.send(message)
    text = metrics.render()[0].decode()
    assert _samples(text, "careernexus_mail_failed_total") == {(("kind", "permanent"),): 1.0,
                                                               (("kind", "transient"),): 1.0}
    assert _samples(text, "careernexus_mail_sent_total") == {(): 1.0}


async def test_metrics_token_is_required_when_set(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, metrics_enabled=True, metrics_token=Secret("s3cret-scrape"))
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        anonymous = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
    assert anonymous.status_code == wrong.status_code == 401
    assert "detail" in anonymous.json()
    assert right.status_code == 200 and "careernexus_http_requests_total" in right.text


async def test_metrics_are_not_in_the_openapi_document(tmp_path: Path) -> None:
    app = create_app(build_container(make_settings(tmp_path, metrics_enabled=True)))
    paths = app.openapi_schema.to_schema()["paths"]
    assert "/metrics" not in paths and "/ready" in paths


# ----------------------------------------------------------------------------------------------- request id


def _transport_client(app: Any, peer: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(peer, 4242)), base_url="http://t")


async def test_request_id_is_generated_and_echoed(client: AsyncTestClient[Any]) -> None:
    first = await client.get("/health", headers={"X-Request-ID": "chosen-by-client"})
    second = await client.get("/health")
    assert first.headers["x-request-id"] != "chosen-by-client"  # not from an untrusted peer
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_request_id_is_accepted_only_from_a_trusted_proxy(tmp_path: Path, database_url: str) -> None:
    app = create_app(build_container(make_settings(tmp_path, database_url, trusted_proxies=("10.0.0.0/8",))))
    async with _transport_client(app, "10.1.2.3") as proxy, _transport_client(app, "203.0.113.7") as stranger:
        kept = await proxy.get("/health", headers={"X-Request-ID": "edge-7f3a:1"})
        forged = await stranger.get("/health", headers={"X-Request-ID": "edge-7f3a:1"})
        # Even a trusted proxy cannot put line breaks or arbitrary text into the logs.
        garbage = await proxy.get("/health", headers={"X-Request-ID": "a b\tc" + "x" * 200})
    assert kept.headers["x-request-id"] == "edge-7f3a:1"
    assert forged.headers["x-request-id"] != "edge-7f3a:1"
    assert garbage.headers["x-request-id"] != "a b\tc" + "x" * 200 and len(garbage.headers["x-request-id"]) == 32


async def test_request_id_is_in_every_log_line_and_in_the_5xx_body(tmp_path: Path, database_url: str) -> None:
    app = create_app(build_container(make_settings(tmp_path, database_url)))

    @get("/boom", sync_to_thread=False)
    def boom(request: Request[Any, Any, Any]) -> None:
        logging.getLogger("careernexus.test").warning("about to fail", extra={"password": request.query_params["pw"]})
        raise RuntimeError("secret internal detail")

    app.register(boom)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("careernexus")
    root.addHandler(handler)
    try:
        async with AsyncTestClient(app=app) as client:
            response = await client.get("/boom", params={"pw": "Passw0rd!"})
            logging.getLogger("careernexus.test").warning("outside any request")
    finally:
        root.removeHandler(handler)
    rid = response.headers["x-request-id"]
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred.", "request_id": rid}
    assert "secret internal detail" not in response.text
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    during = [line for line in lines if line["msg"] in ("about to fail", "unhandled error")]
    assert len(during) == 2 and all(line["request_id"] == rid for line in during)
    assert "request_id" not in next(line for line in lines if line["msg"] == "outside any request")
    assert "Passw0rd!" not in stream.getvalue()  # logs stay without secrets


async def test_503_bodies_carry_the_request_id(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgresql+asyncpg://postgres@127.0.0.1:9/nothing")
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.post("/user/signin/", json={"email": "a@example.org", "password": "Passw0rd!"})
    assert response.status_code == 503
    assert response.json()["request_id"] == response.headers["x-request-id"]
