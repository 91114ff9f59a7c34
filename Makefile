# Līdzdalība — two commands: `make demo` (serve with Liepāja demo data) and `make test`.
# Both are idempotent and install what they need (Python packages in .venv/, npm assets,
# and, when run as root, Debian packages such as chromium and postgresql).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
VENDOR := src/lidzdaliba/static/vendor


.PHONY: demo test install system-deps assets messages lint check-migrations test-sqlite test-postgres \
        test-e2e serve clean demo-reset makemessages

install: system-deps $(STAMP) assets messages

system-deps:
	@bash scripts/system-deps $(if $(filter test,$(MAKECMDGOALS)),test)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets (Debian: apt-get install npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/htmx $(VENDOR)/leaflet $(VENDOR)/markercluster
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js* node_modules/leaflet.markercluster/dist/MarkerCluster*.css $(VENDOR)/markercluster/
	touch $@

messages: $(STAMP)
	cd src/lidzdaliba && DEBUG=1 ../../$(BIN)/lidzdaliba compilemessages --ignore='.venv' -v 0

makemessages: $(STAMP)
	cd src/lidzdaliba && for l in lv en ru uk; do DEBUG=1 ../../$(BIN)/lidzdaliba makemessages -l $$l --no-obsolete --no-location -v 0; done

demo: install
	bash scripts/demo $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

check-migrations: $(STAMP)
	DEBUG=1 $(BIN)/lidzdaliba makemigrations --check --dry-run

test: install lint check-migrations
	bash scripts/test
