#!/usr/bin/env bash
# run.sh: runs every test suite against a build folder (make test: tests/run.sh build/san)
# and ends with one line `N passed, N failed`; exits non-zero when any case failed.
# Suites: unit (cmocka), golden, seeds, validation, cli, fuzz (when clang is there).
set -u

if [ $# -ne 1 ]; then
    echo "usage: tests/run.sh BUILD_DIR" >&2
    exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$1" 2>/dev/null && pwd) || { echo "run.sh: no build folder $1" >&2; exit 2; }
cd "$ROOT" || exit 2
SHARED=${DYAD_SHARED:-$ROOT/../shared}
export DYAD=$BUILD/dyad
# Leaks fail the run as other sanitizer reports do; reports go to stderr.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

PASSED=0
FAILED=0
LOG=$(mktemp -d "${TMPDIR:-/tmp}/dyad-run.XXXXXX")
trap 'rm -rf "$LOG"' EXIT

suite() { printf '\n== %s\n' "$1"; }
pass() { PASSED=$((PASSED + 1)); echo "ok $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok $1"; }

# count_tap FILE: adds the file's `ok` / `not ok` lines to the totals.
count_tap() {
    local p f
    p=$(grep -c '^ok ' "$1")
    f=$(grep -c '^not ok ' "$1")
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
}

# tap NAME COMMAND...: runs a command printing ok/not ok lines, shows and
# counts them; a command that fails without printing any `not ok` counts one.
tap() {
    local name=$1 rc
    shift
    "$@" >"$LOG/tap" 2>&1
    rc=$?
    cat "$LOG/tap"
    count_tap "$LOG/tap"
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$LOG/tap"; then
        fail "$name (exit status $rc)"
    fi
}

if [ ! -x "$DYAD" ]; then
    echo "run.sh: $DYAD is missing: build first (make san)" >&2
fi

# (a) unit tests: cmocka binaries; their own counts of passed and failed tests.
suite unit
for bin in "$BUILD"/tests/test_*; do
    [ -x "$bin" ] || continue
    name=unit/$(basename "$bin")
    timeout 300 "$bin" >"$LOG/unit" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$LOG/unit" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$LOG/unit" | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    # A crash or a timeout before the summary still counts as a failure.
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
    fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    if [ "$f" -gt 0 ]; then
        echo "not ok $name: $p passed, $f failed (exit status $rc)"
        tail -n 40 "$LOG/unit" | sed 's/^/#   /'
    else
        echo "ok $name: $p passed"
    fi
done

# (b) golden cases, and the seed articles' gold events (recall).
suite golden
tap golden python3 tests/golden/golden.py cases "$DYAD" "$ROOT/tests/golden/cases"
if [ -d "$SHARED/seeds" ]; then
    tap seeds python3 tests/golden/golden.py seeds "$DYAD" "$SHARED/seeds" \
        "$ROOT/tests/golden/seeds.expected.jsonl"
else
    echo "skip seeds: no $SHARED/seeds"
fi

# (c) PETRARCH unit-test records: at least the floor must pass.
suite validation
records=$SHARED/validation/petrarch-unittest/PETR.UnitTest.records.xml
if [ -f "$records" ]; then
    floor=$(tr -dc '0-9' <tests/validation_floor.txt)
    floor=${floor:-0}
    timeout 300 "$DYAD" validate "$records" >"$LOG/val" 2>"$LOG/val.err"
    rc=$?
    last=$(tail -n 1 "$LOG/val")
    got=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    echo "# validate: $last (floor $floor)"
    if [ $rc -eq 0 ] && [ -n "$got" ] && [ "$got" -ge "$floor" ] &&
        ! grep -qE 'runtime error|Sanitizer' "$LOG/val.err"; then
        pass "validation ($got passed >= floor $floor)"
    else
        fail "validation (exit status $rc, last line '$last', floor $floor)"
        tail -n 20 "$LOG/val.err" | sed 's/^/#   /'
    fi
else
    echo "skip validation: no $records"
fi

# (d) command-line end-to-end and bad-input tests.
suite cli
for t in tests/cli/*.sh; do
    case $(basename "$t") in _*) continue ;; esac
    tap "cli/$(basename "$t" .sh)" timeout 600 bash "$t"
done

# (e) fuzz smoke: each libFuzzer target 10 seconds on a copy of its corpus.
suite fuzz
if [ -n "${DYAD_NO_FUZZ:-}" ]; then
    echo "skip fuzz: DYAD_NO_FUZZ is set"
elif ! command -v clang >/dev/null; then
    echo "skip fuzz: no clang"
elif ! ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
    echo "skip fuzz: no targets"
elif ! make -s fuzz >"$LOG/fuzzbuild" 2>&1; then
    fail "fuzz/build"
    tail -n 30 "$LOG/fuzzbuild" | sed 's/^/#   /'
else
    for bin in build/fuzz/fuzz_*; do
        [ -x "$bin" ] || continue
        name=${bin##*/fuzz_}
        work=$LOG/fuzz-$name
        mkdir -p "$work/corpus"
        [ -d "tests/fuzz/corpus/$name" ] && cp -R "tests/fuzz/corpus/$name/." "$work/corpus/"
        # New inputs go to the copy, never into the repository's corpus.
        (cd "$work" && timeout 120 "$ROOT/$bin" -max_total_time=10 -timeout=10 \
            -rss_limit_mb=4096 -print_final_stats=0 corpus) >"$work/log" 2>&1
        rc=$?
        if [ $rc -eq 0 ]; then
            pass "fuzz/$name ($(grep -c . <(ls "$work/corpus")) inputs)"
        else
            fail "fuzz/$name (exit status $rc)"
            grep -A 30 -m 1 -E 'ERROR|runtime error|crash' "$work/log" | head -n 40 | sed 's/^/#   /'
            ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null | sed 's/^/#   artifact: /'
        fi
    done
fi

echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
