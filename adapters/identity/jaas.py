"""JaaS (8x8 Jitsi as a Service) meeting tokens: RS256 JWTs for one room, one participant, one period."""

from __future__ import annotations

from pathlib import Path

import jwt

from core.shared.errors import ProviderUnavailable
from ports.meetings import MeetingPass

__all__ = ("JaasMeetingTokens",)


class JaasMeetingTokens:
    """``app_id`` is the ``vpaas-magic-cookie-…`` tenant, ``key_id`` the API key id (``kid``), the private key the
    PEM file of that key. Unconfigured (any of the three missing): ``issue`` answers 503."""

    def __init__(self, *, app_id: str, key_id: str, private_key_file: str) -> None:
        self._app_id = app_id
        self._key_id = key_id
        self._file = private_key_file
        self._key: str | None = None

    def _private_key(self) -> str:
        if self._key is None:
            if not (self._app_id and self._key_id and self._file):
                raise ProviderUnavailable("Video meetings are not configured.", status=503)
            try:
                self._key = Path(self._file).read_text()
            except OSError:
                raise ProviderUnavailable("Video meetings are not configured.", status=503) from None
        return self._key

    def issue(self, meeting: MeetingPass) -> str:
        claims = {
            "aud": "jitsi",
            "iss": "chat",
            "sub": self._app_id,
            "room": meeting.room,
            "nbf": int(meeting.not_before.timestamp()),
            "exp": int(meeting.expires_at.timestamp()),
            "context": {
                "user": {
                    "id": f"User_{meeting.user_id}", "name": meeting.name, "avatar": meeting.avatar,
                    "email": meeting.email, "moderator": meeting.moderator,
                },
                "features": {"livestreaming": False, "outbound-call": False, "transcription": False,
                             "recording": False},
                "room": {"regex": False},
            },
        }
        return jwt.encode(claims, self._private_key(), algorithm="RS256", headers={"kid": self._key_id, "typ": "JWT"})
