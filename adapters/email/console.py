"""A mailer that prints every message to the server's console, for local development."""

from __future__ import annotations

import sys
from typing import TextIO

from ports.email import EmailMessage

__all__ = ("ConsoleMailer",)


class ConsoleMailer:
    """Prints the whole message (recipient, subject, text body) to a stream instead of sending it.

    Development only: the text body carries one-time codes, which a developer wants to read in the server
    console. It writes to the stream directly, not through ``logging``, so structured logs never hold codes.
    """

    __slots__ = ("_stream",)

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    async def send(self, message: EmailMessage) -> None:
        stream = self._stream or sys.stderr
        stream.write(
            "\n----- e-mail (console mailer, not sent) -----\n"
            f"Message-ID: {message.message_id or '-'}\nTo: {message.to}\nSubject: {message.subject}\n\n"
            f"{message.text}\n---------------------------------------------\n"
        )
        stream.flush()
