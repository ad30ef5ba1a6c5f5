# The two commands: `make run` and `make test`. Everything they need is installed on first use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8000

.PHONY: run test quick fuzz lint format install sysdeps messages bench clean backup restore scale

$(STAMP): pyproject.toml scripts/install.sh
	@scripts/install.sh
	@touch $(STAMP)

install: $(STAMP)

sysdeps:
	@scripts/sysdeps.sh

run: $(STAMP)
	@PORT=$(PORT) scripts/run.sh

test: $(STAMP)
	@scripts/sysdeps.sh
	@scripts/test.sh

# Quicker loop while working: lint, migrations check and the suite on SQLite only (no PostgreSQL,
# Redis or browser). Never a replacement for `make test`.
quick: $(STAMP)
	@scripts/test.sh --quick

# Fresh random values for every form and import (make test uses a fixed seed): run it after adding a form.
fuzz: $(STAMP)
	FUZZ_RANDOM=1 FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-60} $(BIN)/pytest tests/security/test_fuzz_forms.py -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=static/vendor --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Production-shaped on 127.0.0.1: nginx, two gunicorn instances, two workers, one beat (docs/deploy.md).
scale: $(STAMP)
	@scripts/sysdeps.sh
	@PORT=$(PORT) scripts/scale.sh

bench: $(STAMP)
	@scripts/sysdeps.sh
	@SCALE=$(SCALE) scripts/bench.sh

# Back up / restore the configured database (DATABASE_URL): `make backup`, `make restore FILE=...`.
backup: $(STAMP)
	@$(BIN)/python manage.py backup $(FILE)

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/league-....(dump|sqlite3)"; exit 2; }
	@$(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf var/ .pytest_cache
