"""Alembic migrations (async env; batch mode on SQLite)."""
