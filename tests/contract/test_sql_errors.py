"""Database errors become domain errors: a dangling reference is a 404-category error, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.db.accounts import SqlAccountsUnitOfWork
from adapters.db.engine import make_engine, write_engine
from core.accounts.model.profiles import Profile
from core.shared.errors import NotFound

pytestmark = [pytest.mark.anyio, pytest.mark.db]


async def test_foreign_key_violation_is_not_found(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    try:
        async with SqlAccountsUnitOfWork(write_engine(engine)) as uow:
            with pytest.raises(NotFound):
                await uow.profiles.add(Profile(user_id=987654))
    finally:
        await engine.dispose()
