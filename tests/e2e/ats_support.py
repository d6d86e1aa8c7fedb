"""Helpers of the ATS tests: an organisation with members of every role, ATS jobs, imported and platform
candidates, sample CV files, and waiting for the ATS tasks."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from core.jobs.ats.tasks import APPLICATION_TASK, TRACKER_MOVE_TASK
from tests.conftest import SignedUp
from tests.e2e.jobs_support import JOB, make_employer, person
from tests.e2e.profiles_support import direct

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


def pdf_bytes(text: str = "Jane Doe Python SQL") -> bytes:
    """A minimal valid one-page PDF showing ``text``."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_bytes(text: str = "Jane Doe Python SQL") -> bytes:
    """A minimal DOCX (Office Open XML) document with one paragraph."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
            'main+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        z.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'))
    return out.getvalue()


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
            while any([await store.has_active(n) for n in (names or (APPLICATION_TASK,))]):
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


_ = JOB
