"""The feed unit of work and read models: one contract over the in-memory and SQL adapters (SQLite, and
PostgreSQL when ``CAREERNEXUS_TEST_DATABASE_URL`` is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import feed_memory, feed_queries
from adapters.db.accounts import InMemoryAccountsUnitOfWork, SqlAccountsUnitOfWork
from adapters.db.engine import make_engine, write_engine
from adapters.db.feed import SqlFeedUnitOfWork
from adapters.db.feed_deletion import forget_user_in_feed
from adapters.db.feed_memory import InMemoryFeedReads, InMemoryFeedUnitOfWork
from adapters.db.feed_queries import SqlFeedReads
from adapters.db.memory import InMemoryStore
from adapters.db.tables.feed import comment_likes, post_likes
from adapters.system.clock import FrozenClock
from core.accounts.model.profiles import Profile
from core.accounts.model.users import User, UserType
from core.feed.model.graph import Connection, ConnectionStatus
from core.feed.model.posts import Comment, Post
from core.feed.model.views import LISTED_MAX, CommentView, ConnectionSide, Listing, PostView
from core.shared.errors import InvalidInput, NotFound
from core.shared.pagination import PageRequest
from ports.accounts import AccountsUnitOfWork
from ports.feed import FeedReads, FeedUnitOfWork

pytestmark = pytest.mark.anyio

T0 = datetime(2030, 5, 1, 10, 0, tzinfo=UTC)


@dataclass
class Backend:
    uow: Callable[[], FeedUnitOfWork]
    reads: FeedReads
    accounts: Callable[[], AccountsUnitOfWork]
    clock: FrozenClock
    like_times: Callable[[], Awaitable[list[datetime]]]  # created_at of every post and comment like


def _memory_like_times(store: InMemoryStore) -> Callable[[], Awaitable[list[datetime]]]:
    async def read() -> list[datetime]:
        rows = [*store.tables.get("post_likes", {}).values(), *store.tables.get("comment_likes", {}).values()]
        return [row.created_at for row in rows]

    return read


def _sql_like_times(engine: AsyncEngine) -> Callable[[], Awaitable[list[datetime]]]:
    async def read() -> list[datetime]:
        async with engine.connect() as conn:
            found = list((await conn.execute(select(post_likes.c.created_at))).scalars())
            return found + list((await conn.execute(select(comment_likes.c.created_at))).scalars())

    return read


@pytest.fixture(params=["memory", pytest.param("sql", marks=pytest.mark.db)])
def backend_url(request: pytest.FixtureRequest) -> str | None:
    if request.param == "memory":
        return None
    url: str = request.getfixturevalue("database_url")
    return url


@pytest.fixture
async def backend(backend_url: str | None) -> AsyncIterator[Backend]:
    clock = FrozenClock(T0)
    if backend_url is None:
        store = InMemoryStore()
        yield Backend(
            uow=lambda: InMemoryFeedUnitOfWork(store, clock=clock),
            reads=InMemoryFeedReads(store),
            accounts=lambda: InMemoryAccountsUnitOfWork(store),
            clock=clock,
            like_times=_memory_like_times(store),
        )
        return
    engine = make_engine(backend_url)
    writer = write_engine(engine)
    try:
        yield Backend(
            uow=lambda: SqlFeedUnitOfWork(writer, clock=clock),
            reads=SqlFeedReads(engine),
            accounts=lambda: SqlAccountsUnitOfWork(writer, before_user_delete=(forget_user_in_feed,)),
            clock=clock,
            like_times=_sql_like_times(engine),
        )
    finally:
        await engine.dispose()


_emails = iter(range(1, 10_000))


async def person(
    b: Backend,
    first: str = "Ann",
    *,
    industry: str = "others",
    user_type: UserType = UserType.LEARNER,
    location: str = "",
    active: bool = True,
) -> int:
    async with b.accounts() as uow:
        user = await uow.users.add(
            User(email=f"p{next(_emails)}@example.com", date_joined=T0, industry=industry, user_type=user_type,
                 is_active=active)
        )
        await uow.profiles.add(Profile(user_id=user.id, first_name=first, last_name="Doe", location=location,
                                       qualification="BSc"))
        await uow.commit()
    return user.id


async def delete_user(b: Backend, user_id: int) -> None:
    async with b.accounts() as uow:
        await uow.users.delete(user_id)
        await uow.commit()


async def post(b: Backend, author: int, body: str = "hello", *, at: datetime = T0, parent: int | None = None,
               industries: tuple[str, ...] = (), mentor: bool = False) -> int:
    async with b.uow() as uow:
        p = await uow.posts.add(Post(author_id=author, body=body, created_at=at, parent_id=parent,
                                     industries=industries, by_mentor=mentor))
        await uow.commit()
    return p.id


async def comment(b: Backend, post_id: int, user: int, body: str = "hi", parent: Comment | None = None) -> Comment:
    async with b.uow() as uow:
        c = await uow.comments.add(Comment(
            post_id=post_id, user_id=user, body=body, created_at=T0,
            parent_id=parent.id if parent else None,
            thread_id=(parent.thread_id or parent.id) if parent else None,
        ))
        await uow.commit()
    return c


async def view(b: Backend, post_id: int, viewer: int = 0) -> PostView:
    found = await b.reads.post(viewer, post_id)
    assert found is not None
    return found


def counts(v: PostView) -> tuple[int, int, int]:
    return v.like_count, v.comment_count, v.share_count


# ------------------------------------------------------------------------------------------ posts


async def test_post_add_get_and_tags(backend: Backend) -> None:
    a = await person(backend)
    async with backend.uow() as uow:
        p = await uow.posts.add(Post(author_id=a, body="b", created_at=T0, pic1="u1", article="art",
                                     industries=("tech", "tech", "farming")))
        assert p.id > 0
        await uow.commit()
    async with backend.uow() as uow:
        got = await uow.posts.get(p.id)
        assert got is not None and got is not p
        assert (got.author_id, got.body, got.pic1, got.article, got.industries) == (a, "b", "u1", "art",
                                                                                   ("tech", "farming"))
        assert await uow.posts.get(p.id + 100) is None
    plain = await post(backend, a)
    async with backend.uow() as uow:
        got = await uow.posts.get(plain)
        assert got is not None and got.industries == ("others",)


async def test_uncommitted_work_is_discarded(backend: Backend) -> None:
    a = await person(backend)
    async with backend.uow() as uow:
        p = await uow.posts.add(Post(author_id=a, body="gone", created_at=T0))
    assert await backend.reads.post(a, p.id) is None


async def test_delete_post_cascades_to_reposts_comments_likes_saves_shares(backend: Backend) -> None:
    a, b = await person(backend), await person(backend, "Bob")
    original = await post(backend, a)
    repost = await post(backend, b, "re", parent=original)
    top = await comment(backend, original, b)
    await comment(backend, original, a, parent=top)
    other = await post(backend, b, "stays")
    async with backend.uow() as uow:
        assert await uow.likes.add(original, b)
        assert await uow.comment_likes.add(top.id, a)
        assert await uow.saves.add(b, original, T0)
        assert await uow.saves.add(b, other, T0)
        await uow.shares.share(original, b, "h-orig", T0)
        await uow.commit()
    async with backend.uow() as uow:
        await uow.posts.delete(original)
        await uow.commit()
    assert await backend.reads.post(b, original) is None
    assert await backend.reads.post(b, repost) is None
    assert await backend.reads.comments(b, original, PageRequest(1, 10), 10) is None
    assert [v.post_id for v in await backend.reads.saved(b, 10)] == [other]
    assert await backend.reads.shared("h-orig") is None
    async with backend.uow() as uow:
        assert await uow.comments.get(top.id) is None
        assert await uow.likes.add(original, b) is False


# ------------------------------------------------------------------------------------------ interactions


async def test_likes_are_stamped_by_the_injected_clock(backend: Backend) -> None:
    a, b = await person(backend), await person(backend)
    p = await post(backend, a)
    top = await comment(backend, p, b)
    backend.clock.current = datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)  # far from the real time
    async with backend.uow() as uow:
        assert await uow.likes.add(p, b)
        assert await uow.comment_likes.add(top.id, a)
        await uow.commit()
    assert await backend.like_times() == [backend.clock.current, backend.clock.current]


async def test_likes_are_unique_and_counted(backend: Backend) -> None:
    a, b = await person(backend), await person(backend)
    p = await post(backend, a)
    async with backend.uow() as uow:
        assert await uow.likes.add(p, b) is True
        assert await uow.likes.add(p, b) is False
        assert await uow.likes.add(p, a) is True
        assert await uow.likes.add(p + 100, a) is False
        await uow.commit()
    assert (await view(backend, p, b)).like_count == 2
    assert (await view(backend, p, b)).liked is True
    c = await person(backend)
    assert (await view(backend, p, c)).liked is False
    async with backend.uow() as uow:
        assert await uow.likes.remove(p, b) is True
        assert await uow.likes.remove(p, b) is False
        await uow.commit()
    v = await view(backend, p, b)
    assert (v.like_count, v.liked, v.can_like) == (1, False, True)


async def test_comment_counts_top_level_only_and_replies_nest_recursively(backend: Backend) -> None:
    a, b = await person(backend), await person(backend, "Bob")
    p = await post(backend, a)
    first = await comment(backend, p, b, "first")
    second = await comment(backend, p, a, "second")
    r1 = await comment(backend, p, a, "r1", parent=first)
    r2 = await comment(backend, p, b, "r2", parent=r1)  # a reply to a reply stays in the first thread
    assert (r1.thread_id, r2.parent_id, r2.thread_id) == (first.id, r1.id, first.id)
    assert (await view(backend, p)).comment_count == 2
    async with backend.uow() as uow:
        got = await uow.comments.get(r2.id)
        assert got is not None and (got.parent_id, got.thread_id, got.post_id, got.body) == (r1.id, first.id, p, "r2")
        assert await uow.comments.get(r2.id + 100) is None
        assert await uow.comment_likes.add(first.id, a) is True
        assert await uow.comment_likes.add(first.id, a) is False
        assert await uow.comment_likes.add(first.id + 100, a) is False
        await uow.commit()
    threads = await backend.reads.comments(a, p, PageRequest(1, 10), 1)
    assert threads is not None
    assert [t.comment_id for t in threads] == [first.id, second.id]
    assert [r.comment_id for r in threads[0].replies] == [r1.id]  # one reply per thread asked
    assert (threads[0].likes, threads[0].liked, threads[0].can_like) == (1, True, False)
    assert threads[0].commenter.first_name == "Bob" and threads[1].replies == ()
    full = await backend.reads.comments(b, p, PageRequest(1, 10), 10)
    assert full is not None and [r.comment_id for r in full[0].replies] == [r1.id]  # r2 answers r1: under it
    assert [(r.comment_id, r.parent_id) for r in full[0].replies[0].replies] == [(r2.id, r1.id)]
    assert full[0].liked is False
    paged = await backend.reads.comments(b, p, PageRequest(2, 1), 10)
    assert paged is not None and [t.comment_id for t in paged] == [second.id]
    assert await backend.reads.comments(b, p, PageRequest(3, 1), 10) == []
    empty = await post(backend, a)
    assert await backend.reads.comments(b, empty, PageRequest(1, 10), 10) == []
    assert await backend.reads.comments(b, empty + 100, PageRequest(1, 10), 10) is None
    async with backend.uow() as uow:
        assert await uow.comment_likes.remove(first.id, a) is True
        assert await uow.comment_likes.remove(first.id, a) is False
        await uow.commit()
    again = await backend.reads.comments(a, p, PageRequest(1, 10), 10)
    assert again is not None and (again[0].likes, again[0].liked) == (0, False)


async def test_reply_trees_nest_at_any_depth_within_the_thread_limit(backend: Backend) -> None:
    a, b = await person(backend), await person(backend, "Bob")
    p = await post(backend, a)
    head = await comment(backend, p, a, "head")
    x = await comment(backend, p, b, "x", parent=head)
    x1 = await comment(backend, p, a, "x1", parent=x)
    y = await comment(backend, p, b, "y", parent=head)
    x11 = await comment(backend, p, b, "x11", parent=x1)
    x2 = await comment(backend, p, b, "x2", parent=x)
    y1 = await comment(backend, p, a, "y1", parent=y)
    other = await comment(backend, p, b, "other")

    def tree(c: CommentView) -> tuple[int, int | None, list[Any]]:
        return (c.comment_id, c.parent_id, [tree(r) for r in c.replies])

    threads = await backend.reads.comments(a, p, PageRequest(1, 10), 50)
    assert threads is not None and [tree(t) for t in threads] == [
        (head.id, None, [
            (x.id, head.id, [(x1.id, x.id, [(x11.id, x1.id, [])]), (x2.id, x.id, [])]),
            (y.id, head.id, [(y1.id, y.id, [])]),
        ]),
        (other.id, None, []),
    ]  # fmt: skip
    # The per-thread limit keeps the oldest replies of the thread, still nested.
    four = await backend.reads.comments(a, p, PageRequest(1, 10), 4)
    assert four is not None and tree(four[0]) == (
        head.id, None, [(x.id, head.id, [(x1.id, x.id, [(x11.id, x1.id, [])])]), (y.id, head.id, [])]
    )


async def test_saves_are_idempotent_and_listed_newest_first(backend: Backend) -> None:
    a = await person(backend)
    p1, p2, p3 = [await post(backend, a, f"p{i}") for i in range(3)]
    async with backend.uow() as uow:
        assert await uow.saves.add(a, p1, T0 + timedelta(minutes=2))
        assert await uow.saves.add(a, p2, T0 + timedelta(minutes=1))
        assert await uow.saves.add(a, p3, T0 + timedelta(minutes=3))
        assert await uow.saves.add(a, p1, T0 + timedelta(minutes=9)) is False
        await uow.commit()
    saved = await backend.reads.saved(a, 10)
    assert [v.post_id for v in saved] == [p3, p1, p2] and all(v.saved for v in saved)
    assert [v.post_id for v in await backend.reads.saved(a, 2)] == [p3, p1]
    async with backend.uow() as uow:
        assert await uow.saves.remove(a, p3) is True
        assert await uow.saves.remove(a, p3) is False
        await uow.commit()
    assert [v.post_id for v in await backend.reads.saved(a, 10)] == [p1, p2]
    assert (await view(backend, p3, a)).saved is False


async def test_share_hash_is_stable_per_post_and_sharer(backend: Backend) -> None:
    a, b = await person(backend), await person(backend, "Bob")
    p = await post(backend, a, "shared")
    async with backend.uow() as uow:
        assert await uow.shares.share(p, b, "hash-1", T0) == "hash-1"
        assert await uow.shares.share(p, b, "hash-2", T0) == "hash-1"
        assert await uow.shares.share(p, a, "hash-3", T0) == "hash-3"
        await uow.commit()
    assert (await view(backend, p)).share_count == 2
    shared = await backend.reads.shared("hash-1")
    assert shared is not None
    assert shared.shared_by.id == b and shared.shared_by.first_name == "Bob"
    assert shared.post.post_id == p and shared.post.viewer_id == 0 and shared.post.body == "shared"
    assert await backend.reads.shared("hash-2") is None


async def test_repost_view_carries_its_original(backend: Backend) -> None:
    a, b = await person(backend, "Ann"), await person(backend, "Bob")
    original = await post(backend, a, "orig", at=T0)
    repost = await post(backend, b, "mine", at=T0 + timedelta(seconds=1), parent=original)
    v = await view(backend, repost, a)
    assert v.parent is not None
    assert (v.parent.post_id, v.parent.author.first_name, v.parent.body) == (original, "Ann", "orig")
    assert v.author.first_name == "Bob" and v.is_self is False and v.can_follow is True
    assert (await view(backend, original, a)).parent is None


# ------------------------------------------------------------------------------------------ lists


async def test_post_lists_order_bounds_and_errors(backend: Backend) -> None:
    me = await person(backend, industry="Tech")
    mentor = await person(backend, user_type=UserType.MENTOR)
    friend = await person(backend)
    stranger = await person(backend)
    t = [T0 + timedelta(minutes=i) for i in range(10)]
    mine_old = await post(backend, me, at=t[0])
    mine_new = await post(backend, me, at=t[5])
    same_time = await post(backend, me, at=t[5])  # ties break on id, newest first
    by_mentor = await post(backend, mentor, at=t[1], mentor=True)
    by_friend = await post(backend, friend, at=t[2])
    tagged = await post(backend, stranger, at=t[3], industries=("tech",))
    await post(backend, stranger, at=t[4], industries=("farming",))
    async with backend.uow() as uow:
        assert await uow.follows.add(me, friend, T0)
        await uow.commit()

    async def ids(listing: Listing, page: int = 1, size: int = 10, subject: int | None = None) -> list[int]:
        found = await backend.reads.posts(me, listing, PageRequest(page, size), subject)
        return [v.post_id for v in found.items]

    assert await ids(Listing.OWN) == [same_time, mine_new, mine_old]
    assert await ids(Listing.BY_USER, subject=friend) == [by_friend]
    assert await ids(Listing.MENTORS) == [by_mentor]
    assert await ids(Listing.FOLLOWING) == [by_friend]
    assert await ids(Listing.FEED) == [same_time, mine_new, tagged, by_friend, by_mentor, mine_old]
    page = await backend.reads.posts(me, Listing.OWN, PageRequest(2, 2))
    assert [v.post_id for v in page.items] == [mine_old] and page.total == 3
    feed = await backend.reads.posts(me, Listing.FEED, PageRequest(2, 2))
    assert feed.total == 6 and feed.items[1].following is True and feed.items[0].following is False
    with pytest.raises(NotFound):
        await backend.reads.posts(me, Listing.OWN, PageRequest(3, 2))
    empty = await backend.reads.posts(stranger, Listing.FOLLOWING, PageRequest(1, 5))
    assert (empty.items, empty.total) == ([], 0)
    with pytest.raises(InvalidInput):
        await backend.reads.posts(me, Listing.BY_USER, PageRequest(1, 5), 999_999)
    assert (await backend.reads.posts(me, Listing.BY_USER, PageRequest(1, 5), stranger)).total == 2
    with pytest.raises(NotFound):
        await backend.reads.posts(me, Listing.OWN, PageRequest(LISTED_MAX // 5 + 1, 5))


async def test_main_feed_adds_own_posts_and_confirmed_connections_once_each(backend: Backend) -> None:
    me = await person(backend, industry="")  # no industry: "others"
    sent_to = await person(backend, "Sent", industry="banking")  # I asked, they confirmed
    asked_me = await person(backend, "Asked", industry="banking")  # they asked, I confirmed
    pending = await person(backend, "Pending", industry="banking")
    rejected = await person(backend, "Rejected", industry="banking")
    everything = await person(backend, "All", industry="banking", user_type=UserType.MENTOR)
    stranger = await person(backend, "Stranger", industry="banking")
    t = [T0 + timedelta(minutes=i) for i in range(10)]
    mine = await post(backend, me, "Hello from Ada", at=t[0], industries=("banking",))  # tagged, not "others"
    by_sent = await post(backend, sent_to, at=t[1], industries=("banking",))
    by_asker = await post(backend, asked_me, at=t[2], industries=("banking",))
    await post(backend, pending, at=t[3], industries=("banking",))
    await post(backend, rejected, at=t[4], industries=("banking",))
    # Followed, connected, a mentor's post and tagged with my industry: four reasons, listed once.
    by_all = await post(backend, everything, at=t[5], industries=("others",), mentor=True)
    await post(backend, stranger, at=t[6], industries=("banking",))
    my_repost = await post(backend, me, "", at=t[7], parent=by_sent)

    def link(sender: int, receiver: int, status: ConnectionStatus) -> Connection:
        return Connection(sender_id=sender, receiver_id=receiver, status=status, created_at=T0, updated_at=T0)

    async with backend.uow() as uow:
        assert await uow.connections.add(link(me, sent_to, ConnectionStatus.CONFIRMED))
        assert await uow.connections.add(link(asked_me, me, ConnectionStatus.CONFIRMED))
        assert await uow.connections.add(link(me, pending, ConnectionStatus.PENDING))
        assert await uow.connections.add(link(rejected, me, ConnectionStatus.REJECTED))
        assert await uow.connections.add(link(everything, me, ConnectionStatus.CONFIRMED))
        assert await uow.follows.add(me, everything, T0)
        await uow.commit()

    feed = await backend.reads.posts(me, Listing.FEED, PageRequest(1, 10))
    assert [v.post_id for v in feed.items] == [my_repost, by_all, by_asker, by_sent, mine] and feed.total == 5
    assert [v.is_self for v in feed.items] == [True, False, False, False, True]
    # The other lists keep their own selections.
    following = await backend.reads.posts(me, Listing.FOLLOWING, PageRequest(1, 10))
    assert [v.post_id for v in following.items] == [by_all]
    # The connection is mutual: my posts are in their feeds too, not in a pending or rejected one's.
    theirs = await backend.reads.posts(asked_me, Listing.FEED, PageRequest(1, 10))
    assert {mine, my_repost} <= {v.post_id for v in theirs.items}
    for outsider in (pending, rejected, stranger):
        seen = {v.post_id for v in (await backend.reads.posts(outsider, Listing.FEED, PageRequest(1, 10))).items}
        assert mine in seen  # tagged "banking", their industry
        assert my_repost not in seen  # untagged ("others"), not theirs


async def test_lists_stop_at_the_bound(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed_queries, "LISTED_MAX", 3)
    monkeypatch.setattr(feed_memory, "LISTED_MAX", 3)
    a = await person(backend)
    made = [await post(backend, a, at=T0 + timedelta(minutes=i)) for i in range(5)]
    first = await backend.reads.posts(a, Listing.OWN, PageRequest(1, 2))
    assert first.total == 3 and [v.post_id for v in first.items] == made[::-1][:2]
    with pytest.raises(NotFound):
        await backend.reads.posts(a, Listing.OWN, PageRequest(2, 3))


# ------------------------------------------------------------------------------------------ graph


async def test_follows_unique_lists_and_counts(backend: Backend) -> None:
    a, b, c = await person(backend, "A"), await person(backend, "B"), await person(backend, "C")
    async with backend.uow() as uow:
        assert await uow.follows.add(a, b, T0)
        assert await uow.follows.add(a, b, T0) is False
        assert await uow.follows.add(a, c, T0)
        assert await uow.follows.add(c, a, T0)
        await uow.commit()
    assert [x.first_name for x in await backend.reads.followings(a, 10)] == ["C", "B"]
    assert [x.first_name for x in await backend.reads.followings(a, 1)] == ["C"]
    assert [x.first_name for x in await backend.reads.followers(a, 10)] == ["C"]
    assert (await backend.reads.following_count(a), await backend.reads.followers_count(a)) == (2, 1)
    async with backend.uow() as uow:
        assert await uow.follows.remove(a, b) is True
        assert await uow.follows.remove(a, b) is False
        await uow.commit()
    assert await backend.reads.following_count(a) == 1
    assert await backend.reads.followers(b, 10) == []


async def test_connections_one_row_per_pair(backend: Backend) -> None:
    a, b, c = await person(backend, "A"), await person(backend, "B"), await person(backend, "C")

    def new(sender: int, receiver: int) -> Connection:
        return Connection(sender_id=sender, receiver_id=receiver, status=ConnectionStatus.PENDING,
                          created_at=T0, updated_at=T0)

    async with backend.uow() as uow:
        ab = new(a, b)
        assert await uow.connections.add(ab) and ab.id > 0
        assert await uow.connections.add(new(a, b)) is False
        assert await uow.connections.add(new(b, a)) is False  # crossing request
        assert await uow.connections.add(new(c, a))
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.connections.between(b, a)
        assert found is not None and (found.id, found.sender_id, found.status) == (ab.id, a, ConnectionStatus.PENDING)
        assert await uow.connections.between(b, c) is None
        got = await uow.connections.get(ab.id)
        assert got is not None and got.updated_at == T0
        assert await uow.connections.get(ab.id + 100) is None
    assert [v.other.first_name for v in await backend.reads.connections(b, ConnectionSide.INCOMING, 10)] == ["A"]
    assert [v.other.first_name for v in await backend.reads.connections(a, ConnectionSide.OUTGOING, 10)] == ["B"]
    assert [v.other.first_name for v in await backend.reads.connections(a, ConnectionSide.INCOMING, 10)] == ["C"]
    async with backend.uow() as uow:
        got = await uow.connections.get(ab.id)
        assert got is not None
        got.status, got.updated_at = ConnectionStatus.CONFIRMED, T0 + timedelta(days=1)
        await uow.connections.update(got)
        await uow.commit()
    confirmed = await backend.reads.connections(b, ConnectionSide.CONFIRMED, 10)
    assert [(v.id, v.other.first_name, v.status) for v in confirmed] == [(ab.id, "A", "CONFIRMED")]
    assert [v.other.first_name for v in await backend.reads.connections(a, ConnectionSide.CONFIRMED, 10)] == ["B"]
    assert await backend.reads.connections(b, ConnectionSide.INCOMING, 10) == []
    assert (await backend.reads.connections_count(a), await backend.reads.connections_count(c)) == (1, 0)
    async with backend.uow() as uow:
        again = await uow.connections.get(ab.id)
        assert again is not None and again.updated_at == T0 + timedelta(days=1)
        await uow.connections.delete(ab.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.connections.between(a, b) is None
        assert await uow.connections.add(new(b, a))
        await uow.commit()


async def test_people_directory(backend: Backend) -> None:
    a = await person(backend, "Ann", user_type=UserType.MENTOR)
    off = await person(backend, active=False)
    async with backend.uow() as uow:
        card = await uow.people.card(a)
        assert card is not None
        assert (card.first_name, card.last_name, card.middle_name, card.user_type, card.qualification) == (
            "Ann", "Doe", "N/A", "mentor", "BSc")
        assert await uow.people.card(999_999) is None
        assert await uow.people.exists(a) is True
        assert await uow.people.exists(off) is False
        assert await uow.people.exists(999_999) is False


async def test_recommendations(backend: Backend) -> None:
    me = await person(backend, "Me", industry="tech", location=" Lagos ")
    same_industry = await person(backend, "Ind", industry="tech")
    near = await person(backend, "Near", industry="farming", location="Ikeja, LAGOS")
    followed = await person(backend, "Fol", industry="tech")
    follower = await person(backend, "Fer", industry="tech")
    await person(backend, "Off", industry="tech", active=False)
    await person(backend, "Far", industry="farming", location="Abuja")
    async with backend.uow() as uow:
        await uow.follows.add(me, followed, T0)
        await uow.follows.add(follower, me, T0)
        await uow.follows.add(follower, same_industry, T0)
        await uow.connections.add(Connection(sender_id=same_industry, receiver_id=me,
                                             status=ConnectionStatus.REJECTED, created_at=T0, updated_at=T0))
        await uow.commit()
    recs = await backend.reads.follow_recommendations(me, PageRequest(1, 10))
    assert [(r.card.id, r.followers) for r in recs.items] == [(same_industry, 1), (near, 0)] and recs.total == 2
    second = await backend.reads.follow_recommendations(me, PageRequest(2, 1))
    assert [r.card.id for r in second.items] == [near] and second.total == 2
    with pytest.raises(NotFound):
        await backend.reads.follow_recommendations(me, PageRequest(3, 1))
    by_industry = await backend.reads.connection_recommendations(me, "industry", PageRequest(1, 10))
    assert [r.card.id for r in by_industry.items] == [followed, follower]
    by_location = await backend.reads.connection_recommendations(me, "location", PageRequest(1, 10))
    assert [r.card.id for r in by_location.items] == [near]
    nowhere = await person(backend, "Nowhere", industry="none")
    empty = await backend.reads.connection_recommendations(nowhere, "location", PageRequest(1, 4))
    assert (empty.items, empty.total) == ([], 0)


# ------------------------------------------------------------------------------------------ user deletion


async def test_deleting_a_user_keeps_the_counters_of_other_posts_right(backend: Backend) -> None:
    owner, leaver, stays = await person(backend, "Own"), await person(backend, "Lea"), await person(backend)
    p = await post(backend, owner)
    top = await comment(backend, p, owner, "owner's")
    await comment(backend, p, leaver, "leaver 1")
    await comment(backend, p, leaver, "leaver 2")
    reply = await comment(backend, p, leaver, "a reply", parent=top)
    await comment(backend, p, stays, "stays")
    theirs = await post(backend, leaver, "theirs")
    repost_of_theirs = await post(backend, stays, "re", parent=theirs)
    async with backend.uow() as uow:
        for who in (leaver, stays):
            assert await uow.likes.add(p, who)
            assert await uow.comment_likes.add(top.id, who)
            await uow.shares.share(p, who, f"h{who}", T0)
            assert await uow.saves.add(who, p, T0)
        assert await uow.likes.add(theirs, stays)
        assert await uow.follows.add(stays, leaver, T0)
        assert await uow.connections.add(Connection(sender_id=leaver, receiver_id=owner,
                                                    status=ConnectionStatus.CONFIRMED, created_at=T0, updated_at=T0))
        await uow.commit()
    assert counts(await view(backend, p)) == (2, 4, 2)
    await delete_user(backend, leaver)
    assert counts(await view(backend, p)) == (1, 2, 1)
    threads = await backend.reads.comments(owner, p, PageRequest(1, 10), 10)
    assert threads is not None and [t.body for t in threads] == ["owner's", "stays"]
    assert threads[0].likes == 1 and threads[0].replies == ()
    assert await backend.reads.post(stays, theirs) is None
    assert await backend.reads.post(stays, repost_of_theirs) is None
    assert await backend.reads.shared(f"h{leaver}") is None
    assert await backend.reads.following_count(stays) == 0
    assert await backend.reads.connections_count(owner) == 0
    async with backend.uow() as uow:
        assert await uow.comments.get(reply.id) is None
        # The counters keep counting from the right base.
        assert await uow.likes.remove(p, stays)
        await uow.commit()
    assert counts(await view(backend, p)) == (0, 2, 1)


async def test_deleting_an_author_with_no_feed_rows(backend: Backend) -> None:
    a = await person(backend)
    await delete_user(backend, a)
    async with backend.uow() as uow:
        assert await uow.people.card(a) is None
