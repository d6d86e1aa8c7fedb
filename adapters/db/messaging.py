"""Chat: rooms and messages in a unit of work (SQL and in-memory twins), the people chat shows, the confirmed
connection check (read from the network's ``connections`` table), and the list reads (one statement each)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.accounts import PROFILES, USERS
from adapters.db.feed_memory import CONNECTIONS
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.feed import connections
from adapters.db.tables.messaging import chat_messages, chat_rooms
from adapters.db.uow import SqlUnitOfWork
from core.accounts.model.users import User
from core.messaging.model import ChatMessage, ChatRoom, MessageView, Person, SessionView, pair

__all__ = (
    "CHAT_MESSAGES",
    "CHAT_ROOMS",
    "InMemoryChatReads",
    "InMemoryChatUnitOfWork",
    "SqlChatReads",
    "SqlChatUnitOfWork",
)

CONFIRMED = "CONFIRMED"

_PERSON = (
    users.c.id.label("p_id"),
    users.c.user_type.label("p_user_type"),
    profiles.c.first_name.label("p_first_name"),
    profiles.c.last_name.label("p_last_name"),
    profiles.c.middle_name.label("p_middle_name"),
    profiles.c.profile_photo.label("p_profile_photo"),
    profiles.c.qualification.label("p_qualification"),
    profiles.c.company_name.label("p_company_name"),
    profiles.c.logo.label("p_logo"),
    profiles.c.tagline.label("p_tagline"),
)


def _person(row: Any) -> Person:
    return Person(
        id=int(row["p_id"]),
        user_type=str(row["p_user_type"]),
        first_name=row["p_first_name"] or "",
        last_name=row["p_last_name"] or "",
        middle_name=row["p_middle_name"] or "",
        profile_photo=row["p_profile_photo"],
        qualification=row["p_qualification"] or "",
        company_name=row["p_company_name"],
        logo=row["p_logo"],
        tagline=row["p_tagline"],
    )


def _room(row: Any) -> ChatRoom:
    return ChatRoom(
        id=int(row["id"]),
        user_low=int(row["user_low"]),
        user_high=int(row["user_high"]),
        initiator_id=int(row["initiator_id"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        low_read_id=int(row["low_read_id"]),
        high_read_id=int(row["high_read_id"]),
    )


def _message(row: Any, prefix: str = "") -> ChatMessage:
    return ChatMessage(
        id=int(row[f"{prefix}id"]),
        room_id=int(row[f"{prefix}room_id"]),
        sender_id=int(row[f"{prefix}sender_id"]),
        body=row[f"{prefix}body"],
        created_at=row[f"{prefix}created_at"],
    )


# --------------------------------------------------------------------------------------------- SQL


class SqlChatRooms:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def get(self, room_id: int) -> ChatRoom | None:
        row = (await self._uow.execute(select(chat_rooms).where(chat_rooms.c.id == room_id))).mappings().first()
        return _room(row) if row else None

    async def between(self, a: int, b: int) -> ChatRoom | None:
        low, high = pair(a, b)
        stmt = select(chat_rooms).where(chat_rooms.c.user_low == low, chat_rooms.c.user_high == high)
        row = (await self._uow.execute(stmt)).mappings().first()
        return _room(row) if row else None

    async def add(self, room: ChatRoom) -> ChatRoom:
        values = {
            "user_low": room.user_low,
            "user_high": room.user_high,
            "initiator_id": room.initiator_id,
            "created_at": room.created_at,
            "updated_at": room.updated_at,
            "low_read_id": 0,
            "high_read_id": 0,
        }
        dialect = self._uow.connection.dialect.name
        module: Any = postgresql if dialect == "postgresql" else sqlite
        stmt = module.insert(chat_rooms).values(**values).on_conflict_do_nothing()
        await self._uow.execute(stmt)
        found = await self.between(room.user_low, room.user_high)
        assert found is not None
        return found

    async def touch(self, room_id: int, now: datetime) -> None:
        await self._uow.execute(update(chat_rooms).where(chat_rooms.c.id == room_id).values(updated_at=now))

    async def mark_read(self, room: ChatRoom, user_id: int, upto: int) -> None:
        column = chat_rooms.c.low_read_id if user_id == room.user_low else chat_rooms.c.high_read_id
        stmt = update(chat_rooms).where(chat_rooms.c.id == room.id, column < upto).values({column.key: upto})
        await self._uow.execute(stmt)


class SqlMessages:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, room_id: int, sender_id: int, body: str, now: datetime) -> ChatMessage:
        values = {"room_id": room_id, "sender_id": sender_id, "body": body, "created_at": now}
        result = await self._uow.execute(insert(chat_messages).values(**values).returning(chat_messages.c.id))
        return ChatMessage(id=int(result.scalar_one()), room_id=room_id, sender_id=sender_id, body=body, created_at=now)

    async def newest_id(self, room_id: int) -> int:
        stmt = select(func.max(chat_messages.c.id)).where(chat_messages.c.room_id == room_id)
        return int((await self._uow.execute(stmt)).scalar() or 0)


class SqlChatPeople:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def person(self, user_id: int) -> Person | None:
        stmt = (
            select(*_PERSON)
            .select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
            .where(users.c.id == user_id, users.c.is_active.is_(True))
        )
        row = (await self._uow.execute(stmt)).mappings().first()
        return _person(row) if row else None

    async def connected(self, a: int, b: int) -> bool:
        low, high = pair(a, b)
        stmt = select(connections.c.id).where(
            connections.c.user_low == low, connections.c.user_high == high, connections.c.status == CONFIRMED
        )
        return (await self._uow.execute(stmt)).first() is not None


class SqlChatUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_messages", "_people", "_rooms")

    def __init__(self, engine: AsyncEngine, after_commit: Callable[[], None] | None = None) -> None:
        super().__init__(engine, after_commit)
        self._rooms = SqlChatRooms(self)
        self._messages = SqlMessages(self)
        self._people = SqlChatPeople(self)

    @property
    def rooms(self) -> SqlChatRooms:
        return self._rooms

    @property
    def messages(self) -> SqlMessages:
        return self._messages

    @property
    def people(self) -> SqlChatPeople:
        return self._people


class SqlChatReads:
    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def sessions(self, user_id: int, limit: int) -> list[SessionView]:
        """One statement: the user's rooms from the two ``(user_low|user_high, updated_at)`` indexes, each with
        the other participant, the last message (``(room_id, id)`` index) and the unread count."""
        r = chat_rooms
        mine = (
            select(r.c.id, r.c.updated_at, r.c.user_high.label("other_id"), r.c.low_read_id.label("read_id"))
            .where(r.c.user_low == user_id)
            .union_all(
                select(r.c.id, r.c.updated_at, r.c.user_low.label("other_id"), r.c.high_read_id.label("read_id")).where(
                    r.c.user_high == user_id
                )
            )
            .subquery("mine")
        )
        m = chat_messages
        last_id = select(func.max(m.c.id)).where(m.c.room_id == mine.c.id).scalar_subquery().label("last_id")
        unread = (
            select(func.count())
            .where(m.c.room_id == mine.c.id, m.c.id > mine.c.read_id, m.c.sender_id == mine.c.other_id)
            .scalar_subquery()
            .label("unread")
        )
        rooms = select(mine, last_id, unread).order_by(mine.c.updated_at.desc(), mine.c.id.desc()).limit(limit)
        rooms_sq = rooms.subquery("rooms")
        last = chat_messages.alias("last")
        stmt = (
            select(
                rooms_sq.c.id.label("room_id"),
                rooms_sq.c.updated_at,
                rooms_sq.c.unread,
                *_PERSON,
                last.c.id.label("m_id"),
                last.c.room_id.label("m_room_id"),
                last.c.sender_id.label("m_sender_id"),
                last.c.body.label("m_body"),
                last.c.created_at.label("m_created_at"),
            )
            .select_from(
                rooms_sq.join(users, users.c.id == rooms_sq.c.other_id)
                .outerjoin(profiles, profiles.c.user_id == users.c.id)
                .outerjoin(last, last.c.id == rooms_sq.c.last_id)
            )
            .order_by(rooms_sq.c.updated_at.desc(), rooms_sq.c.id.desc())
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
        return [
            SessionView(
                room_id=int(row["room_id"]),
                contributor=_person(row),
                last_message=_message(row, "m_") if row["m_id"] is not None else None,
                unread=int(row["unread"] or 0),
                updated_at=row["updated_at"],
            )
            for row in rows
        ]

    async def history(self, room_id: int, before_id: int | None, limit: int) -> list[MessageView]:
        m = chat_messages
        where = [m.c.room_id == room_id]
        if before_id is not None:
            where.append(m.c.id < before_id)
        stmt = (
            select(m, *_PERSON)
            .select_from(
                m.join(users, users.c.id == m.c.sender_id).outerjoin(profiles, profiles.c.user_id == users.c.id)
            )
            .where(and_(*where))
            .order_by(m.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
        return [MessageView(message=_message(row), person=_person(row)) for row in rows]


# ------------------------------------------------------------------------------------------ memory


@dataclass(kw_only=True)
class _MessageRow:
    id: int = 0
    room_id: int
    sender_id: int
    body: str
    created_at: datetime

    def view(self) -> ChatMessage:
        return ChatMessage(
            id=self.id, room_id=self.room_id, sender_id=self.sender_id, body=self.body, created_at=self.created_at
        )


CHAT_ROOMS = MemoryTable(chat_rooms, ChatRoom)
CHAT_MESSAGES = MemoryTable(chat_messages, _MessageRow)


def _memory_person(users_: Mapping[int, User], profiles_: Mapping[int, Any], user_id: int) -> Person | None:
    user = users_.get(user_id)
    if user is None or not user.is_active:
        return None
    p = profiles_.get(user_id)
    return Person(
        id=user.id,
        user_type=str(user.user_type),
        first_name=(p.first_name if p else "") or "",
        last_name=(p.last_name if p else "") or "",
        middle_name=(p.middle_name if p else "") or "",
        profile_photo=p.profile_photo if p else None,
        qualification=(p.qualification if p else "") or "",
        company_name=p.company_name if p else None,
        logo=p.logo if p else None,
        tagline=p.tagline if p else None,
    )


class InMemoryChatRooms:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, room_id: int) -> ChatRoom | None:
        return self._uow.get(CHAT_ROOMS, room_id)

    async def between(self, a: int, b: int) -> ChatRoom | None:
        low, high = pair(a, b)
        return self._uow.find(CHAT_ROOMS, lambda r: r.user_low == low and r.user_high == high)

    async def add(self, room: ChatRoom) -> ChatRoom:
        self._uow.insert_or_ignore(CHAT_ROOMS, room)
        found = await self.between(room.user_low, room.user_high)
        assert found is not None
        return found

    async def touch(self, room_id: int, now: datetime) -> None:
        self._uow.patch(CHAT_ROOMS, room_id, updated_at=now)

    async def mark_read(self, room: ChatRoom, user_id: int, upto: int) -> None:
        stored = self._uow.get(CHAT_ROOMS, room.id)
        if stored is None:
            return
        name = "low_read_id" if user_id == room.user_low else "high_read_id"
        if getattr(stored, name) < upto:
            self._uow.patch(CHAT_ROOMS, room.id, **{name: upto})


class InMemoryMessages:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, room_id: int, sender_id: int, body: str, now: datetime) -> ChatMessage:
        row = _MessageRow(room_id=room_id, sender_id=sender_id, body=body, created_at=now)
        self._uow.insert(CHAT_MESSAGES, row)
        return row.view()

    async def newest_id(self, room_id: int) -> int:
        return max((r.id for r in self._uow.view(CHAT_MESSAGES).values() if r.room_id == room_id), default=0)


class InMemoryChatPeople:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def person(self, user_id: int) -> Person | None:
        return _memory_person(self._uow.view(USERS), self._uow.view(PROFILES), user_id)

    async def connected(self, a: int, b: int) -> bool:
        low, high = pair(a, b)
        return self._uow.exists(
            CONNECTIONS,
            lambda c: pair(c.sender_id, c.receiver_id) == (low, high) and str(c.status) == CONFIRMED,
        )


class InMemoryChatUnitOfWork(InMemoryUnitOfWork):
    def __init__(self, store: InMemoryStore, after_commit: Callable[[], None] | None = None) -> None:
        super().__init__(store, after_commit)
        self._rooms = InMemoryChatRooms(self)
        self._messages = InMemoryMessages(self)
        self._people = InMemoryChatPeople(self)

    @property
    def rooms(self) -> InMemoryChatRooms:
        return self._rooms

    @property
    def messages(self) -> InMemoryMessages:
        return self._messages

    @property
    def people(self) -> InMemoryChatPeople:
        return self._people


class InMemoryChatReads:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    async def sessions(self, user_id: int, limit: int) -> list[SessionView]:
        rooms = [r for r in self._store.committed(CHAT_ROOMS).values() if r.involves(user_id)]
        rooms.sort(key=lambda r: (r.updated_at, r.id), reverse=True)
        messages = list(self._store.committed(CHAT_MESSAGES).values())
        users_, profiles_ = self._store.committed(USERS), self._store.committed(PROFILES)
        found: list[SessionView] = []
        for room in rooms[:limit]:
            other = room.other(user_id)
            person = _memory_person(users_, profiles_, other)
            if person is None:
                continue
            read_id = room.low_read_id if user_id == room.user_low else room.high_read_id
            mine = [m for m in messages if m.room_id == room.id]
            last = max(mine, key=lambda m: m.id, default=None)
            unread = sum(1 for m in mine if m.id > read_id and m.sender_id == other)
            found.append(
                SessionView(
                    room_id=room.id,
                    contributor=person,
                    last_message=last.view() if last else None,
                    unread=unread,
                    updated_at=room.updated_at,
                )
            )
        return found

    async def history(self, room_id: int, before_id: int | None, limit: int) -> list[MessageView]:
        users_, profiles_ = self._store.committed(USERS), self._store.committed(PROFILES)
        rows = [
            m
            for m in self._store.committed(CHAT_MESSAGES).values()
            if m.room_id == room_id and (before_id is None or m.id < before_id)
        ]
        rows.sort(key=lambda m: m.id, reverse=True)
        found: list[MessageView] = []
        for row in rows[:limit]:
            person = _memory_person(users_, profiles_, row.sender_id)
            if person is not None:
                found.append(MessageView(message=row.view(), person=person))
        return found
