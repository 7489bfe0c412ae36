#!/usr/bin/env bash
# store_pg.sh: the event-store cases of store.sh against a real PostgreSQL
# server: a throwaway cluster (initdb) on 127.0.0.1 and a free port, started
# here and stopped at the end. Skips only when no server is installed.
. "$(dirname "$0")/_common.sh"
. "$HERE/_store_common.sh"
. "$HERE/_pg.sh"

pg_find store_pg
if [ ! -f "$S001" ]; then
    echo "ok store_pg # skip: no seeds in $SEEDS"
    exit 0
fi

trap 'pg_stop; rm -rf "$TMP"' EXIT
pg_start store_pg
echo "ok store_pg-server-start"

URL=$PGURL
newdb() {
    local n
    n=$(($(cat "$TMP/ndb" 2>/dev/null || echo 0) + 1))
    echo $n >"$TMP/ndb"
    pg_createdb "db$n"
    echo "$URL/db$n"
}

P=pg- store_cases

# A PostgreSQL database that holds other tables is not a dyad store.
db=$(newdb)
"$PGBIN/psql" -q -c "CREATE TABLE t (x int)" "$db" >/dev/null 2>&1
run ingest --db "$db" "$S001"
check pg-not-a-dyad-database eval 'status_is 1 && err_has "not a dyad database"'
run events --db "$URL/no_such_db"
check pg-no-such-database eval 'status_is 1 && err_has "no_such_db"'
run events --db "postgresql://dyad@127.0.0.1:1/x"
check pg-no-server eval 'status_is 1 && err_has "PostgreSQL"'
