#!/usr/bin/env bash
# threads.sh: `dyad code -j N` writes what one thread writes, byte for byte
# (events, messages, exit status), on JSON Lines and directories, with damaged
# input; bad -j values are usage errors; --stats and `dyad split` count right.
. "$(dirname "$0")/_common.sh"
ROOT=$(cd "$HERE/../.." && pwd)

# The benchmark's generator: deterministic wire-news articles.
cc -std=c11 -O1 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    "$ROOT/bench/gen.c" -o "$TMP/gen" 2>"$TMP/gen.err" || {
    echo "not ok threads-generator-builds"
    cat "$TMP/gen.err" | sed 's/^/#   /'
    exit 0
}
"$TMP/gen" --sentences 6000 -o "$TMP/c.jsonl" 2>"$TMP/c.count"
"$TMP/gen" --seed 7 --sentences 1500 --format dir -o "$TMP/cdir" 2>/dev/null
NART=$(wc -l <"$TMP/c.jsonl")

# same NAME ARGS...: runs `code -j 1 ARGS` and `code -j 4 ARGS`; sets RC to
# the -j 4 status and R1 to the -j 1 one; $TMP/out1, $TMP/err1 keep -j 1's.
same_run() {
    run code -j 1 "$@"
    R1=$RC
    mv "$TMP/out" "$TMP/out1"
    mv "$TMP/err" "$TMP/err1"
    run code -j 4 "$@"
}
docs_are() { # the damaged corpus: baddate coded, broken skipped
    field doc >"$TMP/docs" && grep -qx baddate "$TMP/docs" && ! grep -qx broken "$TMP/docs"
}
identical() {
    [ "$RC" -eq "$R1" ] && cmp -s "$TMP/out1" "$TMP/out" && cmp -s "$TMP/err1" "$TMP/err"
}

same_run "$TMP/c.jsonl"
check threads-jsonl-identical eval 'status_is 0 && identical && [ "$(wc -l <"$TMP/out")" -gt 1000 ] && [ "$(field doc | uniq | wc -l)" -gt 200 ]'

# The events come in input order: documents in corpus order, sentences rising.
check threads-input-order eval '[ "$(field doc | uniq | tr "\n" " ")" = "$(field doc | uniq | sort | tr "\n" " ")" ]'

same_run "$TMP/cdir"
check threads-directory-identical eval 'status_is 0 && identical && [ "$(field doc | uniq | wc -l)" -gt 40 ]'

# Damage in the middle, over several batches: a malformed JSON line, an
# unknown date (the reader's error, then the coder's warning for the same
# article) and an article with no date (the coder's warning). Same messages
# in the same order, same exit status 1.
{
    sed -n '1,70p' "$TMP/c.jsonl"
    echo '{"id": "broken", "text": "Russia met China."'
    sed -n '71,140p' "$TMP/c.jsonl"
    echo '{"id": "baddate", "date": "07/05/2024", "text": "Russian President Vladimir Putin met Chinese President Xi Jinping."}'
    sed -n '141,200p' "$TMP/c.jsonl"
    echo '{"id": "nodate", "text": "Russian President Vladimir Putin met Chinese President Xi Jinping."}'
    sed -n '201,$p' "$TMP/c.jsonl"
} >"$TMP/bad.jsonl"
same_run "$TMP/bad.jsonl"
check threads-damaged-identical eval 'status_is 1 && [ "$R1" -eq 1 ] && identical &&
    err_has "bad.jsonl:71:" && err_has "bad.jsonl:142:" && err_has "bad.jsonl:203:" &&
    [ "$(errors)" -eq 2 ] && [ "$(warnings)" -eq 2 ] && docs_are'

# A missing input and an empty file among good ones: messages in place.
: >"$TMP/empty.txt"
same_run "$TMP/cdir" "$TMP/empty.txt" "$TMP/no-such.txt" "$TMP/c.jsonl"
check threads-missing-and-empty eval 'status_is 1 && identical && err_has "no-such.txt" && err_has "empty.txt"'

# Other formats, -o, --date, --unknown.
same_run --format csv "$TMP/c.jsonl"
check threads-csv-identical eval 'status_is 0 && identical && [ "$(grep -c "^doc," "$TMP/out")" -eq 1 ]'
run code -j 2 --format tsv -o "$TMP/o2.tsv" "$TMP/c.jsonl"
R2=$RC
run code --format tsv -o "$TMP/o1.tsv" "$TMP/c.jsonl"
check threads-output-file eval 'status_is 0 && [ "$R2" -eq 0 ] && [ ! -s "$TMP/out" ] && cmp -s "$TMP/o1.tsv" "$TMP/o2.tsv"'
same_run --unknown "$TMP/c.jsonl"
check threads-unknown-identical eval 'status_is 0 && identical && [ -s "$TMP/out" ]'

# -j 0: one worker per online CPU; --threads N is -j N; -jN too.
run code -j 0 "$TMP/c.jsonl"
cp "$TMP/out" "$TMP/outj0"
run code --threads 3 "$TMP/c.jsonl"
cp "$TMP/out" "$TMP/outt3"
run code -j2 "$TMP/c.jsonl"
check threads-spellings eval 'status_is 0 && cmp -s "$TMP/out" "$TMP/outj0" && cmp -s "$TMP/out" "$TMP/outt3"'

# Bad values: usage errors (2), nothing coded.
for bad in x -1 1.5 "" 99999; do
    run code -j "$bad" "$TMP/c.jsonl"
    check "threads-bad-value-'$bad'" eval 'status_is 2 && [ ! -s "$TMP/out" ] && err_has "threads"'
done
run code "$TMP/c.jsonl" --threads
check threads-missing-value eval 'status_is 2 && err_has "needs an argument"'
run code --threads=abc "$TMP/c.jsonl"
check threads-bad-value-equals eval 'status_is 2 && err_has "abc"'

# --stats: the figures on stderr, the generator's exact sentence count.
NSENT=$(cut -d' ' -f1 "$TMP/c.count")
for j in 1 2; do
    run code --stats -j $j "$TMP/c.jsonl"
    EV=$(wc -l <"$TMP/out")
    check "threads-stats-j$j" eval 'status_is 0 && grep -qE "^articles $NART, sentences $NSENT, events $EV, seconds [0-9.]+, sentences/s [0-9]+$" "$TMP/err"'
done

# dyad split: the floor reads and splits the same input: same counts,
# nothing on stdout; damage is reported as by code.
run split --stats "$TMP/c.jsonl"
check split-stats eval 'status_is 0 && [ ! -s "$TMP/out" ] && grep -qE "^articles $NART, sentences $NSENT, tokens [0-9]+, seconds [0-9.]+, sentences/s [0-9]+$" "$TMP/err"'
run split "$TMP/bad.jsonl"
check split-damaged eval 'status_is 1 && err_has "bad.jsonl:71:" && [ ! -s "$TMP/out" ]'
run split
check split-no-input eval 'status_is 2 && err_has "no input"'
run split --bogus "$TMP/c.jsonl"
check split-bad-option eval 'status_is 2 && err_has "--bogus"'
