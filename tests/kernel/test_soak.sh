#!/usr/bin/env bash
# The module under churn, in one QEMU TCG boot (guest/soak.sh): CYCLES (default 200) attach and
# detach cycles across every service and CPUs 1-2, CPU 3 cycling offline/online meanwhile, and at
# random points the owned NIC unbound or hot-removed, or the module removed, with a CPU attached.
# dmesg must stay free of WARNING, BUG, Oops, stalls and lockups. `ctest -L soak` (not in the
# default suite: about 5 minutes under TCG).
#   test_soak.sh BUILD_DIR [CYCLES]
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
cycles=${2:-200}
. "$(dirname "$0")/lib.sh"
require_environment

new_work soak
pick_ports
printf 'CYCLES=%s\n' "$cycles" > "$work/soak.env"
GUEST_FILES+=(-f "$work/soak.env:/tests/soak.env")
boot_guest "$REPO/tests/kernel/guest/soak.sh" --timeout 1500
guest_rc=$?
tr -d '\r' < "$work/console.log" | sed -n '/Run \/init/,$p' | grep -E "PASS|FAIL|soak:|WARNING|BUG|Oops|stall|lockup"
expect "guest checks passed" "[ $guest_rc = 0 ]"
expect "all $cycles cycles ran" "tr -d '\r' < '$work/console.log' | grep -q 'soak: $cycles cycles'"
verdict "kernel soak test"
