"""Apply migrations programmatically (``careernexus migrate``, ``serve`` on the embedded default, tests)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from adapters.db.engine import prepare_sqlite_file

__all__ = ("alembic_config", "downgrade", "upgrade", "upgrade_async")

_HERE = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Run ``alembic upgrade``; must be called outside a running event loop."""
    prepare_sqlite_file(url)  # a new SQLite file is created 0600 in a 0700 directory
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


async def upgrade_async(url: str, revision: str = "heads") -> None:
    """Run the migrations from async code (in a worker thread, which gets its own event loop)."""
    await asyncio.to_thread(upgrade, url, revision)
