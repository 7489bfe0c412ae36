#!/usr/bin/env bash
# dict.sh: dyad dict lint|lookup|stats and dyad code --unknown. The shipped
# dictionaries must lint clean; toy dictionaries show each kind of problem
# reported with its file and line.
. "$(dirname "$0")/_common.sh"

run dict lint
check dict_lint_shipped_clean sh -c "[ $RC -eq 0 ] && grep -q '^dyad dict lint: 0 problems' '$TMP/err'"

cat >"$TMP/toy.actors.txt" <<'D'
VLADIMIR_PUTIN_
	[RUSGOV >20000507]
	[RUSELI]
JOHN_DOE_
	[USAGOV 20100101-20151231]
	[USALEG 20150101-20200101]
VLADIMIR_PUTIN_ [RUSGOV]
ZED_ [RUSG]
D
cat >"$TMP/toy.verbs.txt" <<'D'
--- ACCUSE [112] ---
ACCUSE
- * + OF WAR_CRIMES [1124]
- * + OF WAR_CRIMES [1124]
- ACCUSE_* + [112]
- * + OF SPYING [999]
--- EMPTY [040] ---
- * WITH + [040]
D
run dict lint --no-builtin --dict "$TMP/toy.actors.txt" --dict "$TMP/toy.verbs.txt"
lint_toy() {
    [ "$RC" -eq 1 ] &&
        grep -q 'toy.actors.txt:4: .*overlap.*USAGOV.*USALEG' "$TMP/out" &&
        grep -q 'toy.actors.txt:7: .*duplicate actor phrase VLADIMIR_PUTIN_ (also .*toy.actors.txt:1)' "$TMP/out" &&
        grep -q 'toy.actors.txt:8: .*RUSG is not a CAMEO actor code' "$TMP/out" &&
        grep -q 'toy.verbs.txt:4: .*duplicates .*toy.verbs.txt:3' "$TMP/out" &&
        grep -q 'toy.verbs.txt:5: .*never match.*ACCUSE' "$TMP/out" &&
        grep -q 'toy.verbs.txt:6: .*999 is not in the CAMEO codebook' "$TMP/out" &&
        grep -q 'toy.verbs.txt:7: .*no verbs' "$TMP/out"
}
check dict_lint_toy_problems lint_toy

run dict lookup "Sergey Lavrov" --date 2021-08-17
check dict_lookup_lavrov sh -c "[ $RC -eq 0 ] && grep -qE '^RUSGOV +actor +Sergey Lavrov +builtin:[^ ]+actors.txt:[0-9]+' '$TMP/out'"
run dict lookup --no-builtin --dict "$TMP/toy.actors.txt" "Vladimir Putin" --date 1999-01-01
check dict_lookup_dated sh -c "grep -qE '^RUSELI +actor' '$TMP/out'"
run dict lookup "Qwertyuiop Asdfgh"
check dict_lookup_none status_is 1
run dict lookup "Putin" --date 2021-02-30
check dict_lookup_bad_date status_is 2
run dict frobnicate
check dict_unknown_subcommand status_is 2

run dict stats
stats_ok() {
    [ "$RC" -eq 0 ] &&
        [ "$(awk '/^countries and territories/ { print $4 }' "$TMP/out")" -ge 190 ] &&
        grep -q '^CAMEO roots covered  *20 of 20' "$TMP/out" &&
        grep -qE '^verb patterns +[0-9]+' "$TMP/out"
}
check dict_stats stats_ok

printf 'date 2024-03-05\nMOSCOW, March 5 (Reuters) - Egyptian envoy Amun Hotepra al-Zabari met Russian President Vladimir Putin on Tuesday. The Zorbanian Liberation Front attacked a base near Karsk. Amun Hotepra al-Zabari spoke again.\n' >"$TMP/a.txt"
run code --unknown "$TMP/a.txt"
unknown_ok() {
    [ "$RC" -eq 0 ] &&
        grep -qE '^AMUN_HOTEPRA_AL-ZABARI_ +\[---\] +# 2: a: ' "$TMP/out" &&
        grep -q '^ZORBANIAN_LIBERATION_FRONT_ ' "$TMP/out" &&
        ! grep -q '^MOSCOW' "$TMP/out" && ! grep -q '^VLADIMIR' "$TMP/out" &&
        ! grep -q '"source"' "$TMP/out"
}
check code_unknown_stubs unknown_ok
