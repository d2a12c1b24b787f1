# Tremplin — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_AGENTS ?= 6000
HOST ?= 127.0.0.1
PORT ?= 8000

# NumPy's BLAS threads fight the test workers and the web process for 2 cores.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: demo test test-e2e lint ci install migrate seed serve clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# A local settings file for the demo: DEBUG on, a random secret, never committed.
.env:
	$(PYTHON) -c "import secrets; print('DJANGO_DEBUG=1'); print('DJANGO_SECRET_KEY=' + secrets.token_urlsafe(50))" > .env

migrate: install .env
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --agents $(DEMO_AGENTS) --seed 1 --if-empty

serve:
	@echo "Tremplin : http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter)"
	$(PY) manage.py db_worker --interval 1 >/dev/null 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## make demo — install, migrate, seed a 6,000-agent collectivité, serve it.
demo: seed serve

## make test — the whole suite (browser tests included when Chromium is installed).
test: install .env
	$(PY) -m pytest -n 2 -q
	$(PY) -m pytest -q -m e2e tests/e2e

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint tremplin --lint
	DJANGO_SECRET_KEY=lint $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) tremplin.sqlite3 tremplin.sqlite3-* staticfiles
