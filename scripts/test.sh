#!/usr/bin/env bash
# make test: lint, migrations check, translations, the suite on SQLite, again on a real PostgreSQL with
# the Celery paths against a real Redis and worker, and the browser journeys in headless Chromium.
# `--quick`: SQLite only, no services, no browser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
QUICK=0; [ "${1:-}" = "--quick" ] && { QUICK=1; shift; }
export VAR_DIR; VAR_DIR=$(mktemp -d /tmp/league-var.XXXXXX)
source scripts/services.sh
cleanup() { redis_stop; pg_stop; rm -rf "$VAR_DIR"; }
trap cleanup EXIT
started=$(date +%s)
unset DATABASE_URL CELERY_BROKER_URL
# The two suite passes run on pytest-xdist, one process per core (2 to 4): each process has its own test
# database, var directory and Redis database (tests/conftest.py), and the real-services tests stay together
# on one of them (--dist loadgroup). TEST_WORKERS=1 runs them in one process as before.
python -c "import xdist" 2>/dev/null || scripts/install.sh  # a .venv made before pytest-xdist was added
WORKERS=${TEST_WORKERS:-$(nproc)}
[ "$WORKERS" -lt 2 ] && WORKERS=2
[ "$WORKERS" -gt 4 ] && WORKERS=4
PARALLEL=(-n "$WORKERS" --dist loadgroup)
[ "${TEST_WORKERS:-}" = 1 ] && PARALLEL=()

echo "== ruff"
ruff check .
ruff format --check .
echo "== migrations are up to date"
python manage.py makemigrations --check --dry-run >/dev/null || { python manage.py makemigrations --check --dry-run; exit 1; }
echo "== translations compile"
python manage.py compilemessages --ignore=.venv -v0

echo "== pytest on SQLite"
pytest -q "${PARALLEL[@]}" -m "not e2e and not realservices" "$@"
[ "$QUICK" = 1 ] && { echo "== quick run passed in $(( $(date +%s) - started )) s"; exit 0; }

pg_start
redis_start
echo "== pytest on PostgreSQL, Celery against a real Redis and worker"
DATABASE_URL="$PG_URL" CELERY_BROKER_URL="$REDIS_URL" pytest -q "${PARALLEL[@]}" -m "not e2e and not exclusive" "$@"

echo "== alone on the same PostgreSQL and Redis: the tests that restart PostgreSQL (-m exclusive), then"
echo "   make scale (nginx, two app instances, two workers, one beat)"
DATABASE_URL="$PG_URL" CELERY_BROKER_URL="$REDIS_URL" pytest -q -m "exclusive or scale" "$@"

echo "== browser journeys in headless Chromium"
pytest -q -m e2e "$@"
echo "== make test passed in $(( $(date +%s) - started )) s"
