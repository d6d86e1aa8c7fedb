"""Mentorship endpoints end to end: discovery, booking, lists, answers, cancel, annotate, join, and payments in the
sandbox (the embedded default: no provider keys)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from adapters.db.engine import StatementCounter
from adapters.db.tables.system import tasks
from adapters.identity.jaas import JaasMeetingTokens
from bootstrap.container import AppContainer
from core.mentorship.tasks import VAULT_CREDIT_TASK
from tests.conftest import build_test_container, make_settings
from tests.e2e.feed_support import direct, ours
from tests.e2e.mentorship_support import (
    PERSON_KEYS,
    RECOMMEND_KEYS,
    SEARCH_KEYS,
    SESSION_KEYS,
    T0,
    accept,
    book,
    freeze,
    jaas_key,
    mentor,
    person,
)

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]


async def test_discovery_search_recommend_save(client: Client, container: AppContainer) -> None:
    freeze(container)
    m = await mentor(client, container, bio="I teach distributed systems")
    learner = await person(client, container)
    r = await client.get("/mentor/search/?text=distributed&experience_level=senior&skills=Python",
                         headers=learner.headers)
    assert r.status_code == 200, r.text
    assert [i["id"] for i in r.json()] == [m.id]
    assert set(r.json()[0]) == SEARCH_KEYS
    assert (await client.get("/mentor/search/?experience_level=junior", headers=learner.headers)).json() == {
        "experience_level": ['"junior" is not a valid choice.']}
    assert (await client.get("/mentor/search/?experience_level=entry", headers=learner.headers)).json() == []
    assert (await client.get("/mentor/search/")).status_code == 401

    peer = await person(client, container, mentor=True)  # same industry as the mentor
    r = await client.get("/mentor/recommendation/", headers=peer.headers)
    assert r.status_code == 200, r.text
    page = r.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert [i["id"] for i in page["results"]] == [m.id]
    assert set(page["results"][0]) == RECOMMEND_KEYS
    assert page["results"][0]["session_rate"] == "20USD" and page["results"][0]["is_saved"] is False

    r = await client.post("/mentor/save/", json={"mentor": m.id}, headers=learner.headers)
    assert r.status_code == 201, r.text
    assert set(r.json()["saved"]) == SEARCH_KEYS
    again = await client.post("/mentor/save/", json={"mentor": m.id}, headers=learner.headers)
    assert again.status_code == 400 and again.json() == {"mentor": ["This User has already been saved"]}
    assert (await client.post("/mentor/save/", json={"mentor": learner.id}, headers=learner.headers)).json() == {
        "mentor": ["Cannot save self."]}
    assert (await client.post("/mentor/save/", json={"mentor": peer.id - 0}, headers=m.headers)).status_code == 201
    bad = await client.post("/mentor/save/", json={"mentor": "x"}, headers=learner.headers)
    assert bad.status_code == 400 and isinstance(bad.json(), dict)
    listed = await client.get("/mentor/save/", headers=learner.headers)
    assert [i["saved"]["id"] for i in listed.json()] == [m.id]
    assert (await client.get("/mentor/save/", headers=peer.headers)).json() == []  # nobody else's saves
    assert (await client.delete("/mentor/save/", headers=learner.headers)).json() == {
        "error": "A mentor query parameter is required to Unsave a mentor."}
    assert (await client.delete(f"/mentor/save/?mentor={m.id}", headers=peer.headers)).status_code == 400
    assert (await client.delete(f"/mentor/save/?mentor={m.id}", headers=learner.headers)).status_code == 204
    assert (await client.post("/mentor/save/", json={"mentor": m.id})).status_code == 401


async def test_booking_rules_and_shape(client: Client, container: AppContainer) -> None:
    freeze(container)
    m = await mentor(client, container)
    learner = await person(client, container, timezone="Africa/Lagos")
    friend = await person(client, container)
    when = T0 + timedelta(days=2)
    body = await book(client, learner, m.id, when=when, session_type="group", invitees=[friend.id])
    assert set(body) == SESSION_KEYS
    assert set(body["mentor"]) == PERSON_KEYS and set(body["invitees"][0]["invitee"]) == PERSON_KEYS
    assert body["status"] == "PENDING" and body["is_paid"] is False and body["join"] is False
    assert body["amount"] == "20USD" and body["rating"] == 0
    assert body["session_at"] == {"date": when.date().isoformat(), "time": when.strftime("%H:%M:%S")}

    async def refused(**changes: Any) -> Any:
        payload = {"mentor": m.id, "session_type": "individual", "date": "2030-01-08", "time": "10:00",
                   "discourse": "x", **changes}
        r = await client.post("/mentor/sessions/book/", json=payload, headers=learner.headers)
        assert r.status_code == 400, r.text
        return r.json()

    assert await refused(mentor=friend.id) == {"mentor": ["This User is not a mentor."]}
    assert await refused(session_type="group") == {"non_field_errors": ["Invitees must be provided in group sessions."]}
    assert await refused(session_type="group", invitees="1,2") == {
        "invitees": ["invitees must be a list of valid user ids."]}
    assert await refused(session_type="group", invitees=[10**9]) == {"invitees": [f"No user(s) with ids {[10**9]}"]}
    yesterday = (T0 - timedelta(days=1)).date().isoformat()
    assert await refused(date=yesterday) == {"non_field_errors": ["Cannot set a mentorship date in the past."]}
    assert await refused(session_type="weekly") == {"session_type": ['"weekly" is not a valid choice.']}
    assert "date" in await refused(date="31/12/2030")
    assert "mentor" in await refused(mentor="abc")
    r = await client.post("/mentor/sessions/book/", json={"mentor": learner.id, "session_type": "individual",
                                                          "date": "2030-02-01", "time": "10:00", "discourse": "x"},
                          headers=m.headers)
    assert r.status_code == 400
    assert (await client.post("/mentor/sessions/book/", json={})).status_code == 401

    # Invitees: at most ten, the first ten given; each is told.
    many = [await person(client, container) for _ in range(11)]
    grouped = await book(client, learner, m.id, session_type="group", invitees=[p.id for p in many])
    assert [i["invitee"]["id"] for i in grouped["invitees"]] == [p.id for p in many[:10]]
    invited = await client.get("/mentor/sessions/invited/", headers=many[0].headers)
    assert invited.status_code == 200
    assert [i["session"]["id"] for i in invited.json()] == [grouped["id"]]
    assert set(invited.json()[0]) == {"id", "session"}
    assert (await client.get("/mentor/sessions/invited/", headers=many[10].headers)).json() == []
    assert (await client.get("/mentor/sessions/invited/")).status_code == 401


async def test_lists_by_status_and_role(client: Client, container: AppContainer) -> None:
    freeze(container)
    m = await mentor(client, container)
    learner = await person(client, container)
    other = await person(client, container)
    s = await book(client, learner, m.id)
    ids = lambda r: [i["id"] for i in r.json()]  # noqa: E731
    assert ids(await client.get("/mentor/sessions/?status=requested", headers=m.headers)) == [s["id"]]
    assert ids(await client.get("/mentor/sessions/?status=requested", headers=learner.headers)) == [s["id"]]
    assert ids(await client.get("/mentor/sessions/?status=requested", headers=other.headers)) == []
    r = await client.get("/mentor/sessions/?status=scheduled", headers=learner.headers)
    assert r.status_code == 400 and r.json() == {"error": "Scheduled sessions are only available to mentors"}
    assert (await client.get("/mentor/sessions/", headers=learner.headers)).json() == {
        "error": "No query parameter is provided for this request."}
    assert (await client.get("/mentor/sessions/?status=bogus", headers=learner.headers)).status_code == 400
    assert (await client.get("/mentor/sessions/?status=requested")).status_code == 401
    await accept(client, m, s["id"])
    assert ids(await client.get("/mentor/sessions/?status=scheduled", headers=m.headers)) == [s["id"]]
    assert ids(await client.get("/mentor/sessions/?status=accepted", headers=learner.headers)) == [s["id"]]
    assert ids(await client.get("/mentor/sessions/?status=requested", headers=m.headers)) == []


async def test_list_statements_do_not_grow(client: Client, container: AppContainer) -> None:
    freeze(container)
    m = await mentor(client, container)
    learner = await person(client, container)
    guests = [await person(client, container) for _ in range(3)]
    counter = StatementCounter()
    engines = {id(e): e for e in (container.platform.engine(), container.platform.writer())}
    for engine in engines.values():
        counter.attach(engine)
    try:
        counts = []
        for n in (1, 6):
            while len((await client.get("/mentor/sessions/?status=requested", headers=m.headers)).json()) < n:
                await book(client, learner, m.id, session_type="group", invitees=[g.id for g in guests])
            with counter.measure() as seen:
                r = await client.get("/mentor/sessions/?status=requested", headers=m.headers)
            assert len(r.json()) == n
            counts.append(len(ours(seen)))
            with counter.measure() as seen:
                r = await client.get("/mentor/sessions/invited/", headers=guests[0].headers)
            assert len(r.json()) == n
            counts.append(len(ours(seen)))
    finally:
        for engine in engines.values():
            counter.detach(engine)
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


async def test_answer_cancel_and_refusals(client: Client, container: AppContainer) -> None:
    freeze(container)
    m = await mentor(client, container)
    learner = await person(client, container)
    other = await person(client, container)
    s = await book(client, learner, m.id)
    r = await client.post("/mentor/sessions/accept-reject/", json={"session": s["id"], "action": "Accept"},
                          headers=other.headers)
    assert r.status_code == 400 and r.json() == {"non_field_errors": ["This session was not initiated for you."]}
    r = await client.post("/mentor/sessions/accept-reject/", json={"session": s["id"], "action": "Maybe"},
                          headers=m.headers)
    assert r.status_code == 400
    assert (await client.post("/mentor/sessions/accept-reject/", json={"session": "x"}, headers=m.headers)
            ).status_code == 400
    assert (await client.post("/mentor/sessions/accept-reject/", json={"session": 1, "action": "Accept"})
            ).status_code == 401
    r = await client.post("/mentor/sessions/accept-reject/", json={"session": s["id"], "action": "Reject"},
                          headers=m.headers)
    assert r.status_code == 200 and r.json() == {"session_id": s["id"], "action": "Rejected"}
    r = await client.post("/mentor/sessions/accept-reject/", json={"session": s["id"], "action": "Accept"},
                          headers=m.headers)
    assert r.status_code == 400  # nothing leaves REJECTED
    assert (await client.get("/mentor/sessions/?status=requested", headers=learner.headers)).json() == []

    t = await book(client, learner, m.id)
    r = await client.post("/mentor/session/cancel/", json={"session": t["id"]}, headers=other.headers)
    assert r.status_code == 400
    r = await client.post("/mentor/session/cancel/", json={"session": t["id"]}, headers=learner.headers)
    assert r.status_code == 200 and r.json() == {"status": "Success", "message": "Cancelled Mentorship session"}
    assert (await client.post("/mentor/session/cancel/", json={"session": t["id"]}, headers=learner.headers)
            ).status_code == 400
    assert (await client.post("/mentor/session/cancel/", json={"session": []}, headers=learner.headers)
            ).status_code == 400
    assert (await client.post("/mentor/session/cancel/", json={"session": t["id"]})).status_code == 401


async def test_pay_in_the_sandbox_join_and_annotate(client: Client, container: AppContainer,
                                                    tmp_path: Path) -> None:
    """The embedded default: book → accept → pay in the sandbox → join → annotate; the vault credit is queued."""
    clock = freeze(container)
    m = await mentor(client, container)
    learner = await person(client, container, first_name="Lee", last_name="Learner")
    other = await person(client, container)
    s = await book(client, learner, m.id)
    pay = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert pay.status_code == 400 and pay.json() == {"session": ["This session is yet to be accepted by the mentor."]}
    await accept(client, m, s["id"])
    assert (await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=other.headers)
            ).json() == {"session": ["This session was not initiated by you."]}
    assert (await client.post("/payments/stripe/initiate/", json={"session": "x"}, headers=learner.headers)
            ).status_code == 400
    assert (await client.post("/payments/stripe/initiate/", json={"session": s["id"]})).status_code == 401

    flw = await client.post("/payments/flutterwave/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert flw.status_code == 400  # no NGN rate on an empty database: documented field error
    assert "session" in flw.json()

    pay = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert pay.status_code == 200, pay.text
    assert set(pay.json()) == {"session_id", "url"}
    again = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
    assert again.json() == pay.json()  # one live checkout per session
    url = urlsplit(pay.json()["url"])
    page = await client.get(f"{url.path}?{url.query}")
    assert page.status_code == 200 and "Pay" in page.text and "20USD" in page.text
    forged = parse_qs(url.query)
    bad = await client.get(f"{url.path}?reference={forged['reference'][0]}&signature=0000")
    assert bad.status_code == 404
    paid = await client.post(f"{url.path}?{url.query}", follow_redirects=False)
    assert paid.status_code == 303 and paid.headers["location"].endswith("/payment-success")
    twice = await client.post(f"{url.path}?{url.query}", follow_redirects=False)
    assert twice.headers["location"].endswith("/payment-success")

    listed = (await client.get("/mentor/sessions/?status=accepted", headers=learner.headers)).json()
    assert listed[0]["is_paid"] is True and listed[0]["join"] is False
    assert (await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
            ).json() == {"session": ["This session has already been paid for."]}

    # Join: JaaS unconfigured → 503; configured → a token for this room only, in the session's period.
    clock.current = T0 + timedelta(hours=2, minutes=-5)
    r = await client.get(f"/mentor/session/join/?session={s['id']}", headers=learner.headers)
    assert r.status_code == 503 and "error" in r.json()
    key, public = jaas_key(tmp_path)
    container.mentorship.meetings.override(providers.Object(JaasMeetingTokens(
        app_id="vpaas-magic-cookie-test", key_id="vpaas-magic-cookie-test/abc", private_key_file=str(key))))
    container.mentorship.sessions.reset()
    r = await client.get(f"/mentor/session/join/?session={s['id']}", headers=learner.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"session_id", "room_name", "token"}
    header = jwt.get_unverified_header(body["token"])
    assert header["alg"] == "RS256" and header["kid"] == "vpaas-magic-cookie-test/abc"
    claims = jwt.decode(body["token"], public, algorithms=["RS256"], audience="jitsi",
                        options={"verify_nbf": False, "verify_exp": False})
    assert claims["room"] == body["room_name"] != "*"
    assert claims["sub"] == "vpaas-magic-cookie-test" and claims["iss"] == "chat"
    assert claims["nbf"] == int((T0 + timedelta(hours=2, minutes=-10)).timestamp())
    assert claims["exp"] == int((T0 + timedelta(hours=2, minutes=60)).timestamp())
    assert claims["context"]["user"]["moderator"] is False
    assert claims["context"]["user"]["name"] == "Lee Learner"
    r = await client.get(f"/mentor/session/join/?session={s['id']}", headers=m.headers)
    assert jwt.decode(r.json()["token"], public, algorithms=["RS256"], audience="jitsi",
                      options={"verify_nbf": False, "verify_exp": False})["context"]["user"]["moderator"] is True
    assert (await client.get(f"/mentor/session/join/?session={s['id']}", headers=other.headers)).json() == {
        "session": ["You are not a participant in this session."]}
    assert (await client.get("/mentor/session/join/", headers=learner.headers)).json() == {
        "error": "A session query parameter is required for this request"}
    assert (await client.get("/mentor/session/join/?session=abc", headers=learner.headers)).status_code == 400
    assert (await client.get(f"/mentor/session/join/?session={s['id']}")).status_code == 401

    # Annotate: not before the start; by the mentee only; then COMPLETED, rated, the vault credit queued once.
    r = await client.post("/mentor/annotate/", json={"session": s["id"], "mark_completed": True, "rating": 4},
                          headers=learner.headers)
    assert r.status_code == 400 and r.json() == {"session": ["This session has not been Completed."]}
    clock.current = T0 + timedelta(hours=2, minutes=30)
    r = await client.post("/mentor/annotate/", json={"session": s["id"], "mark_completed": True, "rating": 9},
                          headers=learner.headers)
    assert r.json() == {"rating": ["A rating can only range from 1 to 5"]}
    r = await client.post("/mentor/annotate/", json={"session": s["id"], "mark_completed": True, "rating": 4},
                          headers=other.headers)
    assert r.status_code == 400 and r.json() == {"session": ["This session was not initiated by you."]}
    assert (await client.post("/mentor/annotate/", json={"session": s["id"], "rating": 4},
                              headers=learner.headers)).status_code == 400
    assert (await client.post("/mentor/annotate/", json={})).status_code == 401
    r = await client.post("/mentor/annotate/", json={"session": s["id"], "mark_completed": True, "rating": 4},
                          headers=learner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "COMPLETED" and r.json()["rating"] == 4 and set(r.json()) == SESSION_KEYS
    r = await client.post("/mentor/annotate/", json={"session": s["id"], "mark_completed": True, "rating": 4},
                          headers=learner.headers)
    assert r.json() == {"session": ["This session has been completed."]}
    async with direct(container) as conn:  # the app's pool may live on another loop (PostgreSQL)
        credits = (await conn.execute(select(tasks.c.payload).where(tasks.c.name == VAULT_CREDIT_TASK))).all()
    assert len(credits) == 1
    payload = json.loads(credits[0][0])
    assert payload["mentor_id"] == m.id and payload["session_id"] == s["id"] and payload["amount"] == 2000
    assert payload["currency"] == "USD" and payload["payment_key"].startswith("stripe:")
    rec = (await client.get("/mentor/recommendation/", headers=m.headers)).json()
    assert rec["results"] == []  # the mentor is not recommended to themself


async def test_a_free_session_is_paid_by_definition_and_credits_nothing(tmp_path: Path) -> None:
    container = build_test_container(make_settings(tmp_path), "memory")
    from bootstrap.asgi import create_app

    async with AsyncTestClient(app=create_app(container)) as client:
        freeze(container)
        m = await mentor(client, container, rate="0")
        learner = await person(client, container)
        s = await book(client, learner, m.id)
        assert s["is_paid"] is True and s["amount"] == "0USD"
        await accept(client, m, s["id"])
        r = await client.post("/payments/stripe/initiate/", json={"session": s["id"]}, headers=learner.headers)
        assert r.json() == {"session": ["This session has already been paid for."]}
        container.platform.clock().current = T0 + timedelta(hours=2, minutes=5)  # type: ignore[attr-defined]
        r = await client.post("/mentor/annotate/", json={"session": s["id"], "mark_completed": True, "rating": 5},
                              headers=learner.headers)
        assert r.status_code == 200, r.text
        notes = (await client.get("/notification-chat/notifications/", headers=m.headers)).json()
        texts = [n["text"] for n in notes["results"]]
        assert any("requested a mentorship session from you" in t for t in texts)
        assert any("marked your mentorship session as completed" in t for t in texts)


async def test_search_walks_past_newer_mentors_that_do_not_match(client: Client, container: AppContainer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The search applies its list rules to walks of SEARCH_WALK mentors (newest first) until enough match: a
    matching mentor older than a whole walk of newer ones is still found."""
    import adapters.db.mentorship as sql_mentorship

    monkeypatch.setattr(sql_mentorship, "SEARCH_WALK", 2)
    old = await mentor(client, container, bio="I teach compilers")
    for _ in range(5):
        await mentor(client, container, bio="I teach gardening")
    learner = await person(client, container)
    r = await client.get("/mentor/search/?text=compilers", headers=learner.headers)
    assert r.status_code == 200, r.text
    assert [i["id"] for i in r.json()] == [old.id]
    r = await client.get("/mentor/search/?text=gardening&experience_level=senior", headers=learner.headers)
    assert len(r.json()) == 5
