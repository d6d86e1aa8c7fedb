"""Issue 16, rules 7 and 9 through HTTP: personal data follows the owner's choice (phone and résumé are the
owner's alone, e-mail hidden unless the owner shows it, profile reads by id budgeted per viewer), and link fields
take only http(s) URLs while HTML in text fields is kept as plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from bootstrap.settings import Settings
from tests.conftest import make_settings
from tests.e2e.profiles_support import EMPLOYER_KEYS, LEARNER_KEYS, MENTOR_KEYS, PDF, employer, person, set_flags

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

READS_PER_MINUTE = 4


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url, profile_reads_per_minute=READS_PER_MINUTE)


async def _profile(client: Client, viewer: Any, user_id: int | None = None) -> dict[str, Any]:
    path = "/user/retrieve-profile/" + (f"?user_id={user_id}" if user_id is not None else "")
    r = await client.get(path, headers=viewer.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


# -------------------------------------------------------------------------------- phone, résumé, e-mail


async def test_phone_and_resume_are_the_owners_alone(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    stranger = await person(client, container)
    r = await client.put(
        "/user/profile-update/",
        data={"phone_number": "8012345678"},
        files={"resume": ("cv.pdf", PDF, "application/pdf")},
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    resume_url = r.json()["resume"]
    assert resume_url.startswith("http")
    # Even with every visibility setting on, a stranger does not get them.
    await set_flags(container, owner.id, show_email=True, show_location=True, show_activity=True)
    seen = await _profile(client, stranger, owner.id)
    assert list(seen) == LEARNER_KEYS  # the documented keys stay, with empty values
    assert seen["phone_number"] == "" and seen["resume"] == ""
    assert seen["email"] == owner.email  # shown because the owner chose to
    own = await _profile(client, owner)
    assert own["phone_number"] == "8012345678" and own["resume"] == resume_url
    # By id, the owner is still the owner.
    assert (await _profile(client, owner, owner.id))["phone_number"] == "8012345678"


async def test_mentor_and_employer_phone_hidden_from_others(client: Client, container: AppContainer) -> None:
    mentor = await person(client, container, industry="technology")
    creator = await person(client, container)
    org = await employer(client, container, creator)
    viewer = await person(client, container)
    for who in (mentor, org):
        r = await client.put("/user/profile-update/", json={"phone_number": "8098765432"}, headers=who.headers)
        assert r.status_code == 201, r.text
    seen_mentor = await _profile(client, viewer, mentor.id)
    assert sorted(seen_mentor) == sorted(MENTOR_KEYS)
    assert seen_mentor["phone_number"] == "" and seen_mentor["resume"] == ""
    seen_org = await _profile(client, viewer, org.id)
    assert list(seen_org) == EMPLOYER_KEYS
    assert seen_org["phone_number"] == ""
    assert (await _profile(client, org))["phone_number"] == "8098765432"


async def test_email_is_hidden_by_default_for_new_accounts(client: Client, container: AppContainer) -> None:
    owner = await person(client, container)
    viewer = await person(client, container)
    settings = (await client.get("/user/settings/", headers=owner.headers)).json()
    assert settings["show_email"] is False
    assert (await _profile(client, viewer, owner.id))["email"] is None
    assert (await _profile(client, owner))["email"] == owner.email
    # The owner's choice is honoured both ways.
    r = await client.put("/user/settings/", json={"show_email": True}, headers=owner.headers)
    assert r.status_code == 200 and r.json()["show_email"] is True
    assert (await _profile(client, viewer, owner.id))["email"] == owner.email
    r = await client.put("/user/settings/", json={"show_email": False}, headers=owner.headers)
    assert (await _profile(client, viewer, owner.id))["email"] is None


async def test_walking_user_ids_harvests_no_address_or_phone(client: Client, container: AppContainer) -> None:
    """The attack of the issue: a signed-in user walks ``user_id`` and collects contact data."""
    victims = [await person(client, container) for _ in range(3)]
    for victim in victims:
        r = await client.put("/user/profile-update/", json={"phone_number": "8011112222"}, headers=victim.headers)
        assert r.status_code == 201
    harvester = await person(client, container)
    found: list[Any] = []
    for victim in victims:
        body = await _profile(client, harvester, victim.id)
        found += [body["email"], body["phone_number"] or None, body["resume"] or None]
    assert found == [None] * len(found)


async def test_other_surfaces_do_not_show_contact_data(client: Client, container: AppContainer) -> None:
    """Search hits, organization member cards, feed author cards and follower lists carry no e-mail or phone."""
    owner = await person(client, container)
    await set_flags(container, owner.id, show_email=True)
    r = await client.put(
        "/user/profile-update/", json={"first_name": "Zelda", "phone_number": "8033334444"}, headers=owner.headers
    )
    assert r.status_code == 201
    viewer = await person(client, container)
    post = await client.post("/post/", json={"body": "hello world"}, headers=owner.headers)
    assert post.status_code == 201
    follow = await client.post("/follow/", json={"user_following": owner.id}, headers=viewer.headers)
    assert follow.status_code == 201
    texts = [
        (await client.get("/user/search/?keyword=zelda", headers=viewer.headers)).text,
        (await client.get(f"/post/by-user/?user_id={owner.id}", headers=viewer.headers)).text,
        (await client.get("/followings/", headers=viewer.headers)).text,
    ]
    for text in texts:
        assert owner.email not in text and "8033334444" not in text


# ----------------------------------------------------------------------------------- reads per viewer


async def test_profile_reads_by_id_are_limited_per_viewer(client: Client, container: AppContainer) -> None:
    walker = await person(client, container)
    other = await person(client, container)
    targets = [await person(client, container) for _ in range(READS_PER_MINUTE + 1)]
    for target in targets[:READS_PER_MINUTE]:
        await _profile(client, walker, target.id)
    refused = await client.get(f"/user/retrieve-profile/?user_id={targets[-1].id}", headers=walker.headers)
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"].startswith("application/json")
    assert "detail" in refused.json()
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # Other reads of someone else's profile by id share the budget.
    for path in (f"/user/analytics/?user_id={other.id}", f"/project/?user_id={other.id}"):
        assert (await client.get(path, headers=walker.headers)).status_code == 429, path
    # The walker's own profile, and other viewers, are not affected.
    assert (await client.get("/user/retrieve-profile/", headers=walker.headers)).status_code == 200
    assert (await client.get("/user/analytics/", headers=walker.headers)).status_code == 200
    assert (await client.get("/project/", headers=walker.headers)).status_code == 200
    assert (await client.get(f"/user/retrieve-profile/?user_id={targets[-1].id}", headers=other.headers)).status_code \
        == 200


async def test_429_is_documented_for_the_limited_reads(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    for path in ("/user/retrieve-profile/", "/user/analytics/", "/project/"):
        assert "429" in schema["paths"][path]["get"]["responses"], path


# ---------------------------------------------------------------------------------------- link fields

BAD_LINKS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "www.example.com",
    "//evil.example/x",
    "http://",
    "https:// spaced.example",
]


@pytest.mark.parametrize("link", BAD_LINKS)
async def test_link_fields_refuse_non_http_urls(client: Client, container: AppContainer, link: str) -> None:
    mentor = await person(client, container, industry="technology")
    creator = await person(client, container)
    org = await employer(client, container, creator)
    cases: list[tuple[str, str, Any, str]] = [
        ("PUT", "/user/profile-update/", org, "website"),
        ("PUT", "/user/profile-update/", mentor, "linkedin_url"),
    ]
    for method, path, who, name in cases:
        for kind in ("json", "data"):
            r = await client.request(method, path, **{kind: {name: link}}, headers=who.headers)
            assert r.status_code == 400, (name, kind, r.text)
            assert list(r.json()) == [name], r.text
    corporate = {
        "company_name": "Squat Ltd", "company_email": "squat@example.com", "company_type": "private",
        "company_size": "1-10", "industry": "technology", "website": link, "location": "Lagos", "tagline": "t",
    }  # fmt: skip
    r = await client.post("/user/corporate/signup/", json=corporate, headers=creator.headers)
    assert r.status_code == 400 and list(r.json()) == ["website"], r.text
    # Nothing was stored.
    assert (await _profile(client, org))["website"] == "https://acme.example"
    assert (await _profile(client, mentor))["linkedin_url"] is None


async def test_link_fields_keep_http_and_https_urls(client: Client, container: AppContainer) -> None:
    mentor = await person(client, container, industry="technology")
    creator = await person(client, container)
    org = await employer(client, container, creator)
    r = await client.put(
        "/user/profile-update/", json={"website": "http://acme.example/about?x=1#team"}, headers=org.headers
    )
    assert r.status_code == 201 and r.json()["website"] == "http://acme.example/about?x=1#team", r.text
    r = await client.put(
        "/user/profile-update/", data={"linkedin_url": "https://www.linkedin.com/in/ada"}, headers=mentor.headers
    )
    assert r.status_code == 201 and r.json()["linkedin_url"] == "https://www.linkedin.com/in/ada", r.text
    r = await client.put("/user/profile-update/", json={"linkedin_url": ""}, headers=mentor.headers)
    assert r.status_code == 201 and r.json()["linkedin_url"] is None  # an empty value clears the link


async def test_html_in_text_fields_is_stored_and_answered_as_text(client: Client, container: AppContainer) -> None:
    me = await person(client, container)
    html = '<img src=x onerror="alert(1)"><script>alert(2)</script> & friends'
    r = await client.put("/user/profile-update/", json={"bio": html, "summary": html}, headers=me.headers)
    assert r.status_code == 201, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = await _profile(client, me)
    assert body["bio"] == html and body["summary"] == html  # exactly as sent: escaping is the renderer's job
    post = await client.post("/post/", json={"body": html}, headers=me.headers)
    assert post.status_code == 201 and post.json()["body"] == html
