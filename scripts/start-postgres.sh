#!/usr/bin/env bash
# A throwaway PostgreSQL 15 on 127.0.0.1 for tests (the recipe of STACK-NOTES; needs root for
# runuser). Starts a server in a new temporary folder, makes role `hms` (random password,
# CREATEDB) and database `hms`, and prints the lines to eval:
#   eval "$(scripts/start-postgres.sh)"          # sets HMS_TEST_POSTGRES_URL and HMS_PG_DIR
#   scripts/start-postgres.sh stop "$HMS_PG_DIR" # stops it and removes the folder
# The port is the first free one from 55432 up, or HMS_PG_PORT when given. Tuned for tests only:
# fsync off (a throwaway cluster), 400 connections (every test server has a pool of its own),
# and pg_signal_backend so the tests can drop their databases WITH (FORCE).
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "${1:-start}" = "stop" ]; then
  dir=${2:-${HMS_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "start-postgres: stop needs the folder it printed (HMS_PG_DIR)" >&2; exit 2; }
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  rm -rf "$dir"
  exit 0
fi

[ -x "$PGBIN/initdb" ] || { echo "start-postgres: no PostgreSQL 15 in $PGBIN (apt-get install postgresql-15)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "start-postgres: must run as root (runuser -u postgres)" >&2; exit 1; }

port=${HMS_PG_PORT:-}
if [ -z "$port" ]; then
  port=55432
  until port_is_free "$port"; do port=$((port + 1)); done
fi
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
dir=$(mktemp -d /tmp/hms-pg.XXXXXX)
chown postgres "$dir"; chmod 700 "$dir"
runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >/dev/null
# Host connections need a password (scram), so the tests see a refused password as in production.
# A port free when checked can be taken before the server binds it (test servers take ephemeral
# ports in this range): then the next free one is tried, five times at most.
for attempt in 1 2 3 4 5; do
  if runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off" start >/dev/null; then
    break
  fi
  if [ -n "${HMS_PG_PORT:-}" ] || [ "$attempt" -eq 5 ]; then
    echo "start-postgres: the server did not start; its log:" >&2
    tail -n 5 "$dir/log" >&2
    rm -rf "$dir"
    exit 1
  fi
  port=$((port + 1))
  until port_is_free "$port"; do port=$((port + 1)); done
done
runuser -u postgres -- "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE hms LOGIN CREATEDB PASSWORD '$password'" -c "CREATE DATABASE hms OWNER hms" \
  -c "GRANT pg_signal_backend TO hms" >/dev/null
echo "export HMS_PG_DIR=$dir"
echo "export HMS_TEST_POSTGRES_URL=postgres://hms:$password@127.0.0.1:$port/hms"
