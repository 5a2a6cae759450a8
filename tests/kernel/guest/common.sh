# Helpers sourced by the guest payloads (busybox sh). Every check prints PASS/FAIL lines that
# the host log keeps; `finish` turns the failure count into the payload's exit status.
failures=0
check() { # check "what" command...
  what=$1; shift
  if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
finish() {
  echo "guest checks: $failures failed"
  [ "$failures" = 0 ]
  exit $?
}
# Counter of an attached CPU: counter CPU stats|backend NAME
counter() { cat "/sys/kernel/offsched/cpu$1/$2/$3" 2>/dev/null || echo 0; }
# insmod offsched.ko after the one module it links against (virtio_pci_modern_dev: the
# virtio-net family's PCI capability and register helpers). Module parameters may follow.
load_offsched() { modprobe virtio_pci_modern_dev && insmod /lib/offsched.ko "$@"; }
# two_nics OWNED LINUX DRIVER: OWNED (PCI name) goes to offsched, LINUX to Linux's DRIVER
# (e1000, e1000e, virtio_net); loads both drivers and the module; sets LINUX_IF.
two_nics() {
  check "keep $3 off the owned NIC" sh -c "echo offsched > /sys/bus/pci/devices/$1/driver_override"
  check "Linux $3 driver" modprobe "$3"
  [ "$3" != virtio_net ] || check "virtio PCI transport" modprobe virtio_pci
  check "insmod offsched" load_offsched
  check "owned NIC bound to offsched" sh -c "echo $1 > /sys/bus/pci/drivers_probe"
  LINUX_IF=$(ls /sys/bus/pci/devices/$2/net/ 2>/dev/null || ls /sys/bus/pci/devices/$2/virtio*/net/)
  check "Linux NIC is $LINUX_IF" [ -n "$LINUX_IF" ]
}
# Binds a PCI device to offsched through driver_override (no Linux driver ever sees it).
bind_offsched() {
  echo offsched > "/sys/bus/pci/devices/$1/driver_override" &&
  echo "$1" > /sys/bus/pci/drivers_probe &&
  [ "$(basename "$(readlink "/sys/bus/pci/devices/$1/driver")")" = offsched ]
}
# The kernel must not have complained about anything we did.
dmesg_clean() {
  ! dmesg | grep -E "didn't die|rcu: INFO|detected stall|soft lockup|hard LOCKUP|WARNING:|BUG:|Oops|general protection|Call Trace"
}
# fails_with "what" PATTERN command...: the command must fail and say PATTERN (a clear error).
fails_with() {
  what=$1; pattern=$2; shift 2
  out=$("$@" 2>&1); rc=$?
  echo "  \$ $* -> rc=$rc: $out"
  if [ $rc != 0 ] && echo "$out" | grep -q -- "$pattern"; then echo "PASS: $what"
  else echo "FAIL: $what (wanted failure mentioning '$pattern')"; failures=$((failures + 1)); fi
}
# rises CPU GROUP COUNTER: the counter grows over half a second.
rises() { a=$(counter "$1" "$2" "$3"); sleep 0.5; b=$(counter "$1" "$2" "$3"); [ "$b" -gt "$a" ]; }
