#!/usr/bin/env bash
# serve_pg.sh: `dyad serve` over a PostgreSQL store (a throwaway cluster, as
# store_pg.sh makes it): the store calls the API makes (pages and counts,
# one event, dyads, timeline, search) give what dyad events and dyad stats
# give; then SIGTERM, exit 0. Skips only when no server is installed.
. "$(dirname "$0")/_common.sh"
. "$HERE/_pg.sh"
SEEDS=${DYAD_SHARED:-$HERE/../../../shared}/seeds

pg_find serve_pg
if [ ! -d "$SEEDS" ]; then
    echo "ok serve_pg # skip: no seeds in $SEEDS"
    exit 0
fi

SPID=
stop_all() {
    [ -n "$SPID" ] && kill -KILL "$SPID" 2>/dev/null
    pg_stop
    rm -rf "$TMP"
}
trap stop_all EXIT
pg_start serve_pg serve
DB=$PGURL/serve

"$DYAD" ingest -q --db "$DB" --date 2021-08-25 "$SEEDS" 2>"$TMP/err"
RC=$?
check serve_pg-ingest status_is 0
"$DYAD" events --db "$DB" >"$TMP/all.jsonl" 2>>"$TMP/err"
"$DYAD" events --db "$DB" --dyad RUS:CHN >"$TMP/rus-chn.jsonl" 2>>"$TMP/err"
"$DYAD" stats --db "$DB" --format csv >"$TMP/stats.csv" 2>>"$TMP/err"

"$DYAD" serve --db "$DB" --port 0 --query-ms 10000 2>"$TMP/serve.err" &
SPID=$!
URL=$(serve_url "$TMP/serve.err" "$SPID")
RC=0
cp "$TMP/serve.err" "$TMP/err"
check serve_pg-start eval '[ -n "$URL" ]'
[ -n "$URL" ] || exit 0

pycheck serve_pg-pages pages "$TMP/all.jsonl" ""
pycheck serve_pg-pages-dyad pages "$TMP/rus-chn.jsonl" "dyad=RUS:CHN"
pycheck serve_pg-event-fields same_event_fields "$TMP/all.jsonl"
pycheck serve_pg-seed-001-004-one-event merged 001_6e756178035027d0 004_f5c3fe5d266cf98b
pycheck serve_pg-dyads dyads "$TMP/stats.csv"
pycheck serve_pg-timeline timeline "$TMP/all.jsonl"
curl -sS --max-time 20 "${URL}api/search?q=Putin" >"$TMP/out" 2>"$TMP/err"
RC=$?
check serve_pg-search eval 'grep -q "001_6e756178035027d0" "$TMP/out"'

kill -TERM "$SPID"
wait "$SPID"
RC=$?
SPID=
cp "$TMP/serve.err" "$TMP/err"
check serve_pg-sigterm-exit-0 eval '[ "$RC" -eq 0 ] && [ "$(grep -c "" "$TMP/err")" -eq 1 ]'
