#!/usr/bin/env bash
# Benchmark (`make bench`): codes a generated wire-news corpus with build/dyad
# and prints wall time, sentences/s, peak RSS, dictionary load time and, when
# valgrind is installed, instructions per sentence. Not a test: it only prints.
#
# Environment: DYAD (binary, default build/dyad), DYAD_SHARED (default
# ../shared), BENCH_SENTENCES (corpus size, default 120000), BENCH_RUNS
# (timed runs, best kept, default 3), BENCH_NO_VALGRIND=1 to skip callgrind.
set -eu
cd "$(dirname "$0")/.."

DYAD=${DYAD:-build/dyad}
SHARED=${DYAD_SHARED:-../shared}
SENTENCES=${BENCH_SENTENCES:-120000}
RUNS=${BENCH_RUNS:-3}
SMALL_SENTENCES=2000
CC=${CC:-cc}
B=build/bench
CFLAGS_B="-std=c11 -O2 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"

die() { echo "bench: $*" >&2; exit 1; }

mkdir -p "$B"
# Helpers, rebuilt when their source is newer.
for h in gen peakrss; do
    if [ ! -x "$B/$h" ] || [ "bench/$h.c" -nt "$B/$h" ]; then
        $CC $CFLAGS_B "bench/$h.c" -o "$B/$h" || die "cannot build bench/$h.c"
    fi
done

[ -x "$DYAD" ] || die "$DYAD not found: run make first"

# Corpus: regenerated when missing, when its size changed or when the
# generator changed. The .count file holds the generator's stderr line
# "N sentences in M articles".
gen_corpus() { # FILE SENTENCES
    local out=$1 n=$2
    if [ -s "$out" ] && [ -s "$out.count" ] && [ "$out" -nt "$B/gen" ] &&
       [ "$(cut -d' ' -f1 "$out.count")" = "$n" ]; then
        return 0
    fi
    "$B/gen" --sentences "$n" -o "$out.tmp" 2> "$out.count.tmp" || die "generator failed"
    mv "$out.tmp" "$out" && mv "$out.count.tmp" "$out.count"
}
CORPUS=$B/corpus.jsonl
gen_corpus "$CORPUS" "$SENTENCES"
NSENT=$(cut -d' ' -f1 "$CORPUS.count")
NART=$(cut -d' ' -f4 "$CORPUS.count")
[ "$NSENT" -ge 100000 ] || echo "bench: note: corpus has only $NSENT sentences (BENCH_SENTENCES)" >&2

PHOENIX=$SHARED/dictionaries/phoenix
if [ -d "$PHOENIX" ]; then
    DICT_ARGS=(--dict "$PHOENIX")
    DICTS="built-in + $PHOENIX"
else
    DICT_ARGS=()
    DICTS="built-in only ($PHOENIX is missing)"
    echo "bench: $PHOENIX is missing: built-in dictionaries only" >&2
fi

# run_timed STDIN ARG...: runs dyad RUNS times; sets BEST_S (fastest wall
# seconds), PEAK_KB (largest peak RSS) and STATUS (last exit status).
run_timed() {
    local in=$1; shift
    local rss=$B/rss.txt t0 t1 i
    BEST_S=""
    : > "$rss"
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s.%N)
        "$B/peakrss" "$rss" "$DYAD" "$@" < "$in" > /dev/null 2>> "$B/stderr.log" || true
        t1=$(date +%s.%N)
        BEST_S=$(awk -v a="$t0" -v b="$t1" -v best="$BEST_S" \
            'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.6f", best }')
    done
    PEAK_KB=$(awk '$1 > m { m = $1 } END { print m + 0 }' "$rss")
    STATUS=$(awk 'END { print $2 }' "$rss")
}

: > "$B/stderr.log"
run_timed /dev/null code "${DICT_ARGS[@]}" "$CORPUS"
CODE_S=$BEST_S CODE_KB=$PEAK_KB CODE_ST=$STATUS
printf '' > "$B/empty.txt"
run_timed "$B/empty.txt" code "${DICT_ARGS[@]}" -
LOAD_S=$BEST_S LOAD_KB=$PEAK_KB LOAD_ST=$STATUS

# Instructions per sentence, built-in dictionaries only, on a small corpus.
IPS="n/a" IPS_NET="n/a" CG_NOTE="valgrind not installed"
if [ "${BENCH_NO_VALGRIND:-0}" = 1 ]; then
    CG_NOTE="skipped (BENCH_NO_VALGRIND=1)"
elif command -v valgrind > /dev/null 2>&1; then
    SMALL=$B/small.jsonl
    gen_corpus "$SMALL" "$SMALL_SENTENCES"
    collected() { # STDIN ARG...: prints callgrind's "Collected" total
        local in=$1; shift
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$DYAD" "$@" \
            < "$in" > /dev/null 2> "$B/callgrind.log" || true
        awk '/Collected :/ { print $NF }' "$B/callgrind.log" | tail -n 1
    }
    TOTAL_IR=$(collected /dev/null code "$SMALL")
    EMPTY_IR=$(collected "$B/empty.txt" code -)
    if [ -n "$TOTAL_IR" ] && [ -n "$EMPTY_IR" ]; then
        IPS=$(awk -v t="$TOTAL_IR" -v n="$SMALL_SENTENCES" 'BEGIN { printf "%.0f", t / n }')
        IPS_NET=$(awk -v t="$TOTAL_IR" -v e="$EMPTY_IR" -v n="$SMALL_SENTENCES" \
            'BEGIN { printf "%.0f", (t - e) / n }')
        CG_NOTE="callgrind, $SMALL_SENTENCES sentences, built-in dictionaries; startup $EMPTY_IR Ir"
    else
        CG_NOTE="callgrind gave no total (see $B/callgrind.log)"
    fi
fi

# Figures.
SPS=$(awk -v n="$NSENT" -v s="$CODE_S" 'BEGIN { printf "%.0f", n / s }')
SPS_NET=$(awk -v n="$NSENT" -v s="$CODE_S" -v l="$LOAD_S" \
    'BEGIN { d = s - l; if (d > 0) printf "%.0f", n / d; else print "n/a" }')
CODE_MB=$(awk -v k="$CODE_KB" 'BEGIN { printf "%.1f", k / 1024 }')
LOAD_MB=$(awk -v k="$LOAD_KB" 'BEGIN { printf "%.1f", k / 1024 }')
LOAD_MS=$(awk -v s="$LOAD_S" 'BEGIN { printf "%.0f", s * 1000 }')
CORPUS_MB=$(awk -v b="$(wc -c < "$CORPUS")" 'BEGIN { printf "%.1f", b / 1048576 }')
TODAY=$(date +%Y-%m-%d)
COMMIT=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
# Uncommitted or untracked sources make the figures not reproducible from
# the commit alone.
if [ "$COMMIT" != unknown ] &&
   [ -n "$(git status --porcelain -- src include data tools Makefile 2> /dev/null)" ]; then
    COMMIT="$COMMIT+dirty"
fi
CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || true)
MACHINE="$(nproc) x ${CPU:-unknown CPU}"

echo
echo "dyad benchmark, $TODAY, commit $COMMIT, $MACHINE"
echo "corpus:       $CORPUS ($NSENT sentences, $NART articles, $CORPUS_MB MB)"
echo "dictionaries: $DICTS"
echo
printf '| %-44s | %18s |\n' "measure" "value"
printf '| %-44s | %18s |\n' "--------------------------------------------" "------------------"
printf '| %-44s | %16s s |\n' "coding wall time (best of $RUNS)" "$CODE_S"
printf '| %-44s | %18s |\n' "sentences/s" "$SPS"
printf '| %-44s | %18s |\n' "sentences/s, dictionary load subtracted" "$SPS_NET"
printf '| %-44s | %15s MB |\n' "peak RSS while coding" "$CODE_MB"
printf '| %-44s | %15s ms |\n' "dictionary load, empty input (best of $RUNS)" "$LOAD_MS"
printf '| %-44s | %15s MB |\n' "peak RSS, dictionary load only" "$LOAD_MB"
printf '| %-44s | %18s |\n' "instructions/sentence" "$IPS"
printf '| %-44s | %18s |\n' "instructions/sentence, startup subtracted" "$IPS_NET"
echo
echo "instructions: $CG_NOTE"
[ "$CODE_ST" = 0 ] || echo "note: dyad code exited with status $CODE_ST on the corpus (messages in $B/stderr.log)"
# Empty input is reported as "empty file" with status 1; only worse is news.
[ "$LOAD_ST" -le 1 ] || echo "note: dyad code exited with status $LOAD_ST on empty input (messages in $B/stderr.log)"
echo
echo "row for BENCHMARKS.md:"
echo "| $TODAY | $COMMIT | $MACHINE | $SPS | $CODE_MB | $LOAD_MS | $IPS |"
