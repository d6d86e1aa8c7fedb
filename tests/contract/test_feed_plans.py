"""Every post list's statement finds its rows through indexes: no plan scans a whole ``posts``,
``post_industries``, ``follows`` or ``connections`` table (SQLite's ``EXPLAIN QUERY PLAN``; on PostgreSQL,
``EXPLAIN`` with sequential scans priced out, so a remaining ``Seq Scan`` means no index can serve the filter).
``make bench`` runs the same check on 100k posts with the planner's real choices."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.feed_queries import _POSTS
from core.feed.model.views import LISTED_MAX, Listing

pytestmark = [pytest.mark.anyio, pytest.mark.db]

WATCHED = ("posts", "post_industries", "follows", "connections")


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


@pytest.mark.parametrize("listing", list(Listing))
async def test_post_lists_use_indexes(database_url: str, listing: Listing) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            pg = conn.dialect.name == "postgresql"
            params = {"viewer": 1, "subject": 2, "bound": LISTED_MAX, "size": 5, "offset": 0}
            stmt = _POSTS[listing].params(**params)
            sql = str(
                stmt.compile(
                    dialect=postgresql.dialect() if pg else conn.dialect, compile_kwargs={"literal_binds": True}
                )
            )
            full_scans: list[str] = []
            if pg:
                await conn.execute(text("SET enable_seqscan = off"))
                raw = (await conn.execute(text("EXPLAIN (FORMAT JSON) " + sql))).scalar_one()
                plan = raw if isinstance(raw, list) else json.loads(raw)
                full_scans = [
                    str(n["Relation Name"])
                    for n in _nodes(plan[0]["Plan"])
                    if n.get("Node Type") == "Seq Scan" and n.get("Relation Name") in WATCHED
                ]
            else:
                for row in (await conn.execute(text("EXPLAIN QUERY PLAN " + sql))).all():
                    detail = str(row[-1])
                    if re.match(rf"SCAN ({'|'.join(WATCHED)})\b", detail) and "USING" not in detail:
                        full_scans.append(detail)
            assert full_scans == [], (listing, full_scans)
    finally:
        await engine.dispose()
