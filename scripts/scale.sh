#!/usr/bin/env bash
# make scale: a production-shaped deployment of the current checkout on 127.0.0.1 —
# throwaway PostgreSQL and Redis, two gunicorn instances behind nginx (load balancer and static files),
# two Celery workers, one beat (a singleton: see ops/beat.py), DEBUG off. Ctrl-C stops everything.
#
#   scripts/scale.sh                    start (PORT=8000; SEED=0 skips the demo data)
#   scripts/scale.sh restart web1       stop web1 gracefully, start it again, wait until it answers
#   scripts/scale.sh rolling-restart    the same for web1 then web2 (a deploy without downtime)
#
# Everything lives under SCALE_DIR (default var/scale): logs/ (all logs), run/ (pid files), env (the
# environment every process got: `set -a; . var/scale/env` to run manage.py or a second beat by hand).
# DATABASE_URL / CELERY_BROKER_URL / CACHE_URL, when set, use those servers instead of throwaway ones.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/.venv/bin:$PATH"
SCALE_DIR=$(mkdir -p "${SCALE_DIR:-$ROOT/var/scale}" && cd "${SCALE_DIR:-$ROOT/var/scale}" && pwd)
RUN=$SCALE_DIR/run
LOG=$SCALE_DIR/logs

wait_http() {  # wait_http URL [seconds]: until it answers 200
  local url=$1 deadline=$(( $(date +%s) + ${2:-30} ))
  until curl -fs -o /dev/null --max-time 2 "$url"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "!! $url did not answer" >&2; return 1; }
    sleep 0.2
  done
}

restart_web() {
  local name=$1 old port
  old=$(cat "$RUN/$name.pid"); port=$(cat "$RUN/$name.port")
  echo "== restarting $name (pid $old, port $port)"
  kill -TERM "$old"
  while kill -0 "$old" 2>/dev/null; do sleep 0.1; done
  until [ -s "$RUN/$name.pid" ] && [ "$(cat "$RUN/$name.pid")" != "$old" ]; do sleep 0.1; done
  wait_http "http://127.0.0.1:$port/healthz" 60
  # nginx took it out of rotation when its connections were refused: wait until nginx sends it traffic
  # again (fail_timeout in the site), or stopping the other instance next would leave none.
  local nginx_port; nginx_port=$(cat "$RUN/nginx.port")
  until curl -fs -o /dev/null -D - "http://127.0.0.1:$nginx_port/healthz" | grep -qi "^x-upstream: 127.0.0.1:$port"; do
    sleep 0.2
  done
  echo "== $name is back (pid $(cat "$RUN/$name.pid")) and in nginx's rotation"
}

case "${1:-start}" in
  restart) restart_web "${2:?web1 or web2}"; exit 0 ;;
  rolling-restart) restart_web web1; restart_web web2; exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start | restart web1|web2 | rolling-restart]" >&2; exit 2 ;;
esac

[ -e "$RUN/scale.pid" ] && kill -0 "$(cat "$RUN/scale.pid")" 2>/dev/null \
  && { echo "!! already running (pid $(cat "$RUN/scale.pid")) in $SCALE_DIR" >&2; exit 1; }
rm -rf "$RUN" "$LOG"; mkdir -p "$RUN" "$LOG" "$SCALE_DIR/media" "$SCALE_DIR/nginx"
echo $$ > "$RUN/scale.pid"
source scripts/services.sh
unset PG_DIR REDIS_DIR  # only what this script starts is stopped by it (not a caller's servers)

pids=()
stopping=0
stop() {
  trap - INT TERM EXIT
  stopping=1; touch "$RUN/stopping"
  echo; echo "== stopping everything"
  [ -s "$RUN/nginx.pid" ] && kill -QUIT "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for name in web1 web2 worker1 worker2 beat; do
    [ -s "$RUN/$name.pid" ] && kill -TERM "$(cat "$RUN/$name.pid")" 2>/dev/null || true
  done
  local deadline=$(( $(date +%s) + 15 ))
  for name in web1 web2 worker1 worker2 beat nginx; do
    local pid; pid=$(cat "$RUN/$name.pid" 2>/dev/null) || continue
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  redis_stop; pg_stop
  rm -f "$RUN/scale.pid" "$RUN/ready"
  echo "== stopped"
}
trap stop INT TERM EXIT

# --- services ---------------------------------------------------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then pg_start >/dev/null; DATABASE_URL=$PG_URL; fi
if [ -z "${CELERY_BROKER_URL:-}" ] || [ -z "${CACHE_URL:-}" ]; then
  redis_start >/dev/null
  CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
  CACHE_URL=${CACHE_URL:-redis://127.0.0.1:$REDIS_PORT/1}
fi
PORT=${PORT:-8000}
WEB1_PORT=${WEB1_PORT:-$(free_port)}
WEB2_PORT=${WEB2_PORT:-$(free_port)}
echo "$PORT" > "$RUN/nginx.port"

# --- production settings, as on real servers, adapted to plain HTTP on loopback ---------------------
cat > "$SCALE_DIR/env" <<ENV
DJANGO_SETTINGS_MODULE=league.settings
DEBUG=0
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$PORT,http://localhost:$PORT
SECURE_SSL_REDIRECT=0
SESSION_COOKIE_SECURE=0
CSRF_COOKIE_SECURE=0
SECURE_HSTS_SECONDS=0
TRUSTED_PROXY_COUNT=1
DATABASE_URL=$DATABASE_URL
CONN_MAX_AGE=60
CELERY_BROKER_URL=$CELERY_BROKER_URL
CACHE_URL=$CACHE_URL
CELERY_VISIBILITY_TIMEOUT=${CELERY_VISIBILITY_TIMEOUT:-60}
BEAT_STANDBY_RETRY=${BEAT_STANDBY_RETRY:-5}
VAR_DIR=$SCALE_DIR
MEDIA_ROOT=$SCALE_DIR/media
LOG_LEVEL=INFO
ENV
set -a; source "$SCALE_DIR/env"; set +a

echo "== migrate, translations, static files"
python manage.py migrate --noinput -v0
python manage.py compilemessages --ignore=.venv -v0
python manage.py collectstatic --noinput -v0
[ "${SEED:-1}" = 1 ] && python manage.py seed_demo >"$LOG/seed.log" 2>&1 && echo "== demo data loaded"

# --- processes --------------------------------------------------------------------------------------
# Each runs in its own session (setsid), so a signal to one (a SIGKILL in a test) takes its children too.
supervise_web() {  # a web instance that comes back when stopped, as systemd's Restart=always does
  local name=$1 port=$2
  echo "$port" > "$RUN/$name.port"
  (
    child=
    trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
    while [ ! -e "$RUN/stopping" ]; do
      INSTANCE_NAME=$name setsid gunicorn league.wsgi:application --name "$name" \
        --bind "127.0.0.1:$port" --workers "${GUNICORN_WORKERS:-2}" --graceful-timeout 20 \
        --forwarded-allow-ips 127.0.0.1 --access-logfile - --error-logfile - \
        --max-requests 2000 --max-requests-jitter 200 >>"$LOG/$name.log" 2>&1 &
      child=$!; echo "$child" > "$RUN/$name.pid"
      wait "$child" || true
      [ -e "$RUN/stopping" ] || { echo "== $name exited; starting it again" >>"$LOG/$name.log"; sleep 0.3; }
    done
  ) &
  pids+=($!)
}
start_worker() {
  local name=$1
  setsid celery -A league worker -l info -n "$name@%h" --concurrency "${WORKER_CONCURRENCY:-2}" \
    --without-gossip --without-mingle >>"$LOG/$name.log" 2>&1 &
  echo $! > "$RUN/$name.pid"
}

supervise_web web1 "$WEB1_PORT"
supervise_web web2 "$WEB2_PORT"
start_worker worker1
start_worker worker2
setsid celery -A league beat -l info >>"$LOG/beat.log" 2>&1 &
echo $! > "$RUN/beat.pid"

extra="add_header X-Upstream \$upstream_addr always;  # loopback only: shows which instance answered"
sed -e "s|@WEB1@|127.0.0.1:$WEB1_PORT|; s|@WEB2@|127.0.0.1:$WEB2_PORT|; s|@LISTEN@|127.0.0.1:$PORT|" \
  -e "s|@SERVER_NAME@|127.0.0.1 localhost|; s|@LOG_DIR@|$LOG|g; s|@STATIC_ROOT@|$SCALE_DIR/static|" \
  -e "s|@EXTRA@|$extra|" deploy/nginx/league.conf > "$SCALE_DIR/nginx/site.conf"
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat <<NGINX
worker_processes 2;
pid $RUN/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $SCALE_DIR/nginx/body;
    proxy_temp_path $SCALE_DIR/nginx/proxy;
    fastcgi_temp_path $SCALE_DIR/nginx/fastcgi;
    uwsgi_temp_path $SCALE_DIR/nginx/uwsgi;
    scgi_temp_path $SCALE_DIR/nginx/scgi;
    include $SCALE_DIR/nginx/site.conf;
}
NGINX
} > "$SCALE_DIR/nginx/nginx.conf"
nginx -t -q -c "$SCALE_DIR/nginx/nginx.conf" -p "$SCALE_DIR/nginx" -e "$LOG/nginx-error.log"
setsid nginx -c "$SCALE_DIR/nginx/nginx.conf" -p "$SCALE_DIR/nginx" -e "$LOG/nginx-error.log" -g 'daemon off;' &
pids+=($!)

wait_http "http://127.0.0.1:$WEB1_PORT/healthz" 60
wait_http "http://127.0.0.1:$WEB2_PORT/healthz" 60
wait_http "http://127.0.0.1:$PORT/healthz" 30
for name in worker1 worker2; do
  until grep -q "ready\." "$LOG/$name.log"; do
    kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null || { echo "!! $name died: see $LOG/$name.log" >&2; exit 1; }
    sleep 0.2
  done
done
until grep -q "beat lock acquired" "$LOG/beat.log"; do
  kill -0 "$(cat "$RUN/beat.pid")" 2>/dev/null || { echo "!! beat died: see $LOG/beat.log" >&2; exit 1; }
  sleep 0.2
done
touch "$RUN/ready"

cat <<MSG

  The platform is at http://127.0.0.1:${PORT}/  (nginx → web1 :$WEB1_PORT, web2 :$WEB2_PORT)
  Workers worker1, worker2; one beat. Logs: $LOG/  (tail -F $LOG/*.log)
  Rolling restart: scripts/scale.sh rolling-restart      Environment: $SCALE_DIR/env
  Demo logins (SEED=1): admin, province, city, county, street… password league-demo
  Press Ctrl-C to stop everything.

MSG
while [ "$stopping" = 0 ]; do sleep 1 & wait $! || true; done
