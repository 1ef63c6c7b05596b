# IODP: `make run` sets up and serves the platform; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Proxies gunicorn accepts X-Forwarded-* from; behind one, also set IODP_TRUSTED_PROXY_COUNT (README, Deployment).
FORWARDED_ALLOW_IPS ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= iodp.settings.local

.PHONY: manual run setup serve test test-fast lint messages clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed, so a second `make run` starts fast.
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py collectstatic --noinput -v0

run: setup
	@echo "IODP serving on http://$(HOST):$(PORT)/ (with the background-job worker)"
	exec bash scripts/serve.sh iodp.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - \
		--forwarded-allow-ips="$(FORWARDED_ALLOW_IPS)"

test: $(VENV)/.installed-dev
	@bash scripts/ensure-browser.sh
	@bash scripts/ensure-libreoffice.sh
	DJANGO_SETTINGS_MODULE=iodp.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=iodp.settings.test $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# 使用手册: refresh its screenshots (every browser test's shot() of a page the manual shows) and then its PDF.
manual: $(VENV)/.installed-dev
	@bash scripts/ensure-browser.sh
	IODP_MANUAL_BUILD=1 DJANGO_SETTINGS_MODULE=iodp.settings.test $(PY) -m pytest -q tests/e2e \
		--deselect tests/e2e/test_manual_journey.py
	IODP_MANUAL_BUILD=1 DJANGO_SETTINGS_MODULE=iodp.settings.test $(PY) -m pytest -q tests/e2e/test_manual_journey.py

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

# Regenerate the English catalogue after changing UI strings (needs gettext: apt-get install gettext).
messages: $(VENV)/.installed-dev
	cd iodp && ../$(PY) ../manage.py makemessages -l en --no-obsolete --ignore=static/vendor
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var/static
