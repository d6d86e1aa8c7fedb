"""Network endpoints: follows at the site root, connections under ``/connection/``."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from adapters.http.feed.render import connection_item, envelope, person, recommendation
from adapters.http.feed.schemas import (
    ConnectBody,
    ConnectionCreatedRead,
    ConnectionItemRead,
    ConnectionRecommendationPageRead,
    ConnectionsCountRead,
    ConnectionStatusBody,
    FollowBody,
    FollowersCountRead,
    FollowingCountRead,
    FollowRead,
    PendingRead,
    PersonRead,
    RecommendationPageRead,
    SentRead,
    StatusRead,
)
from adapters.http.pagination import page_request
from adapters.http.readcache import CACHE_NOTE, cached
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, Site
from core.feed.model.views import ConnectionSide
from core.feed.network import RECOMMENDATION_PAGE_SIZE, NetworkService
from core.shared.errors import InvalidInput
from ports.readcache import ReadCache

__all__ = ("ConnectionController", "FollowController")

Network = NamedDependency[NetworkService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]
Cache = NamedDependency[ReadCache]
PageParam = Annotated[str | None, QueryParameter(name="page", description="Page number (4 a page).", pattern=NO_NUL)]


class FollowController(Controller):
    path = "/"
    tags = ["Network"]

    @post(
        "/follow/",
        status_code=201,
        summary="Follow User",
        description="One-way follow, once (unique, also under concurrent requests). Notifies the followed user.",
        security=BEARER,
    )
    async def follow(self, data: JSONBody[FollowBody], network: Network, me: Me) -> FollowRead:
        await network.follow(me.user_id, data.user_following)
        return FollowRead(follower=me.user_id, following=data.user_following)

    @post("/unfollow/", status_code=200, summary="Unfollow User", security=BEARER)
    async def unfollow(self, data: JSONBody[FollowBody], network: Network, me: Me) -> StatusRead:
        await network.unfollow(me.user_id, data.user_following)
        return StatusRead(status="Unfollowed user")

    @get("/followings/", summary="Get Followings", description="Latest first, at most 1000." + CACHE_NOTE,
         security=BEARER)
    async def followings(
        self, request: Request[Any, Any, Any], network: Network, me: Me, site: SiteDep, read_cache: Cache
    ) -> Response[list[PersonRead]]:
        async def produce() -> list[PersonRead]:
            return [person(site, c) for c in await network.followings(me.user_id)]

        return await cached(request, read_cache, me.user_id, produce)

    @get("/followers/", summary="User Followers", description="Latest first, at most 1000." + CACHE_NOTE,
         security=BEARER)
    async def followers(
        self, request: Request[Any, Any, Any], network: Network, me: Me, site: SiteDep, read_cache: Cache
    ) -> Response[list[PersonRead]]:
        async def produce() -> list[PersonRead]:
            return [person(site, c) for c in await network.followers(me.user_id)]

        return await cached(request, read_cache, me.user_id, produce)

    @get("/followings/count/", summary="Followings Count", description=CACHE_NOTE.strip(), security=BEARER)
    async def following_count(
        self, request: Request[Any, Any, Any], network: Network, me: Me, read_cache: Cache
    ) -> Response[FollowingCountRead]:
        async def produce() -> FollowingCountRead:
            return FollowingCountRead(following_count=await network.following_count(me.user_id))

        return await cached(request, read_cache, me.user_id, produce)

    @get("/followers/count/", summary="Followers Count", description='The key is `"followers count"` (with a '
         "space), as documented." + CACHE_NOTE, security=BEARER)
    async def followers_count(
        self, request: Request[Any, Any, Any], network: Network, me: Me, read_cache: Cache
    ) -> Response[FollowersCountRead]:
        async def produce() -> FollowersCountRead:
            return FollowersCountRead(followers_count=await network.followers_count(me.user_id))

        return await cached(request, read_cache, me.user_id, produce)

    @get(
        "/follow/recommendation/",
        summary="Following Recommendation",
        description="Users of the caller's industry or whose location contains the caller's, excluding the "
        "caller, people the caller follows and people following the caller; ordered by id (stable pages), 4 a "
        "page, bounded to 500." + CACHE_NOTE,
        security=BEARER,
    )
    async def recommendations(
        self,
        request: Request[Any, Any, Any],
        network: Network,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
    ) -> Response[RecommendationPageRead]:
        async def produce() -> RecommendationPageRead:
            result = await network.follow_recommendations(
                me.user_id, page_request(page, RECOMMENDATION_PAGE_SIZE).number
            )
            items = [recommendation(site, r) for r in result.items]
            return RecommendationPageRead(**envelope(site, request, result, items))

        return await cached(request, read_cache, me.user_id, produce)


class ConnectionController(Controller):
    path = "/connection"
    tags = ["Network"]

    @post(
        "/",
        status_code=201,
        summary="Connection Create",
        description=(
            "Requests a connection (PENDING). One row per pair whichever direction (unique, also under "
            "concurrent requests): a pending or confirmed pair → 400 `{\"error\": [\"Connection Initiated\"]}`. A "
            "rejection is recorded: the rejected sender may ask again after 30 days, the one who rejected at "
            "once. The answer carries the connection `id`."
        ),
        security=BEARER,
    )
    async def create(self, data: JSONBody[ConnectBody], network: Network, me: Me) -> ConnectionCreatedRead:
        connection = await network.connect(me.user_id, data.connection)
        return ConnectionCreatedRead(
            user=me.user_id, connection=data.connection, status=str(connection.status), id=connection.id
        )

    @get("/", summary="Connection Retrieve", description="Confirmed connections, both directions.",
         security=BEARER)
    async def confirmed(self, network: Network, me: Me, site: SiteDep) -> list[ConnectionItemRead]:
        return [connection_item(site, c) for c in await network.connections(me.user_id, ConnectionSide.CONFIRMED)]

    @delete(
        "/",
        status_code=204,
        summary="Connection Delete",
        description="Withdraws a pending request (its sender) or removes a confirmed connection (either side). "
        "Not a party → 404; the recipient of a pending request rejects it instead (403).",
        security=BEARER,
    )
    async def remove(
        self,
        network: Network,
        me: Me,
        connection_id: Annotated[int | None, QueryParameter(name="connection_id", ge=1, le=2**63 - 1)] = None,
    ) -> None:
        if connection_id is None:
            raise InvalidInput.error("A connection_id query parameter is required for this request.")
        await network.remove_connection(me.user_id, connection_id)

    @get("/pending/", summary="Connection Pending Retrieve", security=BEARER)
    async def pending(self, network: Network, me: Me, site: SiteDep) -> PendingRead:
        items = [connection_item(site, c) for c in await network.connections(me.user_id, ConnectionSide.INCOMING)]
        return PendingRead(pending_requests=items, count=len(items))

    @get("/requests/", summary="Connection Requests Sent", security=BEARER)
    async def sent(self, network: Network, me: Me, site: SiteDep) -> SentRead:
        items = [connection_item(site, c) for c in await network.connections(me.user_id, ConnectionSide.OUTGOING)]
        return SentRead(connection_requests=items, count=len(items))

    @post(
        "/status/",
        status_code=200,
        summary="Connection Accept/Reject",
        description="`status` is `Accept` or `Reject`; only the recipient may answer (sender → 403, anyone "
        "else → 404). A rejection is recorded, not deleted.",
        security=BEARER,
    )
    async def respond(self, data: JSONBody[ConnectionStatusBody], network: Network, me: Me) -> StatusRead:
        return StatusRead(status=await network.respond(me.user_id, data.connection_id, data.status))

    @get("/count/", summary="Connections Count", description=CACHE_NOTE.strip(), security=BEARER)
    async def count(
        self, request: Request[Any, Any, Any], network: Network, me: Me, read_cache: Cache
    ) -> Response[ConnectionsCountRead]:
        async def produce() -> ConnectionsCountRead:
            return ConnectionsCountRead(connections_count=await network.connections_count(me.user_id))

        return await cached(request, read_cache, me.user_id, produce)

    @get(
        "/recommendation/",
        summary="Connection Recommendation",
        description="`criteria` = `industry` or `location` (case-insensitive). Excludes the caller and anyone "
        "with a connection row with the caller; ordered by id, 4 a page, bounded to 500, with `last_page`."
        + CACHE_NOTE,
        security=BEARER,
    )
    async def recommendations(
        self,
        request: Request[Any, Any, Any],
        network: Network,
        me: Me,
        site: SiteDep,
        read_cache: Cache,
        page: PageParam = None,
        criteria: Annotated[str | None, QueryParameter(name="criteria", max_length=50, pattern=NO_NUL)] = None,
    ) -> Response[ConnectionRecommendationPageRead]:
        async def produce() -> ConnectionRecommendationPageRead:
            result = await network.connection_recommendations(
                me.user_id, criteria, page_request(page, RECOMMENDATION_PAGE_SIZE).number
            )
            items = [recommendation(site, r) for r in result.items]
            return ConnectionRecommendationPageRead(**envelope(site, request, result, items, last_page=True))

        return await cached(request, read_cache, me.user_id, produce)
