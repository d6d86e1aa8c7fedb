"""The application imports no private module of a library (``litestar._openapi...``): an upgrade can change
those silently. (Private attributes of library objects are not found by this check; review catches them.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {"core", "ports", "adapters", "bootstrap", "tests", "__future__"}
PACKAGES = ("core", "ports", "adapters", "bootstrap")


def _sources() -> list[Path]:
    return [p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


def _private_imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] not in OURS and any(p.startswith("_") and not p.startswith("__") for p in parts[1:]):
                found.append(name)
    return found


def test_no_private_framework_modules_are_imported() -> None:
    offenders = {}
    for path in _sources():
        if hits := _private_imports(ast.parse(path.read_text())):
            offenders[str(path.relative_to(ROOT))] = hits
    assert offenders == {}


def test_the_check_sees_a_private_import() -> None:
    assert _private_imports(ast.parse("from litestar._openapi.plugin import OpenAPIPlugin")) == [
        "litestar._openapi.plugin",
        "litestar._openapi.plugin.OpenAPIPlugin",
    ]
    assert _private_imports(ast.parse("from litestar.openapi.spec import OpenAPI")) == []
