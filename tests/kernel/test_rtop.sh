#!/usr/bin/env bash
# rtop on a dead CPU in QEMU TCG: the host receives its datagrams over the socket NIC, decodes
# them with services/rtop/rtop_wire.h and checks they describe this 4-CPU guest with time moving.
#   test_rtop.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
require_environment

new_work rtop
pick_ports
boot_guest "$REPO/tests/kernel/guest/rtop.sh" &
qemu_pid=$!
"$BUILD_DIR/bin/offsched-traffic" --local "127.0.0.1:$PEER_PORT" --remote "127.0.0.1:$QEMU_PORT" \
  --rtop-port 7171 --rtop-samples 20 --ready-timeout-ms 180000 > "$work/rtop.json"
traffic_rc=$?
[ $traffic_rc = 0 ] || stop_guest
wait $qemu_pid
guest_rc=$?
sed -n '/Run \/init/,$p' "$work/console.log"
echo "--- host report"; cat "$work/rtop.json"

r() { local v; v=$(sed -n "s/^    \"$1\": \([0-9]*\).*/\1/p" "$work/rtop.json"); echo "${v:--1}"; }
expect "received 20 rtop samples" "[ $traffic_rc = 0 ] && [ $(r samples) -ge 20 ]"
expect "every datagram decoded" "[ $(r decode_errors) = 0 ]"
expect "samples describe all 4 CPUs" "[ $(r total_cpus) = 4 ]"
expect "memory total reported" "[ $(r mem_total_kb) -gt 100000 ]"
expect "CPU 0 time advanced between samples" "[ $(r cpu0_time_advanced_ns) -gt 0 ]"
expect "guest checks passed" "[ $guest_rc = 0 ]"
verdict "kernel rtop test"
