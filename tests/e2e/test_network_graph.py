"""Follows and connections: documented shapes, state machine, ownership, recommendations, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from adapters.db.engine import StatementCounter
from adapters.db.tables.accounts import profiles
from adapters.db.tables.feed import connections
from core.feed.model.events import ConnectionAccepted, ConnectionRejected, ConnectionRequested, UserFollowed
from tests.e2e.feed_support import PAGE_KEYS, direct, ours, set_industry, set_name, told, user

pytestmark = [pytest.mark.anyio, pytest.mark.db]

PERSON = ["id", "first_name", "last_name", "middle_name", "profile_photo", "qualification"]
CONNECTION = ["first_name", "last_name", "middle_name", "profile_photo", "qualification", "user_type", "status",
              "user_id"]


async def test_follow_unfollow_lists_and_counts(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    r = await client.post("/follow/", json={"user_following": b.id}, headers=a.headers)
    assert r.status_code == 201 and r.json() == {"follower": a.id, "following": b.id}
    r = await client.post("/follow/", json={"user_following": b.id}, headers=a.headers)
    assert r.status_code == 400 and r.json() == {"error": ["User already followed"]}
    r = await client.post("/follow/", json={"user_following": a.id}, headers=a.headers)
    assert r.status_code == 400 and r.json() == {"error": ["Cannot follow self"]}
    r = await client.post("/follow/", json={"user_following": 99999}, headers=a.headers)
    assert r.status_code == 400 and "user_following" in r.json()

    followings = (await client.get("/followings/", headers=a.headers)).json()
    assert [list(p) for p in followings] == [PERSON] and followings[0]["id"] == b.id
    followers = (await client.get("/followers/", headers=b.headers)).json()
    assert [p["id"] for p in followers] == [a.id]
    assert (await client.get("/followings/count/", headers=a.headers)).json() == {"following_count": 1}
    assert (await client.get("/followers/count/", headers=b.headers)).json() == {"followers count": 1}
    assert (await client.get("/followers/count/", headers=a.headers)).json() == {"followers count": 0}

    [event] = [e for e in container.platform.event_bus().published if isinstance(e, UserFollowed)]
    assert (event.actor_id, event.recipient_id) == (a.id, b.id)
    assert (event.actor_id, event.recipient_id) == (a.id, b.id)
    await set_name(container, a.id, "Grace", "Hopper")
    notice = await told(container, event)
    assert notice is not None and (notice.user_id, notice.text, notice.page, notice.route, notice.obj_id) == (
        b.id, "Grace Hopper just followed you.", "Profile", f"/user/retrieve-profile/?user_id={a.id}", a.id)

    r = await client.post("/unfollow/", json={"user_following": b.id}, headers=a.headers)
    assert r.status_code == 200 and r.json() == {"status": "Unfollowed user"}
    r = await client.post("/unfollow/", json={"user_following": b.id}, headers=a.headers)
    assert r.status_code == 400 and r.json() == {"non_field_errors": ["This user is not currently being followed."]}
    r = await client.post("/unfollow/", json={"user_following": a.id}, headers=a.headers)
    assert r.json() == {"non_field_errors": ["Cannot follow/unfollow self."]}
    assert (await client.get("/followings/count/", headers=a.headers)).json() == {"following_count": 0}


async def test_follow_recommendations(client: Any, container: Any) -> None:
    me = await user(client, container)
    same = [await user(client, container) for _ in range(5)]
    other = await user(client, container)
    for u in (me, *same):
        await set_industry(container, u.id, "health")
    await set_industry(container, other.id, "sports")
    await client.post("/follow/", json={"user_following": same[0].id}, headers=me.headers)
    await client.post("/follow/", json={"user_following": me.id}, headers=same[1].headers)
    await client.post("/follow/", json={"user_following": same[2].id}, headers=same[3].headers)
    page = (await client.get("/follow/recommendation/", headers=me.headers)).json()
    assert list(page) == PAGE_KEYS
    assert [r["id"] for r in page["results"]] == [same[2].id, same[3].id, same[4].id]
    assert list(page["results"][0]) == ["id", "name", "qualification", "profile_photo", "followers"]
    assert page["results"][0]["followers"] == 1
    assert (await client.get("/follow/recommendation/?page=2", headers=me.headers)).status_code == 404


async def test_connection_lifecycle(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    c = await user(client, container)
    r = await client.post("/connection/", json={"connection": b.id}, headers=a.headers)
    assert r.status_code == 201
    created = r.json()
    assert created == {"user": a.id, "connection": b.id, "status": "PENDING", "id": created["id"]}
    cid = created["id"]
    for who, target in ((a, b), (b, a)):
        r = await client.post("/connection/", json={"connection": target.id}, headers=who.headers)
        assert r.status_code == 400 and r.json() == {"error": ["Connection Initiated"]}
    r = await client.post("/connection/", json={"connection": a.id}, headers=a.headers)
    assert r.json() == {"error": ["Cannot connect with self"]}

    sent = (await client.get("/connection/requests/", headers=a.headers)).json()
    assert list(sent) == ["connection_requests", "count"] and sent["count"] == 1
    assert list(sent["connection_requests"][0]) == ["id", "connection"]
    assert list(sent["connection_requests"][0]["connection"]) == CONNECTION
    pending = (await client.get("/connection/pending/", headers=b.headers)).json()
    assert list(pending) == ["pending_requests", "count"] and pending["count"] == 1
    assert pending["pending_requests"][0]["connection"]["user_id"] == a.id

    # Only the recipient answers: the sender gets 403, a stranger 404.
    r = await client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"}, headers=a.headers)
    assert r.status_code == 403
    r = await client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"}, headers=c.headers)
    assert r.status_code == 404
    assert (await client.delete(f"/connection/?connection_id={cid}", headers=c.headers)).status_code == 404

    r = await client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"}, headers=b.headers)
    assert r.status_code == 200 and r.json() == {"status": "Accepted"}
    r = await client.post("/connection/status/", json={"connection_id": cid, "status": "Reject"}, headers=b.headers)
    assert r.status_code == 400 and r.json() == {"non_field_errors": ["Connection already accepted"]}
    for who, other in ((a, b), (b, a)):
        listed = (await client.get("/connection/", headers=who.headers)).json()
        assert [(i["id"], i["connection"]["user_id"], i["connection"]["status"]) for i in listed] == [
            (cid, other.id, "CONFIRMED")
        ]
        assert (await client.get("/connection/count/", headers=who.headers)).json() == {"connections_count": 1}

    # A confirmed connection can be removed by either side.
    assert (await client.delete(f"/connection/?connection_id={cid}", headers=b.headers)).status_code == 204
    assert (await client.get("/connection/count/", headers=a.headers)).json() == {"connections_count": 0}

    events = [type(e) for e in container.platform.event_bus().published if isinstance(e, (ConnectionRequested,
                                                                                    ConnectionAccepted))]
    assert events == [ConnectionRequested, ConnectionAccepted]


async def test_withdraw_and_rejection_cooldown(client: Any, container: Any) -> None:
    a = await user(client, container)
    b = await user(client, container)
    cid = (await client.post("/connection/", json={"connection": b.id}, headers=a.headers)).json()["id"]
    # The recipient rejects instead of deleting; the sender may withdraw.
    assert (await client.delete(f"/connection/?connection_id={cid}", headers=b.headers)).status_code == 403
    assert (await client.delete(f"/connection/?connection_id={cid}", headers=a.headers)).status_code == 204
    assert (await client.get("/connection/pending/", headers=b.headers)).json()["count"] == 0

    cid = (await client.post("/connection/", json={"connection": b.id}, headers=a.headers)).json()["id"]
    r = await client.post("/connection/status/", json={"connection_id": cid, "status": "Reject"}, headers=b.headers)
    assert r.status_code == 200 and r.json() == {"status": "Rejected"}
    rejected = [e for e in container.platform.event_bus().published if isinstance(e, ConnectionRejected)]
    assert [(e.actor_id, e.recipient_id) for e in rejected] == [(b.id, a.id)]
    await set_name(container, b.id, "Alan", "Turing")
    notice = await told(container, rejected[0])
    assert notice is not None and (notice.user_id, notice.text, notice.page, notice.route, notice.obj_id) == (
        a.id, "Alan Turing rejected your connection request.", "Network", None, None)
    # Recorded, not deleted: no spam for 30 days, and the rejected sender cannot erase the record.
    r = await client.post("/connection/", json={"connection": b.id}, headers=a.headers)
    assert r.status_code == 400 and r.json() == {"error": ["Connection Initiated"]}
    assert (await client.delete(f"/connection/?connection_id={cid}", headers=a.headers)).status_code == 404
    assert (await client.get("/connection/pending/", headers=b.headers)).json()["count"] == 0

    async with direct(container) as conn:
        await conn.execute(
            update(connections).where(connections.c.id == cid).values(
                updated_at=datetime.now(UTC) - timedelta(days=31)
            )
        )
    r = await client.post("/connection/", json={"connection": b.id}, headers=a.headers)
    assert r.status_code == 201 and r.json()["id"] == cid
    assert (await client.get("/connection/pending/", headers=b.headers)).json()["count"] == 1


async def test_connection_recommendations(client: Any, container: Any) -> None:
    me = await user(client, container)
    peers = [await user(client, container) for _ in range(6)]
    for u in (me, *peers):
        await set_industry(container, u.id, "media")
    async with direct(container) as conn:
        await conn.execute(update(profiles).where(profiles.c.user_id == me.id).values(location="Lagos"))
        await conn.execute(update(profiles).where(profiles.c.user_id == peers[0].id).values(location="Ikeja, Lagos"))
    await client.post("/connection/", json={"connection": peers[1].id}, headers=me.headers)
    r = await client.get("/connection/recommendation/?criteria=Industry", headers=me.headers)
    page = r.json()
    assert list(page) == [*PAGE_KEYS, "last_page"] and page["count"] == 5
    assert [x["id"] for x in page["results"]] == [peers[0].id, peers[2].id, peers[3].id, peers[4].id]
    assert page["last_page"] == "http://testserver.local/connection/recommendation/?criteria=Industry&page=2"
    assert page["next"] == "http://testserver.local/connection/recommendation/?criteria=Industry&page=2"
    r = await client.get("/connection/recommendation/?criteria=location", headers=me.headers)
    assert [x["id"] for x in r.json()["results"]] == [peers[0].id]
    r = await client.get("/connection/recommendation/", headers=me.headers)
    assert r.status_code == 400 and r.json() == {"error": "Recommendation criteria not provided"}
    r = await client.get("/connection/recommendation/?criteria=age", headers=me.headers)
    assert r.status_code == 400 and r.json() == {"criteria error": "Unrecognized recommendation criteria."}


@pytest.mark.parametrize(
    "path",
    ["/followings/", "/followers/", "/connection/", "/connection/pending/", "/connection/requests/",
     "/follow/recommendation/", "/connection/recommendation/?criteria=industry"],
)
async def test_network_lists_cost_constant_statements(client: Any, container: Any, path: str) -> None:
    me = await user(client, container)
    await set_industry(container, me.id, "banking")
    counter = StatementCounter()
    counter.attach(container.platform.engine())

    async def grow() -> None:
        u = await user(client, container)
        await set_industry(container, u.id, "banking")
        await client.post("/follow/", json={"user_following": u.id}, headers=me.headers)
        await client.post("/follow/", json={"user_following": me.id}, headers=u.headers)
        if u.id % 2:
            cid = (await client.post("/connection/", json={"connection": u.id}, headers=me.headers)).json()["id"]
            if u.id % 3:
                await client.post("/connection/status/", json={"connection_id": cid, "status": "Accept"},
                                  headers=u.headers)
        else:
            await client.post("/connection/", json={"connection": me.id}, headers=u.headers)
        for _ in range(2):
            await user(client, container)

    async def cost() -> int:
        with counter.measure() as seen:
            r = await client.get(path, headers=me.headers)
        assert r.status_code == 200, r.text
        return len(ours(seen))

    await grow()
    one = await cost()
    for _ in range(5):
        await grow()
    five = await cost()
    counter.detach(container.platform.engine())
    assert one == five <= 3, counter.statements[-five:]  # the token check, then at most two for the page
