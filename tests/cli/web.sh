#!/usr/bin/env bash
# web.sh: the web page end to end: a store of the seed articles behind `dyad serve`,
# tests/e2e/web.test.mjs driving Chromium through it (screenshots in
# build/test-artifacts/e2e), then SIGTERM and a clean exit of the server.
set -u
. "$(dirname "$0")/_common.sh"
ROOT=$(cd "$HERE/../.." && pwd)
SHARED=${DYAD_SHARED:-$ROOT/../shared}
ART=$ROOT/build/test-artifacts/e2e
CHROMIUM=${DYAD_CHROMIUM:-/usr/bin/chromium}
PID=

# A missing dependency fails the suite: the page would go untested.
missing=
command -v node >/dev/null || missing="$missing node"
[ -f "$ROOT/web/node_modules/playwright-core/package.json" ] || missing="$missing web/node_modules/playwright-core"
[ -x "$CHROMIUM" ] || missing="$missing $CHROMIUM"
if [ -n "$missing" ]; then
    echo "not ok web: missing$missing: run make deps"
    exit 1
fi
if [ ! -d "$SHARED/seeds" ]; then
    echo "ok web # skip: no seed articles in $SHARED/seeds (set DYAD_SHARED)"
    exit 0
fi

trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
mkdir -p "$ART"
rm -f "$ART"/*.png "$ART"/*.csv

run ingest --db "$TMP/seeds.db" "$SHARED/seeds"
check web/ingest-seeds status_is 0

"$DYAD" serve --db "$TMP/seeds.db" --port 0 2>"$TMP/serve.err" &
PID=$!
if ! URL=$(serve_url "$TMP/serve.err" "$PID"); then
    echo "not ok web/serve-listening"
    sed 's/^/#   /' "$TMP/serve.err" | head -n 30
    exit 1
fi
echo "ok web/serve-listening ($URL)"

timeout 150 node "$ROOT/tests/e2e/web.test.mjs" "$URL" "$ART" >"$TMP/e2e" 2>&1
rc=$?
cat "$TMP/e2e"
if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$TMP/e2e"; then
    echo "not ok web/e2e (exit status $rc)"
fi
echo "# screenshots: $ART"

kill -TERM "$PID"
wait "$PID"
RC=$?
PID=
cp "$TMP/serve.err" "$TMP/err"
check web/serve-sigterm-exit-0 status_is 0
