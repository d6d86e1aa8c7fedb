"""A local, real-HTTP stand-in for Google's OAuth token endpoint and JWKS.

Usage::

    with running_fake_google("my-client-id") as google:
        identity = GoogleOAuthIdentity(
            "my-client-id", "secret", "https://app/signin", "https://app/signup",
            token_url=google.token_url, jwks_url=google.jwks_url,
        )
        code = google.issue_code("ada@example.org", name="Ada Lovelace")
        who = await identity.identify(code, flow="signin")   # ExternalIdentity(email="ada@example.org", ...)

The server is a ``ThreadingHTTPServer`` on 127.0.0.1 (free port) in a daemon thread; it stops when the
``with`` block ends. State is plain attributes, safe to read from the test:

- ``issue_code(email, *, name="", email_verified=True, aud=None, iss=None, expires_in=3600, signing="valid",
  include_id_token=True, extra_claims=None, code=None) -> str`` registers a **single-use** code (like Google).
  ``aud`` defaults to the client id, ``iss`` to ``https://accounts.google.com``; ``email_verified=None`` omits
  the claim; a negative ``expires_in`` gives an expired token; ``extra_claims`` are merged last (a ``None``
  value deletes a claim). ``signing``: ``"valid"`` (RS256 with the published key), ``"other_key"`` (RS256,
  the published ``kid`` but an unpublished key), ``"none"`` (alg none) or ``"hs256"`` (HS256 keyed with the
  public key PEM: the classic algorithm-confusion attack). ``include_id_token=False`` answers without an
  ``id_token``.
- ``codes``: the registered, not yet used codes (``code -> CodeGrant``); you may add entries directly.
- ``token_requests``: the form of every token request (``dict[str, str]``); ``jwks_requests``: GET count.
- ``token_reply = (status, body_bytes)``: when set, the token endpoint answers this verbatim (e.g. 503,
  or 200 with a non-JSON body); ``jwks_reply`` does the same for the JWKS endpoint (requests still count).
- ``rotate_key() -> kid``: publish a new signing key (the old one stays published) and sign with it.

The token endpoint answers 400 ``{"error": "invalid_grant"}`` for unknown or used codes, a wrong
``grant_type``, a wrong ``client_id`` or (when ``client_secret`` was given) a wrong secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

__all__ = ("CodeGrant", "FakeGoogle", "Signing", "running_fake_google")

Signing = Literal["valid", "other_key", "none", "hs256"]

TOKEN_PATH = "/token"
JWKS_PATH = "/oauth2/v3/certs"


@dataclass
class CodeGrant:
    claims: dict[str, Any]
    signing: Signing = "valid"
    include_id_token: bool = True


@dataclass
class _Key:
    kid: str
    private: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> _Key:
        return cls(kid=secrets.token_hex(8), private=rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def jwk(self) -> dict[str, Any]:
        data = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        assert isinstance(data, dict)
        return {**data, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeGoogle:
    """See the module docstring."""

    def __init__(self, client_id: str, client_secret: str | None = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.issuer = "https://accounts.google.com"
        self.codes: dict[str, CodeGrant] = {}
        self.token_requests: list[dict[str, str]] = []
        self.jwks_requests = 0
        self.token_reply: tuple[int, bytes] | None = None
        self.jwks_reply: tuple[int, bytes] | None = None
        self._keys = [_Key.generate()]
        self._rogue: _Key | None = None
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.base_url = ""

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATH

    @property
    def jwks_url(self) -> str:
        return self.base_url + JWKS_PATH

    @property
    def kid(self) -> str:
        """The kid of the current signing key."""
        return self._keys[-1].kid

    def rotate_key(self) -> str:
        with self._lock:
            self._keys.append(_Key.generate())
            return self._keys[-1].kid

    def issue_code(
        self,
        email: str,
        *,
        name: str = "",
        email_verified: bool | None = True,
        aud: str | None = None,
        iss: str | None = None,
        expires_in: int = 3600,
        signing: Signing = "valid",
        include_id_token: bool = True,
        extra_claims: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": iss or self.issuer,
            "azp": self.client_id,
            "aud": aud or self.client_id,
            "sub": str(int(hashlib.sha256(email.encode()).hexdigest()[:15], 16)),
            "email": email,
            "email_verified": email_verified,
            "name": name,
            "iat": now if expires_in > 0 else now + expires_in - 60,
            "exp": now + expires_in,
        }
        if email_verified is None:
            del claims["email_verified"]
        for key, value in (extra_claims or {}).items():
            if value is None:
                claims.pop(key, None)
            else:
                claims[key] = value
        code = code or "4/" + secrets.token_urlsafe(24)
        with self._lock:
            self.codes[code] = CodeGrant(claims=claims, signing=signing, include_id_token=include_id_token)
        return code

    def sign(self, claims: dict[str, Any], signing: Signing = "valid") -> str:
        """An id_token for ``claims`` signed as ``signing`` says (see the module docstring)."""
        current = self._keys[-1]
        headers = {"kid": current.kid}
        if signing == "valid":
            return jwt.encode(claims, current.private, algorithm="RS256", headers=headers)
        if signing == "other_key":
            if self._rogue is None:
                self._rogue = _Key.generate()
            return jwt.encode(claims, self._rogue.private, algorithm="RS256", headers=headers)
        # Forged by hand: PyJWT refuses PEM keys as HMAC secrets.
        alg = "none" if signing == "none" else "HS256"
        header = _b64(json.dumps({"alg": alg, "typ": "JWT", "kid": current.kid}).encode())
        payload = _b64(json.dumps(claims).encode())
        if signing == "none":
            return f"{header}.{payload}."
        mac = hmac.new(current.public_pem(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{_b64(mac)}"

    # -- HTTP side (called from server threads) -------------------------------------------------

    def _jwks(self) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.jwks_requests += 1
            return 200, {"keys": [k.jwk() for k in self._keys]}

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.token_requests.append(form)
            if (
                form.get("grant_type") != "authorization_code"
                or form.get("client_id") != self.client_id
                or (self.client_secret is not None and form.get("client_secret") != self.client_secret)
            ):
                return 400, {"error": "invalid_grant"}
            grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return 400, {"error": "invalid_grant", "error_description": "Bad Request"}
        body: dict[str, Any] = {
            "access_token": "ya29." + secrets.token_urlsafe(32),
            "expires_in": 3599,
            "scope": "openid https://www.googleapis.com/auth/userinfo.email",
            "token_type": "Bearer",
        }
        if grant.include_id_token:
            body["id_token"] = self.sign(grant.claims, grant.signing)
        return 200, body

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path != JWKS_PATH:
                    self._reply(404, b'{"error":"not_found"}')
                    return
                status, data = fake._jwks()
                if fake.jwks_reply is not None:
                    self._reply(fake.jwks_reply[0], fake.jwks_reply[1], "text/plain")
                    return
                self._reply(status, json.dumps(data).encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.path != TOKEN_PATH:
                    self._reply(404, b'{"error":"not_found"}')
                    return
                form = dict(parse_qsl(raw, keep_blank_values=True))
                status, data = fake._token(form)
                if fake.token_reply is not None:
                    self._reply(fake.token_reply[0], fake.token_reply[1], "text/plain")
                    return
                self._reply(status, json.dumps(data).encode())

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, args=(0.02,), name="fake-google", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def running_fake_google(client_id: str, client_secret: str | None = None) -> Iterator[FakeGoogle]:
    """Start a ``FakeGoogle`` on a free local port for the duration of the ``with`` block."""
    fake = FakeGoogle(client_id, client_secret)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
