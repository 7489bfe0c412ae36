#!/usr/bin/env bash
# output.sh: output formats, -o and write errors.
. "$(dirname "$0")/_common.sh"
article "$TMP/a.txt" 2024-05-07
article "$TMP/b.txt" 2024-05-08

run code "$TMP/a.txt" "$TMP/b.txt"
n=$(wc -l <"$TMP/out")
check jsonl-events eval 'status_is 0 && [ "$n" -ge 2 ] && ! field doc | grep -q BAD'

run code --format csv "$TMP/a.txt" "$TMP/b.txt"
check csv-header eval 'status_is 0 && head -n 1 "$TMP/out" | grep -q "source" && head -n 1 "$TMP/out" | grep -q "target" && [ "$(wc -l <"$TMP/out")" -eq $((n + 1)) ]'

run code --format=tsv "$TMP/a.txt" "$TMP/b.txt"
check tsv-five-columns eval 'status_is 0 && [ "$(wc -l <"$TMP/out")" -eq "$n" ] && awk -F "\t" "NF != 5 { bad = 1 } END { exit bad }" "$TMP/out"'

run code -o "$TMP/events.jsonl" "$TMP/a.txt"
check output-file eval 'status_is 0 && [ ! -s "$TMP/out" ] && [ "$(field doc "$TMP/events.jsonl" | wc -l)" -ge 1 ]'

run code -o "$TMP/no-such-dir/events.jsonl" "$TMP/a.txt"
check output-file-unwritable eval 'status_is 1 && err_has "no-such-dir"'

if [ -w /dev/full ]; then
    "$DYAD" code "$TMP/a.txt" >/dev/full 2>"$TMP/err"
    RC=$?
    : >"$TMP/out"
    check write-error eval 'status_is 1 && err_has "dyad: error:"'
fi
