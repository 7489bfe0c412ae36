# _store_common.sh: event-store cases run against any backend (sourced by
# store.sh for SQLite and store_pg.sh for PostgreSQL, after _common.sh).
# The caller defines newdb: prints a fresh, empty database location.
SEEDS=${DYAD_SHARED:-$HERE/../../../shared}/seeds
S001=$SEEDS/001_6e756178035027d0.txt
S004=$SEEDS/004_f5c3fe5d266cf98b.txt
ROOT=$(cd "$HERE/../.." && pwd)

# A small generated corpus (bench/gen.c), split into overlapping parts.
make_corpus() {
    [ -s "$TMP/corpus.jsonl" ] && return 0
    cc -std=c11 -O1 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE "$ROOT/bench/gen.c" \
        -o "$TMP/gen" || return 1
    "$TMP/gen" --seed 7 --sentences "${STORE_SENTENCES:-3000}" -o "$TMP/corpus.jsonl" 2>/dev/null
    local n
    n=$(wc -l <"$TMP/corpus.jsonl")
    head -n $((n * 2 / 3)) "$TMP/corpus.jsonl" >"$TMP/part-a.jsonl"
    tail -n $((n * 2 / 3)) "$TMP/corpus.jsonl" >"$TMP/part-b.jsonl"
    head -n $((n / 2)) "$TMP/corpus.jsonl" >"$TMP/half-1.jsonl"
    tail -n +$((n / 2 + 1)) "$TMP/corpus.jsonl" >"$TMP/half-2.jsonl"
}

# events DB FILE: the full JSON Lines export (ids, counts, mentions) to FILE.
export_events() {
    "$DYAD" events --db "$1" >"$2" 2>>"$TMP/err"
}

# one_event_count FILE: num_articles of the RUS-CHN 041 events, one per line.
rus_chn_041() {
    python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["code"] == "041" and {e["source_country"], e["target_country"]} == {"RUS", "CHN"}:
        print(e["num_articles"], e["num_mentions"], len(e["mentions"]))
' "$1"
}

store_cases() {
    local db ref got

    # The seed example: 001 and 004 report the same Putin-Xi call.
    db=$(newdb)
    run ingest --db "$db" "$S001"
    run ingest --db "$db" --date 2021-08-25 "$S004"
    "$DYAD" events --db "$db" --dyad RUS:CHN --code 041 >"$TMP/out" 2>"$TMP/err"
    RC=$?
    check ${P:-}seed-putin-xi-one-event eval '[ "$(rus_chn_041 "$TMP/out")" = "2 4 4" ]'
    export_events "$db" "$TMP/seed-a.jsonl"

    # The same two articles in the other order, and together: same events.
    db=$(newdb)
    run ingest --db "$db" --date 2021-08-25 "$S004"
    run ingest --db "$db" "$S001"
    export_events "$db" "$TMP/seed-b.jsonl"
    check ${P:-}seed-order-independent cmp -s "$TMP/seed-a.jsonl" "$TMP/seed-b.jsonl"

    make_corpus || { echo "not ok store-corpus"; return; }
    # Reference: the whole corpus in one run.
    ref=$(newdb)
    run ingest --db "$ref" "$TMP/corpus.jsonl"
    check ${P:-}ingest-corpus eval 'status_is 0 && err_has "added, 0 replaced"'
    export_events "$ref" "$TMP/ref.jsonl"
    check ${P:-}events-nonempty eval '[ "$(wc -l <"$TMP/ref.jsonl")" -gt 50 ]'

    # Any order, any batches: the same events.
    db=$(newdb)
    run ingest --db "$db" --batch 7 "$TMP/half-2.jsonl"
    run ingest --db "$db" --batch 13 "$TMP/half-1.jsonl"
    export_events "$db" "$TMP/got.jsonl"
    check ${P:-}corpus-order-independent cmp -s "$TMP/ref.jsonl" "$TMP/got.jsonl"

    # The same corpus again: nothing added, nothing duplicated.
    run ingest --db "$ref" "$TMP/corpus.jsonl"
    check ${P:-}ingest-twice-skips eval 'status_is 0 && err_has " 0 added, 0 replaced"'
    export_events "$ref" "$TMP/again.jsonl"
    check ${P:-}ingest-twice-same-events cmp -s "$TMP/ref.jsonl" "$TMP/again.jsonl"

    # Two ingests of overlapping corpora at once.
    db=$(newdb)
    "$DYAD" ingest --db "$db" --batch 5 "$TMP/part-a.jsonl" >/dev/null 2>"$TMP/err.a" &
    local pa=$!
    "$DYAD" ingest --db "$db" --batch 5 "$TMP/part-b.jsonl" >/dev/null 2>"$TMP/err.b" &
    local pb=$!
    wait $pa; local ra=$?
    wait $pb; local rb=$?
    cat "$TMP/err.a" "$TMP/err.b" >"$TMP/err"
    RC=$((ra > rb ? ra : rb))
    export_events "$db" "$TMP/got.jsonl"
    check ${P:-}concurrent-overlapping-ingests eval 'status_is 0 && cmp -s "$TMP/ref.jsonl" "$TMP/got.jsonl"'

    # kill -9 in the middle, then the same command again completes the job;
    # readers work while it runs.
    db=$(newdb)
    "$DYAD" ingest --db "$db" --batch 3 "$TMP/corpus.jsonl" >/dev/null 2>"$TMP/err" &
    local pk=$! i n=0 reader_ok=0
    for i in $(seq 1 200); do
        sleep 0.1
        n=$("$DYAD" events --db "$db" --format csv 2>/dev/null | wc -l) && [ "$n" -gt 1 ] && {
            reader_ok=1
            break
        }
    done
    kill -9 $pk 2>/dev/null
    wait $pk 2>/dev/null
    RC=0
    check ${P:-}reader-during-ingest [ "$reader_ok" = 1 ]
    run ingest --db "$db" "$TMP/corpus.jsonl"
    export_events "$db" "$TMP/got.jsonl"
    check ${P:-}killed-ingest-resumed eval 'status_is 0 && cmp -s "$TMP/ref.jsonl" "$TMP/got.jsonl" && ! err_has " 0 unchanged"'

    # A changed article replaces its mentions.
    db=$(newdb)
    article "$TMP/chg.txt" 2024-05-07
    run ingest --db "$db" "$TMP/chg.txt"
    echo "Chinese President Xi Jinping met German Chancellor Olaf Scholz in Beijing on Monday." >>"$TMP/chg.txt"
    run ingest --db "$db" "$TMP/chg.txt"
    check ${P:-}changed-article-replaced eval 'status_is 0 && err_has "0 added, 1 replaced"'
    run events --db "$db" --actor DEU
    check ${P:-}changed-article-new-mentions eval 'status_is 0 && [ "$(grep -c . "$TMP/out")" -ge 1 ]'
    article "$TMP/chg.txt" 2024-05-07
    run ingest --db "$db" "$TMP/chg.txt"
    run events --db "$db" --actor DEU
    check ${P:-}changed-article-old-mentions-gone eval 'status_is 0 && [ ! -s "$TMP/out" ]'

    # The merge window: the same call reported on two consecutive days.
    db=$(newdb)
    article "$TMP/d1.txt" 2024-05-07
    article "$TMP/d2.txt" 2024-05-08
    run ingest --db "$db" "$TMP/d1.txt" "$TMP/d2.txt"
    run events --db "$db" --dyad RUS:CHN --format csv
    check ${P:-}window-1-merges eval 'status_is 0 && [ "$(grep -c . "$TMP/out")" -eq 2 ]'
    run ingest --db "$db" --window 0
    run events --db "$db" --dyad RUS:CHN --format csv
    check ${P:-}window-0-splits eval 'status_is 0 && [ "$(grep -c . "$TMP/out")" -eq 3 ]'

    # Queries and exports on the reference store.
    run events --db "$ref" --format gdelt --mentions "$TMP/mentions.tsv"
    check ${P:-}gdelt-61-columns eval 'status_is 0 && [ "$(awk -F"\t" "{print NF}" "$TMP/out" | sort -u)" = 61 ]'
    check ${P:-}gdelt-mentions-16-columns eval '[ -s "$TMP/mentions.tsv" ] && [ "$(awk -F"\t" "{print NF}" "$TMP/mentions.tsv" | sort -u)" = 16 ]'
    run events --db "$ref" --format plover
    check ${P:-}plover-records eval 'status_is 0 && [ -s "$TMP/out" ] && python3 -c "
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    assert sorted(r) == sorted([\"id\", \"date\", \"actor\", \"recipient\", \"event\", \"mode\", \"context\", \"text\"]), r
    assert r[\"event\"]
" "$TMP/out"'
    run events --db "$ref" --format csv --root 04 --since 2020-01-01 --until 2030-12-31
    check ${P:-}csv-root-filter eval 'status_is 0 && python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r[\"root\"] == \"04\" for r in rows)
assert all(int(r[\"num_mentions\"]) >= int(r[\"num_articles\"]) >= 1 for r in rows)
" "$TMP/out"'
    run events --db "$ref" --code '19*' --actor RUS
    check ${P:-}code-prefix-actor-filter eval 'status_is 0 && [ -s "$TMP/out" ] && python3 -c "
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    assert e[\"code\"].startswith(\"19\") and \"RUS\" in (e[\"source_country\"], e[\"target_country\"], e[\"source\"], e[\"target\"]), e
    assert e[\"num_mentions\"] == len(e[\"mentions\"])
" "$TMP/out"'
    run stats --db "$ref"
    check ${P:-}stats-text eval 'status_is 0 && grep -q "^by dyad" "$TMP/out" && grep -q "^by day" "$TMP/out" && grep -q "^by root" "$TMP/out" && grep -q "^by quad" "$TMP/out"'
    run stats --db "$ref" --format csv
    check ${P:-}stats-csv-sums eval 'status_is 0 && python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
tot = {}
for r in rows:
    tot.setdefault(r[\"table\"], 0)
    tot[r[\"table\"]] += int(r[\"events\"])
n = sum(1 for _ in open(sys.argv[2]))
assert set(tot) == {\"dyad\", \"day\", \"root\", \"quad\"} and all(v == n for v in tot.values()), (tot, n)
" "$TMP/out" "$TMP/ref.jsonl"'
    db=$(newdb)
    run ingest --db "$db" "$S001" "$S004"
    run search --db "$db" "embassy Kabul"
    check ${P:-}search-embassy-kabul eval 'status_is 0 && grep -q "^001_6e756178035027d0" "$TMP/out" && grep -q "^  2021-" "$TMP/out"'
    run search --db "$db" "zzyzzyva"
    check ${P:-}search-no-match eval 'status_is 0 && [ ! -s "$TMP/out" ]'

    # Every dyad of dyad stats is a filter, actors without a country
    # (---GOV) too: --dyad and --actor find its events.
    run stats --db "$ref" --format csv
    cp "$TMP/out" "$TMP/stats.csv"
    local key ok=1 nless=0
    for key in $(awk -F, '$1 == "dyad" && $2 ~ /-/ {print $2}' "$TMP/stats.csv"); do
        nless=$((nless + 1))
        "$DYAD" events --db "$ref" --dyad "$key" >"$TMP/dy.jsonl" 2>>"$TMP/dy.err" &&
            "$DYAD" events --db "$ref" --actor "${key%%:*}" >"$TMP/ac.jsonl" 2>>"$TMP/dy.err" &&
            python3 -c "
import json, sys
key, n = sys.argv[1], int(sys.argv[2])
def side(e, s): return e.get(s + '_country') or e.get(s) or ''
got = [e for e in map(json.loads, open(sys.argv[3])) if side(e, 'source') + ':' + side(e, 'target') == key]
assert len(got) == n, (key, len(got), n)
assert any(side(e, 'source') + ':' + side(e, 'target') == key for e in map(json.loads, open(sys.argv[4])))
" "$key" "$(awk -F, -v k="$key" '$1 == "dyad" && $2 == k {print $3}' "$TMP/stats.csv")" \
                "$TMP/dy.jsonl" "$TMP/ac.jsonl" || ok=0
    done
    check ${P:-}dyads-without-country-as-filters eval '[ $ok = 1 ] && [ $nless -gt 0 ]'

    # Malformed query parameters: a clear error, exit 2.
    run events --db "$ref" --since 2021-13-45
    check ${P:-}bad-since eval 'status_is 2 && err_has "--since"'
    run events --db "$ref" --dyad RUS
    check ${P:-}bad-dyad eval 'status_is 2 && err_has "--dyad"'
    run events --db "$ref" --code "0x'; DROP TABLE events; --"
    check ${P:-}bad-code eval 'status_is 2 && err_has "--code"'
    run events --db "$ref" --root 4
    check ${P:-}bad-root eval 'status_is 2 && err_has "--root"'
    run events --db "$ref" --actor "rus or 1=1"
    check ${P:-}bad-actor eval 'status_is 2 && err_has "--actor"'
    run events --db "$ref" --format xml
    check ${P:-}bad-events-format eval 'status_is 2 && err_has "xml"'
    run events --db "$ref" --since 2022-01-02 --until 2022-01-01
    check ${P:-}since-after-until status_is 2
    run ingest --db "$ref" --window -1 "$S001"
    check ${P:-}bad-window eval 'status_is 2 && err_has "--window"'
    run stats --db "$ref" --format pie
    check ${P:-}bad-stats-format status_is 2
    run events --db "$ref" --actor RUS --bogus
    check ${P:-}unknown-store-option eval 'status_is 2 && err_has "--bogus"'
}
