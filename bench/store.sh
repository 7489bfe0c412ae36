#!/usr/bin/env bash
# store.sh: event-store figures: ingest throughput (articles per second into
# SQLite) on the generated bench corpus, and query latency for one dyad over a
# store of at least one million merged events. Not a test: it only prints.
#
# Environment: DYAD (default build/dyad), BENCH_STORE_SENTENCES (size of the
# big corpus, default 1700000: about 1.1 million events), BENCH_DIR (default
# build/bench).
set -eu
cd "$(dirname "$0")/.."
DYAD=${DYAD:-build/dyad}
B=${BENCH_DIR:-build/bench}
BIG=${BENCH_STORE_SENTENCES:-1700000}
mkdir -p "$B"
[ -x "$DYAD" ] || { echo "bench/store: $DYAD not found: run make first" >&2; exit 1; }
if [ ! -x "$B/gen" ] || [ bench/gen.c -nt "$B/gen" ]; then
    cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE bench/gen.c -o "$B/gen"
fi
now() { date +%s.%N; }
sql() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"; }

# 1. Throughput: the standard 120000-sentence corpus into a fresh store.
"$B/gen" --seed 1 --sentences 120000 -o "$B/store-small.jsonl" 2>/dev/null
rm -f "$B/store-small.db"*
t0=$(now)
"$DYAD" ingest -q --db "$B/store-small.db" "$B/store-small.jsonl"
t1=$(now)
n=$(wc -l <"$B/store-small.jsonl")
python3 -c "import sys; n, a, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]); print(f'ingest: {n} articles in {b - a:.2f} s = {n / (b - a):.0f} articles/s (SQLite, batches of 500)')" "$n" "$t0" "$t1"
echo "  $(sql "$B/store-small.db" 'select count(*) from mentions') mentions, $(sql "$B/store-small.db" 'select count(*) from events') events"

# 2. Query latency over a store of >= 1M events.
if [ ! -s "$B/store-big.db" ] || [ "$(cat "$B/store-big.size" 2>/dev/null)" != "$BIG" ]; then
    "$B/gen" --seed 2 --sentences "$BIG" -o "$B/store-big.jsonl" 2>/dev/null
    rm -f "$B/store-big.db"*
    t0=$(now)
    "$DYAD" ingest -q --batch 2000 --db "$B/store-big.db" "$B/store-big.jsonl"
    t1=$(now)
    n=$(wc -l <"$B/store-big.jsonl")
    python3 -c "import sys; n, a, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]); print(f'big ingest: {n} articles in {b - a:.1f} s = {n / (b - a):.0f} articles/s (batches of 2000)')" "$n" "$t0" "$t1"
    echo "$BIG" >"$B/store-big.size"
    rm -f "$B/store-big.jsonl"
fi
events=$(sql "$B/store-big.db" 'select count(*) from events')
echo "big store: $events events, $(sql "$B/store-big.db" 'select count(*) from mentions') mentions, $(du -h "$B/store-big.db" | cut -f1)"
for q in "--dyad RUS:CHN --format csv" "--dyad RUS:CHN --since 2022-03-01 --until 2022-03-31 --format csv" "--dyad RUSGOV:CHNGOV --code 04* --format jsonl" "--actor UKR --root 19 --format csv"; do
    best=
    for r in 1 2 3; do
        t0=$(now)
        # shellcheck disable=SC2086
        rows=$("$DYAD" events --db "$B/store-big.db" $q | wc -l)
        t1=$(now)
        best=$(python3 -c "import sys; d = float(sys.argv[2]) - float(sys.argv[1]); b = sys.argv[3]; print(min(d, float(b)) if b else d)" "$t0" "$t1" "$best")
    done
    python3 -c "import sys; print(f'query {sys.argv[1]}: {sys.argv[2]} lines, best of 3 {float(sys.argv[3]) * 1000:.0f} ms')" "$q" "$rows" "$best"
done
