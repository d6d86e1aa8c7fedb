"""A mailer that writes every message to the log, for local development."""

from __future__ import annotations

import logging

from ports.email import EmailMessage

__all__ = ("ConsoleMailer",)


class ConsoleMailer:
    """Logs the whole message (recipient, subject, text body) at INFO instead of sending it.

    Meant for development only: the text body carries one-time codes, which is exactly what a developer
    wants to read in the server log and exactly what must never reach a production log.
    """

    __slots__ = ("_logger",)

    def __init__(self, logger_name: str = "careernexus.mail") -> None:
        self._logger = logging.getLogger(logger_name)

    async def send(self, message: EmailMessage) -> None:
        self._logger.info(
            "e-mail (not sent, console mailer)\nMessage-ID: %s\nTo: %s\nSubject: %s\n\n%s",
            message.message_id or "-",
            message.to,
            message.subject,
            message.text,
        )
