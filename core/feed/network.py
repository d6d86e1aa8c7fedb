"""Network use cases: follows and connections (behaviors §4, with the corrections of issue 4)."""

from __future__ import annotations

from collections.abc import Callable

from core.feed.model.events import ConnectionAccepted, ConnectionRejected, ConnectionRequested, UserFollowed
from core.feed.model.graph import Connection, ConnectionStatus
from core.feed.model.views import AuthorCard, ConnectionSide, ConnectionView, Recommendation
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from core.shared.pagination import Page, PageRequest
from ports.events import EventPublisher
from ports.feed import FeedReads, FeedUnitOfWork
from ports.system import Clock

__all__ = ("CRITERIA", "NetworkService")

RECOMMENDATION_PAGE_SIZE = 4
LIST_MAX = 1000
CRITERIA = ("industry", "location")


def _invalid_pk(field: str, value: int) -> InvalidInput:
    return InvalidInput.field(field, f'Invalid pk "{value}" - object does not exist.')


class NetworkService:
    __slots__ = ("_clock", "_events", "_reads", "_uow")

    def __init__(
        self, *, uow: Callable[[], FeedUnitOfWork], reads: FeedReads, events: EventPublisher, clock: Clock
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._events = events
        self._clock = clock

    async def _finish(self, uow: FeedUnitOfWork) -> None:
        await uow.commit()
        await self._events.publish(*uow.collect_events())

    # ------------------------------------------------------------------ follows

    async def follow(self, user_id: int, target_id: int) -> None:
        if target_id == user_id:
            raise InvalidInput({"error": ["Cannot follow self"]})
        async with self._uow() as uow:
            if not await uow.people.exists(target_id):
                raise _invalid_pk("user_following", target_id)
            now = self._clock.now()
            if not await uow.follows.add(user_id, target_id, now):
                raise InvalidInput({"error": ["User already followed"]})
            event = UserFollowed(actor_id=user_id, recipient_id=target_id, occurred_at=now)
            uow.views_changed(user_id, target_id)
            await uow.commit()
        await self._events.publish(event)

    async def unfollow(self, user_id: int, target_id: int) -> None:
        if target_id == user_id:
            raise InvalidInput.non_field("Cannot follow/unfollow self.")
        async with self._uow() as uow:
            if not await uow.follows.remove(user_id, target_id):
                if not await uow.people.exists(target_id):
                    raise _invalid_pk("user_following", target_id)
                raise InvalidInput.non_field("This user is not currently being followed.")
            uow.views_changed(user_id, target_id)
            await uow.commit()

    async def followings(self, user_id: int) -> list[AuthorCard]:
        return await self._reads.followings(user_id, LIST_MAX)

    async def followers(self, user_id: int) -> list[AuthorCard]:
        return await self._reads.followers(user_id, LIST_MAX)

    async def following_count(self, user_id: int) -> int:
        return await self._reads.following_count(user_id)

    async def followers_count(self, user_id: int) -> int:
        return await self._reads.followers_count(user_id)

    async def follow_recommendations(self, user_id: int, page: int = 1) -> Page[Recommendation]:
        return await self._reads.follow_recommendations(user_id, PageRequest(page, RECOMMENDATION_PAGE_SIZE))

    # ------------------------------------------------------------------ connections

    async def connect(self, user_id: int, target_id: int) -> Connection:
        if target_id == user_id:
            raise InvalidInput({"error": ["Cannot connect with self"]})
        now = self._clock.now()
        async with self._uow() as uow:
            if not await uow.people.exists(target_id):
                raise _invalid_pk("connection", target_id)
            existing = await uow.connections.between(user_id, target_id)
            if existing is not None:
                if not existing.may_request_again(user_id, now):
                    raise InvalidInput({"error": ["Connection Initiated"]})
                existing.sender_id, existing.receiver_id = user_id, target_id
                existing.status = ConnectionStatus.PENDING
                existing.updated_at = now
                connection = existing
                await uow.connections.update(connection)
            else:
                connection = Connection(
                    sender_id=user_id,
                    receiver_id=target_id,
                    status=ConnectionStatus.PENDING,
                    created_at=now,
                    updated_at=now,
                )
                if not await uow.connections.add(connection):
                    raise InvalidInput({"error": ["Connection Initiated"]})
            uow.views_changed(user_id, target_id)
            await uow.commit()
        await self._events.publish(
            ConnectionRequested(actor_id=user_id, recipient_id=target_id, occurred_at=now, connection_id=connection.id)
        )
        return connection

    async def respond(self, user_id: int, connection_id: int, decision: str) -> str:
        """``Accept`` or ``Reject`` a pending request sent to the caller; returns ``Accepted``/``Rejected``."""
        if decision not in ("Accept", "Reject"):
            raise InvalidInput.field("status", f'"{decision}" is not a valid choice.')
        async with self._uow() as uow:
            connection = await uow.connections.get(connection_id)
            if connection is None or not connection.involves(user_id):
                raise NotFound("Connection not found.")
            if connection.receiver_id != user_id:
                raise PermissionDenied("Cannot Accept/Reject")
            if connection.status is ConnectionStatus.CONFIRMED:
                raise InvalidInput.non_field("Connection already accepted")
            if connection.status is ConnectionStatus.REJECTED:
                raise InvalidInput.non_field("Connection already rejected")
            accepted = decision == "Accept"
            connection.status = ConnectionStatus.CONFIRMED if accepted else ConnectionStatus.REJECTED
            connection.updated_at = self._clock.now()
            await uow.connections.update(connection)
            uow.views_changed(connection.sender_id, connection.receiver_id)
            await uow.commit()
        kind = ConnectionAccepted if accepted else ConnectionRejected
        await self._events.publish(
            kind(
                actor_id=user_id,
                recipient_id=connection.sender_id,
                occurred_at=connection.updated_at,
                connection_id=connection.id,
            )
        )
        return "Accepted" if accepted else "Rejected"

    async def remove_connection(self, user_id: int, connection_id: int) -> None:
        """Withdraw a pending request (sender), or remove a confirmed connection (either side). A rejection
        stays recorded unless the one who rejected removes it."""
        async with self._uow() as uow:
            connection = await uow.connections.get(connection_id)
            if connection is None or not connection.involves(user_id):
                raise NotFound("Connection not found.")
            if connection.status is ConnectionStatus.PENDING and connection.receiver_id == user_id:
                raise PermissionDenied("Reject the request instead of deleting it.")
            if connection.status is ConnectionStatus.REJECTED and connection.sender_id == user_id:
                raise NotFound("Connection not found.")
            await uow.connections.delete(connection_id)
            uow.views_changed(connection.sender_id, connection.receiver_id)
            await uow.commit()

    async def connections(self, user_id: int, side: ConnectionSide) -> list[ConnectionView]:
        return await self._reads.connections(user_id, side, LIST_MAX)

    async def connections_count(self, user_id: int) -> int:
        return await self._reads.connections_count(user_id)

    async def connection_recommendations(
        self, user_id: int, criteria: str | None, page: int = 1
    ) -> Page[Recommendation]:
        if not criteria:
            raise InvalidInput.error("Recommendation criteria not provided")
        if criteria.lower() not in CRITERIA:
            raise InvalidInput({"criteria error": "Unrecognized recommendation criteria."})
        return await self._reads.connection_recommendations(
            user_id, criteria.lower(), PageRequest(page, RECOMMENDATION_PAGE_SIZE)
        )
