#!/usr/bin/env bash
# run-example.sh: the README's first command: install the dependencies, build,
# and code the example corpus (events as JSON Lines on standard output).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh >&2
make >&2
build/dyad code examples/corpus "$@"
