"""Wire shapes of the JobHax face (``../shared/spec/jobhax-api.md``), field for field. Requests ignore unknown
keys; ids may come as numbers or numeric strings, as the original's clients send them."""

from __future__ import annotations

from typing import Annotated

import msgspec

from adapters.http.wire import NO_NUL

__all__ = (
    "ClientBody",
    "GmailTokenBody",
    "LoginBody",
    "LogoutBody",
    "MailRead",
    "RefreshBody",
    "RegisterBody",
    "SocialBody",
    "SyncRead",
    "SyncStartedRead",
    "TokenRead",
    "UploadForm",
)

Short = Annotated[str, msgspec.Meta(max_length=255, pattern=NO_NUL)]
Secret = Annotated[str, msgspec.Meta(max_length=4096, pattern=NO_NUL)]


class ClientBody(msgspec.Struct, kw_only=True):
    client_id: Short
    client_secret: Short


class LoginBody(ClientBody, kw_only=True):
    username: Short
    password: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]


class RefreshBody(ClientBody, kw_only=True):
    refresh_token: Secret


class LogoutBody(ClientBody, kw_only=True):
    token: Secret


class SocialBody(ClientBody, kw_only=True):
    provider: Short
    token: Secret


class RegisterBody(msgspec.Struct, kw_only=True):
    first_name: Annotated[str, msgspec.Meta(max_length=150, pattern=NO_NUL)] = ""
    last_name: Annotated[str, msgspec.Meta(max_length=150, pattern=NO_NUL)] = ""
    username: Annotated[str, msgspec.Meta(max_length=150, pattern=NO_NUL)]
    email: Short
    password: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
    password2: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]


class GmailTokenBody(msgspec.Struct, kw_only=True):
    token: Secret


class UploadForm(msgspec.Struct, kw_only=True):
    """``upload_emails``: only the ``file`` part (a multipart upload)."""


class TokenRead(msgspec.Struct, kw_only=True):
    access_token: str
    expires_in: int
    token_type: str
    scope: str
    refresh_token: str


class MailRead(msgspec.Struct, kw_only=True):
    subject: str
    body: str
    date: str


class SyncStartedRead(msgspec.Struct, kw_only=True):
    task_id: int


class SyncRead(msgspec.Struct, kw_only=True):
    task_id: int
    kind: str
    status: str
    imported: int
    skipped: int
    error: str
    created_at: str
    finished_at: str | None
