#!/usr/bin/env bash
# examples.sh: the README's commands work as documented (examples run as tests).
. "$(dirname "$0")/_common.sh"
ROOT=$(cd "$HERE/../.." && pwd)

# README: build/dyad code examples/corpus
run code "$ROOT/examples/corpus"
check example-corpus eval 'status_is 0 && [ "$(field doc | grep -vc BAD)" -ge 5 ] && [ "$(field doc | sed "s/\.[a-z]*$//" | sort -u | wc -l)" -ge 4 ]'

# Every event carries the fields of the JSON Lines contract.
check example-fields python3 - "$TMP/out" <<'PY'
import json, sys
want = ["doc", "sentence", "date", "source", "source_name", "source_country",
        "target", "target_name", "target_country", "code", "root", "quad",
        "goldstein", "plover", "text", "pattern", "place"]
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
bad = [l for l in lines if sorted(json.loads(l)) != sorted(want)]
sys.exit(1 if not lines or bad else 0)
PY

# README: --format csv / tsv on the same corpus give one line per event.
n=$(grep -c . "$TMP/out")
run code --format csv "$ROOT/examples/corpus"
check example-csv eval 'status_is 0 && [ "$(grep -c . "$TMP/out")" -eq $((n + 1)) ]'

# README's first command: the example corpus into the store, then its merged
# events (num_articles etc.), run in a scratch folder so dyad.db lands there.
ABS_DYAD=$(cd "$(dirname "$DYAD")" && pwd)/$(basename "$DYAD")
(cd "$TMP" && "$ABS_DYAD" ingest "$ROOT/examples/corpus" >"$TMP/ingest.out" 2>"$TMP/err"); RC=$?
check example-ingest eval 'status_is 0 && [ -s "$TMP/dyad.db" ]'
(cd "$TMP" && "$ABS_DYAD" events >"$TMP/out" 2>"$TMP/err"); RC=$?
check example-events python3 - "$TMP/out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
ok = lines and all(e["num_mentions"] >= 1 and e["num_articles"] >= 1 and e["mentions"]
                   for e in lines)
sys.exit(0 if ok else 1)
PY
