"""SQLAlchemy Core tables (adapter-private). One module per domain, one shared ``metadata``.

Every sibling module is imported here, so its tables register on ``metadata`` (Alembic's env, the schema-drift
test and the test database reset see them all): a new domain adds ``tables/<d>.py`` and edits nothing here.
"""

from __future__ import annotations

import importlib
import pkgutil

from adapters.db.tables.base import metadata

__all__ = ("TABLE_MODULES", "metadata")


def _load_table_modules() -> tuple[str, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "base" and not m.ispkg)
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return tuple(names)


# The names of the loaded table modules (``accounts``, ``feed``, …).
TABLE_MODULES = _load_table_modules()
