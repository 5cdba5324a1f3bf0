PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test reliability lint install bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/filieres run

# In parallel, one worker per core (pytest-xdist); the ten slowest tests listed at the end.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist worksteal --durations=10

# The long tests (marked `reliability`: tests/reliability and a few over ten seconds).
reliability: $(STAMP)
	$(BIN)/python -m pytest -m reliability

lint: $(STAMP)
	$(BIN)/ruff check domain application infrastructure api tests bench tools
	$(BIN)/mypy

# Quick by default; BENCH_FULL=1 make bench for the 1,000,000-event run.
bench: $(STAMP)
	$(BIN)/python -m bench
