#!/usr/bin/env bash
# Checks the hotplug model against the real kernel: boots the host's Debian kernel under QEMU TCG
# (tools/qemu), enables the cpuhp trace events, offlines and onlines cpu 1 (plus failures
# injected through cpu1/hotplug/fail, which exercise the kernel's rollback), and compares:
#   states: /sys/devices/system/cpu/hotplug/states with the model's state table
#   trace:  the kernel's cpuhp_enter/cpuhp_multi_enter/cpuhp_exit sequence with the model's
#   offsched: with the real offsched.ko: attach the firewall to cpu 1 (offline, service in
#           play_dead), online cpu 1 directly; the trace (incl. offsched:prepare before
#           cpu:bringup) and the registered dynamic state must match the model's
#
#   real_kernel_test.sh states|trace|offsched MODEL_DUMP SOURCE_DIR [BUILD_DIR]
set -uo pipefail
mode=$1 dump=$2 src=$3 build=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
# The state table is per kernel version: pick it from the image the harness boots.
kernel=$("$src/tools/qemu/find-kernel.sh") || { echo "FAIL: no kernel image to boot (see above)"; exit 1; }
release=$(basename "$kernel" | sed 's/^vmlinuz-//')
version=$(echo "$release" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
table="$src/data/cpuhp/linux-$version.yaml"
if [ ! -f "$table" ]; then
  echo "FAIL: no cpuhp state table for kernel $release: create data/cpuhp/linux-$version.yaml with data/cpuhp/derive_states.py"
  exit 1
fi
work=$(mktemp -d /tmp/offsched-hotplug.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Guest helpers both payloads use: print the state list, trace cpuhp events, dump the trace.
cat > "$work/payload.sh" <<'PAYLOAD'
C=/sys/devices/system/cpu/cpu1
T=/sys/kernel/tracing
[ -e $T/events/cpuhp/enable ] || { echo "no cpuhp trace events (tracefs not mounted?)"; exit 3; }
print_states() {
  echo "@@STATES-BEGIN@@"; cat /sys/devices/system/cpu/hotplug/states; echo "@@STATES-END@@"
}
trace_start() {
  echo 0 > $T/tracing_on
  # Per-CPU trace clocks are not synchronised (under TCG a spinning vCPU skews them), so the
  # merged buffer could interleave CPUs out of order; the counter clock orders events globally.
  echo counter > $T/trace_clock
  echo > $T/trace
  # Without record-cmd, enabling cpuhp events patches only their own sites, not sched_switch/
  # sched_wakeup (QEMU 7.2's threaded TCG can leave hot patched code stale: docs/KERNEL.md).
  echo 0 > $T/options/record-cmd
  echo 1 > $T/events/cpuhp/enable
  echo 1 > $T/tracing_on
}
trace_dump() {
  echo 0 > $T/tracing_on
  echo "@@TRACE-BEGIN@@"; cat $T/trace; echo "@@TRACE-END@@"
}
PAYLOAD

extra_files=() nic_args=()
if [ "$mode" = offsched ]; then
  ko=$build/kmod/offsched.ko ctl=$build/bin/offschedctl
  [ -f "$ko" ] || { echo "FAIL: $ko not built: install linux-headers-amd64 (tools/setup.sh) and build the offsched_kmod target"; exit 1; }
  [ -x "$ctl" ] || { echo "FAIL: $ctl not built (target offschedctl)"; exit 1; }
  extra_files=(-f "$ko:/lib/offsched.ko" -f "$ctl" -m virtio_pci_modern_dev)
  # offschedctl attach needs a NIC for the service: an e1000 on a UDP socket nobody reads.
  base=$(( 24000 + (RANDOM % 2000) * 2 ))
  nic_args=(--nic "udp=127.0.0.1:$base,localaddr=127.0.0.1:$((base + 1)),addr=0x5")
  # The guest does what tests/hotplug/scenarios/real-kernel-offsched.yaml tells the model.
  cat >> "$work/payload.sh" <<'PAYLOAD'
NIC=0000:00:05.0
# offsched.ko links against virtio_pci_modern_dev (its virtio-net family): load that first.
modprobe virtio_pci_modern_dev && insmod /lib/offsched.ko || { echo "insmod failed"; exit 3; }
echo offsched > /sys/bus/pci/devices/$NIC/driver_override && echo $NIC > /sys/bus/pci/drivers_probe
print_states
trace_start
offschedctl attach --cpu 1 --service firewall;  echo "op attach rc=$?"
a=$(cat /sys/kernel/offsched/cpu1/backend/loop_iterations); sleep 0.5
b=$(cat /sys/kernel/offsched/cpu1/backend/loop_iterations)
[ "$b" -gt "$a" ] && echo "op service-loop-runs rc=0" || echo "op service-loop-runs rc=1 ($a -> $b)"
echo 1 > $C/online;                             echo "op online rc=$?"
echo 0 > $T/tracing_on
offschedctl status | grep -qE "^1 +firewall +stopped" && echo "op service-stopped rc=0" || echo "op service-stopped rc=1"
dmesg | grep -qE "didn't die|WARNING:|BUG:|Oops" && echo "op dmesg-clean rc=1" || echo "op dmesg-clean rc=0"
trace_dump
PAYLOAD
else
  # The guest does what tests/hotplug/scenarios/real-kernel.yaml tells the model.
  cat >> "$work/payload.sh" <<'PAYLOAD'
print_states
trace_start
echo 0 > $C/online;                      echo "op offline rc=$?"
echo 1 > $C/online;                      echo "op online rc=$?"
echo 197 > $C/hotplug/fail && { echo 0 > $C/online; echo "op offline-fail-197 rc=$?"; }
echo 0 > $C/online;                      echo "op offline rc=$?"
echo 200 > $C/hotplug/fail && { echo 1 > $C/online; echo "op online-fail-200 rc=$?"; }
echo 50 > $C/hotplug/fail && { echo 1 > $C/online; echo "op online-fail-50 rc=$?"; }
echo 1 > $C/online;                      echo "op online rc=$?"
trace_dump
PAYLOAD
fi

"$src/tools/qemu/mkinitramfs.sh" -o "$work/initrd.gz" -i "$work/payload.sh" "${extra_files[@]}" ||
  { echo "FAIL: cannot build the initramfs"; exit 1; }
"$src/tools/qemu/run.sh" --initrd "$work/initrd.gz" --smp 2 --mem 512 --timeout 90 --quiet \
    --log "$work/console.log" --append "quiet" --kernel "$kernel" "${nic_args[@]}"
rc=$?
if [ $rc -ne 0 ]; then
  echo "FAIL: guest run failed (status $rc); console tail:"
  tail -30 "$work/console.log"
  exit 1
fi
tr -d '\r' < "$work/console.log" > "$work/console.txt"
grep '^op ' "$work/console.txt"

case $mode in
  states)
    sed -n '/^@@STATES-BEGIN@@$/,/^@@STATES-END@@$/p' "$work/console.txt" | sed '1d;$d' > "$work/kernel-states.txt"
    "$dump" states "$table" > "$work/model-states.txt" || exit 1
    [ -s "$work/kernel-states.txt" ] || { echo "FAIL: the guest printed no hotplug states"; exit 1; }
    if ! diff -u "$work/kernel-states.txt" "$work/model-states.txt"; then
      echo "FAIL: $table differs from the booted kernel's hotplug/states (- kernel, + model)"
      exit 1
    fi
    echo "PASS: $(wc -l < "$work/kernel-states.txt") states, names and step numbers identical"
    ;;
  trace)
    # The model must report the same write results as the guest did.
    expect="op offline rc=0
op online rc=0
op offline-fail-197 rc=1
op offline rc=0
op online-fail-200 rc=1
op online-fail-50 rc=1
op online rc=0"
    if [ "$(grep '^op ' "$work/console.txt")" != "$expect" ]; then
      echo "FAIL: the guest's sysfs writes did not behave as the scenario assumes"; exit 1
    fi
    sed -n '/^@@TRACE-BEGIN@@$/,/^@@TRACE-END@@$/p' "$work/console.txt" > "$work/kernel.trace"
    if ! "$dump" compare "$here/scenarios/real-kernel.yaml" "$work/kernel.trace" "$table"; then
      echo "FAIL: the model's cpuhp sequence differs from the kernel's (first differences above)"
      exit 1
    fi
    echo "PASS: cpuhp enter/exit sequence and emitting CPUs identical to the kernel's for offline, online and 3 rollbacks"
    ;;
  offsched)
    expect="op attach rc=0
op service-loop-runs rc=0
op online rc=0
op service-stopped rc=0
op dmesg-clean rc=0"
    if [ "$(grep '^op ' "$work/console.txt")" != "$expect" ]; then
      echo "FAIL: the module did not attach, run, stop and give the CPU back as the scenario assumes"; exit 1
    fi
    sed -n '/^@@STATES-BEGIN@@$/,/^@@STATES-END@@$/p' "$work/console.txt" > "$work/kernel-states.txt"
    "$dump" registered "$here/scenarios/real-kernel-offsched.yaml" > "$work/registered.txt" || exit 1
    while IFS= read -r line; do
      grep -qxF "$line" "$work/kernel-states.txt" ||
        { echo "FAIL: the model registers '$line' but the kernel lists:"; grep offsched "$work/kernel-states.txt"; exit 1; }
    done < "$work/registered.txt"
    sed -n '/^@@TRACE-BEGIN@@$/,/^@@TRACE-END@@$/p' "$work/console.txt" > "$work/kernel.trace"
    if ! "$dump" compare "$here/scenarios/real-kernel-offsched.yaml" "$work/kernel.trace" "$table"; then
      echo "FAIL: the model's offsched hotplug sequence differs from the kernel's (first differences above)"
      exit 1
    fi
    echo "PASS: offsched.ko registered $(cat "$work/registered.txt") as the model does; offline with the service in play_dead and the direct online (offsched:prepare before cpu:bringup) traced identically"
    ;;
  *) echo "usage: $0 states|trace|offsched MODEL_DUMP SOURCE_DIR [BUILD_DIR]"; exit 2 ;;
esac
