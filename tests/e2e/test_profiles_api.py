"""Profile retrieve/update, industry, analytics, completion, settings and user search through HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.db.engine import StatementCounter
from bootstrap.container import AppContainer
from tests.e2e.feed_support import ours
from tests.e2e.profiles_support import (
    EMPLOYER_KEYS,
    LEARNER_KEYS,
    MENTOR_KEYS,
    PAGE_KEYS,
    SETTINGS_KEYS,
    direct,
    employer,
    make_admin,
    person,
    png,
    set_flags,
)

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]


# ------------------------------------------------------------------------------------------ retrieve


async def test_retrieve_own_learner_profile_shape(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    r = await client.get("/user/retrieve-profile/", headers=me.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == LEARNER_KEYS
    assert body["id"] == me.id
    assert body["user_type"] == "learner"
    assert body["email"] == me.email
    assert body["can_message"] is False and body["can_follow"] is False
    assert body["profile_photo"].endswith("/static/defaults/profile_photo.png")
    assert body["experience"] == [] and body["followers"] == 0


async def test_retrieve_mentor_shape_and_session_rate(client: Client, container: AppContainer) -> None:
    mentor = await person(client, container, industry="technology")
    viewer = await person(client, container)
    r = await client.get(f"/user/retrieve-profile/?user_id={mentor.id}", headers=viewer.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert sorted(body) == sorted(MENTOR_KEYS)
    assert body["session_rate"] == "0USD"
    assert body["rating"] == 0
    assert body["can_follow"] is True and body["can_message"] is False


async def test_retrieve_employer_shape_with_members(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    org = await employer(client, container, owner)
    member = await person(client, container)
    added = await client.post("/user/organization-members/", json={"member": member.id}, headers=org.headers)
    assert added.status_code == 201, added.text
    r = await client.get(f"/user/retrieve-profile/?user_id={org.id}", headers=owner.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == EMPLOYER_KEYS
    assert body["user_type"] == "employer"
    assert [m["member"]["id"] for m in body["members"]] == [member.id]
    assert list(body["members"][0]["member"]) == ["id", "name", "profile_photo", "extras"]


async def test_retrieve_unauthenticated_and_unknown_and_malformed(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    assert (await client.get("/user/retrieve-profile/")).status_code == 401
    unknown = await client.get("/user/retrieve-profile/?user_id=999999", headers=me.headers)
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Invalid User Id"}
    bad = await client.get("/user/retrieve-profile/?user_id=abc", headers=me.headers)
    assert bad.status_code == 400
    assert isinstance(bad.json(), dict)


async def test_privacy_hides_email_and_location_from_others(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    other = await person(client, container)
    r = await client.put("/user/profile-update/", json={"location": "Lagos"}, headers=owner.headers)
    assert r.status_code == 201, r.text
    await set_flags(container, owner.id, show_email=False, show_location=False)
    seen = (await client.get(f"/user/retrieve-profile/?user_id={owner.id}", headers=other.headers)).json()
    assert seen["email"] is None and seen["location"] == ""
    own = (await client.get("/user/retrieve-profile/", headers=owner.headers)).json()
    assert own["email"] == owner.email and own["location"] == "Lagos"
    await set_flags(container, owner.id, show_email=True, show_location=True)
    seen = (await client.get(f"/user/retrieve-profile/?user_id={owner.id}", headers=other.headers)).json()
    assert seen["email"] == owner.email and seen["location"] == "Lagos"


async def test_profile_views_once_per_viewer_per_day_never_self(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    a = await person(client, container)
    b = await person(client, container)
    for who in (a, a, b, owner):
        assert (await client.get(f"/user/retrieve-profile/?user_id={owner.id}", headers=who.headers)).status_code == 200
    await client.get("/user/retrieve-profile/", headers=owner.headers)
    r = await client.get("/user/analytics/", headers=owner.headers)
    assert r.status_code == 200
    assert r.json() == {"total_posts": 0, "total_views": 2, "total_connections": 0}


async def test_retrieve_runs_a_fixed_number_of_statements(client: Client, container: AppContainer) -> None:
    async def fill(who: Any, n: int) -> None:
        for i in range(n):
            for path, body in (
                (
                    "/user/experience/",
                    {
                        "title": f"T{i}",
                        "organization": "O",
                        "start_date": f"2020-01-0{i + 1}",
                        "employment_type": "Remote",
                    },
                ),
                ("/user/education/", {"course": f"C{i}", "school": "S", "start_date": "2019"}),
                ("/user/certification/", {"title": f"Cert{i}", "school": "S"}),
            ):
                assert (await client.post(path, json=body, headers=who.headers)).status_code == 201

    small, large, viewer = [await person(client, container) for _ in range(3)]
    await fill(small, 1)
    await fill(large, 5)
    counter = StatementCounter()
    counter.attach(container.platform.engine())
    try:
        counts = []
        for target in (small, large):
            await client.get(f"/user/retrieve-profile/?user_id={target.id}", headers=viewer.headers)  # warm caches
            with counter.measure() as seen:
                r = await client.get(f"/user/retrieve-profile/?user_id={target.id}", headers=viewer.headers)
            assert r.status_code == 200
            counts.append(len(ours(seen)))  # without the task worker's statements
        body = r.json()
        assert len(body["experience"]) == 5 and len(body["education"]) == 5 and len(body["certification"]) == 5
    finally:
        counter.detach(container.platform.engine())
    assert counts[0] == counts[1], counts
    assert counts[0] <= 3, counts  # the token check reads the user; the profile: one read, one view record


# ------------------------------------------------------------------------------------------- update


async def test_update_learner_json(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    r = await client.put(
        "/user/profile-update/",
        json={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "country_code": "+234",
            "phone_number": "9069102522",
            "timezone": "Africa/Lagos",
            "bio": "Engineer",
            "years_of_experience": 5,
            "session_rate": 100,
        },
        headers=me.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["first_name"] == "Ada" and body["timezone"] == "Africa/Lagos"
    assert "years_of_experience" not in body and "session_rate" not in body
    again = (await client.get("/user/retrieve-profile/", headers=me.headers)).json()
    assert again["bio"] == "Engineer" and again["country_code"] == "+234"


async def test_learner_mentor_only_fields_are_ignored(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    r = await client.put(
        "/user/profile-update/",
        json={"technical_skills": ["Python"], "availability": "weekends", "session_rate": 3000},
        headers=me.headers,
    )
    assert r.status_code == 201, r.text
    async with direct(container) as side, side.accounts.uow() as uow:
        profile = await uow.profiles.get(me.id)
    assert profile is not None
    assert profile.technical_skills == [] and profile.availability is None and profile.session_rate_minor == 0


async def test_mentor_update_session_rate_in_own_currency(client: Client, container: AppContainer) -> None:
    admin = await person(client, container)
    await make_admin(container, admin.id)
    countries = (await client.get("/info/country-permit/")).json()
    nigeria = next(c for c in countries if c["country"] == "Nigeria")
    set_rate = await client.post(
        "/info/exchange-rate/set/",
        json={"country": nigeria["id"], "currency_name": "Naira", "currency_initials": "NGN", "exchange_rate": 1500},
        headers=admin.headers,
    )
    assert set_rate.status_code == 200, set_rate.text
    mentor = await person(client, container, industry="technology")
    r = await client.put(
        "/user/profile-update/",
        json={
            "country_code": "+234",
            "session_rate": 3000,
            "technical_skills": ["Python", "SQL"],
            "availability": "weekends",
            "years_of_experience": 6,
            "linkedin_url": "https://linkedin.com/in/x",
        },
        headers=mentor.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["session_rate"] == "3000NGN"
    assert r.json()["technical_skills"] == ["Python", "SQL"]
    # Updating something else never touches the stored rate (the original divided it again every time).
    for _ in range(2):
        again = await client.put("/user/profile-update/", json={"bio": "x"}, headers=mentor.headers)
        assert again.json()["session_rate"] == "3000NGN"
    seen = (await client.get(f"/user/retrieve-profile/?user_id={mentor.id}", headers=admin.headers)).json()
    assert seen["session_rate"] == "3000NGN"
    async with direct(container) as side, side.accounts.uow() as uow:
        profile = await uow.profiles.get(mentor.id)
    assert profile is not None
    assert (profile.session_rate_minor, profile.session_rate_currency) == (300000, "NGN")


async def test_update_multipart_lists_and_photo_replacement(client: Client, container: AppContainer) -> None:
    mentor = await person(client, container, industry="technology")
    storage = container.platform.storage()
    first = await client.put(
        "/user/profile-update/",
        data={"technical_skills": '["Go", "Rust"]', "years_of_experience": "3"},
        files={"profile_photo": ("me.png", png(), "image/png")},
        headers=mentor.headers,
    )
    assert first.status_code == 201, first.text
    old_url = first.json()["profile_photo"]
    old_key = storage.key_of(old_url)
    assert old_key is not None and old_key.startswith("profile_pictures/") and old_key.endswith(".png")
    assert first.json()["technical_skills"] == ["Go", "Rust"]
    second = await client.put(
        "/user/profile-update/",
        files={"profile_photo": ("second photo.png", png(3, 3), "image/png")},
        headers=mentor.headers,
    )
    assert second.status_code == 201, second.text
    new_key = storage.key_of(second.json()["profile_photo"])
    assert new_key is not None and new_key != old_key and ".." not in new_key
    assert old_key not in storage.objects and new_key in storage.objects


async def test_update_rejects_forged_and_oversized_files(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    storage = container.platform.storage()
    before = set(storage.objects)
    forged = await client.put(
        "/user/profile-update/",
        files={"profile_photo": ("me.png", b"<html>not an image</html>", "image/png")},
        headers=me.headers,
    )
    assert forged.status_code == 400
    assert "profile_photo" in forged.json()
    big = await client.put(
        "/user/profile-update/",
        files={
            "cover_photo": ("big.png", png(pad=2_100_000), "image/png"),
            "profile_photo": ("ok.png", png(), "image/png"),
        },
        headers=me.headers,
    )
    assert big.status_code == 400
    assert "File too large" in big.json()["cover_photo"][0]
    assert set(storage.objects) == before


async def test_update_validation_errors(client: Client, container: AppContainer) -> None:
    me = await person(client, container, industry="technology")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"industry": "piracy"}, "industry"),
        ({"country_code": "+999999"}, "country_code"),
        ({"phone_number": "call me"}, "phone_number"),
        ({"years_of_experience": "many"}, "years_of_experience"),
        ({"availability": "never"}, "availability"),
        ({"technical_skills": "Python"}, "non_field_errors"),
        ({"session_rate": "1.234"}, "session_rate"),
        ({"session_rate": -5}, "session_rate"),
    ]
    for payload, key in cases:
        r = await client.put("/user/profile-update/", json=payload, headers=me.headers)
        assert r.status_code == 400, (payload, r.text)
        assert key in r.json(), (payload, r.json())
    bad_json = await client.put(
        "/user/profile-update/", content=b"{nope", headers={**me.headers, "content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert (await client.put("/user/profile-update/", json={"bio": "x"})).status_code == 401


async def test_unpermitted_country_code_is_refused(client: Client, container: AppContainer) -> None:
    admin = await person(client, container)
    await make_admin(container, admin.id)
    me = await person(client, container)
    countries = (await client.get("/info/country-permit/")).json()
    ghana = next(c for c in countries if c["country"] == "Ghana")
    off = await client.put(
        "/info/country-permit/", json={"country": ghana["id"], "status": "disable"}, headers=admin.headers
    )
    assert off.status_code == 200, off.text
    try:
        r = await client.put("/user/profile-update/", json={"country_code": ghana["code"]}, headers=me.headers)
        assert r.status_code == 400
        assert "country_code" in r.json()
    finally:
        on = await client.put(
            "/info/country-permit/", json={"country": ghana["id"], "status": "enable"}, headers=admin.headers
        )
        assert on.status_code == 200
    ok = await client.put("/user/profile-update/", json={"country_code": ghana["code"]}, headers=me.headers)
    assert ok.status_code == 201


async def test_employer_update_shape(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    org = await employer(client, container, owner)
    r = await client.put(
        "/user/profile-update/",
        data={"tagline": "New tagline", "company_size": "11-50", "first_name": "ignored?"},
        files={"logo": ("logo.png", png(), "image/png")},
        headers=org.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert list(body) == [
        "id",
        "company_name",
        "company_type",
        "company_size",
        "country_code",
        "phone_number",
        "location",
        "website",
        "tagline",
        "logo",
        "cover_photo",
        "user_type",
    ]
    assert body["tagline"] == "New tagline" and body["company_size"] == "11-50"
    assert container.platform.storage().key_of(body["logo"]) is not None
    bad = await client.put("/user/profile-update/", json={"company_size": "huge"}, headers=org.headers)
    assert bad.status_code == 400 and "company_size" in bad.json()


async def test_patch_industry(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    r = await client.patch("/user/profile-update/", json={"industry": "health"}, headers=me.headers)
    assert r.status_code == 206, r.text
    assert r.json() == {"industry": "health", "email": me.email}
    assert (
        await client.patch("/user/profile-update/", json={"industry": "nope"}, headers=me.headers)
    ).status_code == 400
    assert (await client.patch("/user/profile-update/", json={}, headers=me.headers)).status_code == 400
    assert (await client.patch("/user/profile-update/", json={"industry": "health"})).status_code == 401


# -------------------------------------------------------------------------------- analytics, completion


async def test_analytics_privacy(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    other = await person(client, container)
    assert (await client.get("/user/analytics/")).status_code == 401
    private = await client.get(f"/user/analytics/?user_id={owner.id}", headers=other.headers)
    assert private.status_code == 200
    assert private.json() == {"analytics": "Analytics is private for this user"}
    await set_flags(container, owner.id, show_activity=True)
    public = await client.get(f"/user/analytics/?user_id={owner.id}", headers=other.headers)
    assert list(public.json()) == ["total_posts", "total_views", "total_connections"]
    unknown = await client.get("/user/analytics/?user_id=999999", headers=other.headers)
    assert unknown.status_code == 400 and unknown.json() == {"error": "Invalid User ID"}
    assert (await client.get("/user/analytics/?user_id=x", headers=other.headers)).status_code == 400


async def test_completion_person_and_employer(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    assert (await client.get("/user/completion/")).status_code == 401
    empty = (await client.get("/user/completion/", headers=me.headers)).json()
    assert empty == {
        "completion": 0,
        "incomplete_items": ["profile_photo", "intro_video", "experience", "certification", "bio", "education"],
        "complete_items": [],
    }
    await client.put(
        "/user/profile-update/",
        data={"bio": "hi"},
        files={"profile_photo": ("a.png", png(), "image/png")},
        headers=me.headers,
    )
    await client.post("/user/certification/", json={"title": "T", "school": "S"}, headers=me.headers)
    partial = (await client.get("/user/completion/", headers=me.headers)).json()
    assert partial["completion"] == 45
    assert partial["complete_items"] == ["profile_photo", "certification", "bio"]
    org = await employer(client, container, me)
    company = (await client.get("/user/completion/", headers=org.headers)).json()
    assert company["completion"] == 50
    assert company["complete_items"] == ["tagline", "website"]
    assert company["incomplete_items"] == ["logo", "members"]


# ------------------------------------------------------------------------------------------- settings


async def test_settings_get_and_partial_put(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    got = await client.get("/user/settings/", headers=me.headers)
    assert got.status_code == 200
    assert list(got.json()) == SETTINGS_KEYS
    assert got.json()["timezone"] == "UTC"
    put = await client.put(
        "/user/settings/", json={"email_notify": True, "timezone": "Africa/Lagos"}, headers=me.headers
    )
    assert put.status_code == 200, put.text
    assert put.json()["email_notify"] is True and put.json()["timezone"] == "Africa/Lagos"
    assert put.json()["push_notify"] is True  # untouched default
    assert (await client.put("/user/settings/", json={"timezone": "Nowhere"}, headers=me.headers)).status_code == 400
    assert (await client.put("/user/settings/", json={"show_email": "maybe"}, headers=me.headers)).status_code == 400
    assert (await client.get("/user/settings/")).status_code == 401
    assert (await client.put("/user/settings/", json={})).status_code == 401


# -------------------------------------------------------------------------------------------- search


async def test_search_tokens_order_and_pages(client: Client, container: AppContainer) -> None:
    users = [await person(client, container) for _ in range(6)]
    for i, who in enumerate(users):
        r = await client.put(
            "/user/profile-update/",
            json={
                "first_name": f"Name{i}",
                "last_name": "Zed",
                "qualification": "Backend Developer" if i != 2 else "Chef",
                "bio": "builds APIs",
            },
            headers=who.headers,
        )
        assert r.status_code == 201, r.text
    me = users[0]
    first = await client.get("/user/search/?keyword=backend DEVELOPER", headers=me.headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert list(body) == PAGE_KEYS
    assert body["count"] == 5
    assert [h["id"] for h in body["results"]] == sorted(h["id"] for h in body["results"])
    assert list(body["results"][0]) == ["id", "name", "qualification", "profile_photo", "user_type"]
    assert body["previous"] is None
    assert body["next"].startswith("http://testserver.local/user/search/?") and "page=2" in body["next"]
    second = (await client.get(body["next"], headers=me.headers)).json()
    assert len(second["results"]) == 1 and second["next"] is None and second["previous"] is not None
    ids = [h["id"] for h in body["results"]] + [h["id"] for h in second["results"]]
    assert users[2].id not in ids and len(set(ids)) == 5
    prefix = (await client.get("/user/search/?keyword=back zed", headers=me.headers)).json()
    assert prefix["count"] == 5
    none = (await client.get("/user/search/?keyword=backend chef", headers=me.headers)).json()
    assert none["count"] == 0 and none["results"] == []
    name = (await client.get("/user/search/?keyword=name2", headers=me.headers)).json()
    assert [h["name"] for h in name["results"]] == ["Name2 Zed"]


async def test_search_errors(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    assert (await client.get("/user/search/?keyword=x")).status_code == 401
    missing = await client.get("/user/search/", headers=me.headers)
    assert missing.status_code == 400 and missing.json() == {"error": "No keyword query param is provided"}
    for page in ("9", "abc", "0"):
        r = await client.get(f"/user/search/?keyword=zzz&page={page}", headers=me.headers)
        assert r.status_code == 404 and r.json() == {"detail": "Invalid page."}, page
    odd = await client.get('/user/search/?keyword=" OR 1=1 --*', headers=me.headers)
    assert odd.status_code == 200


async def test_search_finds_employers_by_company_name(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    org = await employer(client, container, owner)
    r = await client.get("/user/search/?keyword=acme", headers=owner.headers)
    hits = r.json()["results"]
    assert [h["id"] for h in hits] == [org.id]
    assert hits[0]["user_type"] == "employer" and hits[0]["qualification"] == "We build things"


async def test_admin_helper_is_staff(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    await make_admin(container, me.id)
    async with direct(container) as side, side.accounts.uow() as uow:
        user = await uow.users.get(me.id)
    assert user is not None and user.is_staff


async def test_retrieve_profile_is_at_most_two_statements(client: Client, container: AppContainer) -> None:
    """One statement reads the whole page (sub-records as JSON arrays, social facts as subqueries); another
    user's view adds the view record. The token check is the request's first statement."""
    owner, viewer = await person(client, container), await person(client, container)
    company = await employer(client, container, owner)
    for n in range(3):
        r = await client.post(
            "/user/experience/",
            json={"title": f"T{n}", "organization": "O", "start_date": f"202{n}-01-01", "location": "l",
                  "employment_type": "Remote", "detail": "d"},
            headers=owner.headers,
        )
        assert r.status_code == 201, r.text
    counter = StatementCounter()
    counter.attach(container.platform.engine())
    try:
        counts = {}
        for name, who, path in (
            ("own", owner, "/user/retrieve-profile/"),
            ("other", viewer, f"/user/retrieve-profile/?user_id={owner.id}"),
            ("employer", viewer, f"/user/retrieve-profile/?user_id={company.id}"),
        ):
            await client.get(path, headers=who.headers)  # warm the one-time probes
            with counter.measure() as seen:
                r = await client.get(path, headers=who.headers)
            assert r.status_code == 200, r.text
            counts[name] = len(ours(seen)) - 1  # minus the token check (and without the task worker's statements)
    finally:
        counter.detach(container.platform.engine())
    assert counts["own"] == 1 and counts["other"] <= 2 and counts["employer"] <= 2, counts
