"""The one-statement profile sheet (``adapters/db/profile_sheets.py``) reads exactly what the repositories and the
social graph read (``ComposedProfileSheets``, the memory profile's reader): same rows, same order, same facts."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.db.profile_sheets import SqlProfileSheets
from adapters.db.social import SqlSocialGraph
from bootstrap.container import AppContainer
from core.accounts.profiles.pages import ComposedProfileSheets
from tests.e2e.profiles_support import direct, employer, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]


async def _ok(response: Any) -> None:
    assert response.is_success, response.text


async def test_the_sql_sheet_equals_the_composed_one(client: Client, container: AppContainer) -> None:
    owner, viewer, member = [await person(client, container) for _ in range(3)]
    company = await employer(client, container, owner)
    for n, start in enumerate(("2021-05-01", "2023-01-01", "2021-05-01")):
        body = {"title": f"T{n}", "organization": "O", "start_date": start, "location": "l",
                "employment_type": "Remote", "detail": "d"}  # fmt: skip
        await _ok(await client.post("/user/experience/", json=body, headers=owner.headers))
    await _ok(await client.post("/user/education/", json={"course": "C", "school": "S", "start_date": "2019-01-01",
                                                          "end_date": "2020-01-01", "location": "l", "detail": "d"},
                                headers=owner.headers))  # fmt: skip
    await _ok(await client.post("/user/certification/", json={"title": "Cert", "school": "S",
                                                               "issue_date": "2022-02-02", "cert_id": "x",
                                                               "skills": "a, b"}, headers=owner.headers))  # fmt: skip
    await _ok(await client.post("/follow/", json={"user_following": owner.id}, headers=viewer.headers))
    await _ok(await client.post("/follow/", json={"user_following": viewer.id}, headers=owner.headers))
    r = await client.post("/connection/", json={"connection": owner.id}, headers=viewer.headers)
    await _ok(r)
    body = {"connection_id": r.json()["id"], "status": "Accept"}
    await _ok(await client.post("/connection/status/", json=body, headers=owner.headers))
    for who in (member, owner):
        await _ok(await client.post("/user/organization-members/", json={"member": who.id}, headers=company.headers))

    async with direct(container) as side:
        social = SqlSocialGraph(side.platform.engine())
        one = SqlProfileSheets(side.platform.engine(), social)
        composed = ComposedProfileSheets(reads=side.accounts.profiles_reads, social=social)
        for target, seen_by in ((owner, viewer), (owner, owner), (company, viewer), (viewer, owner), (member, company)):
            expected = await composed.sheet(target.id, seen_by.id)
            got = await one.sheet(target.id, seen_by.id)
            assert expected is not None and got is not None
            assert dataclasses.asdict(got) == dataclasses.asdict(expected), (target, seen_by)
        sheet = await one.sheet(owner.id, viewer.id)
        assert sheet is not None
        assert [e.title for e in sheet.experiences] == ["T1", "T2", "T0"]
        assert sheet.stats.connected and sheet.stats.viewer_follows and sheet.stats.followers == 1
        company_sheet = await one.sheet(company.id, viewer.id)
        assert company_sheet is not None and [m.id for m in company_sheet.members] == [member.id, owner.id]
        assert await one.sheet(10**9, viewer.id) is None
