"""The lists of the content and support domains cost a fixed number of SQL statements whatever their length
(library, newsletter archive, a user's and the admin's disputes, the dispute summary, leads)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.db.engine import StatementCounter
from bootstrap.container import AppContainer
from tests.e2e.feed_support import ours
from tests.e2e.profiles_support import PDF, make_admin, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
PATHS = (
    "/info/library/",
    "/info/library/?tag=t",
    "/info/library/?q=guide",
    "/newsletter/",
    "/user/disputes/",
    "/user/admin/disputes/?priority=low",
    "/user/admin/disputes/summary/",
    "/user/lead/register/",
)


async def _add(client: Client, admin: Any, n: int) -> None:
    for i in range(n):
        r = await client.post("/info/library/", data={"title": f"Guide {n}-{i}", "description": "d", "tags": '["t"]'},
                              files={"file": ("g.pdf", PDF, "application/pdf")}, headers=admin.headers)
        assert r.status_code == 201, r.text
        r = await client.post("/newsletter/create/", json={"title": f"N {n}-{i}", "content": "c"},
                              headers=admin.headers)
        assert r.status_code == 201, r.text
        r = await client.post("/user/disputes/", json={"category": "others", "priority": "low", "message": "m"},
                              headers=admin.headers)
        assert r.status_code == 201, r.text
        r = await client.post("/user/lead/register/", json={
            "full_name": "L", "email_address": f"lead{n}-{i}@example.org", "phone_number": "08056430145",
            "interested_services": ["L&D"]})
        assert r.status_code == 201, r.text


async def _count(client: Client, counter: StatementCounter, admin: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in PATHS:
        await client.get(path, headers=admin.headers)
        with counter.measure() as seen:
            r = await client.get(path, headers=admin.headers)
        assert r.status_code == 200, (path, r.text)
        counts[path] = len(ours(seen))
    return counts


async def test_list_pages_cost_a_fixed_number_of_statements(client: Client, container: AppContainer) -> None:
    admin = await person(client, container)
    await make_admin(container, admin.id)
    counter = StatementCounter()
    counter.attach(container.platform.engine())
    try:
        await _add(client, admin, 2)
        small = await _count(client, counter, admin)
        await _add(client, admin, 9)
        large = await _count(client, counter, admin)
    finally:
        counter.detach(container.platform.engine())
    assert small == large, (small, large)
    assert all(n <= 6 for n in large.values()), large
