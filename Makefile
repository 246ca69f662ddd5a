# Two commands for a fresh machine with Python 3.11+ and make:
#   make run   - the whole system with demo data (embedded PostgreSQL and Valkey by default)
#   make test  - the whole test suite against real PostgreSQL and Redis/Valkey
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format install stop

$(STAMP): requirements/base.txt requirements/local.txt requirements/no-deps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/local.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements/no-deps.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m config.devserver

test: $(STAMP)
	$(BIN)/python -m tests.run $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

stop: $(STAMP)
	$(BIN)/python -m config.runtime stop
