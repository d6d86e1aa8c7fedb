"""The in-memory twin of the SQL unit of work, generic over the tables of ``adapters/db/tables``.

What a twin enforces is read from the SQLAlchemy ``Table`` it mirrors, so memory and SQL cannot disagree:

- the primary key (single column: the row's attribute; composite: a tuple) and id allocation for an
  auto-incremented integer key (ids are never reused, like ``AUTOINCREMENT`` and sequences);
- every unique constraint (a clash raises the ``Conflict`` the SQL adapter raises; ``NULL`` never clashes);
- every foreign key: inserts and updates need the referenced row (else ``NotFound``, as
  ``SqlUnitOfWork.execute`` answers a foreign-key violation), deletes apply ``ON DELETE CASCADE`` /
  ``SET NULL`` along every chain, and ``RESTRICT``/``NO ACTION`` refuses the delete.

A domain declares one :class:`MemoryTable` per table (its SQL ``Table``, the row class, and ``computed`` values
for constraint columns the row does not carry), then writes its repositories with the helpers of
:class:`InMemoryUnitOfWork` (``get``/``find``/``select``/``insert``/``insert_or_ignore``/``upsert``/``update``/
``patch``/``delete``). Rows are stored as copies and read as copies; writes are staged per unit of work and
published by ``commit`` (leaving without it rolls back). Units of work are serialised with a lock, so the twin
behaves like a serialisable database; one opened by the task that holds the lock (an event handler running after
a commit, before the publishing unit of work is left) nests in it, as a second SQL connection would.

Read models read the committed tables (``store.committed(table)``): a commit swaps ``store.tables`` whole and
never changes a published table in place, so a reader holding ``store.tables`` sees one instant.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from sqlalchemy import MetaData, Table, UniqueConstraint

from adapters.db.tables import metadata as default_metadata
from adapters.db.uow import EventTracking, TaskKick
from core.shared.errors import Conflict, NotFound
from ports.readcache import ViewInvalidation

if TYPE_CHECKING:
    from adapters.db.tasks import InMemoryTaskQueue

__all__ = (
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "MemoryTable",
    "Reference",
    "Schema",
    "TableShape",
    "schema_of",
)

R = TypeVar("R")
DeletionHook = Callable[["InMemoryUnitOfWork", Any], None]

MISSING_REFERENCE = "The referenced object does not exist."


# ------------------------------------------------------------------------------------------ shapes


@dataclass(frozen=True, slots=True)
class Reference:
    """A foreign key: ``table.column`` refers to ``target.target_column``."""

    table: str
    column: str
    target: str
    target_column: str
    on_delete: str  # "CASCADE", "SET NULL", "RESTRICT" or "NO ACTION"


@dataclass(frozen=True, slots=True)
class TableShape:
    """What the twin enforces of one SQL table."""

    name: str
    key: tuple[str, ...]
    autoincrement: bool
    unique: tuple[tuple[str, ...], ...]
    references: tuple[Reference, ...]

    @classmethod
    def of(cls, table: Table) -> TableShape:
        key = tuple(c.name for c in table.primary_key.columns)
        autoincrement = table.autoincrement_column is not None
        unique: list[tuple[str, ...]] = []
        for constraint in sorted(
            (c for c in table.constraints if isinstance(c, UniqueConstraint)), key=lambda c: [x.name for x in c.columns]
        ):
            columns = tuple(c.name for c in constraint.columns)
            if columns not in unique:
                unique.append(columns)
        for column in table.columns:  # ``unique=True`` on a column not turned into a constraint object
            if column.unique and (column.name,) not in unique:
                unique.append((column.name,))
        references = tuple(
            Reference(
                table=table.name,
                column=fk.parent.name,
                target=fk.column.table.name,
                target_column=fk.column.name,
                on_delete=(fk.ondelete or "NO ACTION").upper(),
            )
            for fk in sorted(table.foreign_keys, key=lambda fk: (fk.parent.name, fk.target_fullname))
        )
        return cls(name=table.name, key=key, autoincrement=autoincrement, unique=tuple(unique), references=references)


class Schema:
    """The shapes of every table of one ``MetaData``, and which references point at each table."""

    __slots__ = ("referrers", "shapes")

    def __init__(self, metadata: MetaData) -> None:
        self.shapes: dict[str, TableShape] = {t.name: TableShape.of(t) for t in metadata.tables.values()}
        self.referrers: dict[str, list[Reference]] = {}
        for shape in self.shapes.values():
            for ref in shape.references:
                self.referrers.setdefault(ref.target, []).append(ref)


@cache
def schema_of(metadata: MetaData) -> Schema:
    return Schema(metadata)


class MemoryTable(Generic[R]):
    """One SQL table's twin: rows are instances of ``row`` (a dataclass), keyed as the table is.

    ``computed`` gives the value of a unique-constraint column the row does not carry (``connections.user_low``
    is ``min(sender_id, receiver_id)``). Key and foreign-key columns must be attributes of the row, so the
    store can cascade over any table. ``conflict`` is the message of the ``Conflict`` a clash raises: the one
    the SQL adapter raises for the same table.
    """

    __slots__ = ("_values", "conflict", "name", "row", "shape", "table")

    def __init__(
        self,
        table: Table,
        row: type[R],
        *,
        computed: Mapping[str, Callable[[R], object]] | None = None,
        conflict: str = "This object already exists.",
    ) -> None:
        self.table = table
        self.name = table.name
        self.row = row
        self.shape = TableShape.of(table)
        self.conflict = conflict
        computed = dict(computed or {})
        attributes = {f.name for f in dataclasses.fields(row)} if dataclasses.is_dataclass(row) else set()
        structural = [*self.shape.key, *(r.column for r in self.shape.references)]
        needed = [*structural, *(c for cols in self.shape.unique for c in cols)]
        self._values: dict[str, Callable[[R], object]] = {}
        for column in needed:
            if column in computed:
                if column in structural:
                    raise TypeError(f"{self.name}.{column}: key and foreign-key columns must be row attributes")
                self._values[column] = computed[column]
            elif column in attributes:
                self._values[column] = _attribute(column)
            else:
                raise TypeError(
                    f"{row.__name__} has no attribute {column!r} that {self.name} constrains: declare it in computed"
                )
        if unused := set(computed) - set(needed):
            raise TypeError(f"{self.name}: computed columns {sorted(unused)} constrain nothing")

    def value(self, row: R, column: str) -> object:
        return self._values[column](row)

    def values(self, row: R, columns: Iterable[str]) -> tuple[object, ...]:
        return tuple(self._values[c](row) for c in columns)

    def key_of(self, row: R) -> Any:
        key = self.values(row, self.shape.key)
        return key[0] if len(key) == 1 else key

    def __repr__(self) -> str:
        return f"MemoryTable({self.name!r}, {self.row.__name__})"


def _attribute(name: str) -> Callable[[Any], object]:
    def get(row: Any) -> object:
        return getattr(row, name)

    return get


def _stored(row: R) -> R:
    """The copy a table keeps: no recorded events (they belong to the caller's object)."""
    kept = copy.deepcopy(row)
    if isinstance(getattr(kept, "pending_events", None), list):
        kept.pending_events = []  # type: ignore[attr-defined]
    return kept


def _set(row: Any, **values: object) -> Any:
    """``row`` with ``values``: in place, or a new row for a frozen dataclass."""
    try:
        for name, value in values.items():
            setattr(row, name, value)
    except dataclasses.FrozenInstanceError:
        return dataclasses.replace(row, **values)
    return row


# ------------------------------------------------------------------------------------------ store


class InMemoryStore:
    """The committed tables (dicts of rows keyed by primary key), id sequences and deletion hooks.

    ``on_delete(table, name, hook)`` registers ``hook(uow, key)`` to run in the deleting unit of work before a
    row of ``table`` goes, like the SQL ``before_user_delete`` steps (the feed keeps its counters right with one,
    see ``docs/conventions.md``). Registering again under the same name replaces the hook.
    """

    def __init__(self, metadata: MetaData | None = None) -> None:
        self.schema = schema_of(metadata if metadata is not None else default_metadata)
        self.tables: dict[str, dict[Any, Any]] = {}
        self.sequences: dict[str, itertools.count[int]] = {}
        self.deletion_hooks: dict[str, dict[str, DeletionHook]] = {}
        self.lock = asyncio.Lock()
        # The task holding ``lock``: a unit of work opened by that same task (an event handler run by a service
        # that committed but has not left its unit of work yet) nests inside it instead of waiting for ever.
        self.holder: asyncio.Task[Any] | None = None
        self.commits = 0

    def next_id(self, table: str) -> int:
        return next(self.sequences.setdefault(table, itertools.count(1)))

    def on_delete(self, table: str, name: str, hook: DeletionHook) -> None:
        self.deletion_hooks.setdefault(table, {})[name] = hook

    def committed(self, table: MemoryTable[R]) -> Mapping[Any, R]:
        """The committed rows, for read models: never mutate them."""
        return self.tables.get(table.name, {})

    def seed(self, table: MemoryTable[R], rows: Iterable[R]) -> None:
        """Fill a table once, outside any unit of work (the twin of a seeding migration)."""
        if table.name in self.tables:
            return
        filled: dict[Any, R] = {}
        for row in rows:
            if table.shape.autoincrement and not table.key_of(row):
                row = _set(row, **{table.shape.key[0]: self.next_id(table.name)})
            filled[table.key_of(row)] = row
        self.tables = {**self.tables, table.name: filled}


# ------------------------------------------------------------------------------------------ unit of work


class InMemoryUnitOfWork(EventTracking):
    """Stages a copy of each table it touches; ``commit`` publishes them, leaving without it discards them.

    The generic helpers hand out copies; ``rows(table)`` is the staged dict itself, for a twin's own queries and
    in-place counter updates. After a failed ``delete`` (``RESTRICT``) the staged state is only good for a
    rollback, like a PostgreSQL transaction after an error.
    """

    def __init__(
        self,
        store: InMemoryStore,
        after_commit: Callable[[], None] | None = None,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
    ) -> None:
        self.store = store
        self._staged: dict[str, dict[Any, Any]] = {}
        self._seen: list[Any] = []
        self._after_commit = after_commit
        self._nested = False
        self._read_cache = views
        self._forget_views()
        self._task_kick = task_kick
        self._tasks: InMemoryTaskQueue | None = None
        self.committed = False

    async def __aenter__(self) -> Self:
        task = asyncio.current_task()
        self._nested = task is not None and self.store.holder is task
        if not self._nested:
            await self.store.lock.acquire()
            self.store.holder = task
        self._staged = {}
        self._seen = []
        self._forget_views()
        self._tasks = None
        self.committed = False
        return self

    @property
    def tasks(self) -> InMemoryTaskQueue:
        """Background tasks staged in this unit of work (published by ``commit``, like every staged row)."""
        if self._tasks is None:
            from adapters.db.tasks import InMemoryTaskQueue  # the tasks module imports this one

            self._tasks = InMemoryTaskQueue(self)
        return self._tasks

    async def __aexit__(self, *exc: object) -> None:
        self._staged = {}
        if not self._nested:
            self.store.holder = None
            self.store.lock.release()

    async def commit(self) -> None:
        task_ids = self._tasks.written() if self._tasks is not None else []
        if self._staged:
            self.store.tables = {**self.store.tables, **self._staged}
            self._staged = {}  # published tables are never changed in place: later writes stage new copies
        self.store.commits += 1
        self.committed = True
        if self._after_commit is not None:
            self._after_commit()
        await self._bump_views()
        if task_ids and self._task_kick is not None:
            self._task_kick(task_ids)

    # ------------------------------------------------------------------ raw tables

    def table(self, name: str) -> dict[Any, Any]:
        """The staged rows of ``name`` (copied from the committed table on first use)."""
        staged = self._staged.get(name)
        if staged is None:
            staged = self._staged[name] = copy.deepcopy(self.store.tables.get(name, {}))
        return staged

    def _peek(self, name: str) -> Mapping[Any, Any]:
        """Rows as this unit of work sees them, without staging a copy: read only."""
        staged = self._staged.get(name)
        return staged if staged is not None else self.store.tables.get(name, {})

    def rows(self, table: MemoryTable[R]) -> dict[Any, R]:
        """The staged rows themselves (no copies): for the twin's own queries and in-place updates."""
        return self.table(table.name)

    def view(self, table: MemoryTable[R]) -> Mapping[Any, R]:
        """The rows as this unit of work sees them, read only and without staging a copy."""
        return self._peek(table.name)

    # ------------------------------------------------------------------ reads (copies)

    def get(self, table: MemoryTable[R], key: Any) -> R | None:
        row = self.view(table).get(key)
        return copy.deepcopy(row) if row is not None else None

    def find(self, table: MemoryTable[R], where: Callable[[R], bool]) -> R | None:
        for row in self.view(table).values():
            if where(row):
                return copy.deepcopy(row)
        return None

    def select(
        self,
        table: MemoryTable[R],
        where: Callable[[R], bool] | None = None,
        *,
        order: Callable[[R], Any] | None = None,
        reverse: bool = False,
        limit: int | None = None,
    ) -> list[R]:
        found = [r for r in self.view(table).values() if where is None or where(r)]
        if order is not None:
            found.sort(key=order, reverse=reverse)
        return [copy.deepcopy(r) for r in found[:limit]]

    def count(self, table: MemoryTable[R], where: Callable[[R], bool] | None = None) -> int:
        return sum(1 for r in self.view(table).values() if where is None or where(r))

    def exists(self, table: MemoryTable[R], where: Callable[[R], bool]) -> bool:
        return any(where(r) for r in self.view(table).values())

    # ------------------------------------------------------------------ writes

    def _clashes(self, table: MemoryTable[R], row: R, key: Any, *, new: bool) -> bool:
        rows = self._peek(table.name)
        if new and key in rows:
            return True
        for columns in table.shape.unique:
            values = table.values(row, columns)
            if any(v is None for v in values):
                continue
            if any(k != key and table.values(other, columns) == values for k, other in rows.items()):
                return True
        return False

    def _check_references(self, table: MemoryTable[R], row: R, before: R | None = None) -> None:
        for ref in table.shape.references:
            value = table.value(row, ref.column)
            if value is None or (before is not None and table.value(before, ref.column) == value):
                continue
            targets = self._peek(ref.target)
            if self.store.schema.shapes[ref.target].key == (ref.target_column,):
                found = value in targets
            else:
                found = any(getattr(t, ref.target_column, None) == value for t in targets.values())
            if not found:
                raise NotFound(MISSING_REFERENCE)

    def insert(self, table: MemoryTable[R], row: R) -> Any:
        """``INSERT``: allocates the id of an auto-incremented key left at 0 (and sets it on ``row``); a key or
        unique clash raises ``Conflict``, a missing referenced row ``NotFound``. Returns the key."""
        key = self._prepare(table, row)
        if self._clashes(table, row, key, new=True):
            raise Conflict(table.conflict)
        return self._put(table, row)

    def insert_or_ignore(self, table: MemoryTable[R], row: R) -> bool:
        """``INSERT … ON CONFLICT DO NOTHING``: ``False`` (nothing written) on a key or unique clash."""
        key = self._prepare(table, row, allocate=False)
        if self._clashes(table, row, key, new=True):
            return False
        self._prepare(table, row)
        self._put(table, row)
        return True

    def upsert(self, table: MemoryTable[R], row: R, *, on: tuple[str, ...]) -> Any:
        """``INSERT … ON CONFLICT (on) DO UPDATE``: a row with the same ``on`` values is replaced and keeps its
        key (set on ``row``); other clashes raise ``Conflict``. Returns the key."""
        wanted = table.values(row, on)
        existing = next(
            (k for k, r in self._peek(table.name).items() if table.values(r, on) == wanted), None
        )
        if existing is None:
            return self.insert(table, row)
        if len(table.shape.key) == 1:
            row = _set(row, **{table.shape.key[0]: existing})
        if self._clashes(table, row, existing, new=False):
            raise Conflict(table.conflict)
        self._check_references(table, row)
        self.table(table.name)[existing] = _stored(row)
        return existing

    def update(self, table: MemoryTable[R], row: R, *, keep: Iterable[str] = ()) -> bool:
        """``UPDATE … WHERE key``: ``False`` when no such row; the stored row's ``keep`` attributes stay."""
        key = table.key_of(row)
        before = self._peek(table.name).get(key)
        if before is None:
            return False
        stored = _stored(row)
        kept = {name: getattr(before, name) for name in keep}
        if kept:
            stored = _set(stored, **kept)
        if self._clashes(table, stored, key, new=False):
            raise Conflict(table.conflict)
        self._check_references(table, stored, before)
        self.table(table.name)[key] = stored
        return True

    def patch(self, table: MemoryTable[R], key: Any, **values: object) -> bool:
        """``UPDATE … SET values WHERE key``: ``False`` when no such row."""
        before = self._peek(table.name).get(key)
        if before is None:
            return False
        return self.update(table, _set(copy.deepcopy(before), **values))

    def delete(self, table: MemoryTable[R], key: Any) -> bool:
        """``DELETE … WHERE key``: runs the table's deletion hooks, then the ``ON DELETE`` actions."""
        if key not in self._peek(table.name):
            return False
        for hook in list(self.store.deletion_hooks.get(table.name, {}).values()):
            hook(self, key)
        self._remove(table.name, [key])
        return True

    def delete_where(self, table: MemoryTable[R], where: Callable[[R], bool]) -> int:
        keys = [k for k, r in self._peek(table.name).items() if where(r)]
        for key in keys:
            self.delete(table, key)
        return len(keys)

    def _prepare(self, table: MemoryTable[R], row: R, *, allocate: bool = True) -> Any:
        key = table.key_of(row)
        if allocate and table.shape.autoincrement and not key:
            _set(row, **{table.shape.key[0]: self.store.next_id(table.name)})
            key = table.key_of(row)
        return key

    def _put(self, table: MemoryTable[R], row: R) -> Any:
        self._check_references(table, row)
        key = table.key_of(row)
        self.table(table.name)[key] = _stored(row)
        return key

    def _remove(self, name: str, keys: list[Any]) -> None:
        """Delete rows, then follow every reference to them: cascade, set null, or refuse."""
        pending = [(name, key) for key in keys]
        restricted: list[tuple[str, Any]] = []
        referrers = self.store.schema.referrers
        while pending:
            name, key = pending.pop()
            row = self._peek(name).get(key)
            if row is None:
                continue
            del self.table(name)[key]
            for ref in referrers.get(name, ()):
                value = getattr(row, ref.target_column)
                children = [k for k, c in self._peek(ref.table).items() if getattr(c, ref.column, None) == value]
                if not children:
                    continue
                if ref.on_delete == "CASCADE":
                    pending.extend((ref.table, k) for k in children)
                elif ref.on_delete == "SET NULL":
                    staged = self.table(ref.table)
                    for k in children:
                        staged[k] = _set(staged[k], **{ref.column: None})
                else:
                    restricted.extend((ref.table, k) for k in children)
        if any(k in self._peek(t) for t, k in restricted):
            raise NotFound(MISSING_REFERENCE)  # what ``SqlUnitOfWork.execute`` answers a foreign-key violation
