# The two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LEARNWARD_DATA_DIR ?= $(CURDIR)/var
PYTEST_ARGS ?= -n 2 -q

.PHONY: run test install install-test e2e-deps lint format worker clean mutation cluster-test vendor screenshots messages

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@

e2e/node_modules/axe-core/axe.min.js: e2e/package.json e2e/package-lock.json
	npm ci --prefix e2e --no-audit --no-fund --silent

install: $(VENV)/.installed

# The SSO tests' OpenID provider (node-oidc-provider on loopback, tests/sso/).
tests/sso/oidc_provider/node_modules/oidc-provider/package.json: tests/sso/oidc_provider/package.json tests/sso/oidc_provider/package-lock.json
	npm ci --prefix tests/sso/oidc_provider --no-audit --no-fund --silent
	touch $@

install-test: $(VENV)/.test-installed e2e/node_modules/axe-core/axe.min.js tests/sso/oidc_provider/node_modules/oidc-provider/package.json

run: install
	mkdir -p "$(LEARNWARD_DATA_DIR)"
	$(BIN)/learnward migrate --noinput
	$(BIN)/learnward demo --if-empty
	$(BIN)/learnward runserver 127.0.0.1:8000

# Rewrite the visual checks' reference images (e2e/visual/) from the current pages: a deliberate
# act. Look at every changed image (git diff --stat e2e/visual/) before committing them.
screenshots: install-test
	LEARNWARD_UPDATE_SCREENSHOTS=1 $(BIN)/pytest -p no:xdist -q e2e/test_visual.py

worker: install
	$(BIN)/learnward worker

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$LEARNWARD_TEST_POSTGRES_URL" ]; then \
	  $(BIN)/python -c "import os, psycopg; psycopg.connect(os.environ['LEARNWARD_TEST_POSTGRES_URL'], connect_timeout=5).close()" \
	    || { echo "PostgreSQL at LEARNWARD_TEST_POSTGRES_URL cannot be reached: failing the run."; exit 1; }; \
	  echo "Running the suite again on PostgreSQL"; \
	  DATABASE_URL="$$LEARNWARD_TEST_POSTGRES_URL" $(BIN)/pytest $(PYTEST_ARGS); \
	else \
	  echo "PostgreSQL pass skipped: LEARNWARD_TEST_POSTGRES_URL is not set."; \
	fi

# The production topology on loopback: HAProxy in front of two `learnward serve` nodes, two
# workers, PostgreSQL, Redis and moto's S3 server (tests_cluster/). Needs haproxy and redis-server.
cluster-test: install-test
	$(BIN)/pytest -p no:django -p no:cacheprovider -W ignore::pytest.PytestConfigWarning -q -rA tests_cluster

# Mutation testing of the modules that carry the promises ([tool.mutmut] in pyproject.toml); slow,
# so not part of `make test`. Prints the score per module (tools/mutation_report.py).
mutation: install-test
	rm -rf mutants
	mkdir -p var/mutation
	LEARNWARD_DATA_DIR=$(CURDIR)/var/mutation $(BIN)/mutmut run --max-children 2 >/dev/null || true
	$(BIN)/python tools/mutation_report.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser libraries shipped in the static files, from npm (vendor/package.json): the copies are
# committed, so `make run` needs no npm; run this after changing a version there.
PACKAGES_VENDOR := learnward/packages/static/packages/vendor
vendor:
	npm ci --prefix vendor --no-audit --no-fund --silent
	cp vendor/node_modules/scorm-again/dist/scorm-again.min.js $(PACKAGES_VENDOR)/scorm-again.min.js
	# its source map too: the script names it, and `learnward deploy` hashes what it names
	cp vendor/node_modules/scorm-again/dist/scorm-again.min.js.map $(PACKAGES_VENDOR)/scorm-again.min.js.map
	cp vendor/node_modules/scorm-again/LICENSE $(PACKAGES_VENDOR)/scorm-again.LICENSE

clean:
	rm -rf $(VENV) e2e/node_modules tests/sso/oidc_provider/node_modules mutants vendor/node_modules

# Extract every marked message into the Dutch and French catalogues (learnward/locale/), then
# compile them. Translate what is new (docs/translation.md) and commit the .po and .mo files.
messages:
	cd learnward && PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=learnward.settings ../$(BIN)/django-admin makemessages \
		-l nl -l fr --ignore 'static/*' --ignore '*/static/*' --add-location never --no-obsolete
	cd learnward && PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=learnward.settings ../$(BIN)/django-admin compilemessages
