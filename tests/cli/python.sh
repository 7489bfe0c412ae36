#!/usr/bin/env bash
# python.sh: the Python binding's pytest suite (tests/python: python/dyad,
# dyad.Store, dyad.dask on a LocalCluster with PostgreSQL, pip install),
# one `ok` / `not ok` line per pytest test, for tests/run.sh to count.
. "$(dirname "$0")/_common.sh"
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3 # Debian's, with python3-pytest/pandas/distributed

if ! "$PY" -c 'import pytest' 2>/dev/null; then
    echo "ok python # skip: no pytest for $PY (tools/install-deps.sh installs python3-pytest)"
    exit 0
fi
BUILD=$(cd "$(dirname "$DYAD")" && pwd)
export DYAD_LIB=$BUILD/libdyad.so
if [ ! -f "$DYAD_LIB" ]; then
    echo "not ok python-library ($DYAD_LIB is missing: make O=$BUILD all)"
    exit 0
fi

# The binding is tested against the library of the build under test, the
# ASan+UBSan one under make test (build/san/libdyad.so), rather than a second,
# plain build: every C call the tests make, and the ctypes mirrors of dyad.h's
# structs, are then checked for memory errors, and nothing more is compiled.
# A sanitized .so in a plain python3 needs the ASan runtime loaded first
# (LD_PRELOAD); leak detection is off there because CPython itself keeps
# memory until exit (the library's leaks are checked by the C suites, and the
# CLI runs the tests start keep the caller's ASAN_OPTIONS). Any report aborts
# the Python process (halt_on_error), which fails this script below.
ASAN_RT=$(ldd "$DYAD_LIB" 2>/dev/null | awk '/libasan\.so/ {print $3; exit}')
if [ -n "$ASAN_RT" ]; then
    export DYAD_CLI_ASAN_OPTIONS=${ASAN_OPTIONS:-}
    export LD_PRELOAD=$ASAN_RT${LD_PRELOAD:+:$LD_PRELOAD}
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
export PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH=$ROOT/python${PYTHONPATH:+:$PYTHONPATH}

cd "$ROOT" || exit 2
"$PY" -m pytest -q -rN -p no:cacheprovider --junitxml="$TMP/junit.xml" \
    tests/python >"$TMP/pytest.log" 2>&1
RC=$?

# One line per test case from the JUnit file (parsed without the sanitizer).
env -u LD_PRELOAD "$PY" - "$TMP/junit.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET
try:
    cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
except (OSError, ET.ParseError):
    sys.exit(0)
for c in cases:
    mod = c.get("classname", "").rsplit(".", 1)[-1]
    name = f"python/{mod}::{c.get('name')}"
    bad = c.find("failure")
    if bad is None:
        bad = c.find("error")
    if bad is not None:
        print(f"not ok {name}")
        msg = (bad.get("message") or "") + "\n" + (bad.text or "")
        for line in msg.strip().splitlines()[-40:]:
            print("#   " + line)
    elif c.find("skipped") is not None:
        print(f"ok {name} # skip: {c.find('skipped').get('message', '')}")
    else:
        print(f"ok {name}")
EOF

# pytest exits 0 (all passed) or 1 (some failed); anything else, or a
# sanitizer report, is a crash that the lines above may not show.
if { [ $RC -ne 0 ] && [ $RC -ne 1 ]; } || [ ! -s "$TMP/junit.xml" ] ||
    grep -qE 'AddressSanitizer|runtime error:|LeakSanitizer' "$TMP/pytest.log"; then
    echo "not ok python-pytest-run (exit status $RC)"
    tail -n 60 "$TMP/pytest.log" | sed 's/^/#   /'
fi
tail -n 1 "$TMP/pytest.log" | sed 's/^/# pytest: /'
