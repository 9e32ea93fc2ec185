#!/usr/bin/env bash
# Build the image's base from Debian packages alone and import it into podman as
# localhost/mkba-base:bookworm. For machines that reach Debian's archive but no image
# registry; the Dockerfile's default base (python:3.11-slim-bookworm) needs neither this
# nor anything else here. The root filesystem tarball is cached (MKBA_IMAGE_CACHE,
# default ~/.cache/mkba-image), so a rerun only imports it.
#   deploy/image/base.sh [IMAGE]     (run as root: debootstrap and podman need it)
set -euo pipefail
IMAGE="${1:-localhost/mkba-base:bookworm}"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# python3 and its venv for the service; ca-certificates for pip and apt over TLS.
PACKAGES=python3,python3-venv,ca-certificates
CACHE="${MKBA_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mkba-image}"
KEY=$(printf '%s\n' "$SUITE" "$MIRROR" "$PACKAGES" minbase 1 | sha256sum | cut -c1-12)
TARBALL="$CACHE/$SUITE-minbase-$KEY.tar"

if [ ! -s "$TARBALL" ]; then
    mkdir -p "$CACHE"
    ROOTFS=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$ROOTFS"' EXIT
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR" >&2
    # The same sources as the official Debian images, and no package lists kept.
    printf 'deb %s %s main\ndeb %s %s-updates main\ndeb http://deb.debian.org/debian-security %s-security main\n' \
        "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" "$SUITE" >"$ROOTFS/etc/apt/sources.list"
    rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb
    # `python` as the official image has it (the Dockerfile's HEALTHCHECK and CMD use the venv's).
    ln -sf python3 "$ROOTFS/usr/bin/python"
    tar --numeric-owner -C "$ROOTFS" -cf "$TARBALL.tmp" .
    mv "$TARBALL.tmp" "$TARBALL"
fi
podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    "$TARBALL" "$IMAGE" >/dev/null
echo "$IMAGE"
