"""The table definitions (``adapters/db/tables``) and the migrations agree: Alembic's autogenerate comparison
between the metadata and a database migrated to heads finds nothing (SQLite, and PostgreSQL when
``CAREERNEXUS_TEST_DATABASE_URL`` is set).

Alembic compares tables, columns, types, nullability, server defaults, indexes, unique constraints and foreign
keys (with ``ON DELETE``). The project's own types need no custom comparison: ``UTCDateTime`` is compared
through its ``impl`` (``DateTime(timezone=True)``), ``ID`` and ``JSONType`` through the variant of the
connection's dialect (``BIGINT``/``JSONB`` on PostgreSQL, ``INTEGER``/``JSON`` on SQLite) — the mutations
below prove each one is seen. Alembic does not compare CHECK constraints, so they are compared here by name
(their reflected text is normalised differently per dialect). Seeded rows are data, not schema, and
``alembic_version`` is skipped by Alembic itself.

The only objects left out are the full-text search structures the profiles migration creates with raw SQL
(the SQLite FTS5 virtual table ``profiles_search`` and its shadow tables, the PostgreSQL GIN expression index
``ix_profiles_search``); :func:`test_search_structures_exist` checks that they are there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from adapters.db.engine import make_engine
from adapters.db.tables import metadata

pytestmark = [pytest.mark.anyio, pytest.mark.db]

# Created by raw SQL in 0002_profiles_content (see adapters/db/tables/profiles.py), invisible to the metadata.
SEARCH_TABLE_PREFIX = "profiles_search"  # SQLite: the FTS5 table and its _data/_idx/_docsize/_config shadows
SEARCH_INDEX = "ix_profiles_search"  # PostgreSQL: GIN index over to_tsvector(...)


def _include_name(name: str | None, type_: str, _parents: Any) -> bool:
    if type_ == "table" and name is not None and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name == SEARCH_INDEX)


def _check_constraint_drift(conn: Connection, target: sa.MetaData) -> list[tuple[str, str, str]]:
    inspector = sa.inspect(conn)
    diffs: list[tuple[str, str, str]] = []
    for table in target.sorted_tables:
        declared = {str(c.name) for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        found = {str(c["name"]) for c in inspector.get_check_constraints(table.name)}
        diffs += [("add_check_constraint", table.name, name) for name in sorted(declared - found)]
        diffs += [("remove_check_constraint", table.name, name) for name in sorted(found - declared)]
    return diffs


def _differences(conn: Connection, target: sa.MetaData) -> list[Any]:
    context = MigrationContext.configure(
        conn,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "include_name": _include_name,
            "target_metadata": target,
        },
    )
    return [*compare_metadata(context, target), *_check_constraint_drift(conn, target)]


async def schema_differences(url: str, target: sa.MetaData = metadata) -> list[Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_differences, target)
    finally:
        await engine.dispose()


async def test_tables_match_the_migrated_database(database_url: str) -> None:
    assert await schema_differences(database_url) == []


async def test_search_structures_exist(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                names = await conn.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
                assert SEARCH_TABLE_PREFIX in names
            else:
                indexes = await conn.run_sync(lambda c: {i["name"] for i in sa.inspect(c).get_indexes("profiles")})
                assert SEARCH_INDEX in indexes
    finally:
        await engine.dispose()


# ------------------------------------------------------------------------------------------ mutations
# Each breaks one table definition in a copy of the metadata; the comparison must then report it.


def _copy(mutate: Callable[[sa.MetaData], None]) -> sa.MetaData:
    copy = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(copy)
    mutate(copy)
    return copy


def _drop_constraint(table: str, kind: type[sa.Constraint], name: str) -> Callable[[sa.MetaData], None]:
    def mutate(md: sa.MetaData) -> None:
        t = md.tables[table]
        (found,) = [c for c in t.constraints if isinstance(c, kind) and c.name == name]
        t.constraints.discard(found)

    return mutate


def _no_cascade(md: sa.MetaData) -> None:
    for fk in md.tables["follows"].foreign_key_constraints:
        fk.ondelete = None


def _nullable(md: sa.MetaData) -> None:
    md.tables["users"].c.email.nullable = True


def _length(md: sa.MetaData) -> None:
    md.tables["users"].c.email.type = sa.String(100)


def _drop_index(md: sa.MetaData) -> None:
    md.tables["follows"].indexes.clear()


def _datetime_as_text(md: sa.MetaData) -> None:
    md.tables["mail_outbox"].c.created_at.type = sa.Text()


def _server_default(md: sa.MetaData) -> None:
    md.tables["mail_outbox"].c.attempts.server_default = sa.DefaultClause(sa.text("0"))


# PostgreSQL only: SQLite has one INTEGER, no JSONB and no time zones in its column types.
def _id_as_integer(md: sa.MetaData) -> None:
    md.tables["mail_outbox"].c.id.type = sa.Integer()


def _naive_datetime(md: sa.MetaData) -> None:
    md.tables["mail_outbox"].c.created_at.type = sa.DateTime(timezone=False)


def _json_not_jsonb(md: sa.MetaData) -> None:
    md.tables["profiles"].c.areas_of_expertise.type = sa.JSON()


MUTATIONS: dict[str, tuple[Callable[[sa.MetaData], None], bool]] = {
    # name: (mutation, PostgreSQL only)
    "composite unique constraint dropped": (
        _drop_constraint("follows", sa.UniqueConstraint, "uq_follows_follower_id_followed_id"),
        False,
    ),
    "column unique constraint dropped": (_drop_constraint("users", sa.UniqueConstraint, "uq_users_email"), False),
    "check constraint dropped": (_drop_constraint("follows", sa.CheckConstraint, "ck_follows_not_self"), False),
    "ON DELETE CASCADE dropped": (_no_cascade, False),
    "NOT NULL dropped": (_nullable, False),
    "length changed": (_length, False),
    "index dropped": (_drop_index, False),
    "UTCDateTime became Text": (_datetime_as_text, False),
    "server default added": (_server_default, False),
    "ID became INTEGER": (_id_as_integer, True),
    "UTCDateTime lost its time zone": (_naive_datetime, True),
    "JSONType became JSON": (_json_not_jsonb, True),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
async def test_a_changed_table_definition_is_reported(database_url: str, name: str) -> None:
    mutate, pg_only = MUTATIONS[name]
    if pg_only and database_url.startswith("sqlite"):
        pytest.skip("SQLite column types cannot tell this apart")
    assert await schema_differences(database_url, _copy(mutate)) != []
