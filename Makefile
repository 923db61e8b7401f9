# itda — two commands: `make demo` and `make test`. Everything else here serves them.
SHELL := /bin/bash
# Python 3.11: python3.11 where it exists, else python3 (checked to be 3.11 below).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo prints links and QR codes for this port (settings.public_url) unless ITDA_PUBLIC_URL is set.
export PORT

.PHONY: demo dev test install static serve stop lint check-deploy prod-check bench fuzz clean

$(STAMP): requirements.lock pyproject.toml package.json package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
	  || { echo "Python 3.11 is required (found: $(PYTHON)). Python 3.11이 필요합니다."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/build_static.mjs
	touch $(STAMP)

install: $(STAMP)

static: install
	node scripts/build_static.mjs

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py generate_demo --seed 1 --scale 1
	$(PY) manage.py demo_logins
	$(PY) manage.py serve --bind $(HOST):$(PORT)

# The autoreloading development server (tasks run inside the request that enqueued them).
dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ ! -x /usr/bin/chromium ]; then \
	  echo "NOTE: browser tests SKIPPED - Chromium is not installed at /usr/bin/chromium (apt-get install chromium chromium-driver). 브라우저 테스트를 건너뛰었습니다."; \
	fi; \
	if ! $(PY) -c "import weasyprint" >/dev/null 2>&1; then \
	  echo "NOTE: PDF tests SKIPPED - WeasyPrint cannot load Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0; ITDA_REQUIRE_PDF=1 makes them fail instead). PDF 테스트를 건너뛰었습니다."; \
	fi; exit $$status

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# Production settings must pass the deploy checklist with no warning at all.
check-deploy: install
	ITDA_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=itda.example.kr \
	FIELD_ENCRYPTION_KEYS=k1:$$(head -c 32 /dev/urandom | base64) \
	$(PY) manage.py check --deploy --fail-level WARNING

# The production settings served locally: manifest static files collected into
# $$ITDA_DATA_DIR/staticfiles, gunicorn and the task worker, at http://127.0.0.1:8001 (plain
# HTTP, so no redirect; its cookies are HTTPS-only: log in through an HTTPS proxy, as in
# production).
prod-check: check-deploy
	export ITDA_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 \
	  FIELD_ENCRYPTION_KEYS=k1:$$(head -c 32 /dev/urandom | base64) && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py serve --bind 127.0.0.1:8001

stop:
	$(PY) manage.py embedded_pg stop

# schemathesis over the whole API as every role, longer than the suite's bounded run
# (itda/api/tests/test_fuzz.py): FUZZ_EXAMPLES fuzzing examples per operation.
FUZZ_EXAMPLES ?= 100
fuzz: install
	ITDA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -p no:randomly itda/api/tests/test_fuzz.py

bench: install
	$(PY) bench/demo_generation.py --scale 100 --runs 3
	$(PY) bench/certificates.py --trainees 600

clean: stop
	rm -rf $(VENV) node_modules itda/static_build .itda
