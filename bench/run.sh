#!/usr/bin/env bash
# Benchmark (`make bench`): codes a generated wire-news corpus with build/dyad
# and prints one table: corpus size, sentences/s on one thread, the floor (read
# and split only, `dyad split`) and the ratio of coding to it, -j N scaling,
# peak memory, memory while streaming a large input, instructions per sentence
# (callgrind) and dictionary load time. Not a test: it only prints.
#
# Environment: DYAD (binary, default build/dyad), DYAD_SHARED (default
# ../shared), BENCH_SENTENCES (corpus size, default 120000), BENCH_RUNS
# (timed runs, best kept, default 3), BENCH_THREADS (-j for the scaling row,
# default 2), BENCH_STREAM_MB (the large streamed input, default 500),
# BENCH_BIG=1 (stream 5 GB instead), BENCH_NO_VALGRIND=1 (skip callgrind),
# BENCH_NO_STREAM=1 (skip the streaming rows).
set -eu
cd "$(dirname "$0")/.."

DYAD=${DYAD:-build/dyad}
SHARED=${DYAD_SHARED:-../shared}
SENTENCES=${BENCH_SENTENCES:-120000}
RUNS=${BENCH_RUNS:-3}
THREADS=${BENCH_THREADS:-2}
STREAM_MB=${BENCH_STREAM_MB:-500}
[ "${BENCH_BIG:-0}" = 1 ] && STREAM_MB=5000
SMALL_SENTENCES=2000
CC=${CC:-cc}
B=build/bench
CFLAGS_B="-std=c11 -O2 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
# The compiled dictionary images of the runs stay in the build folder.
export DYAD_CACHE_DIR=$B/cache
unset DYAD_NO_CACHE

die() { echo "bench: $*" >&2; exit 1; }

mkdir -p "$B" "$DYAD_CACHE_DIR"
# Helpers, rebuilt when their source is newer.
for h in gen peakrss; do
    if [ ! -x "$B/$h" ] || [ "bench/$h.c" -nt "$B/$h" ]; then
        $CC $CFLAGS_B "bench/$h.c" -o "$B/$h" || die "cannot build bench/$h.c"
    fi
done

[ -x "$DYAD" ] || die "$DYAD not found: run make first"
"$DYAD" split --help > /dev/null 2>&1 || die "$DYAD has no split command: run make"

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
# seconds), PEAK_KB (largest peak RSS), CPU_S (least CPU seconds) and STATUS
# (last exit status).
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
    CPU_S=$(awk 'NR == 1 || $3 < m { m = $3 } END { print m + 0 }' "$rss")
}

: > "$B/stderr.log"
printf '' > "$B/empty.txt"
# Dictionary load: cold parses the sources (--no-cache), warm maps the
# compiled image (made by the first warm run, which is not timed).
"$DYAD" code "${DICT_ARGS[@]}" - < "$B/empty.txt" > /dev/null 2>> "$B/stderr.log" || true
run_timed "$B/empty.txt" code "${DICT_ARGS[@]}" -
LOAD_S=$BEST_S LOAD_KB=$PEAK_KB LOAD_ST=$STATUS
run_timed "$B/empty.txt" code --no-cache "${DICT_ARGS[@]}" -
COLD_S=$BEST_S COLD_KB=$PEAK_KB
# Three measures, interleaved so that a busy spell of a shared machine does
# not fall on one of them only; the best of RUNS each, the largest peak RSS.
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b > a) ? b : a }'; }
CODE_S="" CODE_KB="" SPLIT_S="" PAR_S="" PAR_KB="" CODE_CPU="" PAR_CPU=""
for ((run = 0; run < RUNS; run++)); do
    # One thread, end to end: read, split, match actors, code, write JSON Lines.
    RUNS=1 run_timed /dev/null code "${DICT_ARGS[@]}" "$CORPUS"
    CODE_S=$(min "$CODE_S" "$BEST_S") CODE_KB=$(max "$CODE_KB" "$PEAK_KB") CODE_ST=$STATUS
    CODE_CPU=$(min "$CODE_CPU" "$CPU_S")
    # The floor: the same input read and split into sentences and tokens only.
    RUNS=1 run_timed /dev/null split "$CORPUS"
    SPLIT_S=$(min "$SPLIT_S" "$BEST_S") SPLIT_ST=$STATUS
    # Worker threads.
    RUNS=1 run_timed /dev/null code -j "$THREADS" "${DICT_ARGS[@]}" "$CORPUS"
    PAR_S=$(min "$PAR_S" "$BEST_S") PAR_KB=$(max "$PAR_KB" "$PEAK_KB") PAR_ST=$STATUS
    PAR_CPU=$(min "$PAR_CPU" "$CPU_S")
done
# The -j output must be the one-thread output; a difference is news.
PAR_SAME=yes
if ! cmp -s <("$DYAD" code "${DICT_ARGS[@]}" "$CORPUS" 2> /dev/null) \
            <("$DYAD" code -j "$THREADS" "${DICT_ARGS[@]}" "$CORPUS" 2> /dev/null); then
    PAR_SAME=NO
fi

# Streaming: a generated JSON Lines stream piped into `dyad code -j THREADS -`
# (-j to keep the bench short; the reader and the writer are the same). Peak
# RSS after about a tenth of the stream and after all of it: flat memory
# means the two are about equal.
STREAM_SMALL_KB="" STREAM_BIG_KB="" STREAM_S=""
stream_rss() { # MB: sets RSS_KB and STREAM_S for a stream of about MB MiB
    local mb=$1 n t0 t1
    # the generator writes about 82.6 bytes per sentence (9.9 MB per 120,000)
    n=$(awk -v mb="$mb" 'BEGIN { printf "%.0f", mb * 1048576 / 82.6 }')
    : > "$B/rss-stream.txt"
    t0=$(date +%s.%N)
    "$B/gen" --sentences "$n" 2> "$B/stream.count" |
        "$B/peakrss" "$B/rss-stream.txt" "$DYAD" code -j "$THREADS" "${DICT_ARGS[@]}" - \
        > /dev/null 2>> "$B/stderr.log" || true
    t1=$(date +%s.%N)
    RSS_KB=$(awk '{ print $1; exit }' "$B/rss-stream.txt")
    STREAM_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}
if [ "${BENCH_NO_STREAM:-0}" != 1 ]; then
    SMALL_MB=$((STREAM_MB / 10))
    stream_rss "$SMALL_MB"
    STREAM_SMALL_KB=$RSS_KB
    stream_rss "$STREAM_MB"
    STREAM_BIG_KB=$RSS_KB
    STREAM_NSENT=$(cut -d' ' -f1 "$B/stream.count")
fi

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
    # the built-in dictionaries' compiled image first: a run that has to
    # parse them and write it would count some 70 million instructions more
    "$DYAD" code - < "$B/empty.txt" > /dev/null 2>&1 || true
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
f0() { awk -v x="$1" 'BEGIN { printf "%.0f", x }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "") print "n/a"; else printf "%.1f", k / 1024 }'; }
SPS=$(awk -v n="$NSENT" -v s="$CODE_S" 'BEGIN { printf "%.0f", n / s }')
FLOOR_SPS=$(awk -v n="$NSENT" -v s="$SPLIT_S" 'BEGIN { printf "%.0f", n / s }')
RATIO=$(awk -v c="$CODE_S" -v f="$SPLIT_S" 'BEGIN { printf "%.2f", c / f }')
PAR_SPS=$(awk -v n="$NSENT" -v s="$PAR_S" 'BEGIN { printf "%.0f", n / s }')
SCALE=$(awk -v a="$CODE_S" -v b="$PAR_S" 'BEGIN { printf "%.2f", a / b }')
# The threads' extra work: CPU seconds of -j N over one thread's. With N
# idle cores the scaling can reach N / this; below that, the machine was busy.
CPU_X=$(awk -v a="$CODE_CPU" -v b="$PAR_CPU" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }')
CODE_MB=$(mb "$CODE_KB") PAR_MB=$(mb "$PAR_KB") LOAD_MB=$(mb "$LOAD_KB") COLD_MB=$(mb "$COLD_KB")
LOAD_MS=$(f0 "$(awk -v s="$LOAD_S" 'BEGIN { print s * 1000 }')")
COLD_MS=$(f0 "$(awk -v s="$COLD_S" 'BEGIN { print s * 1000 }')")
CORPUS_MB=$(awk -v b="$(wc -c < "$CORPUS")" 'BEGIN { printf "%.1f", b / 1048576 }')
NCPU=$(nproc)
# met TEST: "yes" or "NO" for the targets column
met() { if awk "BEGIN { exit !($1) }"; then echo yes; else echo NO; fi; }
TODAY=$(date +%Y-%m-%d)
COMMIT=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
# Uncommitted or untracked sources make the figures not reproducible from
# the commit alone.
if [ "$COMMIT" != unknown ] &&
   [ -n "$(git status --porcelain -- src include data tools Makefile 2> /dev/null)" ]; then
    COMMIT="$COMMIT+dirty"
fi
CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || true)
MACHINE="$NCPU x ${CPU:-unknown CPU}"

row() { printf '| %-46s | %14s | %-15s | %-4s |\n' "$@"; }
echo
echo "dyad benchmark, $TODAY, commit $COMMIT, $MACHINE"
echo "corpus:       $CORPUS ($NSENT sentences, $NART articles, $CORPUS_MB MB)"
echo "dictionaries: $DICTS"
echo
row "measure" "value" "target" "met"
row "----------------------------------------------" "--------------" "---------------" "----"
row "corpus" "$NSENT sent." "" ""
row "coding wall time, 1 thread (best of $RUNS)" "$(awk -v s="$CODE_S" 'BEGIN { printf "%.3f", s }') s" "" ""
row "sentences/s, 1 thread, end to end" "$SPS" ">= 100000" "$(met "$SPS >= 100000")"
row "floor: read + split wall time (dyad split)" "$(awk -v s="$SPLIT_S" 'BEGIN { printf "%.3f", s }') s" "" ""
row "floor sentences/s" "$FLOOR_SPS" "" ""
row "ratio coding / floor" "$RATIO" "<= 3" "$(met "$RATIO <= 3")"
row "sentences/s, -j $THREADS ($NCPU CPUs)" "$PAR_SPS" "" ""
row "scaling -j $THREADS / 1 thread" "$SCALE x" ">= 1.8 (2 CPUs)" "$(met "$SCALE >= 1.8")"
row "CPU seconds, -j $THREADS / 1 thread" "$CPU_X x" "" ""
row "-j $THREADS output identical to 1 thread" "$PAR_SAME" "yes" "$(met "\"$PAR_SAME\" == \"yes\"")"
row "peak RSS coding, 1 thread" "$CODE_MB MB" "< 150 MB" "$(met "$CODE_MB < 150")"
row "peak RSS coding, -j $THREADS" "$PAR_MB MB" "< 150 MB" "$(met "$PAR_MB < 150")"
if [ -n "$STREAM_BIG_KB" ]; then
    S_MB=$(mb "$STREAM_SMALL_KB") L_MB=$(mb "$STREAM_BIG_KB")
    GROWTH=$(awk -v a="$STREAM_SMALL_KB" -v b="$STREAM_BIG_KB" 'BEGIN { g = (b - a) * 100 / a; if (g > -0.5 && g < 0.5) g = 0; printf "%+.0f", g }')
    row "peak RSS streaming $SMALL_MB MB, -j $THREADS" "$S_MB MB" "" ""
    row "peak RSS streaming $STREAM_MB MB ($STREAM_S s)" "$L_MB MB" "flat (< +10%)" "$(met "$GROWTH < 10")"
fi
row "instructions/sentence (callgrind)" "$IPS" "" ""
row "instructions/sentence, startup subtracted" "$IPS_NET" "" ""
row "dictionary load, compiled image (best of $RUNS)" "$LOAD_MS ms" "" ""
row "dictionary load, parsed (--no-cache)" "$COLD_MS ms" "" ""
row "peak RSS, dictionaries only (image / parsed)" "$LOAD_MB / $COLD_MB MB" "< 150 MB" "$(met "$COLD_MB < 150")"
echo
echo "instructions: $CG_NOTE"
[ -n "$STREAM_BIG_KB" ] && echo "streaming: $STREAM_NSENT sentences generated and piped into dyad code -j $THREADS -; growth ${GROWTH}%"
[ "$CODE_ST" = 0 ] || echo "note: dyad code exited with status $CODE_ST on the corpus (messages in $B/stderr.log)"
[ "$PAR_ST" = 0 ] || echo "note: dyad code -j $THREADS exited with status $PAR_ST on the corpus (messages in $B/stderr.log)"
[ "$SPLIT_ST" = 0 ] || echo "note: dyad split exited with status $SPLIT_ST on the corpus (messages in $B/stderr.log)"
# Empty input is reported as "empty file" with status 1; only worse is news.
[ "$LOAD_ST" -le 1 ] || echo "note: dyad code exited with status $LOAD_ST on empty input (messages in $B/stderr.log)"
echo
echo "row for BENCHMARKS.md:"
echo "| $TODAY | $COMMIT | $MACHINE | $SPS | $RATIO | $SCALE | $CODE_MB | ${S_MB:-n/a} / ${L_MB:-n/a} | $LOAD_MS / $COLD_MS | $IPS |"
