"""Content tables: countries with phone codes, the choice catalogue, exchange rates (seeded by migration 0002);
content pages (seeded by 0011), the library, newsletters with their subscribers and delivery record (0011)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from adapters.db.tables.base import ID, JSONType, UTCDateTime, metadata

__all__ = (
    "choice_options",
    "content_pages",
    "countries",
    "exchange_rates",
    "library_items",
    "library_tags",
    "newsletter_deliveries",
    "newsletter_subscribers",
    "newsletters",
)

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


# ---------------------------------------------------------------- content pages, library, newsletters (0011)

content_pages = Table(
    "content_pages",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False, unique=True),
    Column("content", Text, nullable=False),
    Column("items", JSONType, nullable=True),
    Column("updated", Date, nullable=False),
    # tos and privacy come from the migration; tests that add pages delete them again.
    info={"seeded": True},
)

library_items = Table(
    "library_items",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("title", String(250), nullable=False),
    # lower(title): titles are unique case-insensitively.
    Column("title_key", String(250), nullable=False, unique=True),
    Column("description", Text, nullable=False),
    Column("tags", JSONType, nullable=False),
    Column("file", String(1000), nullable=False),
    # Lower-cased title, description and tags: what ``?q=`` searches.
    Column("search_text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

library_tags = Table(
    "library_tags",
    metadata,
    Column("item_id", ID, ForeignKey("library_items.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(100), primary_key=True),
    Index("ix_library_tags_tag_item", "tag", "item_id"),
)

newsletters = Table(
    "newsletters",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("title", String(500), nullable=False),
    Column("content", Text, nullable=False),
    Column("image", String(1000), nullable=False, default=""),
    Column("author_id", ID, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("created_at", UTCDateTime, nullable=False),
)

newsletter_subscribers = Table(
    "newsletter_subscribers",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    # One list: an address at most once, a signed-in user at most once.
    Column("email", String(254), nullable=False, unique=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=True, unique=True),
    Column("subscribed_at", UTCDateTime, nullable=False),
)

newsletter_deliveries = Table(
    "newsletter_deliveries",
    metadata,
    Column("newsletter_id", ID, ForeignKey("newsletters.id", ondelete="CASCADE"), primary_key=True),
    # No FK to subscribers: the record of what was sent outlives an unsubscription.
    Column("subscriber_id", ID, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("queued_at", UTCDateTime, nullable=False),
)
