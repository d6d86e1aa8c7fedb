"""The layer rules of design.md, as import-linter contracts, run inside pytest too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_core_and_ports_import_only_the_standard_library() -> None:
    forbidden = ("litestar", "msgspec", "sqlalchemy", "jwt", "httpx", "dependency_injector", "redis", "argon2")
    offenders = []
    for package in ("core", "ports"):
        for path in (ROOT / package).rglob("*.py"):
            for line in path.read_text().splitlines():
                stripped = line.strip()
                if stripped.startswith(("import ", "from ")):
                    module = stripped.split()[1].split(".")[0]
                    if module in forbidden:
                        offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert offenders == []
