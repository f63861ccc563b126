# Two entry points (see README): `make serve` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export CLAIMS_TEST_POSTGRES_URL ?= $(PG_TEST_URL)

.PHONY: install system-deps serve test lint bench clean screenshots

$(BIN)/claims: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/claims

# System packages (pango, Arabic fonts, poppler, graphviz): apt-get installs only what is missing.
system-deps:
	sh scripts/system-deps.sh

# axe-core from the npm registry, for the accessibility checks of the browser tests.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json
	npm install --prefix tests/browser --no-audit --no-fund --no-package-lock --loglevel=error
	touch $(AXE)

install: system-deps $(BIN)/claims

serve: install
	$(BIN)/claims db upgrade
	$(BIN)/claims seed
	$(BIN)/claims serve --host $${HOST:-127.0.0.1} --port $${PORT:-8000}

# In parallel (pytest-xdist, one database per worker and engine) and in random order
# (pytest-randomly: the seed is printed at the top; `PYTEST_ARGS=--randomly-seed=N` replays an order).
# pytest exit code 5 means "no tests ran": treat it as the failure it is.
PYTEST_WORKERS ?= auto
test: install $(AXE)
	@$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

# Screenshots of the pages for the README (needs `make serve` running on port $${PORT:-8000}).
screenshots: install
	$(BIN)/python scripts/screenshots.py http://127.0.0.1:$${PORT:-8000} docs/screenshots

lint: install
	$(BIN)/ruff check claims api tests

clean:
	rm -rf $(VENV) claims.db claims.db-wal claims.db-shm .pytest_cache tests/browser/node_modules
