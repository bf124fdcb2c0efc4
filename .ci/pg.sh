#!/usr/bin/env bash
# A throwaway local PostgreSQL for the provider tests: `.ci/pg.sh start` or `.ci/pg.sh stop`.
# Listens on 127.0.0.1:${PGPORT:-55432} with trust auth; data under ${PGROOT:-/tmp/tomalerts-pg}.
set -euo pipefail
PGROOT=${PGROOT:-/tmp/tomalerts-pg}
PGPORT=${PGPORT:-55432}
PGDATA=$PGROOT/data

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    mkdir -p "$PGROOT"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
    [ -f "$PGDATA/PG_VERSION" ] || as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 ||
      as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 30 \
        -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='tomalerts'" | grep -q 1 ||
      as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres tomalerts
    echo "PostgreSQL on 127.0.0.1:$PGPORT"
    ;;
  stop)
    [ -f "$PGDATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true
    ;;
  *)
    echo "usage: .ci/pg.sh start|stop" >&2
    exit 2
    ;;
esac
