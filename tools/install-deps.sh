#!/usr/bin/env bash
# install-deps.sh: installs the Debian packages that dyad's build and tests need
# (make deps). Does nothing when they are all installed already.
set -euo pipefail

PKGS=(build-essential pkg-config libutf8proc-dev libjson-c-dev libxml2-dev
      libcmocka-dev clang libclang-rt-14-dev python3
      libsqlite3-dev libpq-dev postgresql
      libmicrohttpd-dev curl wrk chromium fonts-dejavu-core
      python3-cffi python3-pandas python3-pytest python3-dask python3-distributed)

# npm installs the web page's chart libraries and playwright-core (web/);
# Debian's nodejs and npm only when the machine has no Node.js of its own.
if ! command -v npm >/dev/null 2>&1; then
    PKGS+=(nodejs npm)
fi

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg -s "$p" >/dev/null 2>&1; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
