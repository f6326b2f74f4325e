#!/bin/sh
# Makes the container base image offline: a minimal Debian root filesystem built by
# mmdebstrap from a Debian mirror (the same one apt uses, no registry needed), imported
# into podman. deploy/Dockerfile builds FROM it (build ARG BASE, default the name below).
#
#   sh deploy/make-base-image.sh [NAME]      # default crossclaim-base:bookworm
#
# Environment: CC_BASE_SUITE (bookworm), CC_BASE_MIRROR (http://deb.debian.org/debian),
# CC_BASE_SECURITY (http://deb.debian.org/debian-security; empty to leave it out),
# CC_BASE_FORCE=1 to remake an image that exists. Needs root (or a working rootless podman)
# and the packages mmdebstrap and podman (deploy/install-deps.sh --container).
# The image is the "apt" variant (Essential: yes packages plus apt) without manuals,
# translations or docs, like debian:bookworm-slim; merged /usr made by mmdebstrap's hook
# (not the usrmerge package, which would pull in perl); its sources.list names the mirror.
set -eu

name=${1:-crossclaim-base:bookworm}
suite=${CC_BASE_SUITE:-bookworm}
mirror=${CC_BASE_MIRROR:-http://deb.debian.org/debian}
security=${CC_BASE_SECURITY-http://deb.debian.org/debian-security}

for tool in mmdebstrap podman; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "make-base-image: $tool missing (sh deploy/install-deps.sh --container)" >&2; exit 1; }
done
if podman image exists "$name" && [ "${CC_BASE_FORCE:-0}" != 1 ]; then
    echo "make-base-image: $name exists (CC_BASE_FORCE=1 to remake it)"
    exit 0
fi

set -- "deb $mirror $suite main" "deb $mirror $suite-updates main"
[ -z "$security" ] || set -- "$@" "deb $security $suite-security main"

tmp=$(mktemp -d /tmp/crossclaim-base-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo "make-base-image: mmdebstrap $suite from $mirror"
mmdebstrap --variant=apt --quiet --format=tar \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --aptopt='APT::Install-Recommends "false"' \
    --customize-hook='rm -f "$1"/etc/resolv.conf "$1"/etc/hostname' \
    "$suite" "$tmp/rootfs.tar" "$@"
podman import -q --change 'CMD ["/bin/bash"]' \
    --message "mmdebstrap --variant=apt $suite from $mirror" "$tmp/rootfs.tar" "$name" >/dev/null
echo "make-base-image: $name, $(podman image inspect --format '{{.Size}}' "$name") bytes"
