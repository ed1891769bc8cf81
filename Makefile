# Majlis: `make run` serves on http://127.0.0.1:5000, `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export FLASK_APP := run.py

.PHONY: run test test-postgres lint format install translations bench bench-peer migration

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

install: $(VENV)/.installed

translations: install
	@if ls app/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(VENV)/bin/pybabel compile -d app/translations > /dev/null; fi

run: install translations
	$(PY) run.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Two workers, one per core, each given whole test files (`--dist loadfile`), so a module's or package's
# live server or browser starts once per worker. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

test: install translations lint
	$(PYTEST)

# The whole suite again on PostgreSQL (one schema per worker, emptied after every test).
POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
test-postgres: install translations
	TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(PYTEST)

bench: install
	$(PY) bench/thread_page.py

# Majlis next to FlaskBB 2.2.0 on the same data (bench/peer/README.md): installs FlaskBB into its own
# virtualenv under PEER_HOME (outside the repository), seeds both, serves both, prints one table.
bench-peer: install
	$(PY) bench/peer/run.py

# Generate a migration from model changes: make migration m="what changed"
migration: install
	rm -f instance/migration-scratch.db
	DATABASE_URL=sqlite:///$(CURDIR)/instance/migration-scratch.db AUTO_MIGRATE=0 $(VENV)/bin/flask db upgrade
	DATABASE_URL=sqlite:///$(CURDIR)/instance/migration-scratch.db AUTO_MIGRATE=0 $(VENV)/bin/flask db migrate -m "$(m)"
	rm -f instance/migration-scratch.db
