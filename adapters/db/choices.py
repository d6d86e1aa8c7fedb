"""The catalogue of valid options, read from the seed data shipped with the migrations."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.db.seed import load_seed

__all__ = ("StaticChoiceCatalogue",)


class StaticChoiceCatalogue:
    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, list[str]] | None = None) -> None:
        self._data: dict[str, list[str]] = dict(data if data is not None else load_seed("valid_options"))

    async def values(self, category: str) -> list[str]:
        return list(self._data.get(category, []))
