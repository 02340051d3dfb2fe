# TRIP benchmarking: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test lint format migrate frameworks demo vendor vendor-check perf clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(VENV)/.installed $@

## make run: install, migrate, import the frameworks, load the demo (development), serve
run: $(VENV)/.installed
	$(BIN)/trip migrate
	$(BIN)/trip frameworks import benchmarks/*.yaml
	@if [ "$${TRIP_ENV:-development}" != "production" ]; then $(BIN)/trip demo --if-empty; fi
	$(BIN)/trip serve --host $(HOST) --port $(PORT)

## make test: lint, then the whole suite on SQLite, then on PostgreSQL if TEST_DATABASE_URL is set
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	bash app/static/vendor/refetch.sh --check
	$(BIN)/pytest -n 2 --dist loadgroup
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		TRIP_TEST_DB=postgres $(BIN)/pytest -m "not browser" -p no:randomly; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(VENV)/.installed
	$(BIN)/trip migrate

vendor:
	bash app/static/vendor/refetch.sh

vendor-check:
	bash app/static/vendor/refetch.sh --check

perf: $(VENV)/.installed-dev
	$(BIN)/python perf/workshop.py
	$(BIN)/python perf/dashboard.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
