"""HS256 JWT access and refresh tokens (claims: token_type, exp, iat, jti, user_id, sid).

Tokens without ``sid`` (issued before sessions existed) are refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt

from core.shared.errors import Unauthenticated
from ports.accounts import TokenClaims, TokenPair

__all__ = ("JwtTokens",)


class JwtTokens:
    __slots__ = ("_access_ttl", "_key", "_refresh_ttl")

    def __init__(self, secret_key: str, *, access_ttl: int = 21600, refresh_ttl: int = 86400) -> None:
        if len(secret_key) < 32:
            raise ValueError("the signing key must be at least 32 characters")
        self._key = secret_key
        self._access_ttl = access_ttl
        self._refresh_ttl = refresh_ttl

    def _encode(self, user_id: int, session_id: str, token_type: str, now: datetime, ttl: int) -> str:
        payload = {
            "token_type": token_type,
            "exp": int((now + timedelta(seconds=ttl)).timestamp()),
            # Sub-second precision, so a password reset revokes tokens issued earlier in the same second.
            "iat": now.timestamp(),
            "jti": uuid.uuid4().hex,
            "user_id": user_id,
            "sid": session_id,
        }
        return jwt.encode(payload, self._key, algorithm="HS256")

    def issue(self, user_id: int, session_id: str, now: datetime) -> TokenPair:
        return TokenPair(
            access=self._encode(user_id, session_id, "access", now, self._access_ttl),
            refresh=self._encode(user_id, session_id, "refresh", now, self._refresh_ttl),
        )

    def decode(self, token: str, *, token_type: str) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                options={"require": ["token_type", "exp", "iat", "jti", "user_id", "sid"]},
            )
        except jwt.PyJWTError:
            raise Unauthenticated("Given token not valid for any token type") from None
        user_id = claims.get("user_id")
        if claims.get("token_type") != token_type or not isinstance(user_id, int) or isinstance(user_id, bool):
            raise Unauthenticated("Given token not valid for any token type")
        if not isinstance(claims.get("jti"), str) or not isinstance(claims.get("sid"), str) or not claims["sid"]:
            raise Unauthenticated("Given token not valid for any token type")
        return TokenClaims(
            user_id=user_id,
            session_id=claims["sid"],
            token_type=token_type,
            jti=claims["jti"],
            issued_at=datetime.fromtimestamp(float(claims["iat"]), UTC),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
