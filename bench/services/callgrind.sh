#!/usr/bin/env bash
# Instructions per frame of the firewall's paths (the service's own code, the same the kernel
# module runs), measured with callgrind: each mode runs once processing N frames after its
# set-up, once building the same frames without processing them; the difference over N is the
# service's cost per frame. Deterministic for a given binary.
#   usage: bench/services/callgrind.sh [build-dir] [N]   (default: build 20000)
set -euo pipefail
BUILD=${1:-build}
N=${2:-20000}
BIN="$BUILD/bin/synproxy_paths"
[ -x "$BIN" ] || { echo "$BIN not built (cmake --build $BUILD --target synproxy_paths)" >&2; exit 66; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ir() { # mode n
    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg" "$BIN" "$1" "$2" > /dev/null 2>&1
    awk '/^summary:/ {print $2}' "$TMP/cg"
}
printf '%-10s %14s\n' path instr/frame
for mode in drop syn ack to-server to-client syn6 ack6 to-server6 to-client6; do
    full=$(ir "$mode" "$N"); setup=$(ir "$mode-setup" "$N")
    awk -v m="$mode" -v a="$setup" -v b="$full" -v n="$N" 'BEGIN {printf "%-10s %14.1f\n", m, (b - a) / n}'
done
