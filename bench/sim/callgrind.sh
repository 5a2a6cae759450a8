#!/usr/bin/env bash
# Instructions per simulated packet, measured with callgrind (independent of machine load).
# Each design runs twice (SHORT and LONG simulated ms); the difference in instructions over the
# difference in packets removes elaboration and setup, leaving the per-packet cost.
#   usage: bench/sim/callgrind.sh [build-dir] [rate_pps ...]   (default: build, 1000000 14880000)
set -euo pipefail
BUILD=${1:-build}
shift || true
RATES=("$@")
[ ${#RATES[@]} -eq 0 ] && RATES=(1000000 14880000)
BENCH="$BUILD/bin/bench_sim"
[ -x "$BENCH" ] || { echo "$BENCH not built (ninja -C $BUILD bench_sim)" >&2; exit 66; }
SHORT=${SHORT_MS:-20}
LONG=${LONG_MS:-60}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Prints "instructions packets" for one run.
measure() { # design rate ms
    local dir="$TMP/$1-$2-$3"
    mkdir -p "$dir"
    valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$dir/cg.%p" \
        "$BENCH" --design "$1" --rate "$2" --duration-ms "$3" >"$dir/out" 2>"$dir/err"
    local ir pk
    ir=$(cat "$dir"/cg.* | awk '/^summary:/ {s += $2} END {print s}')
    pk=$(awk -v d="$1" '$1 == d {print $3}' "$dir/out")
    echo "$ir $pk"
}

printf '%-10s %10s %14s %16s\n' design rate_pps packets instr/packet
for rate in "${RATES[@]}"; do
    for design in baseline offsched; do
        read -r ir1 pk1 < <(measure "$design" "$rate" "$SHORT")
        read -r ir2 pk2 < <(measure "$design" "$rate" "$LONG")
        awk -v d="$design" -v r="$rate" -v i1="$ir1" -v i2="$ir2" -v p1="$pk1" -v p2="$pk2" \
            'BEGIN {printf "%-10s %10d %14d %16.1f\n", d, r, p2 - p1, (i2 - i1) / (p2 - p1)}'
    done
done
