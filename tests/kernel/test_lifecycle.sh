#!/usr/bin/env bash
# Every offschedctl/module command path in one QEMU TCG boot (see guest/lifecycle.sh), then a
# poweroff with a CPU still attached: the reboot notifier must stop the loop cleanly.
#   test_lifecycle.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
require_environment

new_work lifecycle
pick_ports
[ -x "$BUILD_DIR/bin/stat_names_dump" ] || fail "$BUILD_DIR/bin/stat_names_dump not built"
"$BUILD_DIR/bin/stat_names_dump" > "$work/stat_names.txt" || fail "stat_names_dump failed"
GUEST_FILES+=(-f "$work/stat_names.txt:/tests/stat_names.txt")
boot_guest "$REPO/tests/kernel/guest/lifecycle.sh"
guest_rc=$?
sed -n '/Run \/init/,$p' "$work/console.log"

expect "guest checks passed" "[ $guest_rc = 0 ]"
expect "poweroff completed with CPU 1 attached" "grep -q 'reboot: Power down' '$work/console.log'"
expect "no panic, oops or stall during shutdown" \
  "! sed -n '/@@GUEST-EXIT@@/,\$p' '$work/console.log' | grep -E 'panic|Oops|BUG:|WARNING:|didn.t die|rcu: INFO|detected stall|soft lockup' >/dev/null"
verdict "kernel lifecycle test"
