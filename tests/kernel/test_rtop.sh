#!/usr/bin/env bash
# rtop on a dead CPU in QEMU TCG: the host receives its datagrams over the socket NIC with the
# admin's own tool, offsched-rtop (--ethernet: QEMU's socket link carries whole frames), which
# decodes them with services/rtop/rtop_wire.h; they must describe this 4-CPU guest with time moving.
#   test_rtop.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
require_environment
[ -x "$BUILD_DIR/bin/offsched-rtop" ] || fail "$BUILD_DIR/bin/offsched-rtop not built"

new_work rtop
pick_ports
boot_guest "$REPO/tests/kernel/guest/rtop.sh" &
qemu_pid=$!
"$BUILD_DIR/bin/offsched-rtop" --bind 127.0.0.1 --port "$PEER_PORT" --ethernet 7171 --json --count 20 \
  --timeout 180s > "$work/rtop.jsonl"
rtop_rc=$?
[ $rtop_rc = 0 ] || stop_guest
wait $qemu_pid
guest_rc=$?
sed -n '/Run \/init/,$p' "$work/console.log"
echo "--- host: offsched-rtop --json, first and last sample"
head -n 1 "$work/rtop.jsonl"; tail -n 1 "$work/rtop.jsonl"

first=$(head -n 1 "$work/rtop.jsonl"); last=$(tail -n 1 "$work/rtop.jsonl")
# The first occurrence of a key in a sample line (cpu 0 for per-CPU keys); -1 when absent.
j() { local v; v=$(grep -o "\"$2\":[0-9]*" <<<"$1" | head -n 1 | cut -d: -f2); echo "${v:--1}"; }
cpu0_time() { echo $(( $(j "$1" busy_ns) + $(j "$1" idle_ns) + $(j "$1" irq_ns) + $(j "$1" softirq_ns) )); }
expect "received 20 rtop samples" "[ $rtop_rc = 0 ] && [ $(wc -l < "$work/rtop.jsonl") -ge 20 ]"
expect "every datagram decoded" "[ $(j "$last" decoded) -ge 20 ] && [ $(j "$last" garbage) = 0 ]"
expect "samples describe all 4 CPUs" "[ $(j "$last" total_cpus) = 4 ]"
expect "memory total reported" "[ $(j "$last" mem_total_kb) -gt 100000 ]"
expect "CPU 0 time advanced between samples" "[ $(cpu0_time "$last") -gt $(cpu0_time "$first") ]"
# nr_running from the kernel: CPU 3 held three busy loops for 8 s, CPU 2 is dead (no tasks).
# The first samples may carry CPU 2's own tasks: the count is taken at attach, while CPU 2 is
# still online, and refreshed every 200 ms; the last 10 samples are seconds later.
nr_max() { tail -n "$2" "$work/rtop.jsonl" | grep -o "{\"cpu\":$1,\"nr_running\":[0-9]*" | cut -d: -f3 | sort -n | tail -n 1; }
expect "nr_running of CPU 3 saw its three busy tasks" "[ '$(nr_max 3 100)' -ge 3 ]"
expect "nr_running of dead CPU 2 is 0 once it is gone (last 10 samples)" "[ '$(nr_max 2 10)' = 0 ]"
# Every figure against /proc (the guest's snapshots before the first sample and after the last):
# CPU times in USER_HZ ticks of /proc/stat, a tick of rounding either way; memory in kB.
tr -d '\r' < "$work/console.log" | grep -a '^@@PROCSTAT\|^@@MEMINFO' > "$work/proc.txt"
expect "rtop's CPU times and memory lie between /proc's before and after" \
  "python3 '$REPO/tests/kernel/rtop_vs_proc.py' '$work/proc.txt' '$work/rtop.jsonl'"
expect "guest checks passed" "[ $guest_rc = 0 ]"
verdict "kernel rtop test"
