"""Wire helpers shared by the controllers: client address, JSON-or-multipart bodies, media URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType
from litestar.params import KwargDefinition

from adapters.http.proxies import rate_limit_address
from core.shared.errors import InvalidInput
from core.shared.links import WEB_URL_MAX, WEB_URL_MESSAGE, WEB_URL_PATTERN
from core.shared.media import Upload

__all__ = (
    "INVISIBLE_MESSAGE",
    "NO_INVISIBLE",
    "NO_NUL",
    "NUL_MESSAGE",
    "Flag",
    "FormBody",
    "MaybeFlag",
    "MaybeMoment",
    "Site",
    "WebUrl",
    "client_ip",
    "pattern_message",
    "read_body",
    "to_upload",
)

T = TypeVar("T")

# A boolean field of a JSON body. Litestar converts request bodies leniently, so 0 and 1 and the strings "true",
# "false", "0" and "1" are read as booleans too; documented as such.
_FLAG_FORMS = [
    Schema(type=OpenAPIType.BOOLEAN),
    Schema(type=OpenAPIType.INTEGER, enum=[0, 1], description="0 is false, 1 is true."),
    Schema(type=OpenAPIType.STRING, enum=["true", "false", "0", "1"], description="Read as a boolean."),
]
Flag = Annotated[bool, KwargDefinition(schema_extra={"one_of": _FLAG_FORMS})]
MaybeFlag = Annotated[
    bool | None, KwargDefinition(schema_extra={"one_of": [*_FLAG_FORMS, Schema(type=OpenAPIType.NULL)]})
]

# A date-time field of a JSON body, optional. Litestar converts request bodies leniently (msgspec, strict=False),
# so besides an RFC 3339 string with an offset the field takes a number, read as Unix time in seconds; documented
# as both.
MaybeMoment = Annotated[
    Annotated[datetime, msgspec.Meta(tz=True)] | None,  # a string must name its offset (`Z`, `+01:00`)
    KwargDefinition(
        schema_extra={
            "one_of": [
                Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
                Schema(type=OpenAPIType.NUMBER, description="Unix time in seconds."),
                Schema(type=OpenAPIType.NULL),
            ]
        }
    ),
]

# Every text field of a request: PostgreSQL text cannot hold NUL characters, so they are refused (400) up front.
NO_NUL = r"^[^\x00]*$"
NUL_MESSAGE = "Null characters are not allowed."
# E-mail fields: no NUL and none of the invisible characters of the Basic Multilingual Plane (soft hyphen,
# zero-width space/joiners, bidi controls, BOM…), so every endpoint answers a field error before any lookup;
# ``normalize_email`` in the service refuses these and the rest (tags, other planes) for every caller.
NO_INVISIBLE = (
    r"^[^\x00\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    r"\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]*$"
)
INVISIBLE_MESSAGE = "Enter a valid email address without invisible characters."


_URL_MARKER = "[Hh][Tt][Tt][Pp][Ss]?://"


def pattern_message(text: str) -> str | None:
    """The friendly message of a failed ``NO_INVISIBLE``/``WebUrl``/``NO_NUL`` pattern in a msgspec error, else
    ``None``."""
    if "matching regex" not in text:
        return None
    if "u200b" in text:
        return INVISIBLE_MESSAGE
    if _URL_MARKER in text:
        return WEB_URL_MESSAGE
    if "x00" in text:
        return NUL_MESSAGE
    return None


_PATH = re.compile(r"`\$\.([A-Za-z0-9_]+)")

# Every link field of a request (``website``, ``linkedin_url``): an absolute http(s) URL or empty; the services
# apply the same rule (``core.shared.links.check_web_url``).
WebUrl = Annotated[
    str,
    msgspec.Meta(
        pattern=WEB_URL_PATTERN,
        max_length=WEB_URL_MAX,
        description="An absolute `http://` or `https://` URL (empty clears it).",
    ),
]


def client_ip(request: Request[Any, Any, Any]) -> str:
    """The client's address as rate limits count it: the peer, or the client a trusted proxy forwarded for
    (``adapters/http/proxies.py``); IPv6 clients by their ``/64`` network."""
    return rate_limit_address(request.client.host if request.client else "")


@dataclass(frozen=True, slots=True)
class Site:
    """Public addresses used when rendering responses."""

    public_url: str

    def _static(self, name: str) -> str:
        return f"{self.public_url.rstrip('/')}/static/defaults/{name}"

    def photo(self, url: str | None) -> str:
        return url or self._static("profile_photo.png")

    def logo(self, url: str | None) -> str:
        return url or self._static("company_logo.png")

    def cover(self, url: str | None) -> str:
        return url or self._static("cover_photo.png")

    @property
    def default_photo(self) -> str:
        return self._static("profile_photo.png")


@dataclass(frozen=True, slots=True)
class FormBody:
    fields: dict[str, Any]
    files: dict[str, UploadFile]


def _convert_error(exc: msgspec.ValidationError) -> InvalidInput:
    message = str(exc)
    found = _PATH.search(message)
    missing = re.search(r"missing required field `([^`]+)`", message)
    if missing:
        return InvalidInput.field(missing.group(1), "This field is required.")
    text = pattern_message(message) or re.sub(r" - at `[^`]*`$", "", message).replace("`", "")
    return InvalidInput.field(found.group(1), text) if found else InvalidInput.non_field(text)


async def read_body(request: Request[Any, Any, Any]) -> FormBody:
    """Read a JSON object, a multipart form or a urlencoded form into fields and files."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        fields: dict[str, Any] = {}
        files: dict[str, UploadFile] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = value
            else:
                fields[key] = value
        return FormBody(fields=fields, files=files)
    raw = await request.body()
    if not raw.strip():
        return FormBody(fields={}, files={})
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise InvalidInput({"detail": f"JSON parse error - {exc}"}) from None
    if not isinstance(data, dict):
        raise InvalidInput.non_field(f"Invalid data. Expected a dictionary, but got {type(data).__name__}.")
    return FormBody(fields=data, files={})


def convert(fields: dict[str, Any], model: type[T]) -> T:
    try:
        return msgspec.convert(fields, model, strict=False)
    except msgspec.ValidationError as exc:
        raise _convert_error(exc) from None


async def to_upload(file: UploadFile) -> Upload:
    data = await file.read()
    return Upload(filename=file.filename or "", data=data, declared_type=file.content_type or "")
