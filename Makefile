# The team's habits. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=on
SERVE_ENV := DEBUG=off STATIC_MANIFEST=on SECURE_SSL_REDIRECT=off SECRET_KEY=$${SECRET_KEY:-local-serve-only}

.PHONY: run test test-fast e2e screenshots install serve migrations-check lint format messages messages-check compile check-deploy bench bench-instructions demo soak lighthouse mutation

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Node tools for the checks (vnu.jar for e2e/test_html.py, Lighthouse); --ignore-scripts:
# vnu-jar's install script would download a Java the machine already has.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

install: $(VENV)/.installed

# A local .env for development (DEBUG on), so manage.py works without extra variables.
.env:
	cp .env.example $@

run: install .env
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Demo accounts and a product on the development database; prints how to sign in.
demo: install .env
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py demo_data

test: install node_modules/.package-lock.json
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

e2e: install node_modules/.package-lock.json
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

# The main pages (sv, en; desktop 1280 and phone 390 px) as PNGs for the README.
screenshots: install
	SCREENSHOT_DIR=docs/screenshots $(BIN)/pytest e2e/test_screenshots.py -q $(PYTEST_ARGS)

# Production settings on plain local HTTP (no TLS terminator in front).
serve: install
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/gunicorn -c centiro_site/gunicorn.conf.py centiro_site.wsgi

migrations-check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Swedish is the source language of our strings; en is the translation.
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l en --no-location --no-obsolete --ignore=.venv --ignore=staticfiles
	sed -i '/^"POT-Creation-Date:/d' locale/*/LC_MESSAGES/django.po

# locale_allauth/ (corrections of allauth's msgids) is kept by hand and only compiled here.
# Fails when a catalogue has an untranslated or fuzzy entry, or is out of date with the code.
messages-check: messages compile
	@for po in locale/en/LC_MESSAGES/django.po locale_allauth/*/LC_MESSAGES/django.po; do \
	  bad=$$(msgattrib --untranslated --no-obsolete $$po; msgattrib --only-fuzzy --no-obsolete $$po); \
	  if [ -n "$$bad" ]; then echo "$$bad"; echo "Untranslated or fuzzy entries in $$po"; exit 1; fi; \
	done
	git diff --exit-code -- locale locale_allauth || { echo "make messages / make compile changed the catalogues: commit them"; exit 1; }

compile: install
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=off SECURE_SSL_REDIRECT=on STATIC_MANIFEST=on SECRET_KEY=check-deploy-only-$$(date +%s)-a-long-random-looking-value-for-the-check $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install
	$(BIN)/python benchmarks/load.py

# Instructions per request of each bench page and the baseline, counted by valgrind's callgrind:
# the same on every run, so one commit compares with the next on a noisy machine. ~15 minutes.
bench-instructions: install
	$(BIN)/python benchmarks/instructions.py $(BENCH_ARGS)

# Lighthouse's four scores for the home and policy pages (sv, en) under `make serve`'s settings;
# needs `npm ci --ignore-scripts` and Debian's chromium. A few minutes; not part of `make test`.
# LIGHTHOUSE_ARGS="--runs 1" for a quick look.
lighthouse: install node_modules/.package-lock.json
	$(BIN)/python -m benchmarks.lighthouse $(LIGHTHOUSE_ARGS)

# Three minutes of mixed traffic through nginx to two nodes while a worker, PostgreSQL and
# Redis are broken; prints what was served and what was kept. SOAK_ARGS="--seconds 60".
soak: install
	$(BIN)/python benchmarks/soak.py $(SOAK_ARGS)

# Mutation testing of the modules the policy's promises rest on: each module's score and every
# surviving mutant (docs/operations.md, "Mutation testing"). MUTATION_ARGS="--module consent/state.py --database-url
# postgres://postgres@127.0.0.1:5432/centiro" for one module on PostgreSQL. Tens of minutes.
mutation: install
	$(BIN)/python benchmarks/mutation.py $(MUTATION_ARGS)
