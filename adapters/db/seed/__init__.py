"""Seed catalogues loaded by the database migrations (valid options, countries).

The JSON files live beside this module and ship as package data; see ``README.md`` here for their shapes.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ("load_seed",)


def load_seed(name: str) -> Any:
    """Parse the seed file ``name`` (``"countries"`` or ``"countries.json"``) from this package.

    Raises ``FileNotFoundError`` for an unknown name and ``ValueError`` for a name that is not a plain file name.
    """
    file_name = name if name.endswith(".json") else f"{name}.json"
    if "/" in file_name or "\\" in file_name or file_name.startswith("."):
        raise ValueError(f"invalid seed name: {name!r}")
    resource = resources.files(__name__).joinpath(file_name)
    if not resource.is_file():
        raise FileNotFoundError(f"no seed file {file_name!r} in {__name__}")
    return json.loads(resource.read_text(encoding="utf-8"))
