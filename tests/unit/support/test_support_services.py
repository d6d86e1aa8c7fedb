"""Content and support services on the memory profile: the admin rule, one subscriber list, delivery that never
stages a copy twice, dispute answers that record a fact only when something changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bootstrap.container import AppContainer
from core.content.newsletters import NewsletterInput
from core.shared.errors import InvalidInput, PermissionDenied, RateLimited
from core.shared.pagination import PageRequest
from core.support.model import DisputeAnswered
from core.support.service import AnswerDispute, NewLead, OpenDispute
from tests.conftest import build_test_container, make_settings
from tests.unit.test_profiles_service import add_user

pytestmark = [pytest.mark.anyio]


async def _admin(c: AppContainer, email: str = "admin@example.org") -> int:
    user = await c.accounts.admin().create_admin(email, "Passw0rd!")
    return user.id


async def test_admin_only_actions_refuse_everyone_else(memory_container: AppContainer) -> None:
    c = memory_container
    someone = await add_user(c, "someone@example.org")
    with pytest.raises(PermissionDenied):
        await c.content.newsletters().create(someone, NewsletterInput(title="t", content="c"))
    with pytest.raises(PermissionDenied):
        await c.content.pages().add(someone, "faq", "text", None)
    with pytest.raises(PermissionDenied):
        await c.support.service().summary(someone)
    with pytest.raises(PermissionDenied):
        await c.support.service().leads(someone, PageRequest(1, 10))
    admin = await _admin(c)
    assert (await c.support.service().summary(admin)).by_category["technical"] == 0


async def test_one_list_for_members_and_visitors(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.content.newsletters()
    member = await add_user(c, "member@example.org", first_name="Ada")
    visitor = await service.subscribe_email("member@example.org")  # subscribed as a visitor first
    sub = await service.subscribe(member)  # the member claims the address: still one row
    assert sub.subscriber.id == visitor.id and sub.subscriber.user_id == member and sub.card.first_name == "Ada"
    with pytest.raises(InvalidInput):
        await service.subscribe(member)
    with pytest.raises(InvalidInput):
        await service.subscribe_email("member@EXAMPLE.org")
    await service.unsubscribe(member)
    assert not await service.is_subscribed(member)
    with pytest.raises(InvalidInput) as missing:
        await service.unsubscribe(member)
    assert missing.value.body == {"non_field_errors": ["Not previously subscribed to NewsLetter."]}


async def test_delivery_stages_each_copy_once(memory_container: AppContainer) -> None:
    c = memory_container
    service = c.content.newsletters()
    for i in range(7):
        await service.subscribe_email(f"r{i}@example.org")
    admin = await _admin(c)
    letter = await service.create(admin, NewsletterInput(title="Weekly", content="Hello"))
    late = await service.subscribe_email("late@example.org")  # after publication: not a recipient of this one
    assert await service.deliver_batch(letter.id, 3) == 3
    assert await service.deliver_all(letter.id, 3) == 4
    assert await service.deliver_all(letter.id, 3) == 0
    assert await service.delivered(letter.id) == 7
    pending = c.platform.outbox_store().pending()
    recipients = [m.to for m in pending if m.subject == "Weekly"]
    assert sorted(recipients) == sorted(f"r{i}@example.org" for i in range(7)) and late.email not in recipients
    assert all("/user/newsletter-unsubscribe/?subscriber=" in m.text for m in pending if m.subject == "Weekly")


async def test_signed_unsubscribe_link(memory_container: AppContainer) -> None:
    service = memory_container.content.newsletters()
    sub = await service.subscribe_email("reader@example.org")
    other = await service.subscribe_email("other@example.org")
    with pytest.raises(InvalidInput):
        await service.unsubscribe_signed(sub.id, service.token(other))  # another subscriber's signature
    await service.unsubscribe_signed(sub.id, service.token(sub))
    await service.unsubscribe_signed(sub.id, "anything")  # gone already: nothing to refuse or do


async def test_answers_record_a_fact_only_when_something_changed(memory_container: AppContainer) -> None:
    c = memory_container
    support = c.support.service()
    owner = await add_user(c, "owner@example.org")
    admin = await _admin(c)
    ticket = await support.open(owner, OpenDispute(category="payment", priority="high", message="Charged twice"))
    published = c.platform.event_bus().published
    await support.answer(admin, AnswerDispute(dispute=ticket.id, status="pending"))  # no change
    assert not [e for e in published if isinstance(e, DisputeAnswered)]
    answered = await support.answer(admin, AnswerDispute(dispute=ticket.id, status="resolved", response="Refunded"))
    assert (answered.status, answered.admin_response) == ("resolved", "Refunded")
    facts = [e for e in published if isinstance(e, DisputeAnswered)]
    assert len(facts) == 1 and facts[0].recipient_id == owner and facts[0].actor_id == admin and facts[0].responded
    mails = [m for m in c.platform.outbox_store().pending() if m.to == "owner@example.org"]
    assert len(mails) == 1 and "Refunded" in mails[0].text
    summary = await support.summary(admin)
    assert summary.by_category["payment"] == 1 and summary.by_status["resolved"] == 1


async def test_public_forms_are_limited_per_client(tmp_path: Path) -> None:
    c = build_test_container(make_settings(tmp_path, lead_registers_per_hour=2, newsletter_subscribes_per_hour=1),
                             "memory")
    support, letters = c.support.service(), c.content.newsletters()
    lead = NewLead(full_name="L", email_address="a@example.org", phone_number="08056430145",
                   interested_services=["L&D"])
    await support.register_lead(lead, client_ip="10.0.0.1")
    with pytest.raises(InvalidInput):
        await support.register_lead(lead, client_ip="10.0.0.1")  # the duplicate counts as an attempt
    with pytest.raises(RateLimited):
        await support.register_lead(replace(lead, email_address="b@example.org"), client_ip="10.0.0.1")
    await support.register_lead(replace(lead, email_address="b@example.org"), client_ip="10.0.0.2")
    await letters.subscribe_email("x@example.org", client_ip="10.0.0.1")
    with pytest.raises(RateLimited):
        await letters.subscribe_email("y@example.org", client_ip="10.0.0.1")
