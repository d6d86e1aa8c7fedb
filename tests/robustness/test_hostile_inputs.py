"""Hand-written hostile inputs across accounts, profiles (uploads) and feed (uploads): each gets a clear 4xx
JSON error, and nothing is stored (rows, media objects) when the request is refused."""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import Table, func, select

from adapters.db.tables.accounts import users
from adapters.db.tables.feed import comments, posts
from adapters.db.tables.profiles import experiences, projects
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from core.accounts.model.users import UserType
from tests.conftest import PASSWORD, SignedUp, make_settings, sign_up
from tests.e2e.feed_support import direct
from tests.e2e.profiles_support import PDF, png, set_flags

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]


def assert_json_4xx(response: Any, status: int | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if status is not None:
        assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict) and body, body
    return body


async def count(container: AppContainer, table: Table) -> int:
    async with direct(container) as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar() or 0)


@pytest.fixture
async def me(client: Client, container: AppContainer) -> SignedUp:
    return await sign_up(client, container, "hostile@example.org")


# ----------------------------------------------------------------------------------------------- size


async def test_body_over_the_limit_is_413_json_and_nothing_stored(tmp_path: Path, database_url: str) -> None:
    container = build_container(make_settings(tmp_path, database_url, request_max_body_size=20_000), "sql")
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        me = await sign_up(client, container, "big@example.org")
        big = {"title": "x" * 30_000, "organization": "o", "start_date": "2022-01-01", "employment_type": "Remote"}
        body = assert_json_4xx(await client.post("/user/experience/", json=big, headers=me.headers), 413)
        assert "detail" in body
        assert await count(container, experiences) == 0
        # A comment's own limit (2 MB) with a file part.
        storage = container.platform.storage()
        huge = await client.post("/post/comment/", data={"post": "1", "body": "b"},
                                 files={"media": ("a.png", png(pad=2_100_000), "image/png")}, headers=me.headers)
        assert_json_4xx(huge, 413)
        assert await count(container, comments) == 0 and storage.objects == {}


# --------------------------------------------------------------------------------------- malformed JSON


JSON_TARGETS = [("POST", "/user/signin/"), ("POST", "/post/"), ("PUT", "/user/profile-update/"),
                ("POST", "/post/like/"), ("POST", "/user/experience/"), ("POST", "/user/corporate/signup/")]


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeply nested
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"email": "\xff\xfe@example.org", "body": "\xc3\x28"}',  # invalid UTF-8
        b'{"body": "unterminated',
        b"\x00\x00\x00",
    ],
    ids=["nested-arrays", "nested-objects", "invalid-utf8", "truncated", "nul-bytes"],
)
async def test_malformed_json_is_400(client: Client, me: SignedUp, raw: bytes) -> None:
    for method, path in JSON_TARGETS:
        response = await client.request(method, path, content=raw,
                                        headers={**me.headers, "content-type": "application/json"})
        assert_json_4xx(response, 400)


async def test_nothing_stored_from_malformed_bodies(client: Client, container: AppContainer, me: SignedUp) -> None:
    for raw in (b"[" * 10_000, b'{"body": "\xff"}', b'{"body": "ok"'):
        assert_json_4xx(await client.post("/post/", content=raw,
                                          headers={**me.headers, "content-type": "application/json"}), 400)
    assert await count(container, posts) == 0


# ------------------------------------------------------------------------------------------- NUL bytes


NUL_BODIES = [
        ("POST", "/post/", {"body": "a\x00b"}),
        ("POST", "/user/experience/", {"title": "a\x00", "organization": "o", "start_date": "2022-01-01",
                                       "employment_type": "Remote"}),
        ("POST", "/user/certification/", {"title": "t\x00", "school": "s"}),
        ("PUT", "/user/profile-update/", {"first_name": "Ada\x00"}),
        ("POST", "/project/", {"title": "t\x00", "description": "d"}),
        ("POST", "/user/signin/", {"email": "a\x00@example.org", "password": "x\x00"}),
        ("POST", "/user/signup/", {"email": "nul@example.org", "password1": "Pass\x00w0rd",
                                   "password2": "Pass\x00w0rd"}),
        ("POST", "/info/choice-data/", {"field_name": "industry", "value": "a\x00"}),
    ]


async def test_nul_bytes_are_400(client: Client, container: AppContainer, me: SignedUp) -> None:
    for method, path, body in NUL_BODIES:
        response = await client.request(method, path, json=body, headers=me.headers)
        assert_json_4xx(response, 400)
        assert response.json() != {}, (path, response.text)
    assert (await count(container, posts), await count(container, experiences), await count(container, projects)) \
        == (0, 0, 0)


async def test_nul_bytes_in_multipart_fields_are_400(client: Client, container: AppContainer, me: SignedUp) -> None:
    response = await client.post("/post/", data={"body": "x\x00y"}, files={"pic1": ("a.png", png(), "image/png")},
                                 headers=me.headers)
    assert_json_4xx(response, 400)
    assert await count(container, posts) == 0 and container.platform.storage().objects == {}


# ------------------------------------------------------------------------------ numbers, pages and ids


async def test_ids_out_of_range_in_bodies_are_400(client: Client, me: SignedUp) -> None:
    targets = [("/post/like/", "post"), ("/follow/", "user_following"), ("/connection/", "connection"),
               ("/post/comment/", "post"), ("/user/switch-account/", "account")]
    for value, (path, key) in itertools.product([2**63, 2**70, -1, 0, 1.5, "1", True, None, "NaN", 1e308], targets):
        response = await client.post(path, json={key: value, "body": "b"}, headers=me.headers)
        assert_json_4xx(response, 400)


async def test_ids_out_of_range_in_queries_are_4xx(client: Client, me: SignedUp) -> None:
    for value, template in itertools.product(
        ["99999999999999999999999", "-1", "0", "1e5", "abc", "%00", "١"],
        ["/post/?post_id={}", "/user/retrieve-profile/?user_id={}", "/post/delete/?post_id={}",
         "/project/?portfolio_id={}", "/connection/?connection_id={}", "/post/by-user/?user_id={}"],
    ):
        path = template.format(value)
        method = "DELETE" if path.startswith(("/post/delete", "/connection/")) else "GET"
        assert_json_4xx(await client.request(method, path, headers=me.headers))


async def test_huge_and_negative_pages_are_404(client: Client, me: SignedUp) -> None:
    for page, path in itertools.product(
        ["99999999999999999999999", "-1", "0", "1e3", "abc", "２", "", "9" * 5000],
        ["/post/", "/post/posted/", "/post/by-mentors/", "/follow/recommendation/", "/user/search/?keyword=a&"],
    ):
        sep = "&" if "?" in path and not path.endswith("&") else ("" if path.endswith("&") else "?")
        response = await client.get(f"{path}{sep}page={page}", headers=me.headers)
        if page == "":  # an empty page parameter is the first page
            assert response.status_code == 200, response.text
            continue
        assert_json_4xx(response)
        assert response.status_code in (400, 404)


async def test_path_ids_out_of_range(client: Client, me: SignedUp) -> None:
    for value in ("99999999999999999999999", "-1", "0"):
        assert_json_4xx(await client.get(f"/project/{value}/", headers=me.headers))


async def test_numbers_out_of_range_in_fields(client: Client, container: AppContainer, me: SignedUp) -> None:
    # Mentor-only fields are ignored for learners: make the caller a mentor so they are read.
    await set_flags(container, me.id, user_type=UserType.MENTOR)
    assert_json_4xx(await client.put("/user/profile-update/", json={"years_of_experience": 10**30},
                                     headers=me.headers), 400)
    assert_json_4xx(await client.put("/user/profile-update/", json={"session_rate": "1e999999"},
                                     headers=me.headers), 400)
    assert_json_4xx(await client.put("/user/profile-update/", data={"years_of_experience": "9" * 400},
                                     headers=me.headers), 400)
    assert_json_4xx(await client.put("/user/profile-update/", json={"session_rate": "-5"}, headers=me.headers), 400)
    assert_json_4xx(await client.put("/user/profile-update/", json={"session_rate": "NaN"}, headers=me.headers), 400)


# --------------------------------------------------------------------------------------------- e-mails


@pytest.mark.parametrize(
    "variant",
    ["ADA@EXAMPLE.ORG", "Ada@Example.Org", unicodedata.normalize("NFD", "adà@example.org"),
     "\uff41da@example.org"],  # fullwidth "a"
)
async def test_emails_differing_in_case_or_unicode_form_are_one_account(
    client: Client, container: AppContainer, variant: str
) -> None:
    base = "adà@example.org" if "à" in unicodedata.normalize("NFC", variant) else "ada@example.org"
    await sign_up(client, container, unicodedata.normalize("NFC", base))
    body = {"email": variant, "password1": PASSWORD, "password2": PASSWORD}
    response = await client.post("/user/signup/", json=body)
    assert_json_4xx(response, 400)
    assert await count(container, users) == 1


# ---------------------------------------------------------------------------------------- file uploads


SAFE_KEY = re.compile(r"[a-z_]+(?:/[a-z_]+)*/[0-9a-f]{32}-[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[a-z0-9]+")
UPLOADS = [
    ("PUT", "/user/profile-update/", "profile_photo", {}),
    ("POST", "/post/", "pic1", {"body": "hello"}),
    ("POST", "/project/", "image", {"title": "t", "description": "d"}),
    ("POST", "/user/corporate/signup/", "logo", {
        "company_name": "Acme", "company_email": "acme-up@example.org", "company_type": "private",
        "company_size": "1-10", "industry": "technology", "website": "https://a.example", "location": "L",
        "tagline": "t"}),
]


async def _stored(container: AppContainer) -> tuple[int, int, int, int]:
    return (await count(container, posts), await count(container, projects), await count(container, users),
            len(container.platform.storage().objects))


BAD_FILES = [
    ("photo.png", PDF),  # content does not match the type
    ("photo.png", b"<svg onload=alert(1)></svg>"),
    ("photo.png", b"GIF89a"),
    ("photo.png", b""),  # empty part
    ("photo.exe", b"MZ\x90\x00" + b"\x00" * 100),
]


@pytest.mark.parametrize(("method", "path", "field", "fields"), UPLOADS, ids=lambda v: str(v)[:20])
async def test_bad_files_are_400_and_nothing_stored(
    client: Client, container: AppContainer, me: SignedUp, method: str, path: str, field: str,
    fields: dict[str, str],
) -> None:
    before = await _stored(container)
    for filename, content in BAD_FILES:
        response = await client.request(method, path, data=fields, files={field: (filename, content, "image/png")},
                                        headers=me.headers)
        body = assert_json_4xx(response, 400)
        assert field in body, body
    assert await _stored(container) == before


# (A NUL in a name cannot be sent through httpx, which percent-encodes it; see the raw multipart test below.)
HOSTILE_NAMES = ["../../../etc/passwd.png", "..\\..\\boot.png", "a\r\nb.png", "\u202egnp.exe", "/" * 300 + ".png"]


@pytest.mark.parametrize(("method", "path", "field", "fields"), UPLOADS, ids=lambda v: str(v)[:20])
async def test_hostile_file_names_are_400_and_nothing_stored(
    client: Client, container: AppContainer, me: SignedUp, method: str, path: str, field: str,
    fields: dict[str, str],
) -> None:
    """A name with a path, control or bidi characters is refused (browsers send plain base names)."""
    before = await _stored(container)
    for n, filename in enumerate(HOSTILE_NAMES):
        data = {**fields, "company_email": f"acme{n}@example.org"} if "company_email" in fields else fields
        response = await client.request(method, path, data=data, files={field: (filename, png(), "image/png")},
                                        headers=me.headers)
        body = assert_json_4xx(response, 400)
        assert field in body, (filename, body)
        assert "Invalid file name" in str(body[field])
    assert await _stored(container) == before


@pytest.mark.parametrize(("method", "path", "field", "fields"), UPLOADS, ids=lambda v: str(v)[:20])
async def test_odd_but_plain_file_names_are_stored_under_safe_keys(
    client: Client, container: AppContainer, me: SignedUp, method: str, path: str, field: str,
    fields: dict[str, str],
) -> None:
    """Spaces, accents and shell characters are fine in a name; the key is random plus a sanitised stem."""
    for n, filename in enumerate(["my photo (1).png", "résumé été.png", "$(rm -rf).png", "a;b|c.png"]):
        data = {**fields, "company_email": f"plain{n}@example.org"} if "company_email" in fields else fields
        response = await client.request(method, path, data=data, files={field: (filename, png(), "image/png")},
                                        headers=me.headers)
        assert response.status_code in (200, 201), response.text
    for key in container.platform.storage().objects:
        assert SAFE_KEY.fullmatch(key), key


async def test_nul_in_a_raw_multipart_file_name_is_400(client: Client, container: AppContainer, me: SignedUp) -> None:
    before = await _stored(container)
    raw = (
        b"--XyZ\r\nContent-Disposition: form-data; name=\"profile_photo\"; filename=\"a\x00b.png\"\r\n"
        b"Content-Type: image/png\r\n\r\n" + png() + b"\r\n--XyZ--\r\n"
    )
    response = await client.put(
        "/user/profile-update/",
        content=raw,
        headers={**me.headers, "content-type": "multipart/form-data; boundary=XyZ"},
    )
    assert_json_4xx(response, 400)
    assert await _stored(container) == before


async def test_empty_multipart_parts(client: Client, container: AppContainer, me: SignedUp) -> None:
    before = await _stored(container)
    # An empty text part where text is required, and a part with no name at all.
    r = await client.post("/project/", data={"title": "", "description": ""}, headers=me.headers)
    assert_json_4xx(r, 400)
    r = await client.post("/post/", files={"pic1": ("", b"", "application/octet-stream")}, headers=me.headers)
    assert_json_4xx(r, 400)
    raw = b"--XyZ\r\nContent-Disposition: form-data\r\n\r\n\r\n--XyZ--\r\n"
    r = await client.post("/post/", content=raw,
                          headers={**me.headers, "content-type": "multipart/form-data; boundary=XyZ"})
    assert_json_4xx(r, 400)
    r = await client.post("/post/", content=b"--XyZ\r\n", headers={**me.headers,
                                                                 "content-type": "multipart/form-data; boundary=XyZ"})
    assert_json_4xx(r, 400)
    assert await _stored(container) == before
