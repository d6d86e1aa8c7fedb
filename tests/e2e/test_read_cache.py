"""The read cache end to end (``ports.readcache``): every cached endpoint, with the cache on and off.

The oracle is a second app on the same database with the cache off (``READ_CACHE_STALENESS_SECONDS=0``): what the
cached app answers must be byte-identical to it whenever the rules say it must be fresh —

- after the viewer's own write, on the very next read;
- after another user's write, once the staleness bound has passed (a controllable clock, no sleeps);
- after a post's deletion or a privacy change by someone else, at once;

and always identical bodies (envelope, links, flags) between a miss, a hit and the uncached app.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from adapters.cache.memory import InProcessReadCache
from adapters.cache.redis import RedisReadCache
from adapters.db.engine import StatementCounter
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer
from tests.conftest import SignedUp, build_test_container, make_settings
from tests.contract.test_rate_limiters import REDIS_URL, needs_redis
from tests.e2e.feed_support import new_post, set_industry, user
from tests.e2e.jobs_support import alerts_settled, make_job
from tests.e2e.profiles_support import employer

pytestmark = [pytest.mark.anyio, pytest.mark.db]

Client = AsyncTestClient[Any]
STALENESS = 2.0


class FakeTime:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


@contextlib.asynccontextmanager
async def app_client(container: AppContainer) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        yield client


@dataclass
class World:
    cached: Client  # the app under test (cache on, fake clock)
    fresh: Client  # the oracle: same database, cache off
    container: AppContainer
    time: FakeTime
    viewer: SignedUp
    other: SignedUp  # followed by the viewer, same industry
    mentor: SignedUp
    stranger: SignedUp  # same industry, not followed: recommended
    posts: dict[str, int]
    job: int  # an active job in the viewer's industry, posted by an organization

    def paths(self) -> list[str]:
        o = self.other.id
        return [
            "/post/",
            f"/post/?post_id={self.posts['other']}",
            "/post/following/",
            "/post/by-mentors/",
            f"/post/by-user/?user_id={o}",
            "/post/posted/",
            "/post/save/",
            "/user/retrieve-profile/",
            f"/user/retrieve-profile/?user_id={o}",
            "/followings/",
            "/followers/",
            "/followings/count/",
            "/followers/count/",
            "/follow/recommendation/",
            "/connection/count/",
            "/connection/recommendation/?criteria=industry",
            f"/job/?job_id={self.job}",
            "/job/recommend/",
        ]

    async def both(self, path: str, who: SignedUp | None = None) -> tuple[bytes, bytes]:
        headers = (who or self.viewer).headers
        a = await self.cached.get(path, headers=headers)
        b = await self.fresh.get(path, headers=headers)
        assert a.status_code == b.status_code, (path, a.text, b.text)
        assert a.headers["content-type"] == b.headers["content-type"]
        return a.content, b.content


@pytest.fixture
async def world(tmp_path: Path, database_url: str) -> AsyncIterator[World]:
    time = FakeTime()
    on = build_test_container(make_settings(tmp_path, database_url, read_cache_staleness_seconds=STALENESS))
    on.platform.read_cache.override(
        providers.Object(InProcessReadCache(staleness=STALENESS, max_bytes=10_000_000, clock=time))
    )
    off = build_test_container(make_settings(tmp_path / "off", database_url))
    async with app_client(on) as cached, app_client(off) as fresh:
        viewer = await user(cached, on)
        other = await user(cached, on)
        mentor = await user(cached, on, industry="education")
        stranger = await user(cached, on)
        for who in (viewer, other, stranger):
            await set_industry(on, who.id, "agriculture")
        assert (await cached.post("/follow/", json={"user_following": other.id}, headers=viewer.headers)).is_success
        posts = {
            "other": await new_post(cached, other, "Tractors and crops and harvest"),
            "mentor": await new_post(cached, mentor, "Just a thought from a mentor"),
            "viewer": await new_post(cached, viewer, "Irrigation on the farm"),
        }
        corp = await employer(cached, on, stranger)
        job = await make_job(cached, corp, overview="Tractors, crops and harvest on the farm",
                             description="Agriculture: irrigation and soil.")
        await alerts_settled(on)  # its alert matching ran: no task statements inside the tests' counters
        yield World(cached, fresh, on, time, viewer, other, mentor, stranger, posts, int(job["id"]))
    await on.platform.engine().dispose()
    await off.platform.engine().dispose()


Write = Callable[[World], Awaitable[None]]


async def _ok(response: Any) -> None:
    assert response.is_success, response.text


def _like(post: str) -> Write:
    async def write(w: World) -> None:
        await _ok(await w.cached.post("/post/like/", json={"post": w.posts[post]}, headers=w.viewer.headers))

    return write


async def _post(w: World) -> None:
    await new_post(w.cached, w.viewer, "Soil data and crops")


async def _save(w: World) -> None:
    await _ok(await w.cached.post("/post/save/", json={"post": w.posts["other"]}, headers=w.viewer.headers))


async def _follow_stranger(w: World) -> None:
    await _ok(await w.cached.post("/follow/", json={"user_following": w.stranger.id}, headers=w.viewer.headers))


async def _unfollow_other(w: World) -> None:
    await _ok(await w.cached.post("/unfollow/", json={"user_following": w.other.id}, headers=w.viewer.headers))


async def _followed_by_stranger(w: World) -> None:
    await _ok(await w.cached.post("/follow/", json={"user_following": w.viewer.id}, headers=w.stranger.headers))


async def _connect_stranger(w: World) -> None:
    await _ok(await w.cached.post("/connection/", json={"connection": w.stranger.id}, headers=w.viewer.headers))


async def _accept_from_stranger(w: World) -> None:
    r = await w.cached.post("/connection/", json={"connection": w.viewer.id}, headers=w.stranger.headers)
    await _ok(r)
    body = {"connection_id": r.json()["id"], "status": "Accept"}
    await _ok(await w.cached.post("/connection/status/", json=body, headers=w.viewer.headers))


async def _save_job(w: World) -> None:
    await _ok(await w.cached.post("/job/save/", json={"job": w.job}, headers=w.viewer.headers))


async def _edit_profile(w: World) -> None:
    r = await w.cached.put("/user/profile-update/", json={"first_name": "Renamed"}, headers=w.viewer.headers)
    await _ok(r)


# The viewer's own write that changes each endpoint's answer (a follow or connection changes both parties).
OWN_WRITES: dict[str, Write] = {
    "/post/": _like("other"),
    "/post/?post_id=": _like("other"),
    "/post/following/": _like("other"),
    "/post/by-mentors/": _like("mentor"),
    "/post/by-user/": _like("other"),
    "/post/posted/": _post,
    "/post/save/": _save,
    "/user/retrieve-profile/?user_id=": _unfollow_other,
    "/user/retrieve-profile/": _edit_profile,
    "/followings/count/": _follow_stranger,
    "/followers/count/": _followed_by_stranger,
    "/followings/": _follow_stranger,
    "/followers/": _followed_by_stranger,
    "/follow/recommendation/": _follow_stranger,
    "/connection/count/": _accept_from_stranger,
    "/connection/recommendation/": _connect_stranger,
    "/job/?job_id=": _save_job,
    "/job/recommend/": _save_job,
}


def _own_write(path: str) -> Write:
    prefix = max((p for p in OWN_WRITES if path.startswith(p)), key=len)
    return OWN_WRITES[prefix]


PATHS = [
    "/post/",
    "/post/?post_id=",
    "/post/following/",
    "/post/by-mentors/",
    "/post/by-user/",
    "/post/posted/",
    "/post/save/",
    "/user/retrieve-profile/",
    "/user/retrieve-profile/?user_id=",
    "/followings/",
    "/followers/",
    "/followings/count/",
    "/followers/count/",
    "/follow/recommendation/",
    "/connection/count/",
    "/connection/recommendation/",
    "/job/?job_id=",
    "/job/recommend/",
]


def _resolve(w: World, name: str) -> str:
    paths = w.paths()
    if name in paths:
        return name
    return next(p for p in paths if p.startswith(name))


@pytest.mark.parametrize("name", PATHS)
async def test_own_write_is_visible_on_the_very_next_read(world: World, name: str) -> None:
    path = _resolve(world, name)
    before, oracle = await world.both(path)
    assert before == oracle
    again, _ = await world.both(path)  # a hit: the same bytes
    assert again == before
    await _own_write(path)(world)
    after, oracle = await world.both(path)
    assert oracle != before, "the write should change this answer"
    assert after == oracle


@pytest.mark.parametrize("name", PATHS)
async def test_others_writes_show_within_the_staleness_bound(world: World, name: str) -> None:
    path = _resolve(world, name)
    before, _ = await world.both(path)
    # Other people write: a new post and a like on the viewer's post, a profile edit, a follow of the viewer's
    # followee (none of these bumps the viewer).
    await new_post(world.cached, world.other, "More tractors and harvest news")
    await _ok(await world.cached.post("/post/like/", json={"post": world.posts["viewer"]}, headers=world.other.headers))
    r = await world.cached.put("/user/profile-update/", json={"first_name": "Other"}, headers=world.other.headers)
    await _ok(r)
    world.time.advance(STALENESS - 0.5)
    within, _ = await world.both(path)
    assert within == before  # served from the cache inside the bound
    world.time.advance(0.5)
    after, oracle = await world.both(path)
    assert after == oracle


async def test_a_deleted_post_is_never_served_from_the_cache(world: World) -> None:
    post = world.posts["other"]
    pages = ["/post/", "/post/following/", f"/post/by-user/?user_id={world.other.id}", f"/post/?post_id={post}"]
    await _ok(await world.cached.post("/post/save/", json={"post": post}, headers=world.viewer.headers))
    pages.append("/post/save/")
    for page in pages:
        body, _ = await world.both(page)
        assert str(post).encode() in body
    r = await world.cached.delete(f"/post/delete/?post_id={post}", headers=world.other.headers)
    assert r.status_code == 204
    for page in pages:
        after, oracle = await world.both(page)
        assert after == oracle, page
        assert f'"post_id":{post}'.encode() not in after


async def test_a_privacy_change_is_never_served_from_the_cache(world: World) -> None:
    path = f"/user/retrieve-profile/?user_id={world.other.id}"
    r = await world.cached.put("/user/settings/", json={"show_email": True}, headers=world.other.headers)
    await _ok(r)
    shown = (await world.cached.get(path, headers=world.viewer.headers)).json()
    assert shown["email"] == world.other.email
    r = await world.cached.put("/user/settings/", json={"show_email": False}, headers=world.other.headers)
    await _ok(r)
    hidden, oracle = await world.both(path)
    assert hidden == oracle
    assert world.other.email.encode() not in hidden


async def test_a_deleted_account_is_never_served_from_the_cache(world: World) -> None:
    pages = ["/post/", "/post/following/", f"/user/retrieve-profile/?user_id={world.other.id}", "/followings/"]
    for page in pages:
        await world.both(page)
    r = await world.cached.delete("/user/delete/", headers=world.other.headers)
    assert r.status_code == 204, r.text
    for page in pages:
        after, oracle = await world.both(page)
        assert after == oracle, page


async def test_cache_off_and_on_give_identical_bodies(world: World) -> None:
    # Page links (next/previous/last_page) included: more posts than a page, and the route with and without
    # its trailing slash (links keep what the client sent).
    for n in range(6):
        await new_post(world.cached, world.other, f"Crops and harvest number {n}")
    paths = [*world.paths(), "/post/?page=2", "/post/following?page=2", "/post/following/?page=2&x=1"]
    for path in paths:
        miss, oracle = await world.both(path)
        hit, _ = await world.both(path)
        assert miss == oracle == hit, path


async def test_the_cache_answers_without_sql(world: World) -> None:
    counter = StatementCounter()
    counter.attach(world.container.platform.engine())
    try:
        await world.cached.get("/post/", headers=world.viewer.headers)
        with counter.measure() as seen:
            r = await world.cached.get("/post/", headers=world.viewer.headers)
        assert r.status_code == 200
    finally:
        counter.detach(world.container.platform.engine())
    assert [q for q in seen if "users" not in q or "posts" in q] == [], seen  # only the token check remains


@needs_redis
async def test_own_write_on_one_worker_is_seen_on_another_through_redis(tmp_path: Path, database_url: str) -> None:
    """Two apps (two workers) on one database and one Redis, each with its own in-process layer."""
    time = FakeTime()
    prefix = f"test:{secrets.token_hex(6)}:"
    workers = []
    for n in range(2):
        settings = make_settings(
            tmp_path / f"w{n}", database_url, read_cache_staleness_seconds=STALENESS, redis_url=REDIS_URL
        )
        container = build_test_container(settings)
        client = Redis.from_url(REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5)
        cache = RedisReadCache(client, staleness=STALENESS, max_bytes=1_000_000, prefix=prefix, clock=time, wall=time)
        container.platform.read_cache.override(providers.Object(cache))
        workers.append((container, cache))
    (one, _), (two, cache_two) = workers
    try:
        async with app_client(one) as a, app_client(two) as b:
            viewer, other = await user(a, one), await user(a, one)
            post = await new_post(a, other, "Tractors and crops")
            page = f"/post/by-user/?user_id={other.id}"
            first = (await a.get(page, headers=viewer.headers)).content
            assert (await b.get(page, headers=viewer.headers)).content == first  # shared through Redis
            assert cache_two.memory_bytes() > 0
            r = await b.post("/post/like/", json={"post": post}, headers=viewer.headers)
            assert r.status_code == 201
            after = (await a.get(page, headers=viewer.headers)).json()["results"][0]
            assert after["can_like"] is False and after["like_count"] == 1
            # Another user's write reaches the viewer on either worker once the bound has passed.
            r = await b.post("/post/like/", json={"post": post}, headers=other.headers)
            assert r.status_code == 201
            time.advance(STALENESS)
            for client_ in (a, b):
                seen = (await client_.get(page, headers=viewer.headers)).json()["results"][0]
                assert seen["like_count"] == 2
    finally:
        await cache_two.clear()
        for container, cache in workers:
            await cache.aclose()
            await container.platform.engine().dispose()
