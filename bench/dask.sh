#!/usr/bin/env bash
# dask.sh: the rate of dyad-dask (python/dyad/dask.py, docs/scale-out.md) on
# this machine: the generated bench corpus split into shards, coded by a
# LocalCluster of 1 and 2 worker processes, without a store and into a
# throwaway PostgreSQL server; `dyad code` and `dyad ingest` (one process) for
# comparison. Not a test: it only prints. Built-in dictionaries only.
#
# Environment: BENCH_SENTENCES (default 120000), BENCH_SHARDS (default 8),
# BENCH_WORKERS (default "1 2"), BENCH_PG=0 (skip the PostgreSQL rows),
# DYAD (default build/dyad; its libdyad.so is the one used).
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
DYAD=${DYAD:-build/dyad}
SENTENCES=${BENCH_SENTENCES:-120000}
SHARDS=${BENCH_SHARDS:-8}
WORKERS=${BENCH_WORKERS:-1 2}
PY=/usr/bin/python3
B=build/bench/dask
export DYAD_LIB=$ROOT/$(dirname "$DYAD")/libdyad.so
export PYTHONPATH=$ROOT/python
export DYAD_CACHE_DIR=$ROOT/build/bench/cache
[ -x "$DYAD" ] && [ -f "$DYAD_LIB" ] || { echo "bench: run make first" >&2; exit 1; }

mkdir -p "$B" "$DYAD_CACHE_DIR"
[ -x build/bench/gen ] && [ build/bench/gen -nt bench/gen.c ] ||
    cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE bench/gen.c -o build/bench/gen
build/bench/gen --sentences "$SENTENCES" -o "$B/corpus.jsonl" 2>"$B/corpus.count"
rm -rf "$B/shards" && mkdir -p "$B/shards"
split -n "l/$SHARDS" -d -a 3 --additional-suffix=.jsonl "$B/corpus.jsonl" "$B/shards/shard-"
echo "corpus: $(cat "$B/corpus.count"), $SHARDS shards; $(nproc) CPUs"

now() { date +%s.%N; }
row() { printf '%-34s %8s %9s %12s %14s\n' "$@"; }
row run seconds articles/s sentences/s "per worker s/s"
NART=$(cut -d' ' -f4 "$B/corpus.count")
t0=$(now)
"$DYAD" code "$B/corpus.jsonl" >/dev/null
t=$(echo "$(now) - $t0" | bc -l)
row "dyad code (1 thread)" "$(printf %.2f "$t")" "$(echo "$NART / $t" | bc)" \
    "$(echo "$SENTENCES / $t" | bc)" -

# dask ARGS...: one dyad-dask run; prints the row from its summary line.
dask_row() {
    local name=$1
    shift
    rm -rf "$B/out"
    "$PY" -m dyad.dask -q -o "$B/out" "$@" "$B"/shards/*.jsonl 2>"$B/dask.log" ||
        { tail -n 20 "$B/dask.log" >&2; return 1; }
    sed -n 's/.*; \([0-9.]*\) s, \([0-9]*\) articles\/s, \([0-9]*\) sentences\/s; per worker [0-9]* articles\/s, \([0-9]*\) sentences\/s/\1 \2 \3 \4/p' \
        "$B/dask.log" | { read -r s a r w; row "$name" "$s" "$a" "$r" "$w"; }
}
for w in $WORKERS; do
    dask_row "dyad-dask, $w worker(s), no store" --workers "$w"
done

[ "${BENCH_PG:-1}" = 0 ] && exit 0
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "no PostgreSQL server: no store rows"; exit 0; }
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/dyad-bench-pg.XXXXXX")
as_pg() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PGDIR"
    as_pg() { runuser -u postgres -- "$@"; }
fi
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U dyad >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-h 127.0.0.1 -p $PORT -k $PGDIR" start >/dev/null
URL=postgresql://dyad@127.0.0.1:$PORT
# newdb NAME: a new, empty database; prints its URL.
newdb() { "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U dyad "$1" && echo "$URL/$1"; }

db=$(newdb ingest)
t0=$(now)
"$DYAD" ingest -q --db "$db" "$B/corpus.jsonl"
t=$(echo "$(now) - $t0" | bc -l)
row "dyad ingest, PostgreSQL" "$(printf %.2f "$t")" "$(echo "$NART / $t" | bc)" \
    "$(echo "$SENTENCES / $t" | bc)" -
for w in $WORKERS; do
    dask_row "dyad-dask, $w worker(s), PostgreSQL" --workers "$w" --db "$(newdb "dask$w")"
done
