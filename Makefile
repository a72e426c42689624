# The hall portal's commands. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BENCH_SCALE ?= small
# `make test` runs the suite in pytest-xdist workers, one per core (at most 8), each on a test database
# and a Redis database of its own (tests/conftest.py). XDIST=0 runs it in one process; XDIST=3 in three.
XDIST ?= auto
XDIST_ARGS := $(if $(filter 0,$(XDIST)),,-n $(XDIST) --maxprocesses=8)

.PHONY: run test lint bench messages check-deploy clean axe echarts

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed-run

# axe-core (from the npm registry, the version pinned in package.json and package-lock.json) for the
# browser tests' accessibility checks (tests/e2e/conftest.py's `axe` fixture). Installed into var/node
# with `npm ci` (the lock's integrity hash checked); again only when the pin changes.
AXE := var/node/node_modules/axe-core/axe.min.js
# Apache ECharts (the supervision desk's charts) comes from the same pinned `npm ci`.
ECHARTS_NPM := var/node/node_modules/echarts/dist/echarts.min.js
# One `npm ci` installs both; the ECharts file is made by the axe-core rule (no grouped targets: they
# need GNU make 4.3).
$(AXE): package.json package-lock.json
	mkdir -p var/node
	cp package.json package-lock.json var/node/
	cd var/node && npm ci --include=dev --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(AXE) $(ECHARTS_NPM)
$(ECHARTS_NPM): $(AXE)

## axe: install axe-core for the browser tests (also done by `make test`)
axe: $(AXE)

# ECharts' built file and licences (its own, its NOTICE, and zrender's, which the file bundles) are
# copied into static/vendor/echarts/ and committed, so the pages serve it from static/ (no CDN; `make
# run` works offline, on an intranet). `make test` installs the npm package but does not copy it:
# tests/hall/test_vendored_echarts.py checks the committed copy is npm's byte for byte, so a pin
# changed without `make echarts` and a commit of the new copy fails there.
## echarts: install Apache ECharts from the npm registry and copy it into static/vendor/echarts/
echarts: $(ECHARTS_NPM)
	mkdir -p static/vendor/echarts
	cp var/node/node_modules/echarts/dist/echarts.min.js var/node/node_modules/echarts/LICENSE \
		var/node/node_modules/echarts/NOTICE static/vendor/echarts/
	cp var/node/node_modules/zrender/LICENSE static/vendor/echarts/LICENSE-zrender

## run: migrate, load demo data and serve at http://127.0.0.1:8000 with a Celery worker and beat
# SMS (codes to log in, register, reset a password) are written to var/sms.jsonl, not sent.
run: export HALL_SMS_GATEWAY ?= apps.notifications.channels.RecordingSmsGateway
run: $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runhall 127.0.0.1:8000

## test: the whole suite (unit, integration, browser) on the configured database, in parallel
test: $(VENV)/.installed-test $(AXE) $(ECHARTS_NPM)
	$(PY) -m pytest $(XDIST_ARGS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check apps hall tests benchmarks

## bench: benchmarks on the configured database; BENCH_SCALE=small|full
bench: $(VENV)/.installed-test
	BENCH_SCALE=$(BENCH_SCALE) $(PY) -m benchmarks

## messages: refresh the Chinese catalogue after changing UI strings (needs GNU gettext)
messages: $(VENV)/.installed-run
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages -l zh_Hans --ignore '.venv/*'

clean:
	rm -rf var staticfiles
