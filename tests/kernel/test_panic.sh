#!/usr/bin/env bash
# A kernel panic with two CPUs attached (guest/panic.sh): the module's panic notifier stops
# every service loop (the dead CPUs get no stop NMI) and quiesces the NICs before the machine
# goes down, so a crash kernel or the next boot finds them idle. (Without the notifier
# registered, the three offsched checks fail: tried.)
#   test_panic.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
require_environment

new_work panic
pick_ports
boot_guest "$REPO/tests/kernel/guest/panic.sh"
sed -n '/Run \/init/,$p' "$work/console.log"
log() { tr -d '\r' < "$work/console.log"; }
expect "guest set up both CPUs" "log | grep -q '@@PANICKING@@' && ! log | grep -q '^FAIL:'"
expect "the kernel panicked" "log | grep -q 'Kernel panic - not syncing'"
expect "CPU 1 (firewall, NIC) stopped its loop in the panic" "log | grep -q 'offsched: panic: CPU 1 stopped its service loop'"
expect "CPU 2 (timer, no NIC) stopped its loop in the panic" "log | grep -q 'offsched: panic: CPU 2 stopped its service loop'"
expect "no loop failed to stop" "! log | grep -q 'did not stop its service loop'"
verdict "kernel panic test"
