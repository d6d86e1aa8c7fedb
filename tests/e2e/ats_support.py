"""Helpers of the ATS tests: an organisation with members of every role, ATS jobs, imported and platform
candidates, sample CV files, and waiting for the ATS tasks."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from core.jobs.ats.tasks import APPLICATION_TASK, SCORE_TASK, TRACKER_MOVE_TASK
from tests.conftest import SignedUp
from tests.e2e.jobs_support import make_employer, person
from tests.e2e.profiles_support import direct
from tests.resume_samples import PDF_RESUME_PAGES, resume_docx
from tests.resume_samples import pdf_bytes as sample_pdf

__all__ = ("ATS_JOB", "Org", "applied", "docx_bytes", "import_candidate", "make_ats_job", "make_org", "pdf_bytes",
           "settled", "tracker_tasks")

ATS_JOB: dict[str, Any] = {
    "title": "Backend Engineer",
    "description": "Build APIs in Python with PostgreSQL.\nWork with a small team.",
    "employment_type": "full_time",
    "work_type": "remote",
    "country": "Nigeria",
    "application_deadline": "2099-12-31",
    "published": True,
    "min_experience": 2,
    "max_experience": 6,
    "location": "Lagos / Remote",
    "must_have_skills": [{"label": "Python", "value": "Python"}, "SQL"],
}


def pdf_bytes() -> bytes:
    """The two-page sample résumé of ``tests/resume_samples.py`` as a PDF."""
    return sample_pdf(PDF_RESUME_PAGES)


def docx_bytes() -> bytes:
    return resume_docx()


@dataclass
class Org:
    """A corporate account (``corp``, its own token: admin), its creator (``creator``: admin by creation) and
    members added through ``/ats/members/`` with a role each."""

    creator: SignedUp
    corp: SignedUp
    editor_owner: SignedUp
    editor_shared: SignedUp
    viewer_shared: SignedUp
    viewer_unshared: SignedUp


async def add_member(client: AsyncTestClient[Any], admin: SignedUp, user: SignedUp, role: str) -> None:
    r = await client.post("/ats/members/", json={"user_id": user.id, "role": role}, headers=admin.headers)
    assert r.status_code == 201, r.text


async def make_org(client: AsyncTestClient[Any], container: AppContainer) -> Org:
    creator, corp = await make_employer(client, container)
    people = [await person(client, container) for _ in range(4)]
    for who, role in zip(people, ("editor", "editor", "viewer", "viewer"), strict=True):
        await add_member(client, corp, who, role)
    return Org(creator, corp, *people)


async def make_ats_job(client: AsyncTestClient[Any], who: SignedUp, **changes: Any) -> dict[str, Any]:
    r = await client.post("/ats/jobs/", json={**ATS_JOB, **changes}, headers=who.headers)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def import_candidate(client: AsyncTestClient[Any], who: SignedUp, job_id: int, email: str,
                           name: str = "Jane Doe", data: bytes | None = None, filename: str = "cv.pdf"
                           ) -> Any:
    return await client.post(
        "/ats/candidates/",
        data={"job": str(job_id), "name": name, "email": email, "contact": "+2348000000"},
        files={"resume": (filename, data if data is not None else pdf_bytes(), "application/pdf")},
        headers=who.headers,
    )


async def settled(container: AppContainer, *names: str, timeout: float = 10.0) -> None:
    """Wait until no task of these names is queued or running."""
    async with direct(container) as side:
        store = side.platform.task_store()
        async with asyncio.timeout(timeout):
            while any([await store.has_active(n) for n in (names or (APPLICATION_TASK, SCORE_TASK))]):
                await asyncio.sleep(0.02)


async def applied(client: AsyncTestClient[Any], container: AppContainer, who: SignedUp, job_id: int) -> None:
    """``who`` applies on the board; the application reaches the ATS."""
    r = await client.post("/job/apply/", json={"job": job_id}, headers=who.headers)
    assert r.status_code == 200, r.text
    await settled(container, APPLICATION_TASK)


async def tracker_tasks(container: AppContainer) -> list[dict[str, Any]]:
    async with direct(container) as side:
        found = await side.platform.task_store().list(name=TRACKER_MOVE_TASK, limit=100)
    return [json.loads(t.payload) | {"dedupe_key": t.dedupe_key} for t in reversed(found)]

