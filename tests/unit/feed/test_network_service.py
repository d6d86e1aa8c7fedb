"""NetworkService on the memory profile: follows, the connection state machine (with the 30-day rule),
recommendations, and the events published."""

from __future__ import annotations

import pytest

from adapters.system.clock import FrozenClock
from bootstrap.container import AppContainer
from core.feed.model.events import ConnectionAccepted, ConnectionRejected, ConnectionRequested, UserFollowed
from core.feed.model.graph import ConnectionStatus
from core.feed.model.views import ConnectionSide
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from tests.unit.feed.conftest import T0, add_user, published, told

pytestmark = pytest.mark.anyio

DAY = 24 * 3600


async def test_follow_unfollow(c: AppContainer) -> None:
    network = c.feed.network()
    a, b = await add_user(c, "A"), await add_user(c, "B")
    await network.follow(a, b)
    with pytest.raises(InvalidInput) as again:
        await network.follow(a, b)
    assert again.value.body == {"error": ["User already followed"]}
    with pytest.raises(InvalidInput) as self_follow:
        await network.follow(a, a)
    assert self_follow.value.body == {"error": ["Cannot follow self"]}
    with pytest.raises(InvalidInput) as unknown:
        await network.follow(a, 999)
    assert unknown.value.body == {"user_following": ['Invalid pk "999" - object does not exist.']}
    assert [x.id for x in await network.followings(a)] == [b]
    assert [x.id for x in await network.followers(b)] == [a]
    assert (await network.following_count(a), await network.followers_count(b)) == (1, 1)
    stats = await c.accounts.social_graph().stats(b, a)
    assert (stats.followers, stats.viewer_follows) == (1, True)
    followed = [e for e in published(c) if isinstance(e, UserFollowed)]
    assert [(e.actor_id, e.recipient_id, e.occurred_at) for e in followed] == [(a, b, T0)]
    notice = await told(c, followed[0])
    assert notice is not None and (notice.user_id, notice.text, notice.page, notice.route, notice.obj_id) == (
        b, "A Doe just followed you.", "Profile", f"/user/retrieve-profile/?user_id={a}", a)
    await network.unfollow(a, b)
    with pytest.raises(InvalidInput) as not_followed:
        await network.unfollow(a, b)
    assert not_followed.value.body == {"non_field_errors": ["This user is not currently being followed."]}
    with pytest.raises(InvalidInput):
        await network.unfollow(a, 999)
    with pytest.raises(InvalidInput):
        await network.unfollow(a, a)
    assert await network.following_count(a) == 0


async def test_connect_accept_and_remove(c: AppContainer) -> None:
    network = c.feed.network()
    a, b, x = await add_user(c, "A"), await add_user(c, "B"), await add_user(c, "X")
    conn = await network.connect(a, b)
    assert conn.status is ConnectionStatus.PENDING
    for sender, receiver in ((a, b), (b, a)):  # duplicate and crossing requests
        with pytest.raises(InvalidInput) as dup:
            await network.connect(sender, receiver)
        assert dup.value.body == {"error": ["Connection Initiated"]}
    with pytest.raises(InvalidInput):
        await network.connect(a, a)
    with pytest.raises(InvalidInput):
        await network.connect(a, 999)
    assert [v.other.id for v in await network.connections(b, ConnectionSide.INCOMING)] == [a]
    assert [v.other.id for v in await network.connections(a, ConnectionSide.OUTGOING)] == [b]
    with pytest.raises(PermissionDenied):
        await network.respond(a, conn.id, "Accept")  # the sender cannot accept
    with pytest.raises(NotFound):
        await network.respond(x, conn.id, "Accept")  # a stranger does not see it
    with pytest.raises(NotFound):
        await network.respond(b, 999, "Accept")
    with pytest.raises(InvalidInput) as bad:
        await network.respond(b, conn.id, "Maybe")
    assert bad.value.body == {"status": ['"Maybe" is not a valid choice.']}
    with pytest.raises(PermissionDenied):
        await network.remove_connection(b, conn.id)  # the receiver rejects instead
    assert await network.respond(b, conn.id, "Accept") == "Accepted"
    with pytest.raises(InvalidInput) as twice:
        await network.respond(b, conn.id, "Reject")
    assert twice.value.body == {"non_field_errors": ["Connection already accepted"]}
    assert await network.connections_count(a) == 1
    assert [v.other.id for v in await network.connections(b, ConnectionSide.CONFIRMED)] == [a]
    assert (await c.accounts.social_graph().stats(a, b)).connected is True
    events = [e for e in published(c) if isinstance(e, (ConnectionRequested, ConnectionAccepted))]
    assert [(type(e), e.actor_id, e.recipient_id, e.connection_id) for e in events] == [
        (ConnectionRequested, a, b, conn.id), (ConnectionAccepted, b, a, conn.id)]
    assert [(n.user_id, n.text, n.page, n.route) for n in [await told(c, e) for e in events] if n] == [
        (b, "A Doe just sent you a connection request.", "Network", None),
        (a, "B Doe accepted your connection request.", "Network", None)]
    with pytest.raises(NotFound):
        await network.remove_connection(x, conn.id)
    await network.remove_connection(b, conn.id)  # either side removes a confirmed connection
    assert await network.connections_count(a) == 0
    again = await network.connect(b, a)
    assert again.id != conn.id


async def test_withdraw_a_pending_request(c: AppContainer) -> None:
    network = c.feed.network()
    a, b = await add_user(c), await add_user(c)
    conn = await network.connect(a, b)
    await network.remove_connection(a, conn.id)
    assert await network.connections(b, ConnectionSide.INCOMING) == []
    with pytest.raises(NotFound):
        await network.remove_connection(a, conn.id)
    await network.connect(a, b)


async def test_rejection_and_the_30_day_rule(c: AppContainer, clock: FrozenClock) -> None:
    network = c.feed.network()
    a, b = await add_user(c, "A"), await add_user(c, "B")
    conn = await network.connect(a, b)
    assert await network.respond(b, conn.id, "Reject") == "Rejected"
    rejected = [e for e in published(c) if isinstance(e, ConnectionRejected)]
    assert [(e.actor_id, e.recipient_id, e.connection_id) for e in rejected] == [(b, a, conn.id)]
    notice = await told(c, rejected[0])
    assert notice is not None and (notice.user_id, notice.text) == (a, "B Doe rejected your connection request.")
    with pytest.raises(InvalidInput) as twice:
        await network.respond(b, conn.id, "Accept")
    assert twice.value.body == {"non_field_errors": ["Connection already rejected"]}
    with pytest.raises(NotFound):
        await network.remove_connection(a, conn.id)  # the rejected sender cannot erase the record
    clock.advance(29 * DAY)
    with pytest.raises(InvalidInput):
        await network.connect(a, b)
    clock.advance(DAY)
    renewed = await network.connect(a, b)
    assert renewed.id == conn.id and renewed.status is ConnectionStatus.PENDING
    assert await network.respond(b, conn.id, "Reject") == "Rejected"
    back = await network.connect(b, a)  # the one who rejected may ask at once
    assert (back.id, back.sender_id, back.receiver_id) == (conn.id, b, a)
    assert await network.respond(a, conn.id, "Reject") == "Rejected"
    await network.remove_connection(a, conn.id)  # the one who rejected may remove the record
    assert (await network.connect(b, a)).id != conn.id


async def test_recommendations(c: AppContainer) -> None:
    network = c.feed.network()
    me = await add_user(c, "Me", industry="tech", location="Lagos")
    peer = await add_user(c, "Peer", industry="tech")
    near = await add_user(c, "Near", industry="farming", location="lagos island")
    follows = await network.follow_recommendations(me)
    assert [r.card.id for r in follows.items] == [peer, near]
    await network.follow(me, peer)
    assert [r.card.id for r in (await network.follow_recommendations(me)).items] == [near]
    assert [r.card.id for r in (await network.connection_recommendations(me, "Industry")).items] == [peer]
    assert [r.card.id for r in (await network.connection_recommendations(me, "location")).items] == [near]
    await network.connect(me, near)
    assert (await network.connection_recommendations(me, "location")).items == []
    with pytest.raises(InvalidInput) as missing:
        await network.connection_recommendations(me, None)
    assert missing.value.body == {"error": "Recommendation criteria not provided"}
    with pytest.raises(InvalidInput) as odd:
        await network.connection_recommendations(me, "age")
    assert odd.value.body == {"criteria error": "Unrecognized recommendation criteria."}
    with pytest.raises(NotFound):
        await network.follow_recommendations(me, 2)
