# Thin wrappers: each target does one line of real work.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run seed test bench lint env clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## install, then start every service and print where each listens
	$(BIN)/python -m scripts.run

seed: $(STAMP)  ## load demo accounts and events into the running services (development only)
	$(BIN)/python scripts/seed.py

test: $(STAMP)  ## install, then run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## run the benchmarks (not in CI): prints a table, writes bench/results/*.json
	$(BIN)/python -m bench $(BENCH_ARGS)

env: $(STAMP)  ## write .env with fresh production secrets for docker compose
	$(BIN)/python scripts/make_env.py

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .data
