"""The JobHax face's and e-mail import's repositories over the memory twin and SQL: the same answers (uniqueness,
dedupe per owner, upserts, order, pending syncs) from both."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from core.jobs.model.mail import InboundEmail, MailLink, MailSync, OAuthClient
from core.shared.errors import Conflict
from tests.conftest import build_test_container, make_settings
from tests.unit.jobs.test_board_background import T0, add_user

pytestmark = [pytest.mark.anyio, pytest.mark.db]


@pytest.fixture(params=["memory", "sql"])
def c(request: pytest.FixtureRequest, tmp_path: Path) -> AppContainer:
    if request.param == "sql":
        settings = make_settings(tmp_path, request.getfixturevalue("database_url"))
    else:
        settings = make_settings(tmp_path)
    container = build_test_container(settings, request.param)
    container.platform.clock.override(providers.Object(FrozenClock(T0)))
    return container


def _mail(owner: int, message_id: str, minutes: int = 0) -> InboundEmail:
    return InboundEmail(owner_id=owner, message_id=message_id, source="LinkedIn", sender="a@b.example",
                        subject=f"s {message_id}", body="<p></p>", received_at=T0 + timedelta(minutes=minutes),
                        utc_offset_minutes=-480, job_title="T", company="C", created_at=T0)


async def test_clients_and_usernames(c: AppContainer) -> None:
    ada, bob = await add_user(c), await add_user(c)
    async with c.jobhax.uow() as uow:
        await uow.clients.add(OAuthClient(name="web", client_id="client-1", secret_digest="d" * 64, created_at=T0))
        await uow.usernames.add(ada, "ada")
        await uow.commit()
    async with c.jobhax.uow() as uow:
        with pytest.raises(Conflict):
            await uow.clients.add(OAuthClient(name="x", client_id="client-1", secret_digest="e" * 64,
                                              created_at=T0))
    async with c.jobhax.uow() as uow:
        with pytest.raises(Conflict):
            await uow.usernames.add(bob, "ada")
    async with c.jobhax.uow() as uow:
        found = await uow.clients.by_client_id("client-1")
        assert found is not None and found.name == "web" and found.secret_digest == "d" * 64
        assert await uow.clients.by_client_id("client-2") is None
        assert await uow.usernames.taken("ada") and not await uow.usernames.taken("bob")
        assert (await uow.usernames.email_of("ada") or "").startswith("b")
        assert await uow.usernames.email_of("nobody") is None


async def test_links_emails_and_syncs(c: AppContainer) -> None:
    ada, bob = await add_user(c), await add_user(c)
    async with c.jobhax.uow() as uow:
        await uow.links.put(MailLink(user_id=ada, provider="google", access_token="t1", read_ok=True,
                                     last_synced_at=None, updated_at=T0))
        await uow.links.put(MailLink(user_id=ada, provider="google", access_token="t2", read_ok=False,
                                     last_synced_at=T0, updated_at=T0))
        assert await uow.emails.add(_mail(ada, "m1", 1))
        assert await uow.emails.add(_mail(ada, "m2", 2))
        assert not await uow.emails.add(_mail(ada, "m1", 3))  # once per owner and message id
        assert await uow.emails.add(_mail(bob, "m1", 4))  # another owner's copy is theirs
        first = await uow.syncs.add(MailSync(owner_id=ada, kind="gmail", status="queued", created_at=T0))
        await uow.syncs.add(MailSync(owner_id=ada, kind="upload", status="queued", upload=b"raw", created_at=T0))
        await uow.commit()
    async with c.jobhax.uow() as uow:
        link = await uow.links.get(ada)
        assert link is not None and (link.access_token, link.read_ok, link.last_synced_at) == ("t2", False, T0)
        assert await uow.links.get(bob) is None
        assert await uow.emails.known(ada, ["m1", "m3", "m2"]) == {"m1", "m2"}
        assert await uow.emails.known(bob, ["m2"]) == set()
        assert [m.message_id for m in await uow.emails.newest(ada, 10)] == ["m2", "m1"]
        assert [m.utc_offset_minutes for m in await uow.emails.newest(ada, 1)] == [-480]
        pending = await uow.syncs.pending_for(ada, "gmail")
        assert pending is not None and pending.id == first.id
        assert await uow.syncs.pending_for(bob, "gmail") is None
        upload = await uow.syncs.pending_for(ada, "upload")
        assert upload is not None and upload.upload == b"raw"
        first.status, first.imported, first.finished_at = "done", 3, T0
        await uow.syncs.update(first)
        await uow.commit()
    async with c.jobhax.uow() as uow:
        assert await uow.syncs.pending_for(ada, "gmail") is None
        done = await uow.syncs.get(first.id)
        assert done is not None and (done.status, done.imported, done.finished_at) == ("done", 3, T0)
