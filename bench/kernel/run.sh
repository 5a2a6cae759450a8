#!/usr/bin/env bash
# Kernel benchmark: Linux's e1000 driver + iptables DROP vs the offsched firewall on a dead CPU,
# under the same SYN flood and legitimate HTTP load, side by side in ONE QEMU TCG boot
# (-smp 4). TCG distorts absolute timing, so the result is reported as ratios (b)/(a).
#   bench/kernel/run.sh BUILD_DIR [--flood-pps N] [--legit-rate N] [--duration-ms N] [--results FILE]
# Prints a table and writes JSON (default BUILD_DIR/bench-kernel.json).
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd); shift
flood=30000 legit=20 duration=5000 results=$BUILD_DIR/bench-kernel.json
while [ $# -gt 0 ]; do
  case $1 in
    --flood-pps) flood=$2; shift 2 ;;
    --legit-rate) legit=$2; shift 2 ;;
    --duration-ms) duration=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
. "$(dirname "$0")/../../tests/kernel/lib.sh"
require_environment
xt=$(command -v xtables-legacy-multi) || fail "xtables-legacy-multi missing: install iptables (tools/setup.sh)"
xtlib=$(dirname "$(readlink -f "$(ldd "$xt" | awk '/libxtables/ {print $3}')")")/xtables

new_work bench
make_initramfs "$work/initrd.gz" "$REPO/bench/kernel/guest_bench.sh" -m e1000 -m iptable_filter \
  -f "$xt:/sbin/iptables-legacy" -f "$xtlib/libxt_standard.so:$xtlib/libxt_standard.so"
pick_ports; a_peer=$PEER_PORT a_qemu=$QEMU_PORT
b_peer=$((a_peer + 2)) b_qemu=$((a_qemu + 2))

"$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --smp 4 --timeout 400 --quiet --log "$work/console.log" \
  --nic "udp=127.0.0.1:$a_peer,localaddr=127.0.0.1:$a_qemu,addr=0x4,mac=52:54:00:12:34:44" \
  --nic "udp=127.0.0.1:$b_peer,localaddr=127.0.0.1:$b_qemu,addr=0x5,mac=52:54:00:12:34:55" \
  --pidfile "$work/qemu.pid" &
qemu_pid=$!
traffic() { # traffic PEER QEMU MAC IP CLIENTS FINISH_PORT OUT
  "$BUILD_DIR/bin/offsched-traffic" --local "127.0.0.1:$1" --remote "127.0.0.1:$2" --guest-mac "$3" \
    --guest-ip "$4" --clients "$5" --finish-port "$6" --flood-pps "$flood" --legit-rate "$legit" \
    --duration-ms "$duration" --ready-timeout-ms 240000 --give-up-ms 15000 > "$7"
}
traffic $a_peer $a_qemu 52:54:00:12:34:44 10.0.1.10 10.0.1.0/24 9000 "$work/a.json" || { stop_guest; fail "phase a traffic failed"; }
traffic $b_peer $b_qemu 52:54:00:12:34:55 10.0.0.10 10.0.0.0/24 9001 "$work/b.json" || { stop_guest; fail "phase b traffic failed"; }
wait $qemu_pid || { sed -n '/Run \/init/,$p' "$work/console.log"; fail "guest checks failed"; }
sed -n '/Run \/init/,$p' "$work/console.log" | grep -E "PASS|FAIL|BENCH"

jnum() { sed -n "s/^  \"$2\": \([0-9]*\).*/\1/p" "$1"; }
jsub() { awk -v k="\"$2\"" -v f="\"$3\":" '$1 == k":" {in_k = 1} in_k && $1 == f {gsub(",", "", $2); print $2; exit}' "$1"; }
bench() { tr -d '\r' < "$work/console.log" | sed -n "s/^BENCH $1 \([0-9]*\)$/\1/p"; }
for p in a b; do
  eval "${p}_success=\$(jnum $work/$p.json legit_success_ppm)"
  eval "${p}_attempts=\$(jnum $work/$p.json legit_attempts)"
  eval "${p}_connect_p50=\$(jsub $work/$p.json connect_ns p50)"
  eval "${p}_connect_p99=\$(jsub $work/$p.json connect_ns p99)"
  eval "${p}_flood_sent=\$(jnum $work/$p.json flood_sent)"
  eval "${p}_duration=\$(jnum $work/$p.json duration_ns)"
  eval "${p}_dropped=\$(bench ${p}_dropped)"
  eval "${p}_softirqs=\$(bench ${p}_net_rx_softirqs)"
done
rate() { echo $(( $1 * 1000000000 / $2 )); }
a_drops_s=$(rate "$a_dropped" "$a_duration"); b_drops_s=$(rate "$b_dropped" "$b_duration")
ratio() { awk -v b="$1" -v a="$2" 'BEGIN { if (a == 0) print "inf"; else printf "%.2f", b / a }'; }

cat > "$results" <<JSON
{
  "flood_pps_offered": $flood, "legit_rate": $legit, "duration_ms": $duration,
  "a_linux_e1000_iptables": {"legit_success_ppm": $a_success, "legit_attempts": $a_attempts,
    "connect_p50_ns": $a_connect_p50, "connect_p99_ns": $a_connect_p99, "flood_sent": $a_flood_sent,
    "flood_dropped": $a_dropped, "flood_dropped_per_s": $a_drops_s, "net_rx_softirqs": $a_softirqs},
  "b_offsched_firewall": {"legit_success_ppm": $b_success, "legit_attempts": $b_attempts,
    "connect_p50_ns": $b_connect_p50, "connect_p99_ns": $b_connect_p99, "flood_sent": $b_flood_sent,
    "flood_dropped": $b_dropped, "flood_dropped_per_s": $b_drops_s, "net_rx_softirqs": $b_softirqs}
}
JSON
printf '\n%-28s %16s %16s %10s\n' "metric" "(a) e1000+ipt" "(b) offsched" "b/a"
row() { printf '%-28s %16s %16s %10s\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"; }
row "legit success (ppm)" "$a_success" "$b_success"
row "connect p50 (ns)" "$a_connect_p50" "$b_connect_p50"
row "connect p99 (ns)" "$a_connect_p99" "$b_connect_p99"
row "flood sent" "$a_flood_sent" "$b_flood_sent"
row "flood dropped" "$a_dropped" "$b_dropped"
row "flood dropped / s" "$a_drops_s" "$b_drops_s"
row "NET_RX softirqs (Linux)" "$a_softirqs" "$b_softirqs"
echo "results: $results"
