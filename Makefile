# Two commands: `make run` (the app on SQLite with demo data) and `make test` (everything CI checks).
# Both install what they need first; a second run skips what is already in place.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUN := tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng tesseract-ocr-osd
APT_TEST := chromium faketime pgbouncer
export OMP_THREAD_LIMIT ?= 1

.PHONY: run test test-fast deps deps-test oidc-provider system-deps system-deps-test python-deps pwa lint typecheck pytest pytest-faketime bench clean

run: deps ## Set up and serve the app at http://127.0.0.1:8000 with demo data
	APP_ENV=$${APP_ENV:-demo} $(BIN)/selfservice run --migrate --demo

test: deps deps-test lint typecheck pytest pytest-faketime ## Set up and run linting, type checks and all tests (SQLite + PostgreSQL + browser)

deps: system-deps python-deps pwa
deps-test: system-deps-test oidc-provider

# The OpenID Provider the sign-in tests run (npm oidc-provider, started with Node by the tests).
oidc-provider: tests/support/oidc_provider/node_modules/.installed

tests/support/oidc_provider/node_modules/.installed: tests/support/oidc_provider/package.json tests/support/oidc_provider/package-lock.json
	cd tests/support/oidc_provider && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# --- system packages (Debian) ---------------------------------------------------------------
system-deps:
	@missing=""; for p in $(APT_RUN); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

system-deps-test:
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

# --- Python ------------------------------------------------------------------------------------
python-deps: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e ".[dev]"
	# rapidocr-onnxruntime asks for opencv-python, the GUI build that needs libGL; the headless build is the
	# same cv2 without it. Both write cv2/, so the GUI one goes and the headless one is written again.
	$(BIN)/pip uninstall -q -y opencv-python
	$(BIN)/pip install -q --force-reinstall --no-deps -c requirements.lock opencv-python-headless
	@touch $@

# --- web app -------------------------------------------------------------------------------------
pwa: pwa/dist/index.html

pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

pwa/dist/index.html: pwa/node_modules/.installed $(shell find pwa/src pwa/public pwa/index.html pwa/vite.config.* pwa/tsconfig*.json -type f 2>/dev/null)
	cd pwa && npm run build --silent

# --- checks --------------------------------------------------------------------------------------
lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy
	cd pwa && npm run typecheck --silent
	cd pwa && npm run check-formats --silent  # the app's own date/number formats still match Intl's

# While working: the unit and domain tests, and the authorisation matrix (every endpoint, every
# role) on SQLite only. No browser, no PostgreSQL, no faketime: `make test` before pushing.
test-fast: ## Quick tests while working: unit and domain tests plus every endpoint on SQLite (about two minutes)
	TEST_DATABASES=sqlite $(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile --no-loadscope-reorder tests/unit tests/integration/authorization

# Unit and API tests on both cores (pytest-xdist; each worker has its own databases, and a test file
# stays on one worker so its servers start once); the browser tests after them, one at a time, as
# two Chromiums with their servers on two shared cores make the journeys' waits flaky.
# TEST_DATED_DATABASES=sqlite: a date-dependent API test runs here on SQLite and in pytest-faketime on
# PostgreSQL (tests/conftest.py), so each runs on both databases without running twice on one;
# the clockless ones run here on both.
pytest:
	TEST_DATED_DATABASES=sqlite $(BIN)/pytest -q -n 2 --dist loadfile --no-loadscope-reorder tests/unit tests/integration
	$(BIN)/pytest -q tests/e2e

# The date-dependent tests (API and browser) once more with the machine's clock moved by libfaketime
# to the last evening of a year in Stockholm: a rule that reads the real clock instead of the
# injected one, or a year without rates, shows up here. FAKE_NOW is UTC (21:30 UTC = 22:30 Stockholm).
# PostgreSQL here, as `make pytest` ran these tests on SQLite (so each runs once on each database);
# tests marked clockless (input validation, headers, uploads: nothing there reads a date) run once, there.
# The monotonic clock is faked too (only offset): with FAKETIME_DONT_FAKE_MONOTONIC, Python 3.11's
# time.sleep fails with EINVAL under libfaketime 0.9.10.
FAKE_NOW ?= 2027-12-31 21:30:00
pytest-faketime:
	TZ=UTC TEST_DATABASES=postgresql faketime '$(FAKE_NOW)' \
	  $(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile --no-loadscope-reorder -m "not clockless" tests/integration
	TZ=UTC TEST_DATABASES=postgresql faketime '$(FAKE_NOW)' \
	  $(BIN)/pytest -q -p no:cacheprovider -m "not clockless" tests/e2e

bench: deps ## Benchmarks (not tests): figures go to bench/results/
	@dpkg -s wrk >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) pwa/node_modules pwa/dist .mypy_cache .ruff_cache .pytest_cache
