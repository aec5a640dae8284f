# `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test test-db install install-dev bytecode migrate translations starter-model lint bench clean

run: migrate starter-model
	@echo ""
	@echo "Report Desk is starting on http://127.0.0.1:$(PORT)/"
	@echo "  report form:  http://127.0.0.1:$(PORT)/report"
	@echo "  status page:  http://127.0.0.1:$(PORT)/status"
	@echo "  public API:   http://127.0.0.1:$(PORT)/api/v1/openapi.json"
	@echo "  health:       http://127.0.0.1:$(PORT)/healthz"
	@echo "  job worker:   re-ranking, claim expiry, contact purges, mail (Procfile)"
	@echo ""
	$(BIN)/honcho start -f Procfile -p $(PORT)

# Two workers (pytest-xdist), each with its own PostgreSQL and Redis database (tests/conftest.py).
PYTEST_WORKERS ?= 2

test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=15

# The tests that use a database, for a second database (CI's PostgreSQL + Redis phase). The
# classifier tests touch none (tests/classifier/conftest.py refuses one): same result anywhere.
test-db: install-dev translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=15 --ignore=tests/classifier

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -d intake/translations

# Bytecode for intake/ and classifier/, written even where PYTHONDONTWRITEBYTECODE is set: without
# it every `flask` command and worker compiles ~150 modules again on start (bench/cli_startup.py).
bytecode: install
	$(BIN)/python -m compileall -q intake classifier

migrate: install translations bytecode
	$(BIN)/flask --app wsgi setup-db

starter-model: migrate
	$(BIN)/flask --app wsgi model ensure-starter

# Re-extract user-facing strings after changing templates or code, then translate the .po.
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o intake/translations/messages.pot .
	$(BIN)/pybabel update -i intake/translations/messages.pot -d intake/translations

# Type check: the packages and settings are in pyproject.toml ([tool.mypy]).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts
