"""``InboxReader`` over the Gmail REST API (``users.messages.list`` and ``users.messages.get?format=raw``) with
httpx. The base URL is a setting (``GMAIL_API_BASE``) so tests run it against a local fake Gmail server."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import httpx

from ports.inbox import InboxAccessDenied, InboxUnavailable, RawMail

__all__ = ("GMAIL_API_BASE", "GmailInboxReader")

GMAIL_API_BASE = "https://gmail.googleapis.com"
_PAGE = 100


class GmailInboxReader:
    """Pass ``http`` to share a client (the caller closes it); otherwise the adapter owns one (``aclose``)."""

    __slots__ = ("_base", "_http", "_owns_http")

    def __init__(self, base_url: str = GMAIL_API_BASE, *, timeout: float = 15.0,
                 http: httpx.AsyncClient | None = None) -> None:
        self._base = base_url.rstrip("/") + "/gmail/v1/users/me/messages"
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def _get(self, url: str, token: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = await self._http.get(url, params=params, headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            raise InboxUnavailable(f"Gmail did not answer: {type(exc).__name__}") from None
        if response.status_code in (401, 403):
            raise InboxAccessDenied(f"Gmail refused the token ({response.status_code})")
        if response.status_code != 200:
            raise InboxUnavailable(f"Gmail answered {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise InboxUnavailable("Gmail answered something that is not JSON") from None
        if not isinstance(body, dict):
            raise InboxUnavailable("Gmail answered an unexpected shape")
        return body

    async def list_ids(self, token: str, query: str, *, limit: int) -> list[str]:
        ids: list[str] = []
        page_token = ""
        while len(ids) < limit:
            params = {"q": query, "maxResults": str(min(_PAGE, limit - len(ids))), "includeSpamTrash": "false"}
            if page_token:
                params["pageToken"] = page_token
            body = await self._get(self._base, token, params)
            for item in body.get("messages") or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    ids.append(item["id"])
            page_token = body.get("nextPageToken") or ""
            if not isinstance(page_token, str) or not page_token:
                break
        return ids[:limit]

    async def fetch(self, token: str, message_id: str) -> RawMail:
        body = await self._get(f"{self._base}/{message_id}", token, {"format": "raw"})
        raw = body.get("raw")
        if not isinstance(raw, str):
            raise InboxUnavailable("Gmail answered a message without its raw form")
        try:
            data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        except (binascii.Error, ValueError):
            raise InboxUnavailable("Gmail answered an undecodable message") from None
        internal = body.get("internalDate")
        internal_ms = int(internal) if isinstance(internal, str) and internal.isdigit() else None
        return RawMail(message_id=str(body.get("id") or message_id), raw=data, internal_date_ms=internal_ms)
