#!/usr/bin/env bash
# Build the service's image with podman.
#   deploy/image/build.sh [IMAGE] [BASE]
# IMAGE defaults to localhost/mkba-service:latest. BASE (the Dockerfile's PYTHON_IMAGE)
# defaults to localhost/mkba-base:bookworm, made from Debian packages by base.sh when it is
# missing; pass docker.io/library/python:3.11-slim-bookworm where a registry is reachable.
# The build runs in a chroot (the sandbox has no user namespaces for podman's default
# isolation) on the host's network, and pip inside it uses the host's index and CA bundle.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
IMAGE="${1:-localhost/mkba-service:latest}"
BASE="${2:-localhost/mkba-base:bookworm}"
case "$BASE" in
    localhost/mkba-base:*) podman image exists "$BASE" || "$here/base.sh" "$BASE" >/dev/null ;;
esac
args=(--isolation chroot --network host --format docker --layers
      --build-arg "PYTHON_IMAGE=$BASE" --tag "$IMAGE")
if [ -n "${PIP_INDEX_URL:-}" ]; then
    args+=(--build-arg "PIP_INDEX_URL=$PIP_INDEX_URL")
fi
cert="${PIP_CERT:-$(pip3 config get global.cert 2>/dev/null || true)}"
if [ -n "$cert" ] && [ -f "$cert" ]; then
    # Mounted for the build's RUN steps only; no layer keeps it.
    args+=(--volume "$cert:/run/host-ca.pem:ro" --build-arg PIP_CERT=/run/host-ca.pem)
fi
# --format docker keeps the HEALTHCHECK (the OCI image format has no field for it).
exec podman build "${args[@]}" "$root"
