#!/usr/bin/env bash
# bytes.sh: hostile bytes: invalid UTF-8, NUL bytes, a 50 MB line.
. "$(dirname "$0")/_common.sh"

# Invalid UTF-8 is replaced, with one warning, and the article is coded.
{
    echo "date 2024-05-07"
    printf 'Russian President Vladimir Putin held talks \xff\xfe with Chinese President Xi Jinping in Moscow on Tuesday.\n'
    printf 'A stray \xc3 byte and an overlong \xc0\xaf slash.\n'
} >"$TMP/badutf8.txt"
run code "$TMP/badutf8.txt"
check invalid-utf8 eval 'status_is 0 && [ "$(warnings)" -eq 1 ] && python3 -c "import sys,json; [json.loads(l) for l in open(sys.argv[1], encoding=\"utf-8\")]" "$TMP/out"'

# NUL bytes inside the text neither crash nor cut the article short.
{
    echo "date 2024-05-07"
    printf 'Officials said\0 the meeting\0\0 went well.\n'
    echo "Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Moscow on Tuesday."
} >"$TMP/nul.txt"
run code "$TMP/nul.txt"
check nul-bytes eval '[ "$RC" -le 1 ] && has_doc nul'

# A 50 MB single line (no newline at all) completes.
python3 - "$TMP/big.txt" <<'PY'
import sys
s = ("Officials in the capital said the talks on the trade corridor would go on "
     "next week, and a spokesman added that no date had been set. ")
with open(sys.argv[1], "w") as f:
    f.write("date 2024-05-07\n")
    f.write(s * (50 * 1024 * 1024 // len(s)))
PY
start=$(date +%s)
run code "$TMP/big.txt"
secs=$(( $(date +%s) - start ))
echo "# 50 MB line took ${secs}s"
check huge-line status_is 0
