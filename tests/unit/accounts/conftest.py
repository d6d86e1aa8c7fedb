"""Fixtures for the accounts services on the memory profile with a frozen clock and a stateful fake Google."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.db.outbox import InMemoryMailOutboxStore
from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from core.accounts.admin import AccountsAdminService
from core.accounts.corporate import CorporateAccountsService
from core.accounts.deletion import AccountDeletionService
from core.accounts.google import GoogleAccountsService
from core.accounts.issuing import Caller
from core.accounts.organizations import OrganizationsService
from core.accounts.registration import RegistrationService, SignUp
from core.accounts.reset import PasswordResetService
from core.accounts.sessions import SessionsService
from core.accounts.token_check import TokenCheck
from ports.accounts import ExternalIdentity, IdentityError
from ports.email import EmailMessage
from tests.conftest import PASSWORD, build_test_container, make_settings

# Tokens are stamped with the service clock but PyJWT checks exp/iat against wall time: start an hour before "now",
# so a test that advances the clock by seconds or minutes never stamps a token "issued in the future" (which PyJWT
# refuses), while exp (hours ahead) still lies in the wall-clock future.
START = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


class FakeGoogleIdentity:
    """A stateful stand-in for the ``GoogleIdentity`` port: codes are registered, single use, per flow."""

    def __init__(self) -> None:
        self._codes: dict[str, ExternalIdentity] = {}
        self.calls: list[tuple[str, str]] = []
        self._next = 0

    def issue(self, email: str, *, name: str = "", verified: bool = True) -> str:
        self._next += 1
        code = f"4/code-{self._next}"
        self._codes[code] = ExternalIdentity(email=email, email_verified=verified, name=name)
        return code

    def issue_without_id_token(self) -> str:
        self._next += 1
        code = f"4/no-id-token-{self._next}"
        self._codes[code] = ExternalIdentity(email="", email_verified=False, name="__no_id_token__")
        return code

    async def identify(self, code: str, *, flow: str) -> ExternalIdentity:
        assert flow in ("signin", "signup")
        self.calls.append((code, flow))
        identity = self._codes.pop(code, None)
        if identity is None:
            raise IdentityError("Invalid Token")
        if identity.name == "__no_id_token__":
            raise IdentityError("Failed to get ID token")
        return identity


@dataclass
class Env:
    container: AppContainer
    clock: FrozenClock
    google: FakeGoogleIdentity

    # The accounts use-case services, as the container wires them.
    @property
    def registration(self) -> RegistrationService:
        return self.container.accounts.registration()

    @property
    def sessions(self) -> SessionsService:
        return self.container.accounts.sessions()

    @property
    def token_check(self) -> TokenCheck:
        return self.container.accounts.token_check()

    @property
    def password_reset(self) -> PasswordResetService:
        return self.container.accounts.password_reset()

    @property
    def google_accounts(self) -> GoogleAccountsService:
        return self.container.accounts.google_accounts()

    @property
    def corporate_accounts(self) -> CorporateAccountsService:
        return self.container.accounts.corporate_accounts()

    @property
    def organizations(self) -> OrganizationsService:
        return self.container.accounts.organizations()

    @property
    def account_deletion(self) -> AccountDeletionService:
        return self.container.accounts.account_deletion()

    @property
    def accounts_admin(self) -> AccountsAdminService:
        return self.container.accounts.admin()

    @property
    def outbox(self) -> InMemoryMailOutboxStore:
        store = self.container.platform.outbox_store()
        assert isinstance(store, InMemoryMailOutboxStore)
        return store

    def mails_to(self, email: str, subject: str | None = None) -> list[EmailMessage]:
        return [m for m in self.outbox.pending() if m.to == email and (subject is None or m.subject == subject)]

    def last_code(self, email: str, subject: str = "Verify your Email") -> str:
        mails = self.mails_to(email, subject)
        assert mails, f"no {subject!r} mail to {email}"
        match = re.search(r"code is (\d{6})", mails[-1].text)
        assert match
        return match.group(1)

    def last_link_token(self, email: str, subject: str = "Verify your Email") -> str:
        mails = self.mails_to(email, subject)
        assert mails
        match = re.search(r"/verify/(\S+)", mails[-1].text)
        assert match
        return match.group(1)

    def table(self, name: str) -> dict[object, object]:
        return self.container.platform.store().tables.get(name, {})


def build_env(tmp_path: Path) -> Env:
    container = build_test_container(make_settings(tmp_path), "memory")
    clock = FrozenClock(START)
    google = FakeGoogleIdentity()
    container.platform.clock.override(providers.Object(clock))
    container.accounts.google.override(providers.Object(google))
    return Env(container=container, clock=clock, google=google)


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return build_env(tmp_path)


async def register(env: Env, email: str, *, industry: str | None = None, password: str = PASSWORD) -> int:
    """Both sign-up stages through the service; returns the new user id."""
    cmd = SignUp(email=email, password1=password, password2=password, industry=industry)
    assert await env.registration.signup(cmd) is None
    code = env.last_code(email)
    result = await env.registration.signup(SignUp(email=email, password1=password, password2=password,
                                                  industry=industry, otp=code))
    assert result is not None
    return result.user.id


async def signed_in(env: Env, email: str, password: str = PASSWORD) -> Caller:
    """A fresh sign-in of ``email``, as the token check sees its access token."""
    result = await env.sessions.signin(email, password)
    return await env.token_check.caller(result.tokens.access)


async def caller_of(env: Env, access: str) -> Caller:
    return await env.token_check.caller(access)
