"""The generic in-memory twin (``adapters/db/memory.py``): one contract over memory and SQL.

A small schema of its own (parents → children → grandchildren with ``ON DELETE CASCADE``, tags with
``SET NULL``, pins with no action, a composite key) is created in SQLite (and in a schema of the PostgreSQL test
database when ``CAREERNEXUS_TEST_DATABASE_URL`` is set), and the same repository operations run over
``InMemoryUnitOfWork`` helpers and over SQL Core: unique clashes raise the same ``Conflict``, missing referenced
rows the same ``NotFound``, deletes cascade alike, leaving without commit rolls back, and the twin hands out
copies. Last, every table of ``adapters/db/tables`` must have its twin (or be listed as folded into another).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, UniqueConstraint, delete, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

import adapters.db
from adapters.db.engine import make_engine, write_engine
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable, TableShape
from adapters.db.tables import metadata as app_metadata
from adapters.db.uow import SqlUnitOfWork
from core.shared.errors import Conflict, NotFound
from tests.conftest import PG_URL

pytestmark = pytest.mark.anyio

NAME_TAKEN = "A parent with this name already exists."


def build_metadata(schema: str | None = None) -> MetaData:
    md = MetaData(schema=schema)
    fk = (lambda t: f"{schema}.{t}") if schema else (lambda t: t)
    Table("twin_parents", md, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("name", String(50), nullable=False, unique=True), Column("nick", String(50), nullable=True),
          UniqueConstraint("nick"), sqlite_autoincrement=True)
    Table("twin_children", md, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("parent_id", Integer, ForeignKey(fk("twin_parents.id"), ondelete="CASCADE"), nullable=False),
          Column("note", String(50), nullable=False))
    Table("twin_grandchildren", md, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("child_id", Integer, ForeignKey(fk("twin_children.id"), ondelete="CASCADE"), nullable=False))
    Table("twin_tags", md, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("parent_id", Integer, ForeignKey(fk("twin_parents.id"), ondelete="SET NULL"), nullable=True))
    Table("twin_pins", md, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("parent_id", Integer, ForeignKey(fk("twin_parents.id")), nullable=False))
    Table("twin_votes", md, Column("parent_id", Integer, ForeignKey(fk("twin_parents.id"), ondelete="CASCADE"),
                                   primary_key=True),
          Column("voter", String(20), primary_key=True))
    return md


@dataclass(kw_only=True)
class Parent:
    id: int = 0
    name: str
    nick: str | None = None
    pending_events: list[object] = field(default_factory=list)


@dataclass(kw_only=True)
class Child:
    id: int = 0
    parent_id: int
    note: str


@dataclass(kw_only=True)
class Grandchild:
    id: int = 0
    child_id: int


@dataclass(kw_only=True)
class Tag:
    id: int = 0
    parent_id: int | None


@dataclass(kw_only=True)
class Pin:
    id: int = 0
    parent_id: int


@dataclass(kw_only=True)
class Vote:
    parent_id: int
    voter: str


ROWS: dict[str, type[Any]] = {
    "twin_parents": Parent, "twin_children": Child, "twin_grandchildren": Grandchild, "twin_tags": Tag,
    "twin_pins": Pin, "twin_votes": Vote,
}
MEMORY_METADATA = build_metadata()
TWINS: dict[str, MemoryTable[Any]] = {
    name: MemoryTable(MEMORY_METADATA.tables[name], row, conflict=NAME_TAKEN if name == "twin_parents" else "Taken.")
    for name, row in ROWS.items()
}


# ------------------------------------------------------------------------------------------ the port


class Uow(Protocol):
    """What the tests do, as a repository over either backend would."""

    async def __aenter__(self) -> Uow: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def add(self, row: Any) -> Any: ...
    async def add_or_ignore(self, row: Any) -> bool: ...
    async def get(self, kind: type[Any], key: Any) -> Any | None: ...
    async def change(self, row: Any) -> bool: ...
    async def remove(self, kind: type[Any], key: Any) -> bool: ...
    async def all(self, kind: type[Any]) -> list[Any]: ...


def _name(kind: type[Any]) -> str:
    return next(n for n, r in ROWS.items() if r is kind)


class MemoryUow(InMemoryUnitOfWork):
    async def add(self, row: Any) -> Any:
        return self.insert(TWINS[_name(type(row))], row)

    async def add_or_ignore(self, row: Any) -> bool:
        return self.insert_or_ignore(TWINS[_name(type(row))], row)

    async def get(self, kind: type[Any], key: Any) -> Any | None:  # type: ignore[override]
        return super().get(TWINS[_name(kind)], key)

    async def change(self, row: Any) -> bool:
        return self.update(TWINS[_name(type(row))], row)

    async def remove(self, kind: type[Any], key: Any) -> bool:
        return self.delete(TWINS[_name(kind)], key)

    async def all(self, kind: type[Any]) -> list[Any]:
        return self.select(TWINS[_name(kind)], order=lambda r: TWINS[_name(kind)].key_of(r))


class SqlUow(SqlUnitOfWork):
    """The SQL side as the domain adapters write it: a unique violation is the repository's ``Conflict``, a
    foreign-key violation the unit of work's ``NotFound``."""

    md: MetaData

    def _t(self, kind: type[Any]) -> Table:
        return next(t for t in self.md.tables.values() if t.name == _name(kind))

    def _where(self, table: Table, key: Any) -> Any:
        keys = key if isinstance(key, tuple) else (key,)
        return [c == k for c, k in zip(table.primary_key.columns, keys, strict=True)]

    async def add(self, row: Any) -> Any:
        table = self._t(type(row))
        values = {k: v for k, v in dataclasses.asdict(row).items() if k in table.c and not (k == "id" and not v)}
        try:
            result = await self.execute(insert(table).values(**values).returning(*table.primary_key.columns))
        except IntegrityError as exc:
            raise Conflict(NAME_TAKEN if table.name == "twin_parents" else "Taken.") from exc
        key = tuple(result.one())
        if "id" in table.c:
            row.id = key[0]
        return key[0] if len(key) == 1 else key

    async def add_or_ignore(self, row: Any) -> bool:
        savepoint = await self.connection.begin_nested()
        try:
            await self.add(row)
        except Conflict:
            await savepoint.rollback()
            return False
        await savepoint.commit()
        return True

    async def get(self, kind: type[Any], key: Any) -> Any | None:
        table = self._t(kind)
        found = (await self.execute(select(table).where(*self._where(table, key)))).mappings().first()
        return kind(**found) if found else None

    async def change(self, row: Any) -> bool:
        table = self._t(type(row))
        values = {k: v for k, v in dataclasses.asdict(row).items() if k in table.c}
        key = tuple(values[c.name] for c in table.primary_key.columns)
        try:
            result = await self.execute(sql_update(table).where(*self._where(table, key)).values(**values))
        except IntegrityError as exc:
            raise Conflict(NAME_TAKEN if table.name == "twin_parents" else "Taken.") from exc
        return bool(getattr(result, "rowcount", 0))

    async def remove(self, kind: type[Any], key: Any) -> bool:
        table = self._t(kind)
        result = await self.execute(delete(table).where(*self._where(table, key)))
        return bool(getattr(result, "rowcount", 0))

    async def all(self, kind: type[Any]) -> list[Any]:
        table = self._t(kind)
        rows = (await self.execute(select(table).order_by(*table.primary_key.columns))).mappings().all()
        return [kind(**r) for r in rows]


# ------------------------------------------------------------------------------------------ backends


@pytest.fixture(params=["memory", pytest.param("sqlite", marks=pytest.mark.db),
                        pytest.param("postgresql", marks=[pytest.mark.db, pytest.mark.pg])])
async def uow(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[[], Uow]]:
    if request.param == "memory":
        store = InMemoryStore(MEMORY_METADATA)
        yield lambda: MemoryUow(store)
        return
    if request.param == "sqlite":
        url, schema = f"sqlite+aiosqlite:///{tmp_path / 'twin.db'}", None
    else:
        if not PG_URL:
            pytest.skip("needs CAREERNEXUS_TEST_DATABASE_URL")
        url, schema = PG_URL, f"twin_{uuid.uuid4().hex[:8]}"
    engine = make_engine(url)
    md = build_metadata(schema)
    try:
        async with engine.begin() as conn:
            if schema:
                await conn.execute(sql_text(f'CREATE SCHEMA "{schema}"'))
            await conn.run_sync(md.create_all)
        writer = write_engine(engine)

        def make() -> Uow:
            sql = SqlUow(writer)
            sql.md = md
            return sql

        yield make
    finally:
        if schema:
            async with engine.begin() as conn:
                await conn.execute(sql_text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


async def family(uow: Callable[[], Uow], name: str = "ann") -> tuple[int, int, int]:
    """A parent with a child and a grandchild, committed."""
    async with uow() as u:
        parent = await u.add(Parent(name=name))
        child = await u.add(Child(parent_id=parent, note="c"))
        grandchild = await u.add(Grandchild(child_id=child))
        await u.commit()
    return parent, child, grandchild


# ------------------------------------------------------------------------------------------ the contract


async def test_ids_are_allocated_and_never_reused(uow: Callable[[], Uow]) -> None:
    async with uow() as u:
        first = await u.add(Parent(name="a"))
        await u.commit()
    async with uow() as u:
        assert await u.remove(Parent, first)
        await u.commit()
    async with uow() as u:
        second = await u.add(Parent(name="b"))
        await u.commit()
    assert 0 < first < second


async def test_a_unique_clash_raises_the_adapters_conflict(uow: Callable[[], Uow]) -> None:
    await family(uow, "ann")
    async with uow() as u:
        with pytest.raises(Conflict) as caught:
            await u.add(Parent(name="ann"))
        assert str(caught.value) == NAME_TAKEN
    async with uow() as u:  # NULL never clashes; a second equal value does
        await u.add(Parent(name="bob", nick=None))
        await u.add(Parent(name="cy", nick=None))
        await u.add(Parent(name="dee", nick="d"))
        await u.commit()
    async with uow() as u:
        cy = next(p for p in await u.all(Parent) if p.name == "cy")
        cy.nick = "d"
        with pytest.raises(Conflict):
            await u.change(cy)
    async with uow() as u:
        assert sorted(p.name for p in await u.all(Parent)) == ["ann", "bob", "cy", "dee"]
        assert [p.nick for p in await u.all(Parent) if p.name == "cy"] == [None]


async def test_insert_or_ignore_answers_false_on_a_key_or_unique_clash(uow: Callable[[], Uow]) -> None:
    parent, _, _ = await family(uow)
    async with uow() as u:
        assert await u.add_or_ignore(Vote(parent_id=parent, voter="x"))
        assert not await u.add_or_ignore(Vote(parent_id=parent, voter="x"))
        assert not await u.add_or_ignore(Parent(name="ann"))
        await u.commit()
    async with uow() as u:
        assert [v.voter for v in await u.all(Vote)] == ["x"]
        assert await u.get(Vote, (parent, "x")) == Vote(parent_id=parent, voter="x")


async def test_a_missing_referenced_row_is_not_found(uow: Callable[[], Uow]) -> None:
    async with uow() as u:
        with pytest.raises(NotFound):
            await u.add(Child(parent_id=999, note="orphan"))
    async with uow() as u:
        assert await u.all(Child) == []


async def test_delete_cascades_down_the_chain_and_sets_null(uow: Callable[[], Uow]) -> None:
    ann, ann_child, ann_grandchild = await family(uow, "ann")
    bob, bob_child, bob_grandchild = await family(uow, "bob")
    async with uow() as u:
        tag = await u.add(Tag(parent_id=ann))
        await u.add(Vote(parent_id=ann, voter="x"))
        await u.add(Vote(parent_id=bob, voter="x"))
        await u.commit()
    async with uow() as u:
        assert await u.remove(Parent, ann)
        assert not await u.remove(Parent, ann)
        await u.commit()
    async with uow() as u:
        assert [c.id for c in await u.all(Child)] == [bob_child]
        assert [g.id for g in await u.all(Grandchild)] == [bob_grandchild]
        assert await u.all(Tag) == [Tag(id=tag, parent_id=None)]
        assert await u.all(Vote) == [Vote(parent_id=bob, voter="x")]
    assert ann_child and ann_grandchild


async def test_delete_with_a_reference_without_action_is_refused(uow: Callable[[], Uow]) -> None:
    parent, _, _ = await family(uow)
    async with uow() as u:
        await u.add(Pin(parent_id=parent))
        await u.commit()
    async with uow() as u:
        with pytest.raises(NotFound):
            await u.remove(Parent, parent)
    async with uow() as u:
        assert await u.get(Parent, parent) is not None


async def test_leaving_without_commit_rolls_back(uow: Callable[[], Uow]) -> None:
    parent, child, _ = await family(uow)
    async with uow() as u:
        await u.add(Parent(name="temp"))
        renamed = await u.get(Child, child)
        assert renamed is not None
        renamed.note = "changed"
        assert await u.change(renamed)
        await u.remove(Parent, parent)
        assert await u.get(Parent, parent) is None  # the unit of work sees its own writes, cascades included
        assert await u.get(Child, child) is None
    async with uow() as u:
        assert [p.name for p in await u.all(Parent)] == ["ann"]
        assert (await u.get(Child, child)) == Child(id=child, parent_id=parent, note="c")
        assert len(await u.all(Grandchild)) == 1


async def test_rows_are_copies_both_ways(uow: Callable[[], Uow]) -> None:
    async with uow() as u:
        given = Parent(name="ann", pending_events=["an event"])
        key = await u.add(given)
        given.name = "changed after add"
        read = await u.get(Parent, key)
        assert read is not None and read.name == "ann" and read.pending_events == []
        read.name = "changed after get"
        again = await u.get(Parent, key)
        assert again is not None and again.name == "ann" and again is not read
        await u.commit()
    assert given.pending_events == ["an event"]  # the caller's events stay with the caller


# ------------------------------------------------------------------------------------------ memory only


async def test_a_commit_never_changes_what_a_reader_already_holds() -> None:
    store = InMemoryStore(MEMORY_METADATA)
    async with MemoryUow(store) as u:
        await u.add(Parent(name="ann"))
        await u.commit()
    snapshot = store.tables
    async with MemoryUow(store) as u:
        await u.add(Parent(name="bob"))
        await u.commit()
    assert [p.name for p in snapshot["twin_parents"].values()] == ["ann"]
    assert [p.name for p in store.committed(TWINS["twin_parents"]).values()] == ["ann", "bob"]


def test_a_twin_must_carry_the_columns_its_table_constrains() -> None:
    @dataclass
    class NoName:
        id: int = 0

    with pytest.raises(TypeError, match="name"):
        MemoryTable(MEMORY_METADATA.tables["twin_parents"], NoName)
    with pytest.raises(TypeError, match="foreign-key"):
        MemoryTable(MEMORY_METADATA.tables["twin_tags"], Pin, computed={"parent_id": lambda r: None})
    with pytest.raises(TypeError, match="constrain nothing"):
        MemoryTable(MEMORY_METADATA.tables["twin_parents"], Parent, computed={"note": lambda r: None})


# Tables of adapters/db/tables whose rows live inside another table's twin rows.
FOLDED = {
    "post_industries": "posts (a post row carries its industries)",
    "job_industries": "jobs (a job row carries its industries)",
    "job_terms": "jobs (a job's words come from its title and organization)",
    "job_preference_terms": "job_preferences (a preference row carries its title words)",
}


def test_every_table_has_one_twin_derived_from_it() -> None:
    found: dict[int, MemoryTable[Any]] = {}  # by identity: a module importing a twin does not count twice
    for info in pkgutil.walk_packages(adapters.db.__path__, "adapters.db."):
        if ".migrations" not in info.name:
            for value in vars(importlib.import_module(info.name)).values():
                if isinstance(value, MemoryTable) and value.table.metadata is app_metadata:
                    found[id(value)] = value
    twins: dict[str, int] = {}
    for twin in found.values():
        twins[twin.name] = twins.get(twin.name, 0) + 1
        assert twin.shape == TableShape.of(app_metadata.tables[twin.name])
    missing = set(app_metadata.tables) - set(twins) - set(FOLDED)
    assert not missing, f"tables without an in-memory twin: {sorted(missing)}"
    assert not set(FOLDED) & set(twins)
    assert all(n == 1 for n in twins.values()), twins
