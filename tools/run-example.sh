#!/usr/bin/env bash
# run-example.sh: the README's first command: install the dependencies, build,
# code the example corpus into the store and print its merged events.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh >&2
make >&2
# the main job: code the corpus into the embedded store (dyad.db, SQLite),
# then print its merged events
build/dyad ingest examples/corpus "$@"
build/dyad events
