# Everyday commands. `make` alone lists them.
#
# Every target that runs project code first makes sure `.venv` exists and holds what
# pyproject.toml asks for; the install is repeated only when pyproject.toml changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k load_wgsom -x"` or
# `make test PYTEST_ARGS="-n 2"` (pytest-xdist is installed but off by default).
PYTEST_ARGS ?=

.PHONY: help venv install run test lint format migrations-check worker beat bench clean

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

# pip's output goes to a log, shown in full only when the install fails.
$(STAMP): pyproject.toml | $(PY)
	@echo "Installing the project and its dev dependencies into $(VENV)"
	@$(PY) -m pip install --disable-pip-version-check -e ".[dev]" >$(VENV)/pip-install.log 2>&1 || { \
		cat $(VENV)/pip-install.log >&2; \
		echo "make: pip install failed (output above, also in $(VENV)/pip-install.log)." >&2; \
		exit 1; \
	}
	@touch $@

venv: $(STAMP) ## Create .venv (Python 3.11) and install the project with its dev dependencies

install: venv ## Same as venv

run: install ## Migrate, load the WGSOM reference data and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_wgsom
	$(PY) manage.py runserver 127.0.0.1:8000

# pytest's exit status 5 (no tests collected) is non-zero, so make fails on it too.
test: install ## Run the tests (pass options with PYTEST_ARGS="...")
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install ## Check lint and formatting with ruff (changes nothing)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format with ruff and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# DJANGO_DEBUG is unset so the check runs on the settings' own default, whatever the shell holds.
migrations-check: install ## Fail if a model change lacks its migration; run Django's system checks
	env -u DJANGO_DEBUG $(PY) manage.py makemigrations --check --dry-run
	env -u DJANGO_DEBUG $(PY) manage.py check

worker: install ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A wgsom worker -l info

beat: install ## Run Celery beat, the periodic task scheduler (needs REDIS_URL)
	$(BIN)/celery -A wgsom beat -l info

bench: install ## Run benchmarks/run.py, when there is one
	@if [ -f benchmarks/run.py ]; then \
		$(PY) benchmarks/run.py; \
	else \
		echo "No benchmarks/run.py: nothing to run."; \
	fi

.PHONY: screenshots
screenshots: install ## Screenshot every public page (desktop and phone) into docs/screenshots/
	$(PY) scripts/screenshots.py

clean: ## Remove .venv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
