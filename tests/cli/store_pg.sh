#!/usr/bin/env bash
# store_pg.sh: the event-store cases of store.sh against a real PostgreSQL
# server: a throwaway cluster (initdb) on 127.0.0.1 and a free port, started
# here and stopped at the end. Skips only when no server is installed.
. "$(dirname "$0")/_common.sh"
. "$HERE/_store_common.sh"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "ok store_pg # skip: no PostgreSQL server installed (tools/install-deps.sh installs it)"
    exit 0
fi
if [ ! -f "$S001" ]; then
    echo "ok store_pg # skip: no seeds in $SEEDS"
    exit 0
fi

# The server refuses to run as root: it runs as postgres then.
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/dyad-pg.XXXXXX")
as_pg() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PGDIR"
    as_pg() { runuser -u postgres -- "$@"; }
fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_pg() {
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$PGDIR" "$TMP"
}
trap stop_pg EXIT

if ! as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U dyad >"$PGDIR/initdb.log" 2>&1 ||
   ! as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
       -o "-h 127.0.0.1 -p $PORT -k $PGDIR -c fsync=off" start >/dev/null 2>&1; then
    echo "not ok store_pg-server-start"
    tail -n 20 "$PGDIR/initdb.log" "$PGDIR/server.log" 2>/dev/null | sed 's/^/#   /'
    exit 0
fi
echo "ok store_pg-server-start"

URL=postgresql://dyad@127.0.0.1:$PORT
newdb() {
    local n
    n=$(($(cat "$TMP/ndb" 2>/dev/null || echo 0) + 1))
    echo $n >"$TMP/ndb"
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U dyad "db$n" >/dev/null 2>&1
    echo "$URL/db$n"
}

P=pg- store_cases

# A PostgreSQL database that holds other tables is not a dyad store.
db=$(newdb)
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PORT" -U dyad -c "CREATE TABLE t (x int)" "${db##*/}" >/dev/null 2>&1
run ingest --db "$db" "$S001"
check pg-not-a-dyad-database eval 'status_is 1 && err_has "not a dyad database"'
run events --db "$URL/no_such_db"
check pg-no-such-database eval 'status_is 1 && err_has "no_such_db"'
run events --db "postgresql://dyad@127.0.0.1:1/x"
check pg-no-server eval 'status_is 1 && err_has "PostgreSQL"'
