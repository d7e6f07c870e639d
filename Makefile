# Two commands do everything on a fresh machine with Python 3.11+, make and git:
#   make run    install, migrate, load content, create demo data, serve on 127.0.0.1:$(PORT)
#   make test   install, then lint and the whole test suite
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
NODE_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)
DEV_ENV := DJANGO_DEBUG=true

.PHONY: run test serve install setup lint format messages lock clean mutants cluster loadtest bench lighthouse

run: setup
	@echo ""
	@echo "  Data Trail is running at http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (local only, password demo-pass-2026): teacher, student1 ... student5"
	@echo ""
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

setup: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_content
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

test: install lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/python deploy/loadtest.py --short

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Mutation testing over services, selectors and content loaders (about half an hour on two cores);
# docs/testing.md lists the score and the surviving mutants judged equivalent.
mutants: install
	rm -rf mutants
	$(BIN)/mutmut run --max-children $${MUTMUT_CHILDREN:-2}
	$(BIN)/mutmut results

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Production configuration: DEBUG off, gunicorn, whitenoise. DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS must come from the environment. TLS is terminated in front of
# gunicorn in production; locally there is none, so HTTPS redirects are switched off here.
serve: install
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: set DJANGO_SECRET_KEY (and DJANGO_ALLOWED_HOSTS)"; exit 2; }
	@test -n "$$DJANGO_ALLOWED_HOSTS" || { echo "make serve: set DJANGO_ALLOWED_HOSTS, e.g. 127.0.0.1"; exit 2; }
	DJANGO_SECURE_SSL_REDIRECT=false $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SECURE_SSL_REDIRECT=false $(BIN)/python manage.py migrate --noinput
	DJANGO_SECURE_SSL_REDIRECT=false $(BIN)/python manage.py load_content
	DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false $(BIN)/gunicorn config.wsgi \
		--bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-3} --preload --no-control-socket --access-logfile -

# The production layout on loopback: a throwaway PostgreSQL, two gunicorn instances, nginx on
# http://127.0.0.1:8080/ until Ctrl-C (needs nginx: apt-get install -y nginx-light). docs/operations.md.
cluster: install
	deploy/cluster

# Simulated students and a teacher with a worker (and, in cluster mode, an instance) killed mid-run, then
# every acknowledged write checked: `make loadtest` (one instance) or `make loadtest MODE=cluster`;
# more options with LOADTEST_ARGS="--clients 20 --duration 30". docs/reliability.md.
MODE ?= single
loadtest: install
	$(BIN)/python deploy/loadtest.py --mode $(MODE) $(LOADTEST_ARGS)

# The production configuration measured with wrk against its own ceiling, in under 5 minutes; the table
# goes to docs/performance.md. A benchmark, not a test (needs wrk: apt-get install -y wrk).
bench: install
	@command -v wrk >/dev/null || { echo "make bench: installing wrk"; apt-get install -y wrk >/dev/null; }
	$(BIN)/python deploy/bench.py $(BENCH_ARGS)

# Lighthouse 12.8.2 (npx, from the npm registry) in the system's Chromium on five page types in both
# languages, against the production configuration; scores to docs/performance.md, fails below 95.
lighthouse: install
	$(BIN)/python deploy/lighthouse.py $(LIGHTHOUSE_ARGS)

install: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

# Test tools from npm, pinned in package-lock.json: only vnu-jar, the Nu HTML Checker that
# tests/test_html_validity.py runs with the system's Java 17+. --ignore-scripts because its
# post-install script would download a Java runtime. Without npm that test is skipped (CI fails it).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: vnu-jar not installed, so the HTML validity test will be skipped"; \
	fi

messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l ar --no-location --ignore=.venv --ignore=tests
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -l ar --ignore=.venv

# Regenerate the pinned versions from pyproject.toml's ranges.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[dev]"
	.lock-venv/bin/pip freeze --exclude data-trail > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules db.sqlite3* .test-db* staticfiles mutants
