"""Engines for SQLite (aiosqlite) and PostgreSQL (asyncpg) behind one code path."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters._files import make_private_dirs

__all__ = ("StatementCounter", "is_sqlite", "make_engine", "prepare_sqlite_file", "read_engine", "write_engine")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def prepare_sqlite_file(url: str) -> None:
    """Create a missing SQLite database file readable by its owner only (0600), in a directory created 0700.

    SQLite gives its ``-wal``/``-shm`` files the mode of the database file. Existing files and directories are
    left as they are (their modes are the operator's choice).
    """
    if not is_sqlite(url):
        return
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    make_private_dirs(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    """Create the engine; SQLite gets WAL, foreign keys, a busy timeout and real transactions."""
    if is_sqlite(url):
        prepare_sqlite_file(url)
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})
        _install_sqlite_hooks(engine)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping (it is a round trip per checkout): a dead connection fails its statement, which answers
        # 503 and invalidates the whole pool, so the next request reconnects (tests/faults).
        pool_timeout=5,
        pool_recycle=1800,
        connect_args={"timeout": 1, "command_timeout": 30, "server_settings": {"jit": "off"}},
    )


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool for single-statement reads outside any write transaction. On PostgreSQL its connections
    run in autocommit mode: a read is one round trip, without ``BEGIN`` and ``ROLLBACK`` around it."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def write_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, marked so that SQLite takes the write lock up front (``BEGIN IMMEDIATE``)."""
    return engine.execution_options(write=True)


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=30000",
            "PRAGMA synchronous=NORMAL",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


class StatementCounter:
    """Counts the data statements (SELECT/INSERT/UPDATE/DELETE/WITH) an engine runs; for tests and benches."""

    __slots__ = ("_local", "count", "statements")

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []
        self._local = threading.local()

    def attach(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self._on_execute)

    def detach(self, engine: AsyncEngine) -> None:
        event.remove(engine.sync_engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        head = statement.lstrip()[:6].upper()
        if head in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"} or head.startswith("WITH"):
            self.count += 1
            self.statements.append(statement)

    @contextlib.contextmanager
    def measure(self) -> Iterator[list[str]]:
        start = len(self.statements)
        seen: list[str] = []
        try:
            yield seen
        finally:
            seen.extend(self.statements[start:])
