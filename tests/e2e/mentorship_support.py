"""Helpers of the mentorship tests: people, a booked session at a known time, a frozen clock, a JaaS key."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from tests.conftest import SignedUp, sign_up

_seq = itertools.count(1)

SESSION_KEYS = {"id", "mentor", "mentee", "invitees", "join", "session_type", "session_at", "discourse", "amount",
                "rating", "status", "is_paid"}
PERSON_KEYS = {"id", "first_name", "last_name", "middle_name", "profile_photo", "qualification", "user_type"}
SEARCH_KEYS = {"id", "first_name", "last_name", "middle_name", "years_of_experience", "technical_skills",
               "current_job", "profile_photo"}
RECOMMEND_KEYS = SEARCH_KEYS | {"session_rate", "rating", "is_saved"}
# Near the real time: access tokens are checked against it (sessions start two hours later, within a token's life).
T0 = datetime.now(UTC).replace(second=0, microsecond=0)
LATER = timedelta(hours=2)


def freeze(container: AppContainer, at: datetime = T0) -> FrozenClock:
    clock = FrozenClock(at)
    container.platform.clock.override(providers.Object(clock))
    return clock


async def person(client: AsyncTestClient[Any], container: AppContainer, *, mentor: bool = False,
                 **profile: Any) -> SignedUp:
    who = await sign_up(client, container, f"mentorship{next(_seq)}@example.com",
                        industry="technology" if mentor else None)
    if profile:
        r = await client.put("/user/profile-update/", json=profile, headers=who.headers)
        assert r.status_code == 201, r.text
    return who


async def mentor(client: AsyncTestClient[Any], container: AppContainer, rate: str = "20",
                 **profile: Any) -> SignedUp:
    return await person(client, container, mentor=True, session_rate=rate, first_name="Ada", last_name="Mentor",
                        technical_skills=["Python", "Devops"], years_of_experience=6, **profile)


async def book(client: AsyncTestClient[Any], mentee: SignedUp, mentor_id: int, *, when: datetime | None = None,
               **changes: Any) -> dict[str, Any]:
    at = when or T0 + LATER
    body = {"mentor": mentor_id, "session_type": "individual", "date": at.date().isoformat(),
            "time": at.strftime("%H:%M"), "discourse": "Career Coaching", **changes}
    r = await client.post("/mentor/sessions/book/", json=body, headers=mentee.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def accept(client: AsyncTestClient[Any], who: SignedUp, session_id: int) -> None:
    r = await client.post("/mentor/sessions/accept-reject/", json={"session": session_id, "action": "Accept"},
                          headers=who.headers)
    assert r.status_code == 200, r.text


def jaas_key(tmp_path: Path) -> tuple[Path, bytes]:
    """A fresh RSA key (never committed): the private PEM file and the public PEM."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "jaas.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return path, public
