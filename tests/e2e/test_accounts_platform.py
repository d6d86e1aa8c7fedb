"""Around the accounts endpoints: CORS, health, the offline API docs, and what the logs never contain."""

from __future__ import annotations

import logging
import logging.config
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bootstrap.container import AppContainer
from bootstrap.logs import configure_logging
from tests.conftest import PASSWORD, code_in, sign_up, wait_for_mail

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]

ACCOUNT_PATHS = {
    "/user/signup/", "/user/hash/verify/", "/user/signin/", "/user/signout/", "/user/token/refresh/",
    "/user/forget-password/", "/user/google/signup/", "/user/google/signin/", "/user/delete/",
    "/user/corporate/signup/", "/user/linked-accounts/", "/user/switch-account/", "/user/organization-members/",
}
AUTHENTICATED = {
    ("/user/signout/", "post"), ("/user/delete/", "delete"), ("/user/corporate/signup/", "post"),
    ("/user/linked-accounts/", "get"), ("/user/switch-account/", "post"), ("/user/organization-members/", "post"),
    ("/user/organization-members/", "get"), ("/user/organization-members/", "delete"),
}


async def test_cors_preflight_from_an_allowed_origin(client: Client) -> None:
    response = await client.options("/user/signin/", headers={
        "Origin": "http://localhost:5173",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    })
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in response.headers["access-control-allow-methods"]


async def test_cors_disallowed_origin_gets_no_allow_origin(client: Client) -> None:
    preflight = await client.options("/user/signin/", headers={
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    })
    assert "access-control-allow-origin" not in preflight.headers
    simple = await client.post("/user/signin/", json={"email": "a@example.org", "password": "x"},
                               headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


async def test_health(client: Client) -> None:
    response = await client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


async def test_openapi_documents_every_accounts_path_and_bearer_auth(client: Client) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    scheme = schema["components"]["securitySchemes"]["BearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    # Litestar documents paths without the trailing slash; both spellings are routed.
    paths = {p.rstrip("/") + "/": item for p, item in schema["paths"].items()}
    assert ACCOUNT_PATHS <= set(paths)
    for path, method in AUTHENTICATED:
        assert paths[path][method].get("security") == [{"BearerAuth": []}], (path, method)
    assert "security" not in paths["/user/signin/"]["post"]


async def test_docs_page_loads_nothing_from_a_cdn(client: Client) -> None:
    response = await client.get("/schema")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", response.text)
    assert urls, response.text[:500]
    assert not [u for u in urls if re.match(r"(https?:)?//", u)]
    assert not re.search(r"https?://(?!testserver)[^\s\"']*\.(?:js|css)", response.text)


@pytest.fixture
def production_logger_levels(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The per-logger levels of ``configure_logging`` (driver loggers that echo SQL stay at WARNING)."""
    with monkeypatch.context() as patch:
        patch.setattr(logging.config, "dictConfig", lambda config: None)
        loggers: dict[str, dict[str, Any]] = configure_logging("DEBUG")["loggers"]
    saved = {name: logging.getLogger(name).level for name in loggers}
    for name, options in loggers.items():
        logging.getLogger(name).setLevel(options["level"])
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("production_logger_levels")
async def test_logs_never_contain_secrets(client: Client, container: AppContainer,
                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    mailer = container.platform.mailer()
    password = "Zq9SecretPassword"
    new_password = "Yx8OtherSecret"
    body = {"email": "ada@example.org", "password1": password, "password2": password}
    await client.post("/user/signup/", json=body)
    code = code_in(await wait_for_mail(mailer, "ada@example.org", "Verify your Email"))
    created = (await client.post("/user/signup/", json={**body, "otp": code})).json()
    signin = (await client.post("/user/signin/", json={"email": "ada@example.org", "password": password})).json()
    await client.post("/user/signin/", json={"email": "ada@example.org", "password": password + "nope"})
    await client.post("/user/forget-password/", json={"email": "ada@example.org"})
    reset_code = code_in(await wait_for_mail(mailer, "ada@example.org", "Password Reset Request"))
    verified = (await client.post("/user/forget-password/", json={"otp": reset_code})).json()
    await client.post("/user/forget-password/", json={"email": "ada@example.org", "password1": new_password,
                                                      "password2": new_password,
                                                      "reset_token": verified["reset_token"]})
    refreshed = (await client.post("/user/token/refresh/", json={"refresh": signin["refresh"]})).json()
    await wait_for_mail(mailer, "ada@example.org", "Your password was changed")

    secrets = [password, new_password, code, reset_code, verified["reset_token"], created["access"],
               created["refresh"], signin["access"], signin["refresh"], *refreshed.values()]
    assert caplog.records, "expected some log records"
    for record in caplog.records:
        text = record.getMessage() + " " + " ".join(f"{k}={v!r}" for k, v in vars(record).items())
        for secret in secrets:
            assert secret not in text, (record.name, record.getMessage())
        assert '"password1"' not in text and '"otp"' not in text


async def test_signed_up_user_helper_still_signs_in(client: Client, container: AppContainer) -> None:
    user = await sign_up(client, container, "ada@example.org")
    response = await client.post("/user/signin/", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
