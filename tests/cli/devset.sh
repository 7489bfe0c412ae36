#!/usr/bin/env bash
# devset.sh: codes the development set (tests/devset) and checks that the
# code-level precision, recall and F1 of `dyad eval` stay at or above the
# floor in tests/devset/floor.txt; also checks dyad eval itself.
. "$(dirname "$0")/_common.sh"
DEV=$HERE/../devset

run code "$DEV/articles.jsonl" -o "$TMP/pred.jsonl"
check devset_codes status_is 0

run eval "$DEV/gold.jsonl" "$TMP/pred.jsonl"
cp "$TMP/out" "$TMP/eval"
sed -n '1,3p' "$TMP/eval" | sed 's/^/# /'
above_floor() {
    local what col got floor
    for what in precision:6 recall:7 f1:8; do
        col=${what#*:}
        got=$(awk -v c="$col" '$1 == "all" && $2 == "code" { print $c }' "$TMP/eval")
        floor=$(awk -v k="${what%%:*}" '$1 == k { print $2 }' "$DEV/floor.txt")
        [ -n "$got" ] && [ -n "$floor" ] || return 1
        awk -v g="$got" -v f="$floor" 'BEGIN { exit !(g + 0 >= f + 0) }' || {
            echo "# ${what%%:*} $got is below the floor $floor" >&2
            return 1
        }
    done
}
check devset_above_floor above_floor
# the set covers every root and at least 60 codes
roots_codes() {
    [ "$(grep -c '^root ' "$TMP/eval")" -ge 20 ] &&
        [ "$(awk '$1 == "code" && $3 > 0' "$TMP/eval" | wc -l)" -ge 60 ]
}
check devset_covers_roots_and_codes roots_codes

# dyad eval: exact figures on a small case
cat >"$TMP/g.jsonl" <<'J'
{"doc":"a","sentence":0,"source":"RUSGOV","target":"CHNGOV","code":"040"}
{"doc":"a","sentence":1,"source":"USA","target":"IRN","code":"1312"}
{"doc":"b","sentence":0,"source":"ISR","target":"PSE","code":"195"}
J
cat >"$TMP/p.jsonl" <<'J'
{"doc":"a","sentence":0,"source":"RUSGOV","target":"CHNGOV","code":"040","root":"04"}
{"doc":"a","sentence":1,"source":"USA","target":"IRN","code":"130"}
{"doc":"b","sentence":0,"source":"ISR","target":"PSE","code":"190"}
{"doc":"b","sentence":0,"source":"PSE","target":"ISR","code":"190"}
J
run eval "$TMP/g.jsonl" "$TMP/p.jsonl"
figures() {
    grep -qE '^all +code +3 +4 +1 +0\.250 +0\.333 +0\.286$' "$TMP/out" &&
        grep -qE '^all +root +3 +4 +3 +0\.750 +1\.000 +0\.857$' "$TMP/out" &&
        grep -qE '^code +040 +1 +1 +1 +1\.000 +1\.000 +1\.000$' "$TMP/out" &&
        grep -qE '^root +19 +1 +2 +1 +0\.500 +1\.000 +0\.667$' "$TMP/out"
}
check eval_figures figures
echo '{"doc":"a","sentence":0' >"$TMP/bad.jsonl"
run eval "$TMP/g.jsonl" "$TMP/bad.jsonl"
check eval_bad_line_named sh -c "[ $RC -eq 1 ] && grep -q 'bad.jsonl:1:' '$TMP/err'"
run eval "$TMP/g.jsonl"
check eval_usage status_is 2
