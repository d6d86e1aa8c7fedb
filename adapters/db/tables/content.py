"""Content tables: countries with phone codes, the choice catalogue, exchange rates (seeded by migration 0002)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from adapters.db.tables.base import ID, UTCDateTime, metadata

__all__ = ("choice_options", "countries", "exchange_rates")

countries = Table(
    "countries",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("country", String(100), nullable=False, unique=True),
    Column("code", String(40), nullable=False, index=True),
    Column("permitted", Boolean, nullable=False, default=True),
    info={"seeded": True},
)

choice_options = Table(
    "choice_options",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("category", String(64), nullable=False),
    Column("value", String(100), nullable=False),
    Column("position", Integer, nullable=False),
    UniqueConstraint("category", "value"),
    Index("ix_choice_options_category_position", "category", "position"),
    info={"seeded": True},
)

exchange_rates = Table(
    "exchange_rates",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("country_id", ID, ForeignKey("countries.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("currency_name", String(100), nullable=False),
    Column("currency_initials", String(3), nullable=False),
    # Local units per US dollar as exact decimal text (e.g. "1500" or "0.92"); never a float.
    Column("rate", String(40), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
