"""Helpers shared by the profile, portfolio and content end-to-end tests."""

from __future__ import annotations

import contextlib
import itertools
import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any

from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer, build_container
from tests.conftest import SignedUp, bearer, sign_up

_seq = itertools.count(1)

LEARNER_KEYS = [
    "id",
    "first_name",
    "last_name",
    "middle_name",
    "country_code",
    "phone_number",
    "cover_photo",
    "profile_photo",
    "location",
    "position",
    "bio",
    "qualification",
    "intro_video",
    "summary",
    "experience",
    "education",
    "certification",
    "followers",
    "followings",
    "resume",
    "timezone",
    "user_type",
    "industry",
    "email",
    "can_message",
    "can_follow",
]
MENTOR_KEYS = [
    *LEARNER_KEYS,
    "years_of_experience",
    "availability",
    "current_job",
    "areas_of_expertise",
    "technical_skills",
    "mentorship_styles",
    "linkedin_url",
    "session_rate",
    "rating",
]
EMPLOYER_KEYS = [
    "id",
    "company_name",
    "company_type",
    "industry",
    "company_size",
    "country_code",
    "phone_number",
    "location",
    "website",
    "tagline",
    "logo",
    "cover_photo",
    "members",
    "user_type",
    "email",
    "followers",
    "followings",
    "can_message",
    "can_follow",
]
EXPERIENCE_KEYS = ["id", "title", "organization", "start_date", "end_date", "location", "employment_type", "detail"]
EDUCATION_KEYS = ["id", "course", "school", "start_date", "end_date", "location", "detail"]
CERTIFICATION_KEYS = ["id", "title", "school", "issue_date", "cert_id", "skills"]
PROJECT_KEYS = ["id", "title", "description", "image", "download_material"]
SETTINGS_KEYS = [
    "email_notify",
    "push_notify",
    "message_notify",
    "weekly_summary",
    "job_alerts",
    "marketing",
    "show_email",
    "show_activity",
    "show_location",
    "timezone",
]
PAGE_KEYS = ["count", "next", "previous", "results"]


def png(width: int = 2, height: int = 2, pad: int = 0) -> bytes:
    """A valid PNG (optionally padded with an ancillary chunk to reach a size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    extra = chunk(b"tEXt", b"c\x00" + b"x" * pad) if pad else b""
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def person(client: AsyncTestClient[Any], container: AppContainer, industry: str | None = None) -> SignedUp:
    return await sign_up(client, container, f"prof{next(_seq)}@example.com", industry=industry)


async def employer(client: AsyncTestClient[Any], container: AppContainer, owner: SignedUp) -> SignedUp:
    n = next(_seq)
    created = await client.post(
        "/user/corporate/signup/",
        json={
            "company_name": f"Acme {n}",
            "company_email": f"corp{n}@example.com",
            "company_type": "private",
            "company_size": "1-10",
            "industry": "technology",
            "website": "https://acme.example",
            "location": "Lagos",
            "tagline": "We build things",
        },
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    org_id = created.json()["id"]
    switched = await client.post("/user/switch-account/", json={"account": org_id}, headers=owner.headers)
    assert switched.status_code == 200, switched.text
    body = switched.json()
    return SignedUp(id=org_id, email=body["email"], access=body["access"], refresh=body["refresh"])


@contextlib.asynccontextmanager
async def direct(container: AppContainer) -> AsyncIterator[AppContainer]:
    """A container of our own on the same database: the app's engine lives on the test client's loop."""
    side = build_container(container.settings(), "sql")
    try:
        yield side
    finally:
        await side.platform.engine().dispose()


async def make_admin(container: AppContainer, user_id: int) -> None:
    async with direct(container) as side, side.accounts.uow() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        user.is_staff = True
        await uow.users.update(user)
        await uow.commit()


async def set_flags(container: AppContainer, user_id: int, **flags: Any) -> None:
    async with direct(container) as side, side.accounts.uow() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        for name, value in flags.items():
            setattr(user, name, value)
        await uow.users.update(user)
        await uow.commit()


__all__ = ["bearer"]
