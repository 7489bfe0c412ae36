#!/usr/bin/env bash
# serve.sh: `dyad serve` on 127.0.0.1 (--port 0) over a store of the seed
# articles: the API against what dyad events, stats and code say (every
# filter, pages, one event with its mentions and spans, dyads, timeline,
# search, POST /api/code, CSV), the static page, malformed requests, slow
# and idle clients, the limits; then SIGTERM: exit 0, no sanitizer report.
# The checks themselves are in _serve.py.
. "$(dirname "$0")/_common.sh"
SEEDS=${DYAD_SHARED:-$HERE/../../../shared}/seeds
S001=$SEEDS/001_6e756178035027d0.txt
S004=$SEEDS/004_f5c3fe5d266cf98b.txt

if [ ! -f "$S001" ]; then
    echo "ok serve # skip: no seeds in $SEEDS"
    exit 0
fi
command -v curl >/dev/null || { echo "not ok serve-curl # curl is not installed"; exit 0; }

# A server's pid and URL; stopped (and checked) at the end.
SERVERS=()
cleanup() {
    local p
    for p in "${SERVERS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# start NAME ARGS...: starts dyad serve; sets PID and URL (empty on failure).
start() {
    local name=$1
    shift
    "$DYAD" serve --port 0 "$@" 2>"$TMP/$name.err" &
    PID=$!
    SERVERS+=("$PID")
    URL=$(serve_url "$TMP/$name.err" "$PID")
}

# stop NAME: SIGTERM; the case passes when it exits 0 and wrote nothing but
# its listening line (no sanitizer report, no leak).
stop() {
    local name=$1
    kill -TERM "$PID"
    wait "$PID"
    RC=$?
    cp "$TMP/$name.err" "$TMP/err"
    : >"$TMP/out"
    check "serve-$name-sigterm-exit-0" eval '[ "$RC" -eq 0 ] && [ "$(grep -c "" "$TMP/err")" -eq 1 ]'
}

# The store: the seeds (004 has no date line; it is dated as 001, the day
# both report).
DB=$TMP/tmp.db
"$DYAD" ingest -q --db "$DB" --date 2021-08-25 "$SEEDS" 2>"$TMP/err"
RC=$?
check serve-ingest-seeds status_is 0
"$DYAD" events --db "$DB" >"$TMP/all.jsonl" 2>>"$TMP/err"

# Refused before listening: no store, not a dyad store, bad options.
run serve --db "$TMP/missing.db" --port 0
check serve-missing-store eval 'status_is 1 && err_has "missing.db" && [ ! -e "$TMP/missing.db" ]'
printf 'not a database\n' >"$TMP/notdb.txt"
run serve --db "$TMP/notdb.txt" --port 0
check serve-not-a-dyad-store eval 'status_is 1 && err_has "notdb.txt" && err_has "not a dyad database"'
run serve --db "$DB" --port 70000
check serve-bad-port eval 'status_is 2 && err_has "--port"'
run serve --db "$DB" --colour red
check serve-unknown-option eval 'status_is 2 && err_has "--colour"'

if ! start main --db "$DB"; then
    RC=1
    cp "$TMP/main.err" "$TMP/err"
    check serve-start false
    exit 0
fi
RC=0
: >"$TMP/err"
check serve-start true

curl -sS --max-time 20 "${URL}api/health" >"$TMP/out" 2>"$TMP/err"
RC=$?
check serve-health-counts eval 'python3 -c "
import json, sys
h = json.load(open(sys.argv[1]))
n = sum(1 for l in open(sys.argv[2]) if l.strip())
assert h[\"status\"] == \"ok\" and h[\"events\"] == n and h[\"articles\"] == 5, h
" "$TMP/out" "$TMP/all.jsonl"'

# Pages: with no filter and with each filter, the pages walked in steps of
# 7 give the ids of dyad events with the same filter, and a consistent total.
pycheck serve-events-pages pages "$TMP/all.jsonl" ""
pycheck serve-events-fields same_event_fields "$TMP/all.jsonl"
i=0
for q in "actor=RUS|--actor RUS" "actor=CHNGOV|--actor CHNGOV" "dyad=RUS:CHN|--dyad RUS:CHN" \
         "dyad=CHNGOV:RUSGOV|--dyad CHNGOV:RUSGOV" "code=041|--code 041" "code=04*|--code 04*" \
         "root=04|--root 04" "since=2021-08-26|--since 2021-08-26" "until=2021-08-20|--until 2021-08-20" \
         "since=2021-08-01&until=2021-08-31&code=04*|--since 2021-08-01 --until 2021-08-31 --code 04*"; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    "$DYAD" events --db "$DB" ${q#*|} >"$TMP/ref$i.jsonl" 2>>"$TMP/err"
    pycheck "serve-events-filter-${q%%|*}" pages "$TMP/ref$i.jsonl" "${q%%|*}"
done
pycheck serve-events-filter-doc doc_filter "$TMP/all.jsonl" 004_f5c3fe5d266cf98b
pycheck serve-seed-001-004-one-event merged 001_6e756178035027d0 004_f5c3fe5d266cf98b
pycheck serve-event-errors event_errors

"$DYAD" stats --db "$DB" --format csv >"$TMP/stats.csv" 2>>"$TMP/err"
pycheck serve-dyads dyads "$TMP/stats.csv"
pycheck serve-dyads-as-filters dyads_as_filters
pycheck serve-timeline timeline "$TMP/all.jsonl"
pycheck serve-search search 001_6e756178035027d0

"$DYAD" code "$S001" >"$TMP/code001.jsonl" 2>>"$TMP/err"
pycheck serve-code-same-as-dyad-code code "$S001" "$TMP/code001.jsonl"
pycheck serve-code-errors code_errors

"$DYAD" events --db "$DB" --format csv >"$TMP/all.csv" 2>>"$TMP/err"
pycheck serve-csv csv_page "$TMP/all.csv"
pycheck serve-static static
pycheck serve-bad-requests bad_params
pycheck serve-huge-headers big_headers
pycheck serve-many-clients parallel
pycheck serve-idle-connections idle 100

# curl: the error message names the parameter (the contract's example).
curl -sS --max-time 20 "${URL}api/events?since=2021-13-01" >"$TMP/out" 2>"$TMP/err"
RC=$?
check serve-curl-bad-date eval 'grep -qF "{\"error\":\"since: expected YYYY-MM-DD, got 2021-13-01\"}" "$TMP/out"'
curl -sS --max-time 20 -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' \
    --data-binary @<(head -c 1100000 /dev/zero | tr '\0' a) "${URL}api/code" >"$TMP/out" 2>"$TMP/err"
RC=$?
check serve-curl-body-413 eval '[ "$(cat "$TMP/out")" = 413 ]'
stop main

# Slow and idle clients, with a short idle timeout and small limits.
if start limits --db "$DB" --timeout 2 --max-per-ip 6 --max-connections 20 --threads 2; then
    pycheck serve-slowloris slowloris
    pycheck serve-per-ip-limit per_ip 6
    stop limits
else
    cp "$TMP/limits.err" "$TMP/err"
    RC=1
    check serve-limits-start false
fi
