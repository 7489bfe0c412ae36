#!/usr/bin/env bash
# store.sh: the event store on SQLite: ingest, merging, queries and exports
# (tests/cli/_store_common.sh), and the faults: a file that is not a dyad
# database, a read-only database, a full disk.
. "$(dirname "$0")/_common.sh"
. "$HERE/_store_common.sh"

# newdb runs in $(...): the counter lives in a file.
newdb() {
    local n
    n=$(($(cat "$TMP/ndb" 2>/dev/null || echo 0) + 1))
    echo $n >"$TMP/ndb"
    echo "$TMP/db$n.sqlite"
}

if [ ! -f "$S001" ]; then
    echo "ok store # skip: no seeds in $SEEDS"
    exit 0
fi
store_cases

# The default database is dyad.db in the current folder.
(cd "$TMP" && "$DYAD" ingest -q "$S001" >/dev/null 2>"$TMP/err")
RC=$?
check default-db-file [ -s "$TMP/dyad.db" ]

# Not a dyad database: a clear error, and the file is left untouched.
printf 'name,value\nthis is not a database\n' >"$TMP/notdb.csv"
cp "$TMP/notdb.csv" "$TMP/notdb.orig"
run ingest --db "$TMP/notdb.csv" "$S001"
check not-a-database eval 'status_is 1 && err_has "not a dyad database" && cmp -s "$TMP/notdb.csv" "$TMP/notdb.orig" && [ ! -e "$TMP/notdb.csv-wal" ]'
run events --db "$TMP/notdb.csv"
check not-a-database-query eval 'status_is 1 && err_has "not a dyad database"'
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("create table t(x)"); c.commit()' "$TMP/other.sqlite"
cp "$TMP/other.sqlite" "$TMP/other.orig"
run ingest --db "$TMP/other.sqlite" "$S001"
check other-sqlite-database eval 'status_is 1 && err_has "not a dyad database" && cmp -s "$TMP/other.sqlite" "$TMP/other.orig"'
run events --db "$TMP/missing.sqlite"
check missing-database-query eval 'status_is 1 && err_has "missing.sqlite" && [ ! -e "$TMP/missing.sqlite" ]'

# A read-only database: ingest refuses, queries work.
db=$(newdb)
"$DYAD" ingest -q --db "$db" "$S001" 2>/dev/null
"$DYAD" events --db "$db" >"$TMP/ro-before.jsonl" 2>/dev/null
chmod 444 "$db"
cp "$db" "$TMP/ro.orig"
run ingest --db "$db" --date 2021-08-25 "$S004"
check read-only-ingest eval 'status_is 1 && err_has "read-only" && cmp -s "$db" "$TMP/ro.orig"'
run events --db "$db"
check read-only-query eval 'status_is 0 && cmp -s "$TMP/out" "$TMP/ro-before.jsonl"'
chmod 644 "$db"

# A full disk (a file size limit): the batch fails with a clear error, the
# committed batches stay, and a run without the limit completes the job.
db=$(newdb)
(trap '' XFSZ; ulimit -f 400; exec "$DYAD" ingest --batch 20 --db "$db" "$TMP/corpus.jsonl") >"$TMP/out" 2>"$TMP/err"
RC=$?
check disk-full-clear-error eval 'status_is 1 && grep -qiE "dyad: error: .*(full|disk|I/O|large)" "$TMP/err"'
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); assert c.execute("pragma integrity_check").fetchone()[0] == "ok"' "$db"
RC=$?
check disk-full-db-intact status_is 0
run ingest --db "$db" "$TMP/corpus.jsonl"
export_events "$db" "$TMP/got.jsonl"
check disk-full-then-completed eval 'status_is 0 && cmp -s "$TMP/ref.jsonl" "$TMP/got.jsonl"'

# Every statement is prepared with bound parameters: a quote in a value is data.
db=$(newdb)
printf '{"id":"it'"'"'s; DROP TABLE events","date":"2021-08-25","text":"Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Moscow."}\n' >"$TMP/quote.jsonl"
run ingest --db "$db" "$TMP/quote.jsonl"
run events --db "$db"
check quoted-id-is-data eval 'status_is 0 && grep -qF "it'"'"'s; DROP TABLE events" "$TMP/out"'
