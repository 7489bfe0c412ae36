#!/usr/bin/env bash
# inputs.sh: each kind of input (stdin, directories, JSON Lines) and each kind of damaged input.
. "$(dirname "$0")/_common.sh"
article "$TMP/good.txt" 2024-05-07

run code "$TMP/good.txt"
check plain-file eval 'status_is 0 && has_doc good'

run code - <"$TMP/good.txt"
check stdin eval 'status_is 0 && [ "$(field doc | wc -l)" -ge 1 ]'

# Directories are read recursively, in sorted order.
mkdir -p "$TMP/dir/m"
article "$TMP/dir/a.txt" 2024-05-07
article "$TMP/dir/m/b.txt" 2024-05-08
article "$TMP/dir/z.txt" 2024-05-09
run code "$TMP/dir"
check directory-sorted eval 'status_is 0 && [ "$(field doc | sed "s/\.[a-z]*$//" | uniq | tr "\n" " ")" = "a b z " ]'

# A missing input is an error naming it; the other inputs are still coded.
run code "$TMP/good.txt" "$TMP/no-such-file.txt"
check missing-file eval 'status_is 1 && err_has "no-such-file.txt" && has_doc good'

: >"$TMP/empty.txt"
run code "$TMP/empty.txt" "$TMP/good.txt"
check empty-file eval 'status_is 1 && err_has "empty.txt" && has_doc good'

# A malformed JSON line: an error with its line number; the other lines coded.
txt='Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Moscow on Tuesday.'
{
    printf '{"id": "j1", "date": "2024-05-07", "text": "%s"}\n' "$txt"
    printf '{"id": "j2", "date": "2024-05-07", "text": "%s"\n' "$txt"
    printf '{"id": "j3", "date": "2024-05-07", "text": "%s"}\n' "$txt"
} >"$TMP/news.jsonl"
run code "$TMP/news.jsonl"
check jsonl-malformed-line eval 'status_is 1 && err_has "news.jsonl:2:" && has_doc j1 && has_doc j3 && ! has_doc j2'

# An unknown date format in the `date` line: an error naming file and line;
# the article is still coded.
{ echo "date 07/05/2024"; tail -n +2 "$TMP/good.txt"; } >"$TMP/baddate.txt"
run code "$TMP/baddate.txt"
check unknown-date-format eval 'status_is 1 && err_has "baddate.txt:1:" && has_doc baddate'

# No date anywhere: "date": null and one warning.
article "$TMP/nodate.txt"
run code "$TMP/nodate.txt"
check no-date eval 'status_is 0 && [ "$(field date | sort -u)" = null ] && [ "$(warnings)" -eq 1 ]'

# --date fills in the missing date.
run code --date 2024-05-07 "$TMP/nodate.txt"
check default-date eval 'status_is 0 && [ "$(field date | sort -u)" = 2024-05-07 ] && [ "$(warnings)" -eq 0 ]'
