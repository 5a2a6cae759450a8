#!/usr/bin/env bash
# Simulated packets per wall-second of the shipped scenarios/syn_flood.yaml at 14.88 Mpps, one
# design at a time, with run.step_batching off and on, alternating so both see the same machine.
# Extra binaries (e.g. an older build) can join the comparison: OTHER=/path/to/offsched-sim.
# Another scenario and its designs: SCENARIO=scenarios/web_flood.yaml DESIGNS="stock offsched-2".
#   usage: bench/sim/line_rate.sh [build-dir] [runs]      (default: build 3)
set -euo pipefail
BUILD=${1:-build}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIM="$BUILD/bin/offsched-sim"
[ -x "$SIM" ] || { echo "$SIM not built (cmake --build $BUILD --target offsched-sim)" >&2; exit 66; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SCENARIO=${SCENARIO:-$ROOT/scenarios/syn_flood.yaml}
read -r -a DESIGN_LIST <<< "${DESIGNS:-baseline offsched}"
ARGS=(--set run.duration_ns=2s --set run.warmup_ns=100ms --set legit.connect_timeout_ns=500ms -q)

# One run: prints "wall_s cpu_s packets".
run_once() { # binary design extra-args...
    local bin=$1 design=$2
    shift 2
    /usr/bin/time -f '%e %U' -o "$TMP/time" "$bin" "$SCENARIO" --design "$design" "${ARGS[@]}" \
        "$@" --json "$TMP/out.json" >/dev/null
    local pk
    pk=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["packets_simulated"])' "$TMP/out.json")
    echo "$(cat "$TMP/time") $pk"
}

declare -A LABEL_ARGS=([batching_0]="--set run.step_batching=0" [batching_1]="--set run.step_batching=1")
LABELS=(batching_0 batching_1)
[ -n "${OTHER:-}" ] && LABELS+=(other)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-11s %-9s %4s %8s %8s %12s %15s %15s\n' label design run wall_s cpu_s packets packets/wall-s packets/cpu-s
for design in "${DESIGN_LIST[@]}"; do
    for i in $(seq 1 "$RUNS"); do
        for label in "${LABELS[@]}"; do
            if [ "$label" = other ]; then
                read -r wall cpu pk < <(run_once "$OTHER" "$design")
            else
                # shellcheck disable=SC2086
                read -r wall cpu pk < <(run_once "$SIM" "$design" ${LABEL_ARGS[$label]})
            fi
            awk -v l="$label" -v d="$design" -v i="$i" -v w="$wall" -v c="$cpu" -v p="$pk" \
                'BEGIN {printf "%-11s %-9s %4d %8.2f %8.2f %12d %14.1fM %14.1fM\n", l, d, i, w, c, p, (w > 0 ? p / w / 1e6 : 0), (c > 0 ? p / c / 1e6 : 0)}'
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
