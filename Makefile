# Two commands for a fresh machine with Python 3.11+ and make:
#   make run   - the whole system with demo data (embedded PostgreSQL and Valkey by default)
#   make test  - the whole test suite against real PostgreSQL and Redis/Valkey
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format install stop

$(STAMP): requirements/base.txt requirements/local.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/local.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m config.devserver

test: $(STAMP)
	$(BIN)/python -m tests.run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

stop: $(STAMP)
	$(BIN)/python -m config.runtime stop
