#!/usr/bin/env bash
# What a rule naming a prefix set costs per dropped frame, as the set grows: 2 plain rules, a set
# of 10,000 and of 1,000,000 random /24s (each frame from a different listed /24).
#  - instructions per frame (callgrind, deterministic): the lookup's own work;
#  - wall-clock ns per frame on this machine (median of ROUNDS interleaved runs, the frames
#    processed R more times), and each set's ratio to the 2 rules measured in the same rounds:
#    where a large set waits for memory.
#   usage: bench/services/prefix_sets.sh [build-dir] [N] [ROUNDS]   (default: build 20000 5)
set -euo pipefail
BUILD=${1:-build}
N=${2:-20000}
ROUNDS=${3:-5}
R=50
BIN="$BUILD/bin/synproxy_paths"
[ -x "$BIN" ] || { echo "$BIN not built (cmake --build $BUILD --target synproxy_paths)" >&2; exit 66; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
MODES="drop-2rules drop-set-10k drop-set-1m"
ir() { # mode n
    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg" "$BIN" "$1" "$2" > /dev/null 2>&1
    awk '/^summary:/ {print $2}' "$TMP/cg"
}
for mode in $MODES; do
    full=$(ir "$mode" "$N"); setup=$(ir "$mode-setup" "$N")
    awk -v m="$mode" -v a="$setup" -v b="$full" -v n="$N" 'BEGIN {printf "%s instr/frame %.1f\n", m, (b - a) / n}' >> "$TMP/ir"
done
for ((i = 0; i < ROUNDS; i++)); do
    for mode in $MODES; do "$BIN" "$mode" "$N" "$R" | awk '$2 == "ns/frame" {print $1, $3}' >> "$TMP/ns"; done
done
printf '%-14s %12s %10s %14s\n' rule instr/frame ns/frame "ns vs 2 rules"
base=$(awk '$1 == "drop-2rules" {print $2}' "$TMP/ns" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
for mode in $MODES; do
    ns=$(awk -v m="$mode" '$1 == m {print $2}' "$TMP/ns" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    instr=$(awk -v m="$mode" '$1 == m {print $3}' "$TMP/ir")
    awk -v m="$mode" -v i="$instr" -v ns="$ns" -v b="$base" 'BEGIN {printf "%-14s %12s %10.1f %13.2fx\n", m, i, ns, ns / b}'
done
