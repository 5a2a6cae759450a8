#!/usr/bin/env bash
# `mpirun -np 2 offsched-sim SCENARIO --sweep ...` writes the byte-identical CSV and JSON of a
# local `-j 1` run, and rank 1 really ran part of it.
#   mpi_sweep_test.sh OFFSCHED_SIM MPIRUN SOURCE_DIR
set -euo pipefail
SIM=$1 MPIRUN=$2 SRC=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CACHE_HOME=$dir/cache
args=("$SRC/scenarios/syn_flood.yaml" --set run.duration_ns=20ms --set run.warmup_ns=2ms --set legit.connect_timeout_ns=5ms
      --sweep flood.rate_pps=100k:2M:2 --sweep legit.connect_rate=200:400:2 --seeds 3)
"$SIM" "${args[@]}" -q -j 1 --csv "$dir/local.csv" --json "$dir/local.json"
# --allow-run-as-root: CI runs as root; --oversubscribe: two ranks whatever the slots counted;
# no CMA between ranks (containers forbid the ptrace it needs; the messages are small anyway).
"$MPIRUN" --allow-run-as-root --oversubscribe --mca btl_vader_single_copy_mechanism none -np 2 \
  "$SIM" "${args[@]}" --csv "$dir/mpi.csv" --json "$dir/mpi.json" > "$dir/mpi.out" 2> "$dir/mpi.err" || {
  echo "mpirun failed:"; cat "$dir/mpi.err"; exit 1; }
cmp "$dir/local.csv" "$dir/mpi.csv"
cmp "$dir/local.json" "$dir/mpi.json"
grep -E "24 simulations ran on 2 MPI ranks: [0-9]+ on rank 0, [1-9][0-9]* on the others" "$dir/mpi.err" || {
  echo "rank 1 ran nothing:"; cat "$dir/mpi.err"; exit 1; }
echo "mpirun -np 2: byte-identical to -j 1"
