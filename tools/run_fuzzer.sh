#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time or number of executions: new inputs into WORK
# (never into the checked-in seed directories), a finding into FINDINGS (and exit status 1, with
# the reproducer named).
#   tools/run_fuzzer.sh BINARY BUDGET WORK FINDINGS SEED_DIR...
# BUDGET: "10s" (seconds) or "10000000" (executions).
set -uo pipefail
bin=$1 budget=$2 work=$3 findings=$4
shift 4
case $budget in
  *s) limit=-max_total_time=${budget%s} ;;
  *[!0-9]* | '') echo "FAIL: budget '$budget' is neither seconds (10s) nor executions (10000000)"; exit 64 ;;
  *) limit=-runs=$budget ;;
esac
[ -x "$bin" ] || { echo "FAIL: $bin not built (the offsched_fuzz target builds it with clang)"; exit 1; }
mkdir -p "$work" "$findings"
"$bin" "$limit" -max_len=4096 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$findings/$(basename "$bin")-" "$work" "$@" 2>&1 | tail -n 12
rc=${PIPESTATUS[0]}
case $rc in
  0) ;;
  72) echo "FAIL: $(basename "$bin") was interrupted (rc 72, libFuzzer's -interrupted_exitcode): no finding; its corpus in $work resumes" ;;
  *) echo "FAIL: $(basename "$bin") found an input that breaks it (rc $rc): see $findings" ;;
esac
exit "$rc"
