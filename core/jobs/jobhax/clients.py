"""The JobHax face's own identity records: OAuth clients its token endpoints check (secrets kept as digests),
and username aliases (``username`` in its login is the account e-mail or such an alias)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from core.jobs.model.mail import OAuthClient
from core.shared.errors import Conflict, InvalidInput
from ports.jobhax import JobhaxUnitOfWork
from ports.system import Clock

__all__ = ("USERNAME_TAKEN", "ClientCredentials", "JobhaxIdentity", "check_username")

USERNAME_TAKEN = "That username is taken"
_USERNAME = re.compile(r"^[\w.+-]{1,150}$", re.ASCII)
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._~-]{8,100}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientCredentials:
    client_id: str
    client_secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def check_username(username: str) -> str:
    """The alias as stored (lower-cased); letters, digits and ``. _ + -`` only, at most 150 (Django's rule), and
    never an address (an ``@`` would make it ambiguous with the e-mail login)."""
    value = username.strip()
    if not _USERNAME.match(value):
        raise InvalidInput.field("username", "Enter a valid username.")
    return value.lower()


class JobhaxIdentity:
    __slots__ = ("_clock", "_uow")

    def __init__(self, *, uow: Callable[[], JobhaxUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def create_client(
        self, name: str, client_id: str | None = None, client_secret: str | None = None
    ) -> ClientCredentials:
        """Register a client (``careernexus create-oauth-client``); the secret is shown once, only its digest
        is kept. Generated when not given."""
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidInput.field("name", "Give a name of 1 to 100 characters.")
        cid = client_id or secrets.token_urlsafe(30)
        if not _CLIENT_ID.match(cid):
            raise InvalidInput.field("client_id", "8 to 100 characters among letters, digits and . _ ~ -")
        secret = client_secret or secrets.token_urlsafe(48)
        if len(secret) < 16 or len(secret) > 255:
            raise InvalidInput.field("client_secret", "16 to 255 characters.")
        async with self._uow() as uow:
            if await uow.clients.by_client_id(cid) is not None:
                raise InvalidInput.field("client_id", "This client id is taken.")
            await uow.clients.add(
                OAuthClient(name=name, client_id=cid, secret_digest=_digest(secret), created_at=self._clock.now())
            )
            await uow.commit()
        return ClientCredentials(client_id=cid, client_secret=secret)

    async def client_ok(self, client_id: str, client_secret: str) -> bool:
        """Whether the pair is a registered client (constant-time comparison of the digests)."""
        if not client_id or not client_secret or len(client_id) > 100 or len(client_secret) > 255:
            return False
        async with self._uow() as uow:
            client = await uow.clients.by_client_id(client_id)
        expected = client.secret_digest if client is not None else _digest(secrets.token_hex(16))
        return hmac.compare_digest(expected, _digest(client_secret)) and client is not None

    async def username_free(self, username: str) -> bool:
        value = check_username(username)
        async with self._uow() as uow:
            return not await uow.usernames.taken(value)

    async def claim_username(self, user_id: int, username: str) -> None:
        """``Conflict(USERNAME_TAKEN)`` when someone holds it (also under concurrent registrations)."""
        value = check_username(username)
        async with self._uow() as uow:
            try:
                await uow.usernames.add(user_id, value)
            except Conflict:
                raise Conflict(USERNAME_TAKEN) from None
            await uow.commit()

    async def login_email(self, username: str) -> str | None:
        """The address to sign in with: ``username`` itself when it is an address, else the address of the
        account holding that alias (``None`` when nobody does)."""
        value = username.strip()
        if "@" in value:
            return value
        if not _USERNAME.match(value):
            return None
        async with self._uow() as uow:
            return await uow.usernames.email_of(value.lower())
