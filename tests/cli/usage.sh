#!/usr/bin/env bash
# usage.sh: command-line errors give exit 2 and a `dyad: error:` line; help and version work.
. "$(dirname "$0")/_common.sh"
article "$TMP/a.txt" 2024-05-07

run code --date 2021-13-45 "$TMP/a.txt"
check bad-date-month status_is 2
run code --date yesterday "$TMP/a.txt"
check bad-date-word eval 'status_is 2 && err_has "dyad: error:"'
run code --frobnicate "$TMP/a.txt"
check unknown-option eval 'status_is 2 && err_has "--frobnicate"'
run code
check no-input eval 'status_is 2 && err_has "dyad: error:"'
run code --format xml "$TMP/a.txt"
check bad-format eval 'status_is 2 && err_has "xml"'
run code "$TMP/a.txt" --dict
check missing-argument status_is 2
run frobnicate
check unknown-command status_is 2
run
check no-command status_is 2
run help
check help eval 'status_is 0 && grep -q "code" "$TMP/out" && grep -q "validate" "$TMP/out" && grep -q -- "--format" "$TMP/out"'
run --help
check help-option eval 'status_is 0 && grep -q "usage" "$TMP/out"'
run version
check version eval 'status_is 0 && grep -qE "^dyad [0-9]+\.[0-9]+\.[0-9]+" "$TMP/out"'
run validate "$TMP/no-such-records.xml"
check validate-missing-file eval 'status_is 2 && err_has "no-such-records.xml"'
run validate
check validate-no-file status_is 2
