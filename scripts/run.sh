#!/usr/bin/env bash
# make run: migrate, compile translations, collect static, load the demo data, then serve the site on
# 127.0.0.1:$PORT with a Celery worker and beat beside it. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
PORT=${PORT:-8000}
python manage.py migrate --noinput -v0
python manage.py compilemessages --ignore=.venv -v0
python manage.py collectstatic --noinput -v0
python manage.py seed_demo

pids=()
stop() { trap - INT TERM EXIT; echo; echo "Stopping…"; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

celery -A league worker --beat --scheduler django_celery_beat.schedulers:DatabaseScheduler \
  -l info --concurrency 2 -n "worker@%h" --schedule var/celerybeat-schedule > var/celery.log 2>&1 &
pids+=($!)

cat <<MSG

  The platform is at http://127.0.0.1:${PORT}/   (Celery worker + beat log: var/celery.log)
  Demo logins (password league-demo):
    admin           platform admin
    province        团浙江省委 staff
    city            团宁波市委 staff
    county          团鄞州区委 staff
    street          鄞州区中河街道团工委 secretary
    street_sibling  鄞州区首南街道团工委 secretary
    instructor      中河街道 instructor
  Press Ctrl-C to stop.

MSG
python manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=($!)
wait -n "${pids[@]}"
