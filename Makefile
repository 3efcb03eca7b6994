# Thin wrappers: each target does one line of real work.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NODE_MODULES := web/node_modules/.package-lock.json
# The browser of the tests: Debian's package (test tools may not download browsers here).
CHROMIUM := /usr/bin/chromium
# The tests run the SQL services' outbox behind a real PgBouncer in transaction mode: Debian's package.
PGBOUNCER := /usr/sbin/pgbouncer

.PHONY: run seed test bench chaos lint env clean web web-types browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## install, then start every service and the web app (http://127.0.0.1:8080), print where each listens
	$(BIN)/python -m scripts.run

seed: $(STAMP)  ## load demo accounts and events into the running services (development only)
	$(BIN)/python scripts/seed.py

test: $(STAMP) $(NODE_MODULES) $(CHROMIUM) $(PGBOUNCER)  ## install (the app's packages, Chromium and PgBouncer too), then run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(NODE_MODULES): web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web: $(STAMP) $(NODE_MODULES)  ## build the web app into web/dist (make run does it when the sources changed)
	$(BIN)/python -c 'from scripts import webapp; webapp.build()'

web-types: $(STAMP) $(NODE_MODULES)  ## write web/openapi/*.json from the services, and web/src/api/*.ts from those
	$(BIN)/python -m scripts.openapi

browser: $(CHROMIUM)  ## install Debian's Chromium for the browser tests (apt-get: root or sudo)

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(PGBOUNCER):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer

# BENCH_ARGS="compare [OLD.json NEW.json]": two runs side by side, figure by figure (default: the newest two);
# BENCH_ARGS="plot RUN.json [OUT.png]": a run's plot drawn again.
bench: $(STAMP)  ## run the benchmarks (not in CI): prints a table, writes bench/results/*.json and a latency plot (.png)
	$(BIN)/python -m bench $(BENCH_ARGS)

# The chaos run's load balancer: Debian's HAProxy.
HAPROXY := /usr/sbin/haproxy

chaos: $(STAMP) $(HAPROXY)  ## replicas behind HAProxy under load and faults for CHAOS_ARGS' --duration (180 s), then checks (not in CI)
	$(BIN)/python -m chaos $(CHAOS_ARGS)

$(HAPROXY):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy

env: $(STAMP)  ## write .env with fresh production secrets for docker compose
	$(BIN)/python scripts/make_env.py

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .data web/node_modules web/dist
