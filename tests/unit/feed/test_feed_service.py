"""FeedService on the memory profile: every use case, its errors and the events it publishes."""

from __future__ import annotations

import pytest

from adapters.storage.memory import InMemoryBlobStorage
from bootstrap.container import AppContainer
from core.accounts.model.users import UserType
from core.feed.model.events import CommentLiked, CommentReplied, PostLiked
from core.feed.model.views import Listing
from core.feed.service import CreatePost
from core.shared.errors import InvalidInput, NotFound, PermissionDenied, Unauthenticated
from core.shared.media import Upload
from tests.e2e.profiles_support import png
from tests.unit.feed.conftest import T0, add_user, published, told

pytestmark = pytest.mark.anyio


def _body(exc: pytest.ExceptionInfo[InvalidInput]) -> object:
    return exc.value.body


async def test_create_post_tags_media_and_mentor_flag(c: AppContainer) -> None:
    feed = c.feed.service()
    mentor = await add_user(c, user_type=UserType.MENTOR)
    post = await feed.create_post(
        mentor, CreatePost(body="Farming with drones", pic1=Upload("a.png", png(), "image/png"))
    )
    assert post.id > 0 and post.by_mentor and post.industries == ("agriculture",)
    storage = c.platform.storage()
    assert isinstance(storage, InMemoryBlobStorage) and len(storage.objects) == 1
    view = await feed.post(mentor, post.id)
    assert view.pic1 == post.pic1 and view.is_self and not view.can_follow
    assert [v.post_id for v in (await feed.posts(0, Listing.MENTORS)).items] == [post.id]


async def test_create_post_errors(c: AppContainer) -> None:
    feed = c.feed.service()
    a = await add_user(c)
    with pytest.raises(InvalidInput) as blank:
        await feed.create_post(a, CreatePost(body="  "))
    assert _body(blank) == {"body": ["This field may not be blank."]}
    with pytest.raises(InvalidInput) as missing:
        await feed.create_post(a, CreatePost(body=None))
    assert _body(missing) == {"body": ["This field is required."]}
    with pytest.raises(InvalidInput):
        await feed.create_post(a, CreatePost(body="x", pic1=Upload("a.png", b"not an image", "image/png")))
    with pytest.raises(Unauthenticated):  # a deleted account; the stored upload is removed again
        await feed.create_post(999, CreatePost(body="x", pic1=Upload("a.png", png(), "image/png")))
    storage = c.platform.storage()
    assert isinstance(storage, InMemoryBlobStorage) and storage.objects == {}


async def test_repost_of_a_repost_points_at_the_root(c: AppContainer) -> None:
    feed = c.feed.service()
    a, b, d = await add_user(c, "A"), await add_user(c, "B"), await add_user(c, "D")
    root = await feed.create_post(a, CreatePost(body="Farming with drones"))
    first = await feed.repost(b, root.id, "")
    assert first.parent is not None and first.parent.post_id == root.id and first.body == ""
    second = await feed.repost(d, first.post_id, "software engineering python")
    assert second.parent is not None and second.parent.post_id == root.id
    assert second.parent.author.first_name == "A"
    async with c.feed.uow() as uow:
        stored = await uow.posts.get(second.post_id)
    assert stored is not None and stored.industries == ("agriculture", "technology")
    with pytest.raises(InvalidInput) as missing:
        await feed.repost(b, 999, "x")
    assert _body(missing) == {"parent": ['Invalid pk "999" - object does not exist.']}
    with pytest.raises(InvalidInput):
        await feed.repost(b, root.id, "x" * 2001)


async def test_delete_post_only_by_its_author(c: AppContainer) -> None:
    feed = c.feed.service()
    a, b = await add_user(c), await add_user(c)
    post = await feed.create_post(a, CreatePost(body="mine", pic1=Upload("a.png", png(), "image/png")))
    repost = await feed.repost(b, post.id, "")
    with pytest.raises(PermissionDenied):
        await feed.delete_post(b, post.id)
    with pytest.raises(InvalidInput) as unknown:
        await feed.delete_post(a, 999)
    assert _body(unknown) == {"error": "Invalid Post ID"}
    await feed.delete_post(a, post.id)
    storage = c.platform.storage()
    assert isinstance(storage, InMemoryBlobStorage) and storage.objects == {}
    for gone in (post.id, repost.post_id):
        with pytest.raises(NotFound):
            await feed.post(b, gone)


async def test_lists_and_pages(c: AppContainer) -> None:
    feed, network = c.feed.service(), c.feed.network()
    me = await add_user(c, industry="Agriculture")
    other = await add_user(c)
    mine = [await feed.create_post(me, CreatePost(body=f"post {i}")) for i in range(6)]
    tagged = await feed.create_post(other, CreatePost(body="Farming with drones"))
    first = await feed.posts(me, Listing.OWN)
    assert first.total == 6 and [v.post_id for v in first.items] == [p.id for p in mine[::-1][:5]]
    assert [v.post_id for v in (await feed.posts(me, Listing.OWN, 2)).items] == [mine[0].id]
    with pytest.raises(NotFound):
        await feed.posts(me, Listing.OWN, 3)
    main = await feed.posts(me, Listing.FEED)  # my own posts and the one tagged with my industry
    assert main.total == 7 and [v.post_id for v in main.items] == [tagged.id] + [p.id for p in mine[::-1][:4]]
    assert (await feed.posts(me, Listing.FOLLOWING)).total == 0
    await network.follow(me, other)
    following = await feed.posts(me, Listing.FOLLOWING)
    assert [v.post_id for v in following.items] == [tagged.id] and following.items[0].following
    with pytest.raises(InvalidInput) as unknown:
        await feed.posts(me, Listing.BY_USER, 1, 999)
    assert _body(unknown) == {"error": "Invalid user_id"}
    assert (await feed.posts(other, Listing.BY_USER, 1, me)).total == 6


async def test_comments_and_nested_replies(c: AppContainer) -> None:
    feed = c.feed.service()
    a, b = await add_user(c, "A"), await add_user(c, "B")
    post = await feed.create_post(a, CreatePost(body="hello"))
    top, card = await feed.comment(b, post.id, "nice", Upload("c.png", png(), "image/png"))
    assert card.first_name == "B" and top.media is not None and top.parent_id is None
    reply, _ = await feed.reply(a, top.id, "thanks")
    deeper, _ = await feed.reply(b, reply.id, "you're welcome")
    assert (reply.parent_id, reply.thread_id) == (top.id, top.id)
    assert (deeper.parent_id, deeper.thread_id) == (reply.id, top.id)
    own, _ = await feed.reply(b, top.id, "self reply")  # no notification to oneself
    threads = await feed.comments(a, post.id)
    assert [t.comment_id for t in threads] == [top.id]
    assert [r.comment_id for r in threads[0].replies] == [reply.id, own.id]
    assert [r.comment_id for r in threads[0].replies[0].replies] == [deeper.id]
    assert (await feed.post(a, post.id)).comment_count == 1
    replied = [e for e in published(c) if isinstance(e, CommentReplied)]
    assert [(e.actor_id, e.recipient_id, e.post_id, e.comment_id, e.reply_id, e.occurred_at) for e in replied] == [
        (a, b, post.id, top.id, reply.id, T0), (b, a, post.id, reply.id, deeper.id, T0)]
    notice = await told(c, replied[0])
    assert notice is not None and (notice.user_id, notice.text, notice.route) == (
        b, "A Doe just replied to your comment.", f"post/?post_id={post.id}")
    with pytest.raises(InvalidInput) as no_post:
        await feed.comment(b, 999, "x")
    assert _body(no_post) == {"post": ['Invalid pk "999" - object does not exist.']}
    with pytest.raises(InvalidInput) as no_parent:
        await feed.reply(b, 999, "x")
    assert _body(no_parent) == {"parent": ['Invalid pk "999" - object does not exist.']}
    with pytest.raises(InvalidInput):
        await feed.comment(b, post.id, "")
    with pytest.raises(InvalidInput) as no_comments:
        await feed.comments(a, 999)
    assert _body(no_comments) == {"error": "Inexistent post"}
    with pytest.raises(NotFound):
        await feed.comments(a, post.id, 0)


async def test_likes_are_idempotent_answers_and_notify_the_author(c: AppContainer) -> None:
    feed = c.feed.service()
    a, b = await add_user(c), await add_user(c)
    post = await feed.create_post(a, CreatePost(body="hello"))
    await feed.like(b, post.id)
    with pytest.raises(InvalidInput) as again:
        await feed.like(b, post.id)
    assert _body(again) == {"error": ["Post Already Liked"]}
    await feed.like(a, post.id)
    view = await feed.post(b, post.id)
    assert (view.like_count, view.liked, view.can_like) == (2, True, False)
    liked = [e for e in published(c) if isinstance(e, PostLiked)]
    assert [(e.actor_id, e.recipient_id, e.post_id, e.occurred_at) for e in liked] == [
        (b, a, post.id, T0), (a, a, post.id, T0)]
    assert [n and n.text for n in [await told(c, e) for e in liked]] == ["Someone just liked your post.", None]
    await feed.unlike(b, post.id)
    with pytest.raises(InvalidInput) as not_liked:
        await feed.unlike(b, post.id)
    assert _body(not_liked) == {"non_field_errors": ["Post is yet to be liked"]}
    with pytest.raises(InvalidInput):
        await feed.unlike(b, 999)
    with pytest.raises(InvalidInput) as missing:
        await feed.like(b, 999)
    assert _body(missing) == {"post": ['Invalid pk "999" - object does not exist.']}
    assert (await feed.post(b, post.id)).like_count == 1


async def test_comment_likes(c: AppContainer) -> None:
    feed = c.feed.service()
    a, b = await add_user(c, "A"), await add_user(c, "B")
    post = await feed.create_post(a, CreatePost(body="hello"))
    comment, _ = await feed.comment(a, post.id, "mine")
    await feed.like_comment(b, comment.id)
    await feed.like_comment(a, comment.id)
    with pytest.raises(InvalidInput) as again:
        await feed.like_comment(b, comment.id)
    assert _body(again) == {"non_field_errors": ["Comment already liked."]}
    events = [e for e in published(c) if isinstance(e, CommentLiked)]
    assert [(e.actor_id, e.recipient_id, e.post_id, e.comment_id) for e in events] == [
        (b, a, post.id, comment.id), (a, a, post.id, comment.id)]
    assert [n and n.text for n in [await told(c, e) for e in events]] == ["B Doe just liked your comment.", None]
    assert (await feed.comments(b, post.id))[0].likes == 2
    await feed.unlike_comment(b, comment.id)
    with pytest.raises(InvalidInput) as never:
        await feed.unlike_comment(b, comment.id)
    assert _body(never) == {"non_field_errors": ["Comment has not been previously liked."]}
    for call in (feed.like_comment, feed.unlike_comment):
        with pytest.raises(InvalidInput) as missing:
            await call(b, 999)
        assert _body(missing) == {"comment": ['Invalid pk "999" - object does not exist.']}


async def test_saves_are_idempotent(c: AppContainer) -> None:
    feed, clock = c.feed.service(), c.platform.clock()
    a = await add_user(c)
    p1 = await feed.create_post(a, CreatePost(body="one"))
    p2 = await feed.create_post(a, CreatePost(body="two"))
    await feed.save(a, p1.id)
    clock.advance(60)  # type: ignore[attr-defined]
    await feed.save(a, p2.id)
    await feed.save(a, p1.id)  # answers as the first time; keeps its first date
    assert [v.post_id for v in await feed.saved(a)] == [p2.id, p1.id]
    await feed.unsave(a, p2.id)
    with pytest.raises(NotFound):
        await feed.unsave(a, p2.id)
    with pytest.raises(InvalidInput):
        await feed.save(a, 999)
    assert [v.post_id for v in await feed.saved(a)] == [p1.id]


async def test_share_hash_is_stable_per_post_and_sharer(c: AppContainer) -> None:
    feed = c.feed.service()
    a, b = await add_user(c, "A"), await add_user(c, "B")
    post = await feed.create_post(a, CreatePost(body="hello"))
    first = await feed.share(b, post.id)
    assert await feed.share(b, post.id) == first
    mine = await feed.share(a, post.id)
    assert mine != first
    assert (await feed.post(a, post.id)).share_count == 2
    shared = await feed.shared(f"  {first} ")
    assert shared.shared_by.id == b and shared.post.post_id == post.id
    with pytest.raises(InvalidInput) as missing:
        await feed.shared(None)
    assert _body(missing) == {"error": "A hash query parameter is required for this request."}
    with pytest.raises(InvalidInput) as unknown:
        await feed.shared("nope")
    assert _body(unknown) == {"error": "Invalid Share Hash"}
    with pytest.raises(InvalidInput):
        await feed.share(b, 999)


async def test_unknown_post_is_404(c: AppContainer) -> None:
    with pytest.raises(NotFound):
        await c.feed.service().post(0, 12345)
