"""Database reachability for ``/health``."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ("database_ping",)


async def database_ping(engine: AsyncEngine, limit_seconds: float = 1.0) -> bool:
    try:
        async with asyncio.timeout(limit_seconds), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
