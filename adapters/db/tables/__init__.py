"""SQLAlchemy Core tables (adapter-private). One module per domain, one shared ``metadata``."""

from __future__ import annotations

from adapters.db.tables.base import metadata

__all__ = ("metadata",)

# Import the domain modules so every table registers on ``metadata``.
from adapters.db.tables import accounts as _accounts  # noqa: F401
from adapters.db.tables import content as _content  # noqa: F401
from adapters.db.tables import feed as _feed  # noqa: F401
from adapters.db.tables import profiles as _profiles  # noqa: F401
from adapters.db.tables import system as _system  # noqa: F401
