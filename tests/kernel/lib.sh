# Host-side helpers for the kernel tests and benchmark (bash). Source after setting BUILD_DIR.
# Missing QEMU, kernel image or headers is a FAIL that says what to install, never a skip.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
QEMU_DIR=$REPO/tools/qemu

# RCU stall after 5 s (default 21), soft lockup after 4 s (2 x watchdog_thresh): a dead CPU
# that Linux still expected to hear from would be reported within a test's run.
SHORT_DETECTORS="rcupdate.rcu_cpu_stall_timeout=5 watchdog_thresh=2"

fail() { echo "FAIL: $*" >&2; exit 1; }

require_environment() {
  command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing: install qemu-system-x86 (tools/setup.sh)"
  "$QEMU_DIR/find-kernel.sh" >/dev/null || fail "no /boot/vmlinuz-*: install linux-image-amd64 (tools/setup.sh)"
  command -v busybox >/dev/null || [ -x /bin/busybox ] || fail "busybox missing: install busybox-static (tools/setup.sh)"
  KO=$BUILD_DIR/kmod/offsched.ko
  [ -f "$KO" ] || fail "$KO not built: install linux-headers-amd64 (tools/setup.sh) and build the offsched_kmod target"
  for t in offschedctl offsched-traffic; do
    [ -x "$BUILD_DIR/bin/$t" ] || fail "$BUILD_DIR/bin/$t not built"
  done
}

# Two free UDP ports for one socket NIC: sets PEER_PORT (the host tool) and QEMU_PORT.
pick_ports() {
  local base=$(( 20000 + (RANDOM % 2000) * 4 ))
  PEER_PORT=$base
  QEMU_PORT=$((base + 1))
}

# make_initramfs OUT PAYLOAD [extra mkinitramfs args...]: the module, offschedctl and the test files.
make_initramfs() {
  local out=$1 payload=$2; shift 2
  "$QEMU_DIR/mkinitramfs.sh" -o "$out" -i "$payload" \
    -f "$KO:/lib/offsched.ko" -f "$BUILD_DIR/bin/offschedctl" \
    -f "$REPO/tests/kernel/guest/common.sh:/tests/common.sh" \
    -f "$REPO/tests/kernel/fw_flood.yaml:/tests/fw.yaml" -f "$REPO/tests/kernel/rtop.yaml:/tests/rtop.yaml" \
    "$@" || fail "initramfs build failed"
}

# new_work NAME: a scratch dir in $work, removed on exit unless KEEP_WORK is set.
new_work() {
  work=$(mktemp -d "/tmp/offsched-$1.XXXXXX")
  [ -n "${KEEP_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
}

# Extra mkinitramfs arguments a test adds before boot_guest, e.g. GUEST_FILES+=(-f SRC:DST).
GUEST_FILES=()

# boot_guest PAYLOAD: builds the initramfs and boots it (-smp 4, short stall detectors) with the
# owned e1000 at 00:05.0 on PEER_PORT/QEMU_PORT; extra run.sh args may follow. Blocks; the
# console is $work/console.log; returns the guest payload's status.
boot_guest() {
  local payload=$1; shift
  make_initramfs "$work/initrd.gz" "$payload" "${GUEST_FILES[@]}"
  "$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --smp 4 --timeout 240 --quiet --append "$SHORT_DETECTORS" \
    --log "$work/console.log" --pidfile "$work/qemu.pid" \
    --nic "udp=127.0.0.1:$PEER_PORT,localaddr=127.0.0.1:$QEMU_PORT,addr=0x5" "$@"
}

# stop_guest: ends a guest that waits for a host signal that will never come (host side failed).
stop_guest() {
  [ -s "$work/qemu.pid" ] && kill -TERM "$(cat "$work/qemu.pid")" 2>/dev/null
  return 0
}

# expect "what" 'shell condition': host-side checks, counted in $failures.
failures=0
expect() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1 ($2)"; failures=$((failures + 1)); fi; }
# verdict NAME: exit status of a test script from $failures.
verdict() {
  [ "$failures" = 0 ] || { echo "$1: $failures failed"; exit 1; }
  echo "$1: all passed"
}
