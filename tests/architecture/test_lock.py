"""The locks in requirements/ agree with pyproject.toml (pure file parsing, no network).

`make run`, `make test` and CI install .venv from requirements/bootstrap.txt and requirements/dev.txt with
`pip install --require-hashes`; requirements/runtime.txt is the runtime-only subset for deployments. A dependency
added to or changed in pyproject.toml without `make lock` fails here instead of on a fresh machine.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
LOCK_NAMES = ("bootstrap.txt", "dev.txt", "runtime.txt", "uv.txt")
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;]+)\s*(?:;(?P<marker>.*))?$")
_HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Pin:
    version: str
    marker: str
    hashes: tuple[str, ...]


def _logical_lines(text: str) -> list[str]:
    """Requirement lines with their backslash continuations joined, comments dropped."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        lines.append(current.strip())
        current = ""
    assert not current, f"dangling continuation: {current!r}"
    return lines


def parse_lock(path: Path) -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    for line in _logical_lines(path.read_text()):
        requirement, *options = line.split(" --")
        options = ["--" + option.strip() for option in options]
        match = _PIN.match(requirement.strip())
        assert match, f"{path.name}: not an exact `name==version` pin: {line[:120]!r}"
        hashes = tuple(option for option in options if option.startswith("--hash="))
        assert hashes, f"{path.name}: {requirement.strip()} has no --hash"
        assert hashes == tuple(options), f"{path.name}: unexpected option in {line[:120]!r}"
        for digest in hashes:
            assert _HASH.match(digest), f"{path.name}: malformed hash {digest!r}"
        name = canonicalize_name(match["name"])
        assert name not in pins, f"{path.name}: {name} pinned twice"
        pins[name] = Pin(match["version"], (match["marker"] or "").strip(), hashes)
    return pins


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def _requirements(key: str) -> list[Requirement]:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    if key == "dependencies":
        return [Requirement(r) for r in project["dependencies"]]
    return [Requirement(r) for r in project["optional-dependencies"][key]]


def _build_requirements() -> list[Requirement]:
    build = _pyproject()["build-system"]
    assert isinstance(build, dict)
    return [Requirement(r) for r in build["requires"]]


def _assert_pinned(requirements: list[Requirement], lock: str) -> None:
    pins = parse_lock(REQUIREMENTS / lock)
    problems = []
    for req in requirements:
        pin = pins.get(canonicalize_name(req.name))
        if pin is None:
            problems.append(f"{req} is not in requirements/{lock}")
        elif not req.specifier.contains(Version(pin.version), prereleases=True):
            problems.append(f"{req} but requirements/{lock} pins {req.name}=={pin.version}")
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


@pytest.mark.parametrize("lock", LOCK_NAMES)
def test_every_lock_line_is_an_exact_pin_with_hashes(lock: str) -> None:
    pins = parse_lock(REQUIREMENTS / lock)
    assert pins
    text = (REQUIREMENTS / lock).read_text()
    assert "make lock" in text.splitlines()[1], "the header names the command that updates the lock"
    for forbidden in ("-e ", "git+", "file:", "http://", "https://", "--index-url", "--find-links"):
        assert forbidden not in text, f"{lock} contains {forbidden!r}"


def test_runtime_dependencies_are_locked_for_run_and_test() -> None:
    _assert_pinned(_requirements("dependencies"), "runtime.txt")
    _assert_pinned(_requirements("dependencies"), "dev.txt")


def test_dev_extra_is_locked() -> None:
    _assert_pinned(_requirements("dev"), "dev.txt")


def test_build_backend_and_installer_are_locked() -> None:
    for lock in ("bootstrap.txt", "dev.txt", "runtime.txt"):
        _assert_pinned([*_build_requirements(), Requirement("pip")], lock)


def test_the_locks_pin_the_same_versions() -> None:
    """runtime.txt and bootstrap.txt are subsets of dev.txt with the same pins (what runs is what CI tested)."""
    dev = parse_lock(REQUIREMENTS / "dev.txt")
    for lock in ("runtime.txt", "bootstrap.txt"):
        for name, pin in parse_lock(REQUIREMENTS / lock).items():
            assert name in dev, f"{name} in {lock} but not in dev.txt"
            assert dev[name].version == pin.version, f"{name}: {lock} {pin.version} != dev.txt {dev[name].version}"
            assert set(pin.hashes) <= set(dev[name].hashes), f"{name}: {lock} hashes differ from dev.txt"


def test_make_installs_from_the_locks_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    rule = makefile[makefile.index("$(STAMP): ") :].split("\n\n", 1)[0]
    assert "$(LOCKS)" in rule.splitlines()[0]
    assert "LOCKS := requirements/bootstrap.txt requirements/dev.txt" in makefile
    assert "--require-hashes -r requirements/bootstrap.txt" in rule
    assert "--require-hashes -r requirements/dev.txt" in rule
    assert "--no-deps --no-build-isolation -e ." in rule
    assert "[dev]" not in rule, "the dev extra comes from the lock, never resolved at install time"


def test_the_parser_rejects_unhashed_and_loose_lines(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    for text in ("litestar==2.24.0\n", "litestar>=2.24 \\\n    --hash=sha256:" + "0" * 64 + "\n"):
        lock.write_text(text)
        with pytest.raises(AssertionError):
            parse_lock(lock)
    lock.write_text("litestar==2.24.0 ; python_version >= '3.11' \\\n    --hash=sha256:" + "a" * 64 + "\n    # via x\n")
    assert parse_lock(lock)["litestar"] == Pin("2.24.0", "python_version >= '3.11'", ("--hash=sha256:" + "a" * 64,))
