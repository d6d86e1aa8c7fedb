"""SMTP transport (aiosmtplib)."""

from __future__ import annotations

import email.message
import email.policy
import email.utils
import logging
from datetime import UTC, datetime
from typing import Literal, NoReturn

import aiosmtplib

from ports.email import EmailMessage, TransientMailError

__all__ = ("PermanentMailError", "SmtpMailer", "TlsMode")

TlsMode = Literal["none", "starttls", "ssl"]

_log = logging.getLogger("careernexus.mail.smtp")


class PermanentMailError(Exception):
    """The server refused the message for good (SMTP 5xx, bad configuration): retrying will not help."""


class SmtpMailer:
    """Sends ``EmailMessage``s as multipart/alternative (text + HTML) mails over SMTP.

    ``tls``: ``"none"`` (plain, never upgrades), ``"starttls"`` (upgrade, required) or ``"ssl"`` (implicit TLS,
    e.g. port 465). Connection errors, timeouts and 4xx replies raise ``TransientMailError``; 5xx replies raise
    ``PermanentMailError``, and so do capability mismatches (``tls="starttls"`` against a server without STARTTLS,
    credentials against a server without AUTH), which are configuration errors.
    Bodies are never logged (they carry one-time codes).
    """

    __slots__ = ("_host", "_password", "_port", "_sender", "_sender_address", "_timeout", "_tls", "_username")

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        tls: TlsMode = "none",
        sender: str = "Career Nexus <no-reply@localhost>",
        timeout: float = 10.0,
    ) -> None:
        if tls not in ("none", "starttls", "ssl"):
            raise ValueError(f"tls must be 'none', 'starttls' or 'ssl', not {tls!r}")
        sender_address = email.utils.parseaddr(sender)[1]
        if "@" not in sender_address:
            raise ValueError(f"sender has no usable address: {sender!r}")
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._tls: TlsMode = tls
        self._sender = sender
        self._sender_address = sender_address
        self._timeout = timeout

    def build(self, message: EmailMessage) -> email.message.EmailMessage:
        """The MIME message that ``send`` transmits (exposed for inspection)."""
        mime = email.message.EmailMessage(policy=email.policy.SMTP)
        mime["From"] = self._sender
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime["Date"] = email.utils.format_datetime(datetime.now(UTC))
        mime["Message-ID"] = self._message_id(message)
        mime.set_content(message.text, subtype="plain", cte="quoted-printable")
        mime.add_alternative(message.html, subtype="html", cte="quoted-printable")
        return mime

    async def send(self, message: EmailMessage) -> None:
        domain = message.to.rpartition("@")[2] or "?"
        try:
            mime = self.build(message)
        except (ValueError, TypeError) as exc:  # header injection, malformed address, ...
            _log.warning("mail to domain %s refused before sending: %s", domain, type(exc).__name__)
            raise PermanentMailError(f"malformed message: {exc}") from exc
        message_id = str(mime["Message-ID"])
        try:
            await aiosmtplib.send(
                mime,
                sender=self._sender_address,
                recipients=[message.to],
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                use_tls=self._tls == "ssl",
                start_tls=self._tls == "starttls",
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPResponseException as exc:
            self._raise_for_code(exc.code, exc.message, domain, message_id, exc)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            code = max(codes) if codes else 0
            text = "; ".join(r.message for r in exc.recipients)
            self._raise_for_code(code, text, domain, message_id, exc)
        except (
            aiosmtplib.SMTPConnectError,
            aiosmtplib.SMTPServerDisconnected,
            aiosmtplib.SMTPTimeoutError,
            OSError,
            TimeoutError,
        ) as exc:
            _log.warning("mail %s to domain %s failed: %s", message_id, domain, type(exc).__name__)
            raise TransientMailError(f"SMTP transport error: {type(exc).__name__}: {exc}") from exc
        except aiosmtplib.SMTPException as exc:
            # What is left is a capability mismatch (STARTTLS/AUTH/SMTPUTF8 not offered): configuration.
            _log.warning("mail %s to domain %s failed: %s", message_id, domain, type(exc).__name__)
            raise PermanentMailError(f"SMTP client/server mismatch: {exc}") from exc
        _log.info("mail %s sent to domain %s", message_id, domain)

    @staticmethod
    def _raise_for_code(code: int, text: str, domain: str, message_id: str, exc: Exception) -> NoReturn:
        _log.warning("mail %s to domain %s refused: SMTP %s", message_id, domain, code)
        if 500 <= code < 600:
            raise PermanentMailError(f"SMTP {code}: {text}") from exc
        raise TransientMailError(f"SMTP {code}: {text}") from exc

    def _message_id(self, message: EmailMessage) -> str:
        if message.message_id:
            mid = message.message_id.strip()
            return mid if mid.startswith("<") else f"<{mid}>"
        return email.utils.make_msgid(domain=self._sender_address.rpartition("@")[2])
