#!/bin/sh
# Installs what crossclaim needs to build, test and run on a fresh Debian machine.
# Runs apt-get; needs root (or sudo). Safe to run again: it skips the work when every
# package is already there, so `make demo` and `make test` stay quick after the first time.
#   sh deploy/install-deps.sh               what the build, `make test` and the daemons need
#   sh deploy/install-deps.sh --container   only what `make container-test` adds: podman and
#                                           mmdebstrap (the offline base image); not on CI
set -eu

PKGS="build-essential cmake pkg-config git python3 \
libzmq3-dev libczmq-dev libsodium-dev \
libprotobuf-c-dev protobuf-c-compiler protobuf-compiler \
liblmdb-dev lmdb-utils \
libcriterion-dev \
libutf8proc-dev \
libmicrohttpd-dev libinih-dev \
iso-codes \
clang libclang-rt-dev \
python3-zmq python3-protobuf \
prometheus tmux curl \
python3-yaml iproute2 iptables \
chromium"
# chromium: headless, for the web view's browser test (tests/test_browser.py, ~45 s to install)
if [ "${1:-}" = --container ]; then
    PKGS="podman mmdebstrap curl python3"
elif [ $# -gt 0 ]; then
    echo "usage: install-deps.sh [--container]" >&2
    exit 2
fi

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root or sudo to install:$missing" >&2; exit 1; }
    SUDO=sudo
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
