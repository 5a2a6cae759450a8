#!/usr/bin/env bash
# Kernel benchmark: Linux's own driver + iptables DROP vs the offsched firewall on a dead CPU,
# under the same SYN flood and legitimate HTTP load, side by side in ONE QEMU TCG boot
# (-smp 4), both NICs of one QEMU model. On virtio-net a third phase runs the peer a user would
# deploy there instead: xdp-filter (xdp-tools) in native XDP mode on the Linux-driven NIC; the
# flood then comes from 198.18.0.0/24, because xdp-filter matches whole addresses, not prefixes.
# TCG distorts absolute timing, so the result is reported as ratios (b)/(a) and (b)/(c).
#   bench/kernel/run.sh BUILD_DIR [--nic-model e1000|e1000e|virtio-net-pci] [--flood-pps N]
#                       [--legit-rate N] [--duration-ms N] [--results FILE]
# Prints a table and writes JSON (default BUILD_DIR/bench-kernel[-MODEL].json).
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd); shift
flood=30000 legit=20 duration=5000 results="" model=e1000
while [ $# -gt 0 ]; do
  case $1 in
    --nic-model) model=$2; shift 2 ;;
    --flood-pps) flood=$2; shift 2 ;;
    --legit-rate) legit=$2; shift 2 ;;
    --duration-ms) duration=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
OFFSCHED_NIC_MODEL=$model
. "$(dirname "$0")/../../tests/kernel/lib.sh"
require_environment
driver=$NIC_DRIVER xdp=0
[ "$model" = virtio-net-pci ] && xdp=1
[ -n "$results" ] || results=$BUILD_DIR/bench-kernel$([ "$model" = e1000 ] || echo "-$model").json
flood_net=198.18.0.0/15 phases="a b"
xdp_files=()
if [ $xdp = 1 ]; then
  command -v xdp-filter >/dev/null || fail "xdp-filter missing: install xdp-tools (tools/setup.sh)"
  bpfdir=/usr/lib/x86_64-linux-gnu/bpf
  [ -f "$bpfdir/xdp-dispatcher.o" ] || fail "$bpfdir/xdp-dispatcher.o missing: install xdp-tools"
  xdp_files+=(-f "$(command -v xdp-filter):/usr/sbin/xdp-filter")
  for o in "$bpfdir"/xdp-dispatcher.o "$bpfdir"/xdpfilt_*.o; do xdp_files+=(-f "$o:$o"); done
  flood_net=198.18.0.0/24 phases="a b c"
fi
xt=$(command -v xtables-legacy-multi) || fail "xtables-legacy-multi missing: install iptables (tools/setup.sh)"
xtlib=$(dirname "$(readlink -f "$(ldd "$xt" | awk '/libxtables/ {print $3}')")")/xtables

new_work bench
printf 'LINUX_DRIVER=%s\nXDP=%s\n' "$driver" "$xdp" > "$work/bench.env"
for i in $(seq 0 255); do echo "198.18.0.$i"; done > "$work/flood_ips"
make_initramfs "$work/initrd.gz" "$REPO/bench/kernel/guest_bench.sh" -m "$driver" -m iptable_filter \
  $([ $xdp = 1 ] && echo "-m virtio_pci") \
  -f "$xt:/sbin/iptables-legacy" -f "$xtlib/libxt_standard.so:$xtlib/libxt_standard.so" \
  -f "$work/bench.env:/tests/bench.env" -f "$work/flood_ips:/tests/flood_ips" "${xdp_files[@]}"
pick_ports; a_peer=$PEER_PORT a_qemu=$QEMU_PORT
b_peer=$((a_peer + 2)) b_qemu=$((a_qemu + 2))

"$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --smp 4 --timeout 400 --quiet --log "$work/console.log" \
  --nic "udp=127.0.0.1:$a_peer,localaddr=127.0.0.1:$a_qemu,addr=0x4,mac=52:54:00:12:34:44,model=$model" \
  --nic "udp=127.0.0.1:$b_peer,localaddr=127.0.0.1:$b_qemu,addr=0x5,mac=52:54:00:12:34:55,model=$model" \
  --pidfile "$work/qemu.pid" &
qemu_pid=$!
traffic() { # traffic PEER QEMU MAC IP CLIENTS FINISH_PORT OUT
  "$BUILD_DIR/bin/offsched-traffic" --local "127.0.0.1:$1" --remote "127.0.0.1:$2" --guest-mac "$3" \
    --guest-ip "$4" --clients "$5" --finish-port "$6" --flood-pps "$flood" --legit-rate "$legit" --flood-net "$flood_net" \
    --duration-ms "$duration" --ready-timeout-ms 240000 --give-up-ms 15000 > "$7"
}
traffic $a_peer $a_qemu 52:54:00:12:34:44 10.0.1.10 10.0.1.0/24 9000 "$work/a.json" || { stop_guest; fail "phase a traffic failed"; }
traffic $b_peer $b_qemu 52:54:00:12:34:55 10.0.0.10 10.0.0.0/24 9001 "$work/b.json" || { stop_guest; fail "phase b traffic failed"; }
if [ $xdp = 1 ]; then
  # httpd answers all along: start only once xdp-filter holds every flood source.
  wait_console "phase c: xdp-filter" 300 "$qemu_pid" || { stop_guest; fail "guest never started phase c"; }
  traffic $a_peer $a_qemu 52:54:00:12:34:44 10.0.1.10 10.0.1.0/24 9002 "$work/c.json" || { stop_guest; fail "phase c traffic failed"; }
fi
wait $qemu_pid || { sed -n '/Run \/init/,$p' "$work/console.log"; fail "guest checks failed"; }
sed -n '/Run \/init/,$p' "$work/console.log" | grep -E "PASS|FAIL|BENCH"

jnum() { sed -n "s/^  \"$2\": \([0-9]*\).*/\1/p" "$1"; }
jsub() { awk -v k="\"$2\"" -v f="\"$3\":" '$1 == k":" {in_k = 1} in_k && $1 == f {gsub(",", "", $2); print $2; exit}' "$1"; }
bench() { tr -d '\r' < "$work/console.log" | sed -n "s/^BENCH $1 \([0-9]*\)$/\1/p"; }
rate() { echo $(( ${1:-0} * 1000000000 / $2 )); }
ratio() { awk -v b="$1" -v a="$2" 'BEGIN { if (a == 0) print "inf"; else printf "%.2f", b / a }'; }
declare -A v
fields="legit_success_ppm legit_attempts connect_p50_ns connect_p99_ns flood_sent flood_dropped flood_dropped_per_s net_rx_softirqs softirq_ticks"
for p in $phases; do
  v[$p.legit_success_ppm]=$(jnum "$work/$p.json" legit_success_ppm)
  v[$p.legit_attempts]=$(jnum "$work/$p.json" legit_attempts)
  v[$p.connect_p50_ns]=$(jsub "$work/$p.json" connect_ns p50)
  v[$p.connect_p99_ns]=$(jsub "$work/$p.json" connect_ns p99)
  v[$p.flood_sent]=$(jnum "$work/$p.json" flood_sent)
  v[$p.flood_dropped]=$(bench "${p}_dropped")
  v[$p.flood_dropped_per_s]=$(rate "${v[$p.flood_dropped]}" "$(jnum "$work/$p.json" duration_ns)")
  v[$p.net_rx_softirqs]=$(bench "${p}_net_rx_softirqs")
  v[$p.softirq_ticks]=$(bench "${p}_softirq_ticks")
  for f in $fields; do [ -n "${v[$p.$f]}" ] || fail "phase $p: no figure for $f (guest console: $work/console.log)"; done
done
declare -A title=([a]="linux_${driver}_iptables" [b]="offsched_firewall" [c]="linux_${driver}_xdp_filter_native")
{
  echo "{"
  echo "  \"nic_model\": \"$model\", \"flood_pps_offered\": $flood, \"flood_net\": \"$flood_net\", \"legit_rate\": $legit, \"duration_ms\": $duration,"
  sep=""
  for p in $phases; do
    printf '%s  "%s_%s": {' "$sep" "$p" "${title[$p]}"
    fs=""; for f in $fields; do printf '%s"%s": %s' "$fs" "$f" "${v[$p.$f]}"; fs=", "; done
    printf '}'
    sep=$',\n'
  done
  printf '\n}\n'
} > "$results"

declare -A head=([a]="(a) $driver+ipt" [b]="(b) offsched" [c]="(c) xdp-filter")
printf '\n%-28s' "metric"; for p in $phases; do printf ' %18s' "${head[$p]}"; done
printf ' %8s' "b/a"; [ $xdp = 1 ] && printf ' %8s' "b/c"; echo
row() {
  local f=$1 p; printf '%-28s' "$2"
  for p in $phases; do printf ' %18s' "${v[$p.$f]}"; done
  printf ' %8s' "$(ratio "${v[b.$f]}" "${v[a.$f]}")"
  [ $xdp = 1 ] && printf ' %8s' "$(ratio "${v[b.$f]}" "${v[c.$f]}")"
  echo
}
row legit_success_ppm "legit success (ppm)"
row connect_p50_ns "connect p50 (ns)"
row connect_p99_ns "connect p99 (ns)"
row flood_sent "flood sent"
row flood_dropped "flood dropped"
row flood_dropped_per_s "flood dropped / s"
row net_rx_softirqs "NET_RX softirqs (Linux)"
row softirq_ticks "softirq time (ticks, Linux)"
echo "results: $results"
