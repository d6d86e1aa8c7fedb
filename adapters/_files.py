"""File-system helpers shared by adapter families (which do not import each other)."""

from __future__ import annotations

import contextlib
from pathlib import Path

__all__ = ("make_private_dirs",)


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and its missing parents owner-only (0700). Existing ones are left as they are (their
    modes are the operator's choice); a directory created meanwhile by someone else is not an error."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):
            new.mkdir(mode=0o700)
