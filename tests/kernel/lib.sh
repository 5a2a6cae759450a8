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
    -f "$REPO/tests/kernel/fw_flood.yaml:/tests/fw.yaml" -f "$REPO/tests/kernel/fw_flood_reload.yaml:/tests/fw_reload.yaml" -f "$REPO/tests/kernel/rtop.yaml:/tests/rtop.yaml" \
    -m virtio_pci_modern_dev "$@" || fail "initramfs build failed"
}

# at_exit 'command': run at exit (normal, error or a signal bash catches), the latest first.
_at_exit=()
at_exit() {
  _at_exit=("$1" "${_at_exit[@]}")
  trap '_run_at_exit' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
_run_at_exit() { local c; for c in "${_at_exit[@]}"; do eval "$c"; done; }

# new_work NAME: a scratch dir in $work, removed on exit unless KEEP_WORK is set.
new_work() {
  work=$(mktemp -d "/tmp/offsched-$1.XXXXXX")
  [ -n "${KEEP_WORK:-}" ] || at_exit 'rm -rf "$work"'
}

# Extra mkinitramfs arguments a test adds before boot_guest, e.g. GUEST_FILES+=(-f SRC:DST).
GUEST_FILES=()

# The QEMU model of the NIC offsched owns: e1000 (default), e1000e or virtio-net-pci. ctest runs
# the NIC tests once per model (tests/kernel/CMakeLists.txt); set it by hand to try one.
# NIC_DRIVER: Linux's own driver for that model, for tests that give Linux a NIC of it too.
NIC_MODEL=${OFFSCHED_NIC_MODEL:-e1000}
case $NIC_MODEL in
  e1000 | e1000e) NIC_DRIVER=$NIC_MODEL ;;
  virtio-net-pci) NIC_DRIVER=virtio_net ;;
  *) fail "OFFSCHED_NIC_MODEL=$NIC_MODEL: offsched drives e1000, e1000e or virtio-net-pci" ;;
esac

# boot_guest PAYLOAD: builds the initramfs and boots it (-smp 4, short stall detectors) with the
# owned NIC ($NIC_MODEL) at 00:05.0 on PEER_PORT/QEMU_PORT; extra run.sh args may follow. Blocks; the
# console is $work/console.log; returns the guest payload's status.
boot_guest() {
  local payload=$1; shift
  make_initramfs "$work/initrd.gz" "$payload" "${GUEST_FILES[@]}"
  "$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --smp 4 --timeout 240 --quiet --append "$SHORT_DETECTORS" \
    --log "$work/console.log" --pidfile "$work/qemu.pid" \
    --nic "udp=127.0.0.1:$PEER_PORT,localaddr=127.0.0.1:$QEMU_PORT,addr=0x5,model=$NIC_MODEL" "$@"
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

# --- Tap networking in a network namespace the test owns (root) ---------------------------------
# require_netns_environment TOOL...: root, iproute2 with netns support, /dev/net/tun, and the
# host tools named (curl, tcpdump, ...). A FAIL names what is missing.
require_netns_environment() {
  [ "$(id -u)" = 0 ] || fail "needs root: the test creates a network namespace and tap devices"
  command -v ip >/dev/null || fail "ip missing: install iproute2"
  [ -c /dev/net/tun ] || fail "/dev/net/tun missing: load the tun module (modprobe tun) or give the container the device"
  local t pkg
  for t in "$@"; do
    case $t in sha256sum) pkg=coreutils ;; xtables-legacy-multi) pkg=iptables ;; *) pkg=$t ;; esac
    command -v "$t" >/dev/null || fail "$t missing: install $pkg (tools/setup.sh)"
  done
}

# netns_create PREFIX: creates the namespace $NETNS = PREFIX-<pid>-<random> (unique per run) and
# removes it at exit. Namespaces PREFIX-<pid>-* left by runs whose process is gone (killed by a
# ctest timeout) are removed first; a live run's namespace is never touched.
netns_create() {
  local prefix=$1 ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$prefix-[0-9]*-"); do
    pid=${ns#"$prefix"-}; pid=${pid%%-*}
    kill -0 "$pid" 2>/dev/null || { echo "removing stale namespace $ns"; ip netns del "$ns" 2>/dev/null; }
  done
  NETNS=$prefix-$$-$RANDOM
  ip netns add "$NETNS" || fail "ip netns add $NETNS failed: needs root and a kernel with network namespaces (CONFIG_NET_NS)"
  at_exit 'netns_destroy'
  nsx ip link set lo up || fail "cannot bring lo up in namespace $NETNS"
}
# nsx CMD...: runs CMD inside the test's namespace.
nsx() { ip netns exec "$NETNS" "$@"; }
# netns_destroy: ends what still runs in the namespace (QEMU, tcpdump, flood tool: all started
# by this test), then deletes its taps and the namespace itself.
netns_destroy() {
  [ -n "${NETNS:-}" ] || return 0
  local pids
  pids=$(ip netns pids "$NETNS" 2>/dev/null)
  [ -z "$pids" ] || { kill -TERM $pids 2>/dev/null; sleep 1; kill -KILL $(ip netns pids "$NETNS" 2>/dev/null) 2>/dev/null; }
  local t
  for t in $(nsx ip -o link show type tun 2>/dev/null | awk -F': ' '{print $2}'); do nsx ip link del "$t" 2>/dev/null; done
  ip netns del "$NETNS" 2>/dev/null
  NETNS=""
}
# tap_create NAME CIDR [multi_queue]: a tap in the namespace, addressed (the host side of a guest
# NIC) and up; multi_queue for a NIC with several queue pairs (run.sh --nic ...,queues=N).
tap_create() {
  nsx ip tuntap add dev "$1" mode tap ${3:-} ||
    fail "ip tuntap add dev $1 in $NETNS failed: /dev/net/tun unusable (container without the tun device or CAP_NET_ADMIN?)"
  nsx ip addr add "$2" dev "$1" && nsx ip link set "$1" up || fail "cannot address $1 as $2"
}
# tap_counter TAP NAME: a statistics counter of the tap (tx_* = towards the guest).
tap_counter() { nsx cat "/sys/class/net/$1/statistics/$2" 2>/dev/null || echo 0; }

# wait_console PATTERN SECONDS PID: until the guest console ($work/console.log) has a line
# matching PATTERN (extended regexp); fails if PID (QEMU's run.sh) ended or time ran out.
wait_console() {
  local deadline=$((SECONDS + $2))
  while ! tr -d '\r' 2>/dev/null < "$work/console.log" | grep -qE "$1"; do
    kill -0 "$3" 2>/dev/null || return 1
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
