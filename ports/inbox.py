"""Reading a user's mailbox (the Gmail API; a local fake in tests): list the messages a search query matches and
fetch one as RFC 822 bytes. The token is the user's provider access token, held on the server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ("InboxAccessDenied", "InboxReader", "InboxUnavailable", "RawMail")


@dataclass(frozen=True, slots=True, kw_only=True)
class RawMail:
    message_id: str  # the provider's id (unique per mailbox)
    raw: bytes  # RFC 822
    internal_date_ms: int | None = None  # the provider's receipt time, when it gives one


class InboxAccessDenied(Exception):
    """The provider refused the token (expired, revoked, scope missing): the user must grant access again."""


class InboxUnavailable(Exception):
    """The provider did not answer usably (network, 5xx, malformed answer): try again later."""


class InboxReader(Protocol):
    async def list_ids(self, token: str, query: str, *, limit: int) -> list[str]:
        """Ids of the messages matching ``query`` (Gmail search syntax), newest first, at most ``limit``,
        following the provider's pages. Spam and trash are not searched."""
        ...

    async def fetch(self, token: str, message_id: str) -> RawMail:
        """One message, raw."""
        ...
