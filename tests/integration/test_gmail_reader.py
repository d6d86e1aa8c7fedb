"""``GmailInboxReader`` against the local fake Gmail API (real HTTP): pages, raw messages, and the two ways a
provider fails (refused token, unavailable)."""

from __future__ import annotations

import base64
import email
import email.policy
from collections.abc import Iterator

import pytest

from adapters.inbox.gmail import GmailInboxReader
from ports.inbox import InboxAccessDenied, InboxUnavailable
from tests.fakes.gmail import FakeGmail, running_fake_gmail
from tests.mail_samples import SAMPLES

pytestmark = pytest.mark.anyio


@pytest.fixture
def gmail() -> Iterator[FakeGmail]:
    with running_fake_gmail() as fake:
        fake.tokens.add("good")
        yield fake


async def test_lists_every_page_newest_first_and_fetches_raw_messages(gmail: FakeGmail) -> None:
    ids = [gmail.add(s.raw, internal_date_ms=1_700_000_000_000 + i) for i, s in enumerate(SAMPLES)]
    reader = GmailInboxReader(gmail.url)
    try:
        gmail.max_page = 5  # 17 messages: four pages to follow
        listed = await reader.list_ids("good", "", limit=len(SAMPLES))
        assert listed == ids[::-1]
        assert await reader.list_ids("good", "from:@ziprecruiter.com", limit=100) == ids[-2:][::-1]
        assert len(await reader.list_ids("good", "", limit=3)) == 3
        fetched = await reader.fetch("good", ids[0])
        assert fetched.message_id == ids[0] and fetched.raw == SAMPLES[0].raw
        assert fetched.internal_date_ms == 1_700_000_000_000
        pages = [q for path, q in gmail.requests if path.endswith("/messages")]
        assert [q.get("pageToken", "") for q in pages[:4]] == ["", "5", "10", "15"]
        assert all(q["includeSpamTrash"] == "false" for q in pages)
    finally:
        await reader.aclose()


async def test_the_fake_serves_the_full_format_too(gmail: FakeGmail) -> None:
    import httpx

    ident = gmail.add(SAMPLES[5].raw)
    async with httpx.AsyncClient() as http:
        r = await http.get(f"{gmail.url}/gmail/v1/users/me/messages/{ident}", params={"format": "full"},
                           headers={"Authorization": "Bearer good"})
    payload = r.json()["payload"]
    html = next(p for p in payload["parts"] if p["mimeType"] == "text/html")
    data = html["body"]["data"]
    assert b"Carvana" in base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    subject = next(h["value"] for h in payload["headers"] if h["name"] == "Subject")
    original = email.message_from_bytes(SAMPLES[5].raw, policy=email.policy.compat32)
    assert subject == original["Subject"]


async def test_a_refused_token_and_an_unavailable_provider(gmail: FakeGmail) -> None:
    ident = gmail.add(SAMPLES[0].raw)
    reader = GmailInboxReader(gmail.url)
    try:
        with pytest.raises(InboxAccessDenied):
            await reader.list_ids("revoked", "", limit=10)
        with pytest.raises(InboxAccessDenied):
            await reader.fetch("revoked", ident)
        gmail.fail_with = 503
        with pytest.raises(InboxUnavailable):
            await reader.list_ids("good", "", limit=10)
        gmail.fail_with = None
        with pytest.raises(InboxUnavailable):
            await reader.fetch("good", "no-such-message")
    finally:
        await reader.aclose()
    closed = GmailInboxReader("http://127.0.0.1:9", timeout=2.0)
    try:
        with pytest.raises(InboxUnavailable):
            await closed.list_ids("good", "", limit=10)
    finally:
        await closed.aclose()
