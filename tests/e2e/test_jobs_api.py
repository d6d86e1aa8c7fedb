"""The job board over HTTP: every endpoint's success shape, 401 without a token, someone else's job (403/404, never
401) and malformed input (400 JSON); the status rules, applying, saving, preferences, recommendations and search."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.db.engine import StatementCounter
from tests.e2e.jobs_support import JOB, JOB_KEYS, PAGE_KEYS, make_employer, make_job, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]


async def test_create_and_read_back(client: Any, container: Any) -> None:
    _, corp = await make_employer(client, container)
    body = await make_job(client, corp)
    assert set(body) == {"id", "title", "organization", "employment_type", "work_type", "country", "salary",
                         "overview", "description", "industry", "experience_level", "application_deadline", "status"}
    assert body["status"] == "active" and body["application_deadline"] == "2099-12-31"
    assert "technology" in body["industry"].split(",")
    r = await client.get("/job/", headers=corp.headers)
    assert r.status_code == 200 and set(r.json()) == PAGE_KEYS
    assert r.json()["count"] == 1 and set(r.json()["results"][0]) == JOB_KEYS
    seeker = await person(client, container)
    r = await client.get(f"/job/?job_id={body['id']}", headers=seeker.headers)
    assert r.status_code == 200 and set(r.json()) == JOB_KEYS and r.json()["is_saved"] is False

