# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKS := requirements/bootstrap.txt requirements/dev.txt
LOCK_TOOL := .venv-lock
UV_COMPILE := $(LOCK_TOOL)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--no-config --index-url https://pypi.org/simple --custom-compile-command 'make lock'

.PHONY: lock run test lint typecheck check pytest pytest-db bench clean

# The venv is installed from the hash-pinned locks in requirements/ (`make lock` writes them from pyproject.toml):
# a lock or pyproject change rebuilds it from scratch, so it holds exactly what the lock says (and CI tested).
# The venv directory may be a symlink (venv refuses one; --clear empties its target instead).
$(STAMP): pyproject.toml $(LOCKS)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv --clear "$$($(PYTHON) -c 'import os, sys; print(os.path.realpath(sys.argv[1]))' $(VENV))"
	$(BIN)/python -m pip install -q --require-hashes -r requirements/bootstrap.txt
	$(BIN)/python -m pip install -q --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Re-resolve the locks from pyproject.toml (keeping today's pins where they still fit) with hashes of every
# file PyPI serves for each pinned version, for any platform. Upgrades: `make lock LOCK_ARGS=--upgrade`
# (everything) or `make lock LOCK_ARGS='--upgrade-package litestar'`.
lock: $(LOCK_TOOL)/bin/uv
	$(UV_COMPILE) pyproject.toml requirements/bootstrap.in --extra dev -o requirements/dev.txt $(LOCK_ARGS)
	$(UV_COMPILE) pyproject.toml requirements/bootstrap.in -c requirements/dev.txt -o requirements/runtime.txt
	$(UV_COMPILE) requirements/bootstrap.in -c requirements/dev.txt -o requirements/bootstrap.txt
	$(UV_COMPILE) requirements/uv.in -o requirements/uv.txt

$(LOCK_TOOL)/bin/uv: requirements/uv.txt
	$(PYTHON) -m venv $(LOCK_TOOL)
	$(LOCK_TOOL)/bin/python -m pip install -q --require-hashes -r requirements/uv.txt
	@touch $@

run: $(STAMP)
	$(BIN)/careernexus serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest-xdist: PYTEST_WORKERS processes (0: in one process). Each worker has its own SQLite files and, for
# pytest-db, its own PostgreSQL database (`<name>_gw0`, … created by tests/conftest.py).
PYTEST_WORKERS ?= 2

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint typecheck pytest

# The database-backed tests only (CI runs them again against PostgreSQL).
pytest-db: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -m db $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(LOCK_TOOL) var .mypy_cache .ruff_cache
