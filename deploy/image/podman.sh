#!/usr/bin/env bash
# podman, with the OCI runtime wrapper this sandbox needs (runc-no-rlimits beside this
# script) configured through CONTAINERS_CONF. Same arguments as podman.
#   deploy/image/podman.sh run --rm localhost/mkba-service:latest ...
# MKBA_PLAIN_PODMAN=1 uses the host's own configuration instead.
set -euo pipefail
if [ -z "${MKBA_PLAIN_PODMAN:-}" ]; then
    here=$(cd "$(dirname "$0")" && pwd)
    conf="${TMPDIR:-/tmp}/mkba-containers-$(id -u).conf"
    printf '[engine]\nruntime = "runc-no-rlimits"\n\n[engine.runtimes]\nrunc-no-rlimits = ["%s/runc-no-rlimits"]\n' \
        "$here" >"$conf.$$"
    mv "$conf.$$" "$conf"
    export CONTAINERS_CONF="$conf"
fi
exec podman "$@"
