#!/usr/bin/env bash
# Offloaded NAPI on the kernel backend: one bulk TCP upload (default 64 MiB) from the host's own
# TCP stack into the guest through each receive path of ONE QEMU TCG boot (-smp 4), both NICs
# of the model OFFSCHED_NIC_MODEL (default e1000):
#   linux     00:06.0 driven by Linux's driver (eth0 = 10.1.0.10), interrupts and NAPI on the
#             online CPUs
#   offsched  00:05.0 owned by offsched, the napi service on dead CPU 1 polls it and hands the
#             frames (TCP segments merged where they fit a ring slot) to osd0 (10.0.0.10)
# The receiver is busybox nc writing into tmpfs; the host compares sha256 and reports throughput,
# softirq time on the guest's online CPUs and napi's doorbells per frame, as ratios offsched/linux.
#   test_napi_bulk.sh BUILD_DIR [--mib N] [--results FILE]
# BREAK=no-napi attaches the napi service to CPU 1 but sends the offsched phase through the
# Linux NIC (the frames never cross the dead CPU): the napi frame check fails.
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd); shift
mib=64 results=""
while [ $# -gt 0 ]; do
  case $1 in
    --mib) mib=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    *) echo "test_napi_bulk.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
. "$(dirname "$0")/lib.sh"
require_environment
require_netns_environment sha256sum seq timeout
driver=$NIC_DRIVER

new_work napi
# Deterministic content, every 16-byte line distinct: a lost, reordered or duplicated segment
# changes the hash.
seq -f "%015.0f" 0 $((mib * 65536 - 1)) > "$work/payload"
want=$(sha256sum < "$work/payload" | cut -d' ' -f1)
bytes=$(stat -c %s "$work/payload")

netns_create offsched-napi
tap_create tapo 10.0.0.1/24
tap_create tapl 10.1.0.1/24
printf 'LINUX_DRIVER=%s\n' "$driver" > "$work/napi.env"
GUEST_FILES+=(-f "$work/napi.env:/tests/napi.env" -m "$driver")
[ "$driver" = virtio_net ] && GUEST_FILES+=(-m virtio_pci)
make_initramfs "$work/initrd.gz" "$REPO/tests/kernel/guest/napi_bulk.sh" "${GUEST_FILES[@]}"
"$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --smp 4 --mem 768 --timeout 600 --quiet --append "$SHORT_DETECTORS" \
  --log "$work/console.log" --pidfile "$work/qemu.pid" --netns "$NETNS" \
  --nic "tap=tapo,addr=0x5,mac=52:54:00:12:34:05,model=$NIC_MODEL" \
  --nic "tap=tapl,addr=0x6,mac=52:54:00:12:34:06,model=$NIC_MODEL" &
qemu_pid=$!

declare -A ip_of=([linux]=10.1.0.10 [offsched]=10.0.0.10) secs
[ "${BREAK:-}" = no-napi ] && ip_of[offsched]=10.1.0.10
for p in linux offsched; do
  wait_console "@@NAPI $p READY@@" 300 $qemu_pid || { stop_guest; fail "guest never got ready for phase $p"; }
  t0=$(date +%s%N)
  # The host kernel's TCP stack sends; the connection closes when the file is through.
  nsx timeout 300 bash -c "cat '$work/payload' > /dev/tcp/${ip_of[$p]}/5001" || echo "FAIL: $p: upload did not complete"
  secs[$p]=$(( $(date +%s%N) - t0 ))
  wait_console "@@NAPI $p DONE@@" 120 $qemu_pid || { stop_guest; fail "guest never finished phase $p"; }
done
wait $qemu_pid
guest_rc=$?
tr -d '\r' < "$work/console.log" | sed -n '/Run \/init/,$p' | grep -E "PASS|FAIL|BENCH|cpu1|service|backend"

b() { tr -d '\r' < "$work/console.log" | sed -n "s/^BENCH $1 $2 \(.*\)$/\1/p"; }
ratio() { awk -v b="$1" -v a="$2" 'BEGIN { if (a == 0) print "inf"; else printf "%.2f", b / a }'; }
declare -A mbps
for p in linux offsched; do mbps[$p]=$(awk -v n="$bytes" -v t="${secs[$p]}" 'BEGIN { printf "%.1f", n * 8 / (t / 1e3) }'); done
expect "guest checks passed" "[ $guest_rc = 0 ]"
for p in linux offsched; do
  expect "$p: all $bytes bytes arrived" "[ '$(b $p bytes)' = $bytes ]"
  expect "$p: sha256 matches the host's file" "[ '$(b $p sha256)' = $want ]"
done
frames=$(b offsched napi_frames) doorbells=$(b offsched napi_doorbells) passed=$(b offsched napi_passed)
# A 1448-byte segment per frame: the upload alone is at least bytes/1514 frames.
expect "offsched: the upload crossed the napi service (>= $((bytes / 1514)) frames)" "[ ${frames:-0} -ge $((bytes / 1514)) ]"
# A stray ARP or IPv6 neighbour frame on the owned NIC may arrive meanwhile; the upload may not.
expect "linux: the upload did not cross the napi service (< 100 frames)" "[ '$(b linux napi_frames)' -lt 100 ]"

printf '\n%-34s %14s %14s %10s\n' "figure ($mib MiB, $NIC_MODEL)" "linux" "offsched" "off/linux"
row() { printf '%-34s %14s %14s %10s\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"; }
row "throughput (Mbit/s, host wall)" "${mbps[linux]}" "${mbps[offsched]}"
row "softirq ticks, online CPUs" "$(b linux softirq_ticks)" "$(b offsched softirq_ticks)"
row "NET_RX softirqs, online CPUs" "$(b linux net_rx_softirqs)" "$(b offsched net_rx_softirqs)"
printf '%-34s %14s %14s\n' "napi frames / passed / doorbells" "-" "$frames/$passed/$doorbells"
printf '%-34s %14s %14s\n' "doorbells per frame" "-" "$(awk -v d="${doorbells:-0}" -v f="${frames:-0}" 'BEGIN { if (f) printf "%.4f", d / f; else print "-" }')"
if [ -n "$results" ]; then
  cat > "$results" <<JSON
{"nic_model": "$NIC_MODEL", "bytes": $bytes,
 "linux": {"ns": ${secs[linux]}, "softirq_ticks": $(b linux softirq_ticks), "net_rx_softirqs": $(b linux net_rx_softirqs)},
 "offsched": {"ns": ${secs[offsched]}, "softirq_ticks": $(b offsched softirq_ticks), "net_rx_softirqs": $(b offsched net_rx_softirqs),
              "napi_frames": ${frames:-0}, "napi_passed": ${passed:-0}, "napi_doorbells": ${doorbells:-0}}}
JSON
fi
verdict "kernel napi bulk test"
