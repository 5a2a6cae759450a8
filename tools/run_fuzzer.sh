#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time: new inputs into WORK (never into the checked-in
# seed directories), a finding into FINDINGS (and exit status 1, with the reproducer named).
#   tools/run_fuzzer.sh BINARY SECONDS WORK FINDINGS SEED_DIR...
set -uo pipefail
bin=$1 secs=$2 work=$3 findings=$4
shift 4
[ -x "$bin" ] || { echo "FAIL: $bin not built (the offsched_fuzz target builds it with clang)"; exit 1; }
mkdir -p "$work" "$findings"
"$bin" -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$findings/$(basename "$bin")-" "$work" "$@" 2>&1 | tail -n 12
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || echo "FAIL: $(basename "$bin") found an input that breaks it (rc $rc): see $findings"
exit "$rc"
