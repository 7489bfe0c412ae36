# _common.sh: helpers for the CLI test scripts (sourced by them, not run).
# Each case prints `ok NAME` or `not ok NAME`; tests/run.sh counts those lines.
: "${DYAD:?DYAD must name the dyad binary}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dyad-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# run ARGS...: runs dyad; stdout in $TMP/out, stderr in $TMP/err, status in $RC.
run() {
    "$DYAD" "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
}

# A crash or a sanitizer report fails every case, whatever else it checks.
sane() {
    [ "$RC" -lt 128 ] && ! grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' "$TMP/err"
}

# check NAME COMMAND...: the case passes when COMMAND succeeds and dyad ran sanely.
check() {
    local name=$1
    shift
    if sane && "$@"; then
        echo "ok $name"
    else
        echo "not ok $name"
        echo "#   exit status $RC; stderr:"
        head -c 2000 "$TMP/err" | sed 's/^/#   /'
        echo "#   stdout:"
        head -c 1000 "$TMP/out" | sed 's/^/#   /'
    fi
}

# field NAME [FILE]: one line per JSON event with that field ("null" for null).
field() {
    python3 "$HERE/_events.py" "$1" "${2:-$TMP/out}"
}

# has_doc ID: some event came from the document ID (with or without extension).
has_doc() {
    field doc | sed 's/\.[a-z]*$//' | grep -qx "$1"
}

errors() { grep -c '^dyad: error' "$TMP/err"; }
warnings() { grep -c '^dyad: warning' "$TMP/err"; }
status_is() { [ "$RC" -eq "$1" ]; }
err_has() { grep -qF -- "$1" "$TMP/err"; }

# article FILE [DATE]: a short article with one unmistakable contact event.
article() {
    {
        [ -n "${2:-}" ] && echo "date $2"
        echo "Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Moscow on Tuesday."
        echo "The two leaders discussed trade, energy and regional security."
    } >"$1"
}

# serve_url ERRFILE PID: waits (60 s at most) for `dyad serve`, process PID,
# to write its "listening on http://127.0.0.1:PORT/" line to ERRFILE (its
# stderr) and prints that URL; fails, saying why on stderr, when the server
# exits first or never says it listens.
serve_url() {
    local err=$1 pid=$2 url end=$((SECONDS + 60))
    while [ "$SECONDS" -le "$end" ]; do
        url=$(sed -n 's|^dyad serve: listening on \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' "$err" | head -n 1)
        if [ -n "$url" ]; then
            echo "$url"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "# serve_url: dyad serve (pid $pid) exited without saying it listens" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "# serve_url: dyad serve (pid $pid) did not say it listens within 60 s" >&2
    return 1
}

# pycheck NAME CHECK ARGS...: one _serve.py check against the server at $URL.
pycheck() {
    local name=$1
    shift
    python3 "$HERE/_serve.py" "$1" "$URL" "${@:2}" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    check "$name" status_is 0
}
