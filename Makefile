# The verbs everyone uses. Each works as the first command on a fresh clone: it builds .venv when needed
# and, when DATABASE_URL is not set, starts the project's own PostgreSQL (scripts/devdb.py).

VENV       := .venv
PYTHON     := $(VENV)/bin/python
UV_VERSION := 0.13.8
UV_STAMP   := $(VENV)/uv-$(UV_VERSION).stamp
SYNC_STAMP := $(VENV)/synced.stamp
MANAGE     := $(PYTHON) manage.py
PYTEST     := $(VENV)/bin/pytest
RUFF       := $(VENV)/bin/ruff
DEVDB      := $(PYTHON) scripts/devdb.py

# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k scoring --create-db".
PYTEST_ARGS ?=

# A shell fragment, not a make variable, so that only the recipes using it start a database.
WITH_DB = DATABASE_URL="$${DATABASE_URL:-$$($(DEVDB) url)}" && export DATABASE_URL

.DEFAULT_GOAL := help
.PHONY: help venv browser-deps search-deps css lighthouse run test e2e lint fmt messages db-stop clean

help:
	@echo "make run      serve http://127.0.0.1:8000 with demo data and the task worker (prints the demo logins)"
	@echo "make test     run the tests, as CI does"
	@echo "make e2e      run the browser tests only (pytest -m e2e)"
	@echo "make lint     ruff check, ruff format --check and lint-imports (the apps' layers)"
	@echo "make fmt      fix what ruff can fix, then format"
	@echo "make messages update the fi/sv/en catalogues in locale/ and compile them (needs GNU gettext)"
	@echo "make css      rebuild static/css/bootstrap.subset.css from the templates' classes (after adding classes)"
	@echo "make lighthouse  Lighthouse (mobile) scores of the main pages, against a production-like server"
	@echo "make db-stop  stop the project's own PostgreSQL (.devdb/)"
	@echo "make clean    stop it and remove .venv, .devdb and caches"

venv: $(SYNC_STAMP)

# python3.13, or python3 if that is 3.13. Each is run, not only looked up: a pyenv shim exists for a version
# that is installed but not selected.
$(PYTHON):
	@python=""; \
	for candidate in python3.13 python3; do \
		if $$candidate -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then \
			python=$$candidate; break; \
		fi; \
	done; \
	if [ -z "$$python" ]; then echo "make: Python 3.13 is needed, as python3.13 or python3" >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$(command -v $$python)"; \
	$$python -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(UV_STAMP): | $(PYTHON)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@touch $@

# Reruns only when the lock file (or the pinned uv) changes.
$(SYNC_STAMP): uv.lock $(UV_STAMP)
	$(VENV)/bin/uv sync --frozen
	@touch $@

# The browser tests need Debian's chromium and the npm package axe-core (pinned in package-lock.json).
# Neither is downloaded at test time: they are installed here, once, by the set-up.
BROWSER_STAMP := node_modules/.browser-deps.stamp

browser-deps: $(BROWSER_STAMP)

$(BROWSER_STAMP): package-lock.json
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
		else \
			echo "make: the browser tests need Chromium: install Debian's chromium package" >&2; exit 1; \
		fi; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Finnish search lemmatises and splits compounds with Voikko: Debian's libvoikko1 and voikko-fi (the libvoikko
# binding is pinned in uv.lock). Installed here by the set-up when root, as chromium is; without them the service
# still runs, on the snowball stemmer alone (/healthz and the log say so), but the tests need them.
VOIKKO_STAMP := $(VENV)/voikko.stamp
VOIKKO_CHECK := $(PYTHON) -c 'import libvoikko; libvoikko.Voikko("fi").terminate()'

search-deps: $(VOIKKO_STAMP)

$(VOIKKO_STAMP): $(SYNC_STAMP)
	@$(VOIKKO_CHECK) >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's libvoikko1 and voikko-fi for Finnish search"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvoikko1 voikko-fi >/dev/null; \
		else \
			echo "make: Finnish search needs Voikko: install Debian's libvoikko1 and voikko-fi packages" >&2; exit 1; \
		fi; }
	@$(VOIKKO_CHECK) && touch $@

# Only the Bootstrap rules the pages use (PurgeCSS, pinned in package-lock.json); the result is committed.
css: venv browser-deps
	node scripts/build-css.mjs

# Lighthouse (pinned in package-lock.json) against Debian's chromium; needs the demo data (make run once).
lighthouse: venv browser-deps
	@$(WITH_DB) && $(PYTHON) scripts/lighthouse.py

# The web server and the task worker (e-mails, timed work) side by side; Ctrl-C stops both.
RUN_ADDR ?= 127.0.0.1:8000

run: venv
	@$(MAKE) --no-print-directory search-deps || \
		echo "make: continuing without Voikko: Finnish search runs on the snowball stemmer only (see /healthz)" >&2
	@$(WITH_DB) && \
	$(MANAGE) migrate --no-input && \
	$(MANAGE) load_reference_data && \
	$(MANAGE) seed_demo && \
	$(MANAGE) update_search_index && \
	echo "Serving http://$(RUN_ADDR) with the task worker (Ctrl-C stops both; the database keeps running until make db-stop)" && \
	{ $(MANAGE) worker & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(RUN_ADDR); }

# pytest exits 5 when it collected no tests: that is a failure, said plainly.
test: venv browser-deps search-deps
	@$(WITH_DB) && $(PYTEST) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make: pytest collected no tests" >&2; fi; \
	exit $$status

e2e: venv browser-deps search-deps
	@$(WITH_DB) && $(PYTEST) -m e2e $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make: pytest collected no browser tests" >&2; fi; \
	exit $$status

lint: venv
	$(RUFF) check .
	$(RUFF) format --check .
	$(VENV)/bin/lint-imports

fmt: venv
	$(RUFF) check --fix .
	$(RUFF) format .

# English is the source language: its catalogue is the identity (msgen), Finnish and Swedish are translated by hand.
messages: venv
	$(MANAGE) makemessages -l fi -l sv -l en --no-location --ignore='.venv/*' --ignore='node_modules/*' \
		--ignore='tests/*' --ignore='scripts/*' --ignore='staticfiles/*'
	msgattrib --clear-fuzzy --empty --no-wrap locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	msgen --no-wrap locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore='.venv/*' --ignore='node_modules/*'

db-stop:
	@if [ -d .devdb ] && [ -x $(PYTHON) ]; then $(DEVDB) stop; else echo "no project database to stop"; fi

# Leaves media/, private_media/ and .env alone: they may hold files someone wants to keep.
clean: db-stop
	rm -rf $(VENV) .devdb staticfiles artifacts .pytest_cache .ruff_cache .import_linter_cache
	find . -name __pycache__ -type d -not -path './node_modules/*' -prune -exec rm -rf {} +
