#!/usr/bin/env bash
# The longer sweeps behind the property tests (tests/fidelity/properties_test.cc and
# saturation_test.cc run short versions of them on every build): fine sweeps through the flood
# rate that saturates the stock host, for every design of every shipped flood scenario, with
# SEEDS seeds a point, printed as the tables docs/VALIDATION.md quotes ("Properties across the
# parameter space"). A point whose success rises by more than 5 points over the lower rate's is
# flagged "RISES": more offered load must not help (beyond seed noise).
#   bench/sim/properties.sh [BUILD_DIR] [SEEDS]      (default: build 4; about 10 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SEEDS=${2:-4}
SIM=$BUILD/bin/offsched-sim
[ -x "$SIM" ] || { echo "$SIM not built (cmake --build $BUILD --target offsched-sim)" >&2; exit 66; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CACHE_HOME=$dir/cache

# scenario, sweep, extra --set arguments
sweeps=(
  "syn_flood.yaml|flood.rate_pps=3900000:4100000:11|"
  "syn_flood.yaml|flood.rate_pps=7900000:8100000:11|--set machine.cores=8 --set nic.queues=8"
  "syn_flood.yaml|flood.rate_pps=1000000:14880000:15|"
  "bottom_halves.yaml|flood.rate_pps=3900000:4100000:11|"
  "web_flood.yaml|flood.rate_pps=1000000:8000000:15|--design stock"
)
for s in "${sweeps[@]}"; do
  IFS='|' read -r scenario sweep extra <<< "$s"
  echo "== scenarios/$scenario --sweep $sweep $extra --seeds $SEEDS"
  # shellcheck disable=SC2086
  "$SIM" "scenarios/$scenario" --sweep "$sweep" $extra --seeds "$SEEDS" -j "$(nproc)" --csv "$dir/out.csv" -q
  python3 - "$dir/out.csv" "${sweep%%=*}" <<'PY'
import csv, sys, collections
key = sys.argv[2]
pts = collections.defaultdict(list)
for r in csv.DictReader(open(sys.argv[1])):
    pts[(r['design'], int(r[key]))].append(int(r['legit_success_ppm']) / 1e4)
for design in dict.fromkeys(d for d, _ in pts):
    prev = None
    for (d, x), v in sorted(pts.items()):
        if d != design:
            continue
        mean = sum(v) / len(v)
        flag = '  RISES' if prev is not None and mean > prev + 5 else ''
        print(f"  {design:18} {x:>12,}  {mean:7.2f} %  [{min(v):6.2f}, {max(v):6.2f}]{flag}")
        prev = mean
PY
done
