#!/usr/bin/env bash
# Every offschedctl/module command path in one QEMU TCG boot (see guest/lifecycle.sh), then a
# poweroff with a CPU still attached: the reboot notifier must stop the loop cleanly.
#   test_lifecycle.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
require_environment

work=$(mktemp -d /tmp/offsched-lifecycle.XXXXXX)
trap 'rm -rf "$work"' EXIT
make_initramfs "$work/initrd.gz" "$REPO/tests/kernel/guest/lifecycle.sh"
pick_ports
"$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --smp 4 --timeout 240 --quiet --append "$SHORT_DETECTORS" --log "$work/console.log" \
  --nic "udp=127.0.0.1:$PEER_PORT,localaddr=127.0.0.1:$QEMU_PORT,addr=0x5"
guest_rc=$?
sed -n '/Run \/init/,$p' "$work/console.log"

failures=0
expect() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }
expect "guest checks passed" "[ $guest_rc = 0 ]"
expect "poweroff completed with CPU 1 attached" "grep -q 'reboot: Power down' '$work/console.log'"
expect "no panic, oops or stall during shutdown" \
  "! sed -n '/@@GUEST-EXIT@@/,\$p' '$work/console.log' | grep -qE 'panic|Oops|BUG:|WARNING:|didn.t die|rcu: INFO|detected stall|soft lockup'"
[ $failures = 0 ] || { echo "kernel lifecycle test: $failures failed"; exit 1; }
echo "kernel lifecycle test: all passed"
