"""Experience, education, certification and portfolio projects through HTTP: shapes, ownership, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from tests.e2e.profiles_support import (
    CERTIFICATION_KEYS,
    EDUCATION_KEYS,
    EXPERIENCE_KEYS,
    PDF,
    PROJECT_KEYS,
    direct,
    person,
    png,
)

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

EXPERIENCE = {
    "title": "Backend Developer",
    "organization": "Delta",
    "start_date": "2022-10-29",
    "end_date": "2024-11-29",
    "location": "Lagos",
    "employment_type": "Remote",
    "detail": "APIs",
}


# ----------------------------------------------------------------------------------------- experience


async def test_experience_crud(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    created = await client.post("/user/experience/", json=EXPERIENCE, headers=me.headers)
    assert created.status_code == 201, created.text
    assert list(created.json()) == EXPERIENCE_KEYS
    older = await client.post(
        "/user/experience/",
        json={**EXPERIENCE, "start_date": "2019-01-01", "end_date": None, "title": "Old"},
        headers=me.headers,
    )
    assert older.json()["end_date"] == "Present"
    listed = await client.get("/user/experience/", headers=me.headers)
    assert listed.status_code == 200
    assert [e["title"] for e in listed.json()] == ["Backend Developer", "Old"]
    item_id = created.json()["id"]
    updated = await client.put(
        "/user/update-experience/", json={"id": item_id, "title": "Lead Developer"}, headers=me.headers
    )
    assert updated.status_code == 201, updated.text
    assert updated.json() == {**created.json(), "title": "Lead Developer"}
    deleted = await client.delete(f"/user/experience/?experience_id={item_id}", headers=me.headers)
    assert deleted.status_code == 204 and deleted.content == b""
    assert [e["title"] for e in (await client.get("/user/experience/", headers=me.headers)).json()] == ["Old"]


async def test_experience_auth_ownership_and_validation(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    other = await person(client, container)
    item_id = (await client.post("/user/experience/", json=EXPERIENCE, headers=me.headers)).json()["id"]
    assert (await client.get("/user/experience/")).status_code == 401
    assert (await client.post("/user/experience/", json=EXPERIENCE)).status_code == 401
    assert (await client.put("/user/update-experience/", json={"id": item_id})).status_code == 401
    assert (await client.delete(f"/user/experience/?experience_id={item_id}")).status_code == 401
    foreign = await client.put("/user/update-experience/", json={"id": item_id, "title": "x"}, headers=other.headers)
    assert foreign.status_code == 404 and foreign.json() == {"detail": "Experience does not exist"}
    gone = await client.delete(f"/user/experience/?experience_id={item_id}", headers=other.headers)
    assert gone.status_code == 404 and gone.json() == {"detail": "Inexistent experience"}
    assert (await client.get("/user/experience/", headers=other.headers)).json() == []
    missing = await client.delete("/user/experience/", headers=me.headers)
    assert missing.status_code == 400 and missing.json() == {"error": "No query parameter"}
    assert (await client.delete("/user/experience/?experience_id=x", headers=me.headers)).status_code == 400
    for bad, key in (
        ({**EXPERIENCE, "start_date": "29/10/2022"}, "start_date"),
        ({**EXPERIENCE, "employment_type": "Space"}, "employment_type"),
        ({**EXPERIENCE, "title": ""}, "title"),
        ({**EXPERIENCE, "end_date": "2000-01-01"}, "end_date"),
        ({k: v for k, v in EXPERIENCE.items() if k != "organization"}, "organization"),
        ({**EXPERIENCE, "title": 5}, "title"),
    ):
        r = await client.post("/user/experience/", json=bad, headers=me.headers)
        assert r.status_code == 400, (bad, r.text)
        assert key in r.json(), r.json()
    assert (await client.put("/user/update-experience/", json={"title": "x"}, headers=me.headers)).status_code == 400
    not_list = await client.post("/user/experience/", json=[1, 2], headers=me.headers)
    assert not_list.status_code == 400


# ------------------------------------------------------------------------------------------ education


async def test_education_crud_and_ownership(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    other = await person(client, container)
    body = {"course": "Civil Engineering", "school": "FUNAAB", "start_date": "2013-01-13", "location": "Abeokuta"}
    created = await client.post("/user/education/", json=body, headers=me.headers)
    assert created.status_code == 201, created.text
    assert list(created.json()) == EDUCATION_KEYS
    assert created.json()["end_date"] == "Present"
    item_id = created.json()["id"]
    listed = await client.get("/user/education/", headers=me.headers)
    assert [e["id"] for e in listed.json()] == [item_id]
    updated = await client.put(
        "/user/education/", json={"id": item_id, "detail": "Second class upper"}, headers=me.headers
    )
    assert updated.status_code == 201 and updated.json()["detail"] == "Second class upper"
    foreign = await client.put("/user/education/", json={"id": item_id, "detail": "x"}, headers=other.headers)
    assert foreign.status_code == 404 and foreign.json() == {"detail": "Education does not exist!"}
    foreign_delete = await client.delete(f"/user/education/?education_id={item_id}", headers=other.headers)
    assert foreign_delete.status_code == 404 and foreign_delete.json() == {"detail": "Inexistent education"}
    assert (await client.get("/user/education/")).status_code == 401
    assert (await client.post("/user/education/", json=body)).status_code == 401
    assert (await client.put("/user/education/", json={"id": item_id})).status_code == 401
    assert (await client.delete(f"/user/education/?education_id={item_id}")).status_code == 401
    assert (await client.post("/user/education/", json={"school": "x"}, headers=me.headers)).status_code == 400
    long_date = await client.post("/user/education/", json={**body, "start_date": "x" * 30}, headers=me.headers)
    assert long_date.status_code == 400 and "start_date" in long_date.json()
    missing = await client.delete("/user/education/", headers=me.headers)
    assert missing.status_code == 400 and missing.json() == {"error": "No query parameter specified"}
    deleted = await client.delete(f"/user/education/?education_id={item_id}", headers=me.headers)
    assert deleted.status_code == 204
    assert (await client.get("/user/education/", headers=me.headers)).json() == []


# -------------------------------------------------------------------------------------- certification


async def test_certification_crud_and_ownership(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    other = await person(client, container)
    body = {"title": "DRF", "school": "Coursera", "issue_date": "2023-07-04", "cert_id": "abc", "skills": "Python"}
    created = await client.post("/user/certification/", json=body, headers=me.headers)
    assert created.status_code == 201, created.text
    assert list(created.json()) == CERTIFICATION_KEYS
    item_id = created.json()["id"]
    assert [c["id"] for c in (await client.get("/user/certification/", headers=me.headers)).json()] == [item_id]
    assert (await client.get("/user/certification/")).status_code == 401
    assert (await client.post("/user/certification/", json=body)).status_code == 401
    assert (await client.delete(f"/user/certification/?certification_id={item_id}")).status_code == 401
    foreign = await client.delete(f"/user/certification/?certification_id={item_id}", headers=other.headers)
    assert foreign.status_code == 404 and foreign.json() == {"detail": "Inexistent certification"}
    missing_field = await client.post("/user/certification/", json={"title": "x"}, headers=me.headers)
    assert missing_field.status_code == 400 and missing_field.json() == {"school": ["This field is required."]}
    missing = await client.delete("/user/certification/", headers=me.headers)
    assert missing.status_code == 400 and missing.json() == {"error": "No query parameter specified"}
    deleted = await client.delete(f"/user/certification/?certification_id={item_id}", headers=me.headers)
    assert deleted.status_code == 204


# -------------------------------------------------------------------------------------------- projects


async def test_project_create_list_get_delete(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    other = await person(client, container)
    storage = container.platform.storage()
    plain = await client.post("/project/", json={"title": "Backend", "description": "A code base"}, headers=me.headers)
    assert plain.status_code == 201, plain.text
    assert list(plain.json()) == PROJECT_KEYS
    assert plain.json()["image"].endswith("/static/defaults/portfolio.png")
    assert plain.json()["download_material"] is None
    with_files = await client.post(
        "/project/",
        data={"title": "Design", "description": "Graphics"},
        files={"image": ("shot.png", png(), "image/png"), "download_material": ("doc.pdf", PDF, "application/pdf")},
        headers=me.headers,
    )
    assert with_files.status_code == 201, with_files.text
    image_key = storage.key_of(with_files.json()["image"])
    material_key = storage.key_of(with_files.json()["download_material"])
    assert image_key is not None and image_key.startswith("portfolio/image/")
    assert material_key is not None and material_key.startswith("portfolio/material/") and material_key.endswith(".pdf")
    own = await client.get("/project/", headers=me.headers)
    assert [p["title"] for p in own.json()] == ["Backend", "Design"]
    theirs = await client.get(f"/project/?user_id={me.id}", headers=other.headers)
    assert [p["title"] for p in theirs.json()] == ["Backend", "Design"]
    pid = with_files.json()["id"]
    one = await client.get(f"/project/?portfolio_id={pid}", headers=other.headers)
    assert one.status_code == 200 and one.json()["id"] == pid
    by_path = await client.get(f"/project/{pid}/", headers=other.headers)
    assert by_path.status_code == 200 and by_path.json() == one.json()
    foreign = await client.delete(f"/project/?portfolio_id={pid}", headers=other.headers)
    assert foreign.status_code == 404
    deleted = await client.delete(f"/project/?portfolio_id={pid}", headers=me.headers)
    assert deleted.status_code == 204
    assert image_key not in storage.objects and material_key not in storage.objects
    assert (await client.get(f"/project/{pid}/", headers=me.headers)).status_code == 404


async def test_project_errors(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    storage = container.platform.storage()
    before = set(storage.objects)
    assert (await client.post("/project/", json={"title": "x", "description": "y"})).status_code == 401
    assert (await client.get("/project/")).status_code == 401
    assert (await client.get("/project/1/")).status_code == 401
    assert (await client.delete("/project/?portfolio_id=1")).status_code == 401
    missing = await client.post("/project/", json={"title": "x"}, headers=me.headers)
    assert missing.status_code == 400 and missing.json() == {"description": ["This field is required."]}
    too_big = await client.post(
        "/project/",
        data={"title": "x", "description": "y"},
        files={"image": ("big.png", png(pad=1_100_000), "image/png")},
        headers=me.headers,
    )
    assert too_big.status_code == 400 and "File too large" in too_big.json()["image"][0]
    forged = await client.post(
        "/project/",
        data={"title": "x", "description": "y"},
        files={
            "image": ("a.png", png(), "image/png"),
            "download_material": ("x.pdf", b"MZ\x90\x00exe", "application/pdf"),
        },
        headers=me.headers,
    )
    assert forged.status_code == 400 and "download_material" in forged.json()
    assert set(storage.objects) == before
    assert (await client.get("/project/", headers=me.headers)).json() == []
    unknown_user = await client.get("/project/?user_id=999999", headers=me.headers)
    assert unknown_user.status_code == 400 and unknown_user.json() == {"error": "Invalid User ID"}
    assert (await client.get("/project/?portfolio_id=999999", headers=me.headers)).status_code == 404
    no_id = await client.delete("/project/", headers=me.headers)
    assert no_id.status_code == 400 and no_id.json() == {"error": "No portfolio_id is provided"}
    assert (await client.get("/project/?user_id=abc", headers=me.headers)).status_code == 400


async def test_deleting_a_user_cascades_records(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    await client.post("/user/experience/", json=EXPERIENCE, headers=me.headers)
    await client.post("/project/", json={"title": "t", "description": "d"}, headers=me.headers)
    assert (await client.delete("/user/delete/", headers=me.headers)).status_code == 204
    async with direct(container) as side, side.accounts.profiles_uow() as uow:
        assert await uow.experiences.list_for(me.id) == []
        assert await uow.projects.list_for(me.id) == []
