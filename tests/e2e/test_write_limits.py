"""Issue 16 rule 12 through HTTP: per-user write budgets on posts, comments (replies included), reposts and profile
sub-records (429 JSON with Retry-After), and at most ``PROFILE_RECORDS_MAX`` records of each kind per profile (400).

The budgets are settings, set low here so the tests stay fast; the production defaults are pinned in
``tests/unit/test_write_limits.py``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.tables.profiles import experiences
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from tests.conftest import PASSWORD, SignedUp, bearer, code_in, make_settings, wait_for_mail
from tests.e2e.profiles_support import person, png
from tests.fakes.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

EXPERIENCE = {"title": "Engineer", "organization": "Acme", "start_date": "2020-01-01", "employment_type": "Remote"}
EDUCATION = {"course": "Maths", "school": "Uni", "start_date": "2015"}
CERTIFICATION = {"title": "Cert", "school": "School"}


@contextlib.asynccontextmanager
async def served(tmp_path: Path, database_url: str, **overrides: Any) -> AsyncIterator[tuple[Client, AppContainer]]:
    container = build_container(make_settings(tmp_path, database_url, **overrides), "sql")
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        yield client, container


def assert_throttled(response: Any, *, at_least: int = 1, at_most: int = 60) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"].startswith("Request was throttled.")
    assert at_least <= int(response.headers["retry-after"]) <= at_most


async def _project(client: Client, who: SignedUp, n: int) -> Any:
    return await client.post(
        "/project/",
        data={"title": f"Project {n}", "description": "d"},
        files={"image": ("p.png", png(), "image/png")},
        headers=who.headers,
    )


# -------------------------------------------------------------------------------------------- budgets


async def test_posts_comments_and_reposts_have_a_budget_per_minute(tmp_path: Path, database_url: str) -> None:
    async with served(tmp_path, database_url, write_limit_per_minute=2) as (client, container):
        spammer = await person(client, container)
        bystander = await person(client, container)
        posts = []
        for i in range(2):
            r = await client.post("/post/", json={"body": f"buy now {i}"}, headers=spammer.headers)
            assert r.status_code == 201, r.text
            posts.append(r.json()["post_id"])
        assert_throttled(await client.post("/post/", json={"body": "buy now 3"}, headers=spammer.headers))
        # Multipart too, and nothing is stored.
        assert_throttled(await client.post("/post/", data={"body": "x"}, headers=spammer.headers))
        own = (await client.get("/post/posted/", headers=spammer.headers)).json()
        assert own["count"] == 2
        # Other users and other kinds keep their own budgets.
        assert (await client.post("/post/", json={"body": "hello"}, headers=bystander.headers)).status_code == 201
        # Comments and replies share one budget.
        c = await client.post("/post/comment/", json={"post": posts[0], "body": "first"}, headers=spammer.headers)
        assert c.status_code == 201, c.text
        reply = await client.post("/post/reply/", json={"parent": c.json()["comment_id"], "body": "re"},
                                  headers=spammer.headers)
        assert reply.status_code == 201, reply.text
        assert_throttled(await client.post("/post/reply/", json={"parent": c.json()["comment_id"], "body": "re2"},
                                           headers=spammer.headers))
        assert_throttled(await client.post("/post/comment/", json={"post": posts[0], "body": "again"},
                                           headers=spammer.headers))
        comments = (await client.get(f"/post/comment/?post_id={posts[0]}", headers=spammer.headers)).json()
        assert len(comments) == 1 and len(comments[0]["replies"]) == 1
        for i in range(2):
            r = await client.post("/post/repost/", json={"parent": posts[1]}, headers=spammer.headers)
            assert r.status_code == 201, r.text
        assert_throttled(await client.post("/post/repost/", json={"parent": posts[1]}, headers=spammer.headers))


async def test_profile_records_have_a_budget_per_minute(tmp_path: Path, database_url: str) -> None:
    async with served(tmp_path, database_url, write_limit_per_minute=2) as (client, container):
        me = await person(client, container)
        for path, body in (("/user/experience/", EXPERIENCE), ("/user/education/", EDUCATION),
                           ("/user/certification/", CERTIFICATION)):
            for _ in range(2):
                r = await client.post(path, json=body, headers=me.headers)
                assert r.status_code == 201, (path, r.text)
            assert_throttled(await client.post(path, json=body, headers=me.headers))
        # Updates spend the same budget as adds.
        assert_throttled(await client.put("/user/update-experience/", json={"id": 1, "title": "x"},
                                          headers=me.headers))
        assert_throttled(await client.put("/user/education/", json={"id": 1, "course": "x"}, headers=me.headers))
        for n in range(2):
            assert (await _project(client, me, n)).status_code == 201
        assert_throttled(await _project(client, me, 3))
        assert len((await client.get("/project/", headers=me.headers)).json()) == 2
        assert len((await client.get("/user/experience/", headers=me.headers)).json()) == 2


async def test_the_daily_budget_holds_across_minutes(tmp_path: Path, database_url: str) -> None:
    async with served(tmp_path, database_url, write_limit_per_minute=100, write_limit_per_day=2) as (client, c):
        me = await person(client, c)
        for i in range(2):
            assert (await client.post("/post/", json={"body": f"p{i}"}, headers=me.headers)).status_code == 201
        # The wait is the rest of the day, not of a minute.
        assert_throttled(await client.post("/post/", json={"body": "p3"}, headers=me.headers),
                         at_least=61, at_most=86_400)


# ---------------------------------------------------------------------------------------------- caps


async def test_each_kind_of_record_is_capped_per_profile(tmp_path: Path, database_url: str) -> None:
    async with served(tmp_path, database_url, profile_records_max=3) as (client, container):
        me = await person(client, container)
        other = await person(client, container)
        cases = [
            ("/user/experience/", EXPERIENCE, "experience_id", "experience records"),
            ("/user/education/", EDUCATION, "education_id", "education records"),
            ("/user/certification/", CERTIFICATION, "certification_id", "certifications"),
        ]
        for path, body, param, words in cases:
            ids = []
            for _ in range(3):
                r = await client.post(path, json=body, headers=me.headers)
                assert r.status_code == 201, r.text
                ids.append(r.json()["id"])
            full = await client.post(path, json=body, headers=me.headers)
            assert full.status_code == 400, full.text
            assert full.json() == {"non_field_errors": [f"A profile can hold at most 3 {words}."]}
            assert len((await client.get(path, headers=me.headers)).json()) == 3
            # Room again after a delete; other profiles are not affected.
            assert (await client.delete(f"{path}?{param}={ids[0]}", headers=me.headers)).status_code == 204
            assert (await client.post(path, json=body, headers=me.headers)).status_code == 201
            assert (await client.post(path, json=body, headers=other.headers)).status_code == 201
        for n in range(3):
            assert (await _project(client, me, n)).status_code == 201
        stored = len(container.platform.storage().objects)
        full = await _project(client, me, 4)
        assert full.status_code == 400
        assert full.json() == {"non_field_errors": ["A profile can hold at most 3 portfolio projects."]}
        assert len((await client.get("/project/", headers=me.headers)).json()) == 3
        assert len(container.platform.storage().objects) == stored  # the refused project's image was not kept


async def test_concurrent_adds_never_pass_the_cap(tmp_path: Path, database_url: str) -> None:
    """Parallel adds by one user through a live server count in turn (the owner's row is locked on PostgreSQL,
    SQLite's writer holds the database lock): never more than the cap."""
    container = build_container(make_settings(tmp_path, database_url, profile_records_max=5, db_pool_size=12))
    with LiveServer(create_app(container)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            body = {"email": "racer@example.org", "password1": PASSWORD, "password2": PASSWORD}
            assert (await http.post("/user/signup/", json=body)).status_code == 201
            code = code_in(await wait_for_mail(container.platform.mailer(), "racer@example.org", "Verify your Email"))
            done = await http.post("/user/signup/", json={**body, "otp": code})
            assert done.status_code == 201, done.text
            headers = bearer(done.json()["access"])
            for _ in range(3):
                assert (await http.post("/user/experience/", json=EXPERIENCE, headers=headers)).status_code == 201
            answers = await asyncio.gather(
                *(http.post("/user/experience/", json=EXPERIENCE, headers=headers) for _ in range(10))
            )
            listed = (await http.get("/user/experience/", headers=headers)).json()
    assert sorted(r.status_code for r in answers) == [201, 201] + [400] * 8, [r.text for r in answers]
    assert len(listed) == 5
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            stmt = select(func.count()).select_from(experiences)  # the only user with records
            assert (await conn.execute(stmt)).scalar_one() == 5
    finally:
        await engine.dispose()


async def test_limits_are_documented(tmp_path: Path, database_url: str) -> None:
    async with served(tmp_path, database_url) as (client, _):
        schema = (await client.get("/schema/openapi.json")).json()
    for path, method in (
        ("/post/", "post"), ("/post/comment/", "post"), ("/post/reply/", "post"), ("/post/repost/", "post"),
        ("/user/experience/", "post"), ("/user/update-experience/", "put"), ("/user/education/", "post"),
        ("/user/education/", "put"), ("/user/certification/", "post"), ("/project/", "post"),
    ):  # fmt: skip
        operation = schema["paths"][path][method]
        assert {"400", "429"} <= set(operation["responses"]), (path, method)
        assert "429" in operation["description"] and "Retry-After" in operation["description"], (path, method)
    for path, method in (("/user/experience/", "post"), ("/user/education/", "post"),
                         ("/user/certification/", "post"), ("/project/", "post")):
        assert "at most" in schema["paths"][path][method]["description"], (path, method)
