# Two commands do all set-up: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(shell command -v $(PYTHON) 2>/dev/null || command -v python3)

.PHONY: run test test-slow install install-dev frontend-deps messages browser pdftools lint bench bench-scale bench-surge fuzz serve clean screenshots tour-screenshots

$(UV):
	$(UV_PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV)  ## runtime dependencies, exactly as locked
	$(UV) sync --frozen --no-dev --quiet
	@$(MAKE) --no-print-directory frontend-deps messages

install-dev: $(UV)  ## runtime + test dependencies, exactly as locked
	$(UV) sync --frozen --quiet
	@$(MAKE) --no-print-directory frontend-deps messages

frontend-deps:
	@if [ -f frontend/package-lock.json ]; then \
	  if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then \
	    (cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error); \
	  fi; \
	fi

messages:  ## compile translations (.mo files are build outputs, not committed)
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq gettext >/dev/null; } || true
	@# compilemessages fails when there is no catalogue yet; skip it until one exists.
	@if find . \( -name .venv -o -name .tools -o -name node_modules -o -name .git \) -prune \
	    -o -name '*.po' -print -quit | grep -q .; then \
	  DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=frontend/node_modules -v0; \
	fi

run: install  ## migrate, seed the demo and serve http://127.0.0.1:$(PORT) (SQLite, eager Celery)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input -v1
	DJANGO_DEBUG=1 $(PY) manage.py demo
	@# SCORM packages are served from localhost, a second origin of this same server, so that
	@# packages whose pages script each other (Rise 360) play as on a separate content origin.
	DJANGO_DEBUG=1 SCORM_CONTENT_URL=$${SCORM_CONTENT_URL:-http://localhost:$(PORT)/scorm-content/} \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

browser:  ## Debian's chromium for the browser tests (root only; never a downloaded browser)
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium."; \
	  else echo "chromium is missing and this is not root: browser tests will be skipped."; fi; \
	fi

pdftools:  ## pdftotext/pdfinfo (Debian poppler-utils) for the certificate PDF text tests (root only)
	@if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's poppler-utils for the PDF tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	      || echo "Could not install poppler-utils."; \
	  else echo "pdftotext is missing and this is not root: PDF text tests will be skipped."; fi; \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install-dev browser pdftools  ## everything the default suite needs, then the suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DJANGO_TESTING=1 $(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

test-slow: install-dev browser pdftools  ## the slow suites (tests/conftest.py SLOW_SUITES); CI runs both
	$(VENV)/bin/pytest -m slow $(PYTEST_ARGS)

screenshots: install-dev browser  ## key pages per role, desktop and phone, into test-artifacts/screenshots/
	$(VENV)/bin/pytest -q tests/e2e/test_screenshots.py $(PYTEST_ARGS)
	@echo "Screenshots: test-artifacts/screenshots/"

tour-screenshots: install-dev browser  ## the pictures of docs/tour.md, from the four journeys, into docs/tour/
	TOUR_SCREENSHOTS=docs/tour $(VENV)/bin/pytest -q tests/e2e/test_journeys.py $(PYTEST_ARGS)
	@ls -s docs/tour/

fuzz: install-dev  ## long schemathesis run over the whole API: more examples, every check, any seed
	FUZZ=1 $(VENV)/bin/pytest -q tests/api/test_fuzz.py $(PYTEST_ARGS)

bench: install-dev  ## benchmarks (slow; not part of `make test`)
	$(PY) -m tests.bench.run $(BENCH_ARGS)

# The 100,000-trainee data set (1M enrolments, ~10M progress rows, 2M attempts) in its own
# database; seeding it takes minutes, so BENCH_ARGS="--reuse-db" runs again on the same data.
BENCH_SCALE_URL ?= postgres://postgres@127.0.0.1:5432/ttdn_bench_scale
bench-scale: install-dev  ## benchmarks at 100k trainees + EXPLAIN of the hot queries (slower)
	$(PY) -m tests.bench.run --pg-url $(BENCH_SCALE_URL) --users 100000 --explain \
		--only me,course-outline,lesson-complete $(BENCH_ARGS)

clean:
	rm -rf var/static test-artifacts bench-results

SURGE_MODEL ?= gthread
SURGE_WORKERS ?= 2
SURGE_THREADS ?= 4
SURGE_TRAINEES ?= 2000
bench-surge: install-dev  ## open-loop exam surge (tests/bench/exam_surge.py; SURGE_WINDOW, SURGE_THINK env)
	$(PY) -m tests.bench.run --only exam-surge --worker-class $(SURGE_MODEL) --workers $(SURGE_WORKERS) \
		--threads $(SURGE_THREADS) --exam-trainees $(SURGE_TRAINEES) $(BENCH_ARGS)
