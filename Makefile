# Everyday commands. `make` alone lists them.
#
# Every target that runs project code first makes sure `.venv` exists and holds what the lock
# file requirements/dev.txt pins; the install is repeated only when that file or pyproject.toml
# changes. pyproject.toml holds the ranges, `make lock` turns them into the lock files.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The API schema's linter is an npm package, pinned by its lock file and installed beside it.
OPENAPI_LINT := scripts/openapi-lint
REDOCLY := $(OPENAPI_LINT)/node_modules/.bin/redocly

# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k load_wgsom -x"` or
# `make test PYTEST_ARGS="-n 2"` (pytest-xdist is installed but off by default).
PYTEST_ARGS ?=

# Extra arguments for `make lock`: versions already in the lock files are kept unless asked,
# e.g. `make lock LOCK_ARGS=--upgrade` or `make lock LOCK_ARGS="--upgrade-package django"`.
LOCK_ARGS ?=

# The lock files are for the interpreter and platform that .venv, CI and the image run on,
# whatever machine writes them; the header of each file says to regenerate it with `make lock`.
UV_COMPILE := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_35 --custom-compile-command "make lock"

.PHONY: help venv install lock run test test-fast lint format migrations-check worker beat bench \
	bench-search bench-export bench-import bench-proxy bench-load bench-data certs clean lint-api \
	backup restore

# worker and beat talk to a real broker: refuse at once, in one line, when there is none.
# (make exits 2 on any error, not 1.)
ifneq ($(filter worker beat,$(MAKECMDGOALS)),)
ifeq ($(strip $(REDIS_URL)),)
$(error REDIS_URL is not set; worker and beat need it (e.g. REDIS_URL=redis://127.0.0.1:6379/0))
endif
endif

help: ## List the targets
	@echo "Usage: make <target>"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z][a-zA-Z_-]*:.*## / {printf "  %-18s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

# The interpreter must be 3.11 (pyproject.toml: requires-python). A half-built venv (say,
# ensurepip missing) is removed so the next run does not mistake it for a good one.
$(PY):
	@py=""; \
	for candidate in python3.11 python3; do \
		if command -v "$$candidate" >/dev/null 2>&1 && \
			"$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; \
		then py="$$candidate"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
		echo "make: Python 3.11 not found (tried python3.11, python3)." >&2; exit 1; \
	fi; \
	echo "Creating $(VENV) with $$(command -v $$py) ($$($$py --version))"; \
	"$$py" -m venv $(VENV) || { rm -rf $(VENV); echo "make: could not create $(VENV)." >&2; exit 1; }

# The lock decides every version and pip checks every file against its hash, so .venv holds
# what CI tested. The lock is complete, so nothing is resolved (--no-deps): older pips
# (23.2, as Python 3.11.7 ships) otherwise chase a dependency's extra, fonttools[woff], to
# a newer release than the one pinned and refuse it; `pip check` then proves the set whole.
# pip's output goes to a log, shown in full only when the install fails.
$(STAMP): requirements/dev.txt pyproject.toml | $(PY)
	@echo "Installing requirements/dev.txt and the project into $(VENV)"
	@{ $(PY) -m pip install --disable-pip-version-check --no-deps --require-hashes \
			-r requirements/dev.txt && \
		$(PY) -m pip install --disable-pip-version-check --no-deps -e . && \
		$(PY) -m pip check --disable-pip-version-check ; \
	} >$(VENV)/pip-install.log 2>&1 || { \
		cat $(VENV)/pip-install.log >&2; \
		echo "make: pip install failed (output above, also in $(VENV)/pip-install.log)." >&2; \
		exit 1; \
	}
	@touch $@

venv: $(STAMP) ## Create .venv (Python 3.11) and install the locked dev dependencies and the project

install: venv ## Same as venv

# dev.txt is resolved first and base.txt is held to its pins, so the image runs the very
# versions the tests ran with. Runs with the uv that the current lock installed.
# Only uv is needed, from the current lock: the rest of .venv may not match a pyproject.toml
# that has just changed (that is why the lock is being made).
lock: | $(PY) ## Regenerate requirements/dev.txt and requirements/base.txt from pyproject.toml
	@awk '/^uv==/ {on = 1} on {print} on && !/\\$$/ {exit}' requirements/dev.txt \
		> $(VENV)/uv-requirement.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
		-r $(VENV)/uv-requirement.txt
	$(UV_COMPILE) $(LOCK_ARGS) --extra dev -o requirements/dev.txt pyproject.toml
	$(UV_COMPILE) --constraint requirements/dev.txt -o requirements/base.txt pyproject.toml

run: install ## Migrate, load the WGSOM reference data and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_wgsom
	$(PY) manage.py rebuild_recommendation_neighbours
	$(PY) manage.py runserver 127.0.0.1:8000

# pytest's exit status 5 (no tests collected) is non-zero, so make fails on it too.
# Test processes (pytest-xdist, each with its own test database): one by default; CI runs
# two, one per core, which took the suite from 31 to 22 minutes on its 2-core machine.
PYTEST_WORKERS ?= 1
test: install $(REDOCLY) ## Run all the tests (pass options with PYTEST_ARGS="...", PYTEST_WORKERS=2)
	$(PY) -m pytest $(if $(filter-out 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

# The edit loop: everything but the slow tests (browser, real worker and schemathesis; the
# hook in tests/conftest.py marks them `slow`). CI runs `make test`, slow tests included.
test-fast: install ## Run everything but the slow tests (browser, real worker, schemathesis)
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

# Import layers (contracts in .importlinter), types (mypy.ini names the files it checks) and
# the API's OpenAPI schema (Redocly's strict rules, scripts/openapi-lint/redocly.yaml).
lint: install lint-api ## Check lint, formatting, import layers, types and the API schema
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

$(REDOCLY): $(OPENAPI_LINT)/package.json $(OPENAPI_LINT)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "make: npm not found; the API schema linter needs Node.js 20 and npm." >&2; exit 1; }
	npm ci --prefix $(OPENAPI_LINT) --no-audit --no-fund --loglevel=error
	@touch $@

lint-api: install $(REDOCLY) ## Lint the API's OpenAPI schema (0 errors, 0 warnings)
	@$(PY) manage.py spectacular --format openapi-json --validate --fail-on-warn \
		--file $(VENV)/openapi.json
	$(REDOCLY) lint --config $(OPENAPI_LINT)/redocly.yaml --format summary $(VENV)/openapi.json

format: install ## Format with ruff and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# DJANGO_DEBUG is unset so the check runs on the settings' own default, whatever the shell holds.
migrations-check: install ## Fail if a model change lacks its migration; run Django's system checks
	env -u DJANGO_DEBUG $(PY) manage.py makemigrations --check --dry-run
	env -u DJANGO_DEBUG $(PY) manage.py check

backup: install ## Encrypted archive of the database and private files into BACKUP_DIR
	$(PY) scripts/backup.py backup

# BACKUP names the archive; restores only into an empty database and empty file folders.
BACKUP ?=
restore: install ## Restore BACKUP=<archive> into an empty database and media folders
	@if [ -z "$(BACKUP)" ]; then echo "make: BACKUP is not set (make restore BACKUP=<archive>)" >&2; exit 1; fi
	$(PY) scripts/backup.py restore "$(BACKUP)" $(RESTORE_ARGS)

# Every queue by default (CELERY_TASK_QUEUES); QUEUES=imports (or imports,snapshots) runs a
# worker for some only, one per kind of work (docs/operations.md, "Scaling out").
worker: install ## Run a Celery worker on every queue, or on QUEUES=imports,... (needs REDIS_URL)
	$(BIN)/celery -A wgsom worker -l info $(if $(QUEUES),-Q $(QUEUES))

beat: install ## Run Celery beat, the periodic task scheduler (needs REDIS_URL)
	$(BIN)/celery -A wgsom beat -l info

bench: install ## Run benchmarks/run.py, when there is one
	@if [ -f benchmarks/run.py ]; then \
		$(PY) benchmarks/run.py; \
	else \
		echo "No benchmarks/run.py: nothing to run."; \
	fi

# The search relevance benchmark (benchmarks/search_relevance.yaml) on SQLite, then on
# PostgreSQL: DATABASE_URL's server when it names one, else the local server when it answers.
# Each run works in a throwaway test database. BENCH_SEARCH_ARGS="--scale 20000" sets the size
# latency is measured at.
BENCH_SEARCH_ARGS ?=
bench-search: install ## Search relevance benchmark: recall@5, MRR, latency, failing queries
	env -u DATABASE_URL $(PY) benchmarks/search.py $(BENCH_SEARCH_ARGS)
	@url="$${DATABASE_URL:-}"; \
	case "$$url" in postgres*) ;; *) url="" ;; esac; \
	if [ -z "$$url" ] && command -v pg_isready >/dev/null 2>&1 && \
		pg_isready -q -h 127.0.0.1 -p 5432 -U postgres; then \
		url="postgres://postgres@127.0.0.1:5432/postgres"; \
	fi; \
	if [ -z "$$url" ]; then \
		echo "PostgreSQL: no server (set DATABASE_URL=postgres://...): not measured."; \
	else \
		DATABASE_URL="$$url" $(PY) benchmarks/search.py $(BENCH_SEARCH_ARGS); \
	fi

# Whole-table CSV export at today's size and 100 times it, in a throwaway test database:
# peak Python memory and time of the stream against materialised baselines (about a minute).
BENCH_EXPORT_ARGS ?=
bench-export: install ## CSV export benchmark: peak memory and time at 1x and 100x the reports
	$(PY) benchmarks/bench_export.py $(BENCH_EXPORT_ARGS)

bench-import: install ## Report parser benchmark: time on hostile lines at 64 KB..1 MB, and ratios
	$(PY) benchmarks/bench_import.py

bench-proxy: install ## Slow clients and a 300 MB upload: the stack's nginx + gunicorn vs gunicorn alone
	$(PY) benchmarks/proxy.py

# A large database for the benchmarks, in the PostgreSQL database DATABASE_URL names (created if
# missing; one holding data the generator did not write is refused, BENCH_DATA_ARGS=--replace
# drops it). SIZE=XS (1,250 recommendations), S (125,000) or L (250,000); docs/scale.md.
SIZE ?= S
BENCH_DATA_ARGS ?=
bench-data: install ## Generate a large database (SIZE=XS|S|L) into DATABASE_URL (PostgreSQL)
	$(PY) -m benchmarks.scale_data --size $(SIZE) $(BENCH_DATA_ARGS)

bench-load: install ## 50 clients for 60 s on public pages and the API: requests/s, p50/p95/p99, errors
	$(PY) benchmarks/load.py $(BENCH_LOAD_ARGS)

# Stored similar recommendations vs the per-request model, at 25,000 and 250,000 synthetic
# recommendations (several minutes). BENCH_SIMILARITY_ARGS="--sizes 5000" for a quick look.
BENCH_SIMILARITY_ARGS ?=
.PHONY: bench-similarity
bench-similarity: install ## Similar recommendations: rebuild time and memory, page read vs per-request model
	$(PY) benchmarks/similarity.py $(BENCH_SIMILARITY_ARGS)

# Every page, API endpoint, download, search and the snapshot on the databases that
# `make bench-data SIZE=S|L` fills, against hand-written SQL (benchmarks/scale_baselines.py),
# and the API list beside Datasette. BENCH_SCALE_ARGS="--sizes XS" for a quick run; the
# table goes to stdout and /tmp/bench-scale.md (docs/scale.md, "Measuring at scale").
BENCH_SCALE_ARGS ?=
.PHONY: bench-scale
bench-scale: install ## Pages, API, downloads, search, snapshot at S and L: queries, ms, L/S, vs SQL
	$(PY) -m benchmarks.scale $(BENCH_SCALE_ARGS)

# A self-signed certificate for a local docker compose stack; put a real one there in production.
certs: ## Write deploy/certs/fullchain.pem and privkey.pem (self-signed, for localhost)
	mkdir -p deploy/certs
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=localhost \
		-keyout deploy/certs/privkey.pem -out deploy/certs/fullchain.pem

.PHONY: screenshots
screenshots: install ## Screenshot every public page (desktop and phone) into docs/screenshots/
	$(PY) scripts/screenshots.py

.PHONY: screenshots-languages
screenshots-languages: install ## Four pages in each of the six languages into docs/screenshots/languages/
	$(PY) scripts/screenshots.py --languages

.PHONY: screenshots-work
screenshots-work: install ## Every signed-in page, focal point and Secretariat, into docs/screenshots/work/
	$(PY) scripts/screenshots.py --signed-in

clean: ## Remove .venv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
