# Throwaway PostgreSQL and Redis for tests and benchmarks. Source this file; call the functions.
# PostgreSQL refuses to run as root: the cluster is owned by and started as the postgres user.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pg_start() {
  PG_DIR=$(mktemp -d /tmp/league-pg.XXXXXX)
  PG_PORT=${PG_PORT:-$(free_port)}
  local bin; bin=$(pg_bin)
  mkdir -p "$PG_DIR/data" "$PG_DIR/sock"
  local as=()
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  chmod 700 "$PG_DIR/data"
  (cd /tmp && "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1)
  # A throwaway cluster skips the disk flushes that make commits durable (fsync, synchronous_commit,
  # full_page_writes off), unless PG_DURABLE=1: then every commit waits for its WAL on disk, as a server's does.
  local fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${PG_DURABLE:-0}" = 1 ] && fast=""
  (cd /tmp && "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 $fast -c max_connections=600" start >/dev/null)
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB" -c "CREATE DATABASE app OWNER app" >/dev/null
  export PG_DIR PG_PORT
  export PG_URL="postgres://app:app@127.0.0.1:$PG_PORT/app"
  echo "== PostgreSQL on port $PG_PORT ($PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local bin; bin=$(pg_bin)
  local as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  (cd /tmp && "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
  rm -rf "$PG_DIR"; PG_DIR=
}

redis_start() {
  REDIS_DIR=$(mktemp -d /tmp/league-redis.XXXXXX)
  REDIS_PORT=${REDIS_PORT:-$(free_port)}
  redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_DIR REDIS_PORT
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "== Redis on port $REDIS_PORT"
}

redis_stop() {
  [ -n "${REDIS_DIR:-}" ] || return 0
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$REDIS_DIR"; REDIS_DIR=
}
