"""A profile page's data in ONE statement: the user and profile row, the sub-records and an employer's member
cards as JSON arrays (PostgreSQL ``json_agg``, SQLite ``json_group_array``), and the social facts as scalar
subqueries (when the feed's tables exist, probed once through :class:`adapters.db.social.SqlSocialGraph`)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Table, column, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnClause

from adapters.db.accounts import profile_from_row, user_from_row
from adapters.db.social import SqlSocialGraph
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.profiles import certifications, educations, experiences
from core.accounts.model.portfolio import Certification, Education, Experience, SocialStats
from core.accounts.model.users import MiniUser, UserType
from ports.profiles import ProfileSheet

__all__ = ("SqlProfileSheets",)

_ORDER = {
    "experiences": "start_date DESC, id DESC",
    "educations": "start_date DESC, id DESC",
    "certifications": "issue_date DESC, id DESC",
}
_CARD = {
    "id": "u.id",
    "user_type": "u.user_type",
    "first_name": "p.first_name",
    "middle_name": "p.middle_name",
    "last_name": "p.last_name",
    "profile_photo": "p.profile_photo",
    "qualification": "p.qualification",
    "company_name": "p.company_name",
    "logo": "p.logo",
    "tagline": "p.tagline",
}


def _records(table: Table, postgres: bool) -> str:
    names = [c.name for c in table.columns]
    pairs = ", ".join(f"'{n}', {n}" for n in names)
    order = _ORDER[table.name]
    # Identifiers only, from the Table definitions; values are bound (:u, :v).
    if postgres:
        return (
            f"(SELECT coalesce(json_agg(json_build_object({pairs}) ORDER BY {order}), '[]'::json)::text "  # noqa: S608
            f"FROM {table.name} WHERE user_id = :u)"
        )
    return (
        f"(SELECT json_group_array(json_object({pairs})) FROM (SELECT * FROM {table.name} "  # noqa: S608
        f"WHERE user_id = :u ORDER BY {order}))"
    )


def _card(data: dict[str, Any]) -> MiniUser:
    kind = UserType(data["user_type"])
    if kind is UserType.EMPLOYER:
        return MiniUser(id=int(data["id"]), name=data["company_name"] or "", profile_photo=data["logo"],
                        extras=data["tagline"], user_type=kind)
    parts = [p for p in (data["first_name"], data["middle_name"], data["last_name"]) if p and p != "N/A"]
    return MiniUser(id=int(data["id"]), name=" ".join(parts), profile_photo=data["profile_photo"],
                    extras=data["qualification"], user_type=kind)


class SqlProfileSheets:
    __slots__ = ("_engine", "_social", "_statements")

    def __init__(self, engine: AsyncEngine, social: SqlSocialGraph) -> None:
        self._engine = engine
        self._social = social
        self._statements: dict[str, Any] = {}

    async def _statement(self) -> Any:
        postgres = self._engine.dialect.name == "postgresql"
        tables = await self._social.available_tables()
        key = f"{postgres}:{sorted(tables)}"
        statement = self._statements.get(key)
        if statement is not None:
            return statement
        typed: list[ColumnClause[Any]] = []
        select_list: list[str] = []
        for prefix, table, alias in (("u_", users, "users"), ("p_", profiles, "profiles")):
            for c in table.columns:
                select_list.append(f"{alias}.{c.name} AS {prefix}{c.name}")
                typed.append(column(prefix + c.name, c.type))
        for name, table in (("experiences", experiences), ("educations", educations),
                            ("certifications", certifications)):
            select_list.append(f"{_records(table, postgres)} AS {name}")
            typed.append(column(name))
        select_list.append(f"{_members_sql(postgres)} AS members")
        typed.append(column("members"))
        social = {
            "followers": "(SELECT count(*) FROM follows WHERE followed_id = :u)",
            "followings": "(SELECT count(*) FROM follows WHERE follower_id = :u)",
            "viewer_follows": "(SELECT count(*) FROM follows WHERE follower_id = :v AND followed_id = :u)",
        } if "follows" in tables else {}
        if "connections" in tables:
            social["connected"] = (
                "(SELECT count(*) FROM connections WHERE status = 'CONFIRMED' AND "
                "((sender_id = :u AND receiver_id = :v) OR (sender_id = :v AND receiver_id = :u)))"
            )
        for name, sql in social.items():
            select_list.append(f"{sql} AS {name}")
            typed.append(column(name))
        sql = (
            f"SELECT {', '.join(select_list)} FROM users JOIN profiles ON profiles.user_id = users.id "  # noqa: S608
            "WHERE users.id = :u"
        )
        statement = text(sql).columns(*typed)
        self._statements[key] = statement
        return statement

    async def sheet(self, user_id: int, viewer_id: int) -> ProfileSheet | None:
        statement = await self._statement()
        async with self._engine.connect() as conn:
            row = (await conn.execute(statement, {"u": user_id, "v": viewer_id})).mappings().first()
        if row is None:
            return None
        user = user_from_row({k[2:]: v for k, v in row.items() if k.startswith("u_")})
        profile = profile_from_row({k[2:]: v for k, v in row.items() if k.startswith("p_")})
        stats = SocialStats(
            followers=int(row.get("followers") or 0),
            followings=int(row.get("followings") or 0),
            viewer_follows=bool(row.get("viewer_follows") or 0),
            connected=bool(row.get("connected") or 0),
        )
        if user.user_type is UserType.EMPLOYER:
            members = [_card(m) for m in json.loads(row["members"] or "[]")]
            return ProfileSheet(user=user, profile=profile, members=members, stats=stats)
        return ProfileSheet(
            user=user,
            profile=profile,
            experiences=[Experience(**r) for r in json.loads(row["experiences"] or "[]")],
            educations=[Education(**r) for r in json.loads(row["educations"] or "[]")],
            certifications=[Certification(**r) for r in json.loads(row["certifications"] or "[]")],
            stats=stats,
        )


def _members_sql(postgres: bool) -> str:
    pairs = ", ".join(f"'{k}', {v}" for k, v in _CARD.items())
    source = (
        "FROM organization_members m JOIN users u ON u.id = m.member_id JOIN profiles p ON p.user_id = m.member_id "
        "WHERE m.organization_id = :u"
    )
    if postgres:
        return f"(SELECT coalesce(json_agg(json_build_object({pairs}) ORDER BY m.id), '[]'::json)::text {source})"
    inner = ", ".join(f"{v} AS {k}" for k, v in _CARD.items())
    outer = ", ".join(f"'{k}', {k}" for k in _CARD)
    return f"(SELECT json_group_array(json_object({outer})) FROM (SELECT {inner} {source} ORDER BY m.id))"  # noqa: S608
