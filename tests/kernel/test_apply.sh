#!/usr/bin/env bash
# The boot-time path (guest/apply.sh): /etc/offsched/offsched.yaml brought about by
# `offschedctl apply`, as tools/systemd/offsched.service runs it, in one QEMU TCG boot.
#   test_apply.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
require_environment

new_work apply
pick_ports
boot_guest "$REPO/tests/kernel/guest/apply.sh"
guest_rc=$?
sed -n '/Run \/init/,$p' "$work/console.log"
expect "guest checks passed" "[ $guest_rc = 0 ]"
verdict "kernel apply test"
