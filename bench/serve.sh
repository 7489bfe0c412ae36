#!/usr/bin/env bash
# serve.sh: load test of `dyad serve` over a store of more than a million
# merged events (made as bench/store.sh makes it, or reused from
# build/bench): wrk on the first page of /api/events, a filtered page
# (dyad=RUS:CHN), a deep page (offset=10000), and the unfiltered dyads
# table and timeline (kept until the store changes); prints requests/s, the
# 99th-percentile latency and the errors (non-2xx replies, socket errors),
# which must be 0. Not a test: it only prints (exit 1 when errors).
#
# Environment: DYAD (default build/dyad, the optimized build), BENCH_DIR
# (default build/bench), BENCH_STORE_SENTENCES (as bench/store.sh, default
# 1700000), WRK_DURATION (default 20s), WRK_CONNECTIONS (default 32),
# SERVE_THREADS (default 4).
set -eu
cd "$(dirname "$0")/.."
DYAD=${DYAD:-build/dyad}
B=${BENCH_DIR:-build/bench}
BIG=${BENCH_STORE_SENTENCES:-1700000}
DUR=${WRK_DURATION:-20s}
CONNS=${WRK_CONNECTIONS:-32}
THREADS=${SERVE_THREADS:-4}
mkdir -p "$B"
[ -x "$DYAD" ] || { echo "bench/serve: $DYAD not found: run make first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/serve: wrk is not installed (tools/install-deps.sh)" >&2; exit 1; }
sql() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"; }

# The store: bench/store.sh's big store (the same generator, seed and size).
if [ ! -s "$B/store-big.db" ] || [ "$(cat "$B/store-big.size" 2>/dev/null)" != "$BIG" ]; then
    if [ ! -x "$B/gen" ] || [ bench/gen.c -nt "$B/gen" ]; then
        cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE bench/gen.c -o "$B/gen"
    fi
    "$B/gen" --seed 2 --sentences "$BIG" -o "$B/store-big.jsonl" 2>/dev/null
    rm -f "$B/store-big.db"*
    echo "bench/serve: ingesting $BIG sentences into $B/store-big.db (minutes)" >&2
    "$DYAD" ingest -q --batch 2000 --db "$B/store-big.db" "$B/store-big.jsonl"
    echo "$BIG" >"$B/store-big.size"
    rm -f "$B/store-big.jsonl"
fi

# The server (an older store is migrated when it starts: new indexes).
ERR=$(mktemp)
"$DYAD" serve --db "$B/store-big.db" --port 0 --threads "$THREADS" 2>"$ERR" &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -f "$ERR"' EXIT
URL=
for _ in $(seq 1 1200); do
    URL=$(sed -n 's|^dyad serve: listening on \(http://[^ ]*/\)$|\1|p' "$ERR")
    [ -n "$URL" ] && break
    kill -0 "$PID" 2>/dev/null || { cat "$ERR" >&2; exit 1; }
    sleep 0.5
done
[ -n "$URL" ] || { echo "bench/serve: the server did not start" >&2; exit 1; }
events=$(sql "$B/store-big.db" 'select count(*) from events')
echo "store: $events events, $(sql "$B/store-big.db" 'select count(*) from articles') articles, $(du -h "$B/store-big.db" | cut -f1); server: $THREADS threads; wrk -t2 -c$CONNS -d$DUR --latency"
printf '%-48s %10s %10s %10s %8s\n' "request" "req/s" "p50" "p99" "errors"
bad=0
for path in "api/events?limit=50" "api/events?limit=50&dyad=RUS:CHN" "api/events?limit=50&offset=10000" \
    "api/dyads?limit=100" "api/timeline"; do
    curl -sf -o /dev/null --max-time 60 "$URL$path" # first call: counts, caches
    out=$(wrk -t2 -c"$CONNS" -d"$DUR" --latency "$URL$path")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
    sock=$(awk '/Socket errors:/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i + 0} END {print s + 0}' <<<"$out")
    errs=$(( ${non2xx:-0} + ${sock:-0} ))
    [ "$errs" -eq 0 ] || bad=1
    printf '%-48s %10s %10s %10s %8s\n' "/$path" "$rps" "$p50" "$p99" "$errs"
done
kill -TERM "$PID"
wait "$PID" || { echo "bench/serve: the server did not exit 0" >&2; bad=1; }
trap 'rm -f "$ERR"' EXIT
exit $bad
