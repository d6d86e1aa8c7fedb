"""One e-mail as the parsers see it, read from RFC 822 bytes with the standard library (``email``): sender,
subject, the Date header with its own offset (kept, then normalized to UTC), the HTML and the plain text bodies.
Also the ``.eml`` / ``.mbox`` upload formats (``mailbox``)."""

from __future__ import annotations

import email
import email.errors
import email.header
import email.policy
import hashlib
import html
import mailbox
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

__all__ = ("MailMessage", "read_message", "split_upload", "text_of")

_TAGS = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<(style|script)[^>]*>.*?</\1>", re.S | re.I)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class MailMessage:
    message_id: str
    sender: str  # the address, lower-cased
    sender_name: str
    subject: str
    received_at: datetime  # UTC
    utc_offset_minutes: int  # the Date header's own offset
    html: str
    text: str


def text_of(markup: str) -> str:
    """Visible text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    without = _STYLE.sub(" ", markup)
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", without))).strip()


def _header(msg: Message, name: str) -> str:
    value = msg.get(name)
    return _SPACES.sub(" ", str(value)).strip() if value is not None else ""


def _date(msg: Message, fallback: datetime) -> tuple[datetime, int]:
    raw = _header(msg, "Date")
    try:
        parsed = parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        return fallback.astimezone(UTC), 0
    if parsed.tzinfo is None:  # "-0000": UTC with no claim about the local zone
        parsed = parsed.replace(tzinfo=UTC)
    offset = parsed.utcoffset() or timedelta(0)
    try:
        return parsed.astimezone(UTC), int(offset.total_seconds() // 60)
    except OverflowError:  # "31 Dec 9999 23:59 -1000": past what a datetime holds once in UTC
        return fallback.astimezone(UTC), 0


def _bodies(msg: Message) -> tuple[str, str]:
    found_html = ""
    found_text = ""
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind not in ("text/html", "text/plain"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            decoded = payload.decode(charset, errors="replace")
        except LookupError:
            decoded = payload.decode("utf-8", errors="replace")
        if kind == "text/html" and not found_html:
            found_html = decoded
        elif kind == "text/plain" and not found_text:
            found_text = decoded
    return found_html, found_text


def read_message(raw: bytes, *, message_id: str | None = None, fallback_date: datetime) -> MailMessage:
    """``message_id``: the provider's id (Gmail's); without it, the Message-ID header, else a digest of the bytes
    (the same file uploaded twice is the same message). ``fallback_date`` when the Date header is missing or
    unreadable."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    ident = message_id or _header(msg, "Message-ID").strip("<>") or hashlib.sha256(raw).hexdigest()
    pairs = getaddresses([_header(msg, "From")])
    name, address = pairs[0] if pairs else ("", "")
    received_at, offset = _date(msg, fallback_date)
    found_html, found_text = _bodies(msg)
    subject = _decoded(_header(msg, "Subject"))
    # NUL characters anywhere (text columns on PostgreSQL refuse them) are dropped: a message carrying one would
    # otherwise fail every sync that fetches it again.
    return MailMessage(
        message_id=_no_nul(ident)[:255],
        sender=_no_nul(address).strip().lower(),
        sender_name=_no_nul(_decoded(name)).strip().strip('"'),
        subject=_no_nul(subject),
        received_at=received_at,
        utc_offset_minutes=offset,
        html=_no_nul(found_html),
        text=_no_nul(found_text or (text_of(found_html) if found_html else "")),
    )


def _no_nul(value: str) -> str:
    return value.replace("\x00", "")


def _decoded(value: str) -> str:
    if "=?" not in value:
        return value
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except (UnicodeDecodeError, LookupError, email.errors.HeaderParseError):
        return value


def split_upload(filename: str, data: bytes) -> list[bytes]:
    """The messages of an uploaded file: one for ``.eml``, each of an ``.mbox`` (read with ``mailbox.mbox``)."""
    if filename.lower().endswith(".eml"):
        return [data]
    handle, path = tempfile.mkstemp(suffix=".mbox")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        box = mailbox.mbox(path, create=False)
        try:
            return [bytes(message.as_bytes()) for message in box]
        finally:
            box.close()
    finally:
        os.unlink(path)

