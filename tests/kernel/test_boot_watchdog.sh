#!/usr/bin/env bash
# tools/qemu/run.sh's boot watchdog: a guest whose kernel never runs /init (here QEMU started
# paused, -S, so no instruction ever runs) is stopped after --boot-timeout, booted once more, and
# a second hang ends the run with 125, the console tail printed and the first console kept.
# Without the watchdog the run would last until --timeout (124).
#   test_boot_watchdog.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing: install qemu-system-x86 (tools/setup.sh)"
new_work bootwd
printf '#!/bin/sh\nexit 0\n' > "$work/payload.sh"
chmod +x "$work/payload.sh"
"$QEMU_DIR/mkinitramfs.sh" -o "$work/initrd.gz" -i "$work/payload.sh" >/dev/null || fail "initramfs build failed"
start=$SECONDS
"$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --quiet --timeout 60 --boot-timeout 3 --qemu-arg -S \
  --log "$work/console.log" 2> "$work/stderr"
rc=$?
took=$((SECONDS - start))
cat "$work/stderr"
expect "a guest that hung twice before /init ends with 125" "[ $rc = 125 ]"
expect "the watchdog stopped it well before --timeout (took ${took}s)" "[ $took -lt 30 ]"
expect "it booted once more after the first hang" "grep -q 'booting once more' '$work/stderr'"
expect "the first hung console was kept" "[ -f '$work/console.log.hung' ]"
verdict "boot watchdog test"
