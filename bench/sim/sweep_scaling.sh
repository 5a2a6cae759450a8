#!/usr/bin/env bash
# A 200-point sweep (10 flood rates x 10 ssh connection rates x 2 seeds, 2 designs: 400
# simulations of 500 ms simulated) timed side by side in one run: -j 1, -j 2, and
# `mpirun -np 2` (when offsched-sim was built with MPI). Checks the three CSVs are
# byte-identical. Then what N cores would give: the serial part is timed by rerunning the -j 1
# sweep with every result kept (reading them back and writing the outputs is all it does), the
# parallel part is the simulations' CPU time.
#   bench/sim/sweep_scaling.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SIM=$BUILD/bin/offsched-sim
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CACHE_HOME=$dir/cache
args=(scenarios/syn_flood.yaml -q --set run.duration_ns=500ms --set run.warmup_ns=2ms --set legit.connect_timeout_ns=5ms
      --sweep flood.rate_pps=100k:2M:10 --sweep legit.connect_rate=100:1000:10 --seeds 2)

# wall seconds and children's CPU seconds of one command: "WALL CPU"
timed() {
  local out=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$dir/time" "$@" --csv "$dir/$out.csv" >/dev/null 2>"$dir/$out.err"
  awk '{printf "%.1f %.1f\n", $1, $2 + $3}' "$dir/time"
}

read -r wall1 cpu1 < <(timed j1 "$SIM" "${args[@]}" -j 1 --results "$dir/kept")
read -r serial _ < <(timed rerun "$SIM" "${args[@]}" -j 1 --results "$dir/kept")
read -r wall2 cpu2 < <(timed j2 "$SIM" "${args[@]}" -j 2)
mpi="-"
# (An offsched-sim built without MPI refuses to run under mpirun: then this row is left out.)
if MPIRUN=$(command -v mpirun) &&
   mpi_times=$(timed mpi "$MPIRUN" --allow-run-as-root --oversubscribe --mca btl_vader_single_copy_mechanism none -np 2 \
                 "$SIM" "${args[@]}"); then
  cmp "$dir/j1.csv" "$dir/mpi.csv"
  mpi=${mpi_times%% *}
fi
cmp "$dir/j1.csv" "$dir/j2.csv"
cmp "$dir/j1.csv" "$dir/rerun.csv"

sims=400
per_sim=$(awk -v c="$cpu1" -v n=$sims 'BEGIN { printf "%.3f", c / n }')
echo "sweep: 200 points, $sims simulations, CSVs byte-identical across runs"
printf "%-18s %10s %10s\n" "run" "wall s" "speed-up"
printf "%-18s %10s %10s\n" "-j 1" "$wall1" "1.00x"
printf "%-18s %10s %10s\n" "-j 2" "$wall2" "$(awk -v a="$wall1" -v b="$wall2" 'BEGIN { printf "%.2fx", a / b }')"
[ "$mpi" != "-" ] && printf "%-18s %10s %10s\n" "mpirun -np 2" "$mpi" "$(awk -v a="$wall1" -v b="$mpi" 'BEGIN { printf "%.2fx", a / b }')"
echo "CPU per simulation: ${per_sim} s; serial part (a rerun with every result kept): ${serial} s"
for n in 8 64 512; do
  awk -v c="$cpu1" -v s="$serial" -v n=$n -v w="$wall1" -v sims=$sims \
    'BEGIN { per = c / sims; rounds = int((sims + n - 1) / n); par = rounds * per
             printf "expected on %d cores: %.1f s (%.1fx)\n", n, s + par, w / (s + par) }'
done
