"""Migrations apply, roll back to nothing and apply again, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.migrate import downgrade, upgrade
from adapters.db.tables import metadata

pytestmark = pytest.mark.db


def _tables(url: str) -> set[str]:
    async def run() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        await engine.dispose()
        return names

    return asyncio.run(run())


def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    pg = os.environ.get("CAREERNEXUS_TEST_DATABASE_URL")
    if pg:
        pytest.skip("PostgreSQL round trip runs in test_upgrade_downgrade_upgrade_pg")
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    upgrade(url)
    assert {t.name for t in metadata.sorted_tables} <= _tables(url)
    downgrade(url)
    assert _tables(url) <= {"alembic_version"}
    upgrade(url)
    assert {t.name for t in metadata.sorted_tables} <= _tables(url)


def test_upgrade_downgrade_upgrade_pg() -> None:
    pg = os.environ.get("CAREERNEXUS_TEST_DATABASE_URL")
    if not pg:
        pytest.skip("needs CAREERNEXUS_TEST_DATABASE_URL")
    base, test_db = pg.rsplit("/", 1)
    # Named after the test database, so parallel runs against different test databases never share it.
    name = f"{test_db.split('?', 1)[0]}_migrations"
    scratch = f"{base}/{name}"

    async def recreate() -> None:
        engine = create_async_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        await engine.dispose()

    asyncio.run(recreate())
    upgrade(scratch)
    assert {t.name for t in metadata.sorted_tables} <= _tables(scratch)
    downgrade(scratch)
    assert _tables(scratch) <= {"alembic_version"}
    upgrade(scratch)
    assert {t.name for t in metadata.sorted_tables} <= _tables(scratch)
