"""Info endpoints: choice data, countries and their permissions, exchange rates."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.db.seed import load_seed
from bootstrap.container import AppContainer
from tests.e2e.profiles_support import make_admin, person

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
FORBIDDEN = {"detail": "You do not have permission to perform this action."}


async def test_choice_data_read(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    assert (await client.get("/info/choice-data/")).status_code == 401
    names = await client.get("/info/choice-data/", headers=me.headers)
    assert names.status_code == 200
    assert names.json() == {"field_names": list(load_seed("valid_options"))}
    level = await client.get("/info/choice-data/?field_name=experience_level", headers=me.headers)
    assert level.json() == {"field_name": "experience_level", "Valid options": ["senior", "mid", "entry", "executive"]}
    zones = (await client.get("/info/choice-data/?field_name=timezones", headers=me.headers)).json()
    assert len(zones["Valid options"]) == 597 and "Africa/Lagos" in zones["Valid options"]
    unknown = await client.get("/info/choice-data/?field_name=colour", headers=me.headers)
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "Invalid field name." and "industry" in unknown.json()["Avalable_names"]


async def test_choice_data_admin_writes(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await person(client, container)
    await make_admin(container, admin.id)
    body = {"field_name": "industry", "value": "aerospace"}
    assert (await client.post("/info/choice-data/", json=body)).status_code == 401
    denied = await client.post("/info/choice-data/", json=body, headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    added = await client.post("/info/choice-data/", json=body, headers=admin.headers)
    try:
        assert added.status_code == 200, added.text
        assert added.json() == {"status": "success", "message": "Added value 'aerospace' to field name 'industry'"}
        options = (await client.get("/info/choice-data/?field_name=industry", headers=me.headers)).json()
        assert options["Valid options"][-1] == "aerospace"
        # The catalogue used for validation sees the change at once (same process).
        r = await client.patch("/user/profile-update/", json={"industry": "aerospace"}, headers=me.headers)
        assert r.status_code == 206, r.text
        again = await client.post("/info/choice-data/", json=body, headers=admin.headers)
        assert again.status_code == 400
        assert (await client.request("DELETE", "/info/choice-data/", json=body, headers=me.headers)).status_code == 403
    finally:
        removed = await client.request("DELETE", "/info/choice-data/", json=body, headers=admin.headers)
    assert removed.status_code == 200 and removed.json() == {"status": "Deleted aerospace from choice list"}
    r = await client.patch("/user/profile-update/", json={"industry": "aerospace"}, headers=me.headers)
    assert r.status_code == 400
    missing = await client.request("DELETE", "/info/choice-data/", json=body, headers=admin.headers)
    assert missing.status_code == 400 and missing.json() == {"error": "Inexistent value in field options"}
    unknown = await client.post("/info/choice-data/", json={"field_name": "x", "value": "y"}, headers=admin.headers)
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Invalid field name"}
    malformed = await client.post("/info/choice-data/", json={"field_name": "industry"}, headers=admin.headers)
    assert malformed.status_code == 400 and "value" in malformed.json()


async def test_countries_list_and_filters(client: Client, container: AppContainer) -> None:
    everything = await client.get("/info/country-permit/")
    assert everything.status_code == 200
    rows = everything.json()
    assert len(rows) == 239
    assert list(rows[0]) == ["id", "country", "code"]
    nigeria = next(r for r in rows if r["country"] == "Nigeria")
    assert nigeria["code"] == "+234"
    assert len((await client.get("/info/country-permit/?status=Enable")).json()) == 239
    assert (await client.get("/info/country-permit/?status=disable")).json() == []
    assert len((await client.get("/info/country-permit/?status=exempted")).json()) == 239
    bad = await client.get("/info/country-permit/?status=maybe")
    assert bad.status_code == 400 and bad.json() == {"error": "Invalid Query Parameter"}


async def test_country_permission_changes(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await person(client, container)
    await make_admin(container, admin.id)
    rows = (await client.get("/info/country-permit/")).json()
    kenya = next(r for r in rows if r["country"] == "Kenya")
    body = {"country": kenya["id"], "status": "disable"}
    assert (await client.put("/info/country-permit/", json=body)).status_code == 401
    denied = await client.put("/info/country-permit/", json=body, headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    off = await client.put("/info/country-permit/", json=body, headers=admin.headers)
    try:
        assert off.status_code == 200 and off.json() == {"country": "Kenya", "permitted": False}
        disabled = (await client.get("/info/country-permit/?status=disable")).json()
        assert [r["id"] for r in disabled] == [kenya["id"]]
        twice = await client.put("/info/country-permit/", json=body, headers=admin.headers)
        assert twice.status_code == 400 and twice.json() == {"non_field_errors": ["Country already unpermitted."]}
    finally:
        on = await client.put("/info/country-permit/", json={**body, "status": "enable"}, headers=admin.headers)
    assert on.status_code == 200 and on.json() == {"country": "Kenya", "permitted": True}
    unknown = await client.put(
        "/info/country-permit/", json={"country": 99999, "status": "enable"}, headers=admin.headers
    )
    assert unknown.status_code == 400 and "country" in unknown.json()
    bad_status = await client.put("/info/country-permit/", json={**body, "status": "x"}, headers=admin.headers)
    assert bad_status.status_code == 400 and "status" in bad_status.json()
    bad_type = await client.put(
        "/info/country-permit/", json={"country": "Kenya", "status": "x"}, headers=admin.headers
    )
    assert bad_type.status_code == 400


async def test_exchange_rates(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    admin = await person(client, container)
    await make_admin(container, admin.id)
    rows = (await client.get("/info/country-permit/")).json()
    nigeria = next(r for r in rows if r["country"] == "Nigeria")
    body = {"country": nigeria["id"], "currency_name": "Naira", "currency_initials": "ngn", "exchange_rate": 1500.25}
    assert (await client.post("/info/exchange-rate/set/", json=body)).status_code == 401
    denied = await client.post("/info/exchange-rate/set/", json=body, headers=me.headers)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    assert (await client.get("/info/exchange-rate/")).json() == []
    ok = await client.post("/info/exchange-rate/set/", json=body, headers=admin.headers)
    assert ok.status_code == 200 and ok.json() == {"status": "Set"}
    replaced = await client.post(
        "/info/exchange-rate/set/", json={**body, "exchange_rate": 1600}, headers=admin.headers
    )
    assert replaced.status_code == 200
    listed = await client.get("/info/exchange-rate/")
    assert listed.json() == [
        {
            "country_id": nigeria["id"],
            "country": "Nigeria",
            "code": "+234",
            "currency_name": "Naira",
            "currency_initials": "NGN",
            "exchange_rate": "1600",
        }
    ]
    for bad, key in (
        ({**body, "exchange_rate": 0}, "exchange_rate"),
        ({**body, "exchange_rate": "lots"}, "exchange_rate"),
        ({**body, "currency_initials": "NAIRA"}, "currency_initials"),
        ({**body, "country": 99999}, "country"),
    ):
        r = await client.post("/info/exchange-rate/set/", json=bad, headers=admin.headers)
        assert r.status_code == 400, (bad, r.text)
        assert key in r.json(), r.json()
