"""Google sign-in: exchange an OAuth authorization code for a verified identity (OpenID Connect id_token)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from ports.accounts import ExternalIdentity, IdentityError

__all__ = ("GOOGLE_ISSUERS", "GOOGLE_JWKS_URL", "GOOGLE_TOKEN_URL", "GoogleOAuthIdentity")

GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
GOOGLE_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs"
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")

_FAILED = "Failed to get ID token"
_INVALID = "Invalid Token"
_UNVERIFIED = "Email not verified"

_log = logging.getLogger("careernexus.identity.google")


class GoogleOAuthIdentity:
    """``GoogleIdentity`` over Google's OAuth token endpoint and its JWKS.

    The id_token must be RS256-signed by a key from ``jwks_url`` (cached ``jwks_ttl`` seconds, re-fetched once
    when a token names an unknown ``kid``), for ``aud == client_id``, issued by Google, unexpired (``leeway``
    seconds of clock skew allowed) and carry ``email_verified: true``.

    Pass ``http`` to share a client (the caller closes it); otherwise the adapter owns one, closed by ``aclose``.
    """

    __slots__ = (
        "_client_id",
        "_client_secret",
        "_clock",
        "_http",
        "_jwks_fetched_at",
        "_jwks_ttl",
        "_jwks_url",
        "_keys",
        "_leeway",
        "_owns_http",
        "_redirect_uris",
        "_timeout",
        "_token_url",
    )

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri_signin: str,
        redirect_uri_signup: str,
        token_url: str = GOOGLE_TOKEN_URL,
        jwks_url: str = GOOGLE_JWKS_URL,
        http: httpx.AsyncClient | None = None,
        timeout: float = 10.0,
        *,
        jwks_ttl: float = 3600.0,
        leeway: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uris = {"signin": redirect_uri_signin, "signup": redirect_uri_signup}
        self._token_url = token_url
        self._jwks_url = jwks_url
        self._owns_http = http is None
        self._http = http if http is not None else httpx.AsyncClient()
        self._timeout = timeout
        self._jwks_ttl = jwks_ttl
        self._leeway = leeway
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._jwks_fetched_at: float | None = None

    async def aclose(self) -> None:
        """Close the HTTP client if the adapter created it."""
        if self._owns_http:
            await self._http.aclose()

    async def identify(self, code: str, *, flow: str) -> ExternalIdentity:
        redirect_uri = self._redirect_uris.get(flow)
        if redirect_uri is None:
            raise ValueError(f"flow must be 'signin' or 'signup', not {flow!r}")
        id_token = await self._exchange(code, redirect_uri)
        claims = await self._verify(id_token)
        verified = claims.get("email_verified")
        if verified is not True and verified != "true":
            raise IdentityError(_UNVERIFIED)
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise IdentityError(_INVALID)
        name = claims.get("name", "")
        return ExternalIdentity(email=email, email_verified=True, name=name if isinstance(name, str) else "")

    async def _exchange(self, code: str, redirect_uri: str) -> str:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "redirect_uri": redirect_uri,
        }
        try:
            response = await self._http.post(
                self._token_url, data=form, headers={"Accept": "application/json"}, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            _log.warning("google token exchange failed: %s", type(exc).__name__)
            raise IdentityError(_FAILED) from exc
        if not response.is_success:
            _log.info("google token exchange refused: HTTP %s", response.status_code)
            raise IdentityError(_FAILED)
        try:
            body = response.json()
        except ValueError as exc:
            raise IdentityError(_FAILED) from exc
        id_token = body.get("id_token") if isinstance(body, dict) else None
        if not isinstance(id_token, str) or not id_token:
            raise IdentityError(_FAILED)
        return id_token

    async def _verify(self, id_token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise IdentityError(_INVALID) from exc
        kid = header.get("kid")
        if header.get("alg") != "RS256" or not isinstance(kid, str):
            raise IdentityError(_INVALID)
        key = await self._key(kid)
        if key is None:
            raise IdentityError(_INVALID)
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=["RS256"],
                audience=self._client_id,
                issuer=GOOGLE_ISSUERS,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            _log.info("google id_token rejected: %s", type(exc).__name__)
            raise IdentityError(_INVALID) from exc
        return claims

    async def _key(self, kid: str) -> jwt.PyJWK | None:
        fresh = self._jwks_fetched_at is not None and self._clock() - self._jwks_fetched_at < self._jwks_ttl
        if fresh and kid in self._keys:
            return self._keys[kid]
        # Stale cache or unknown kid (Google rotated its keys): fetch once.
        stale = self._keys.get(kid)
        try:
            await self._refresh_keys()
        except IdentityError:
            if stale is not None:  # JWKS endpoint unreachable: a key we already trusted still verifies
                return stale
            raise
        return self._keys.get(kid)

    async def _refresh_keys(self) -> None:
        try:
            response = await self._http.get(self._jwks_url, timeout=self._timeout)
            response.raise_for_status()
            jwks = response.json()
            key_set = jwt.PyJWKSet.from_dict(jwks)
        except (httpx.HTTPError, ValueError, json.JSONDecodeError, jwt.PyJWTError, TypeError, KeyError) as exc:
            _log.warning("google JWKS fetch failed: %s", type(exc).__name__)
            raise IdentityError(_INVALID) from exc
        self._keys = {k.key_id: k for k in key_set.keys if k.key_id and k.key_type == "RSA"}
        self._jwks_fetched_at = self._clock()
