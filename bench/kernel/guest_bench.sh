# Guest payload of the kernel benchmark: one boot, two NICs of one model (/tests/bench.env:
# LINUX_DRIVER, XDP), the same flood on each in turn.
#   (a) 00:04.0 driven by Linux's own driver, flood dropped by iptables (INPUT DROP)
#   (b) 00:05.0 owned by offsched, flood dropped by the firewall on dead CPU 1
#   (c) XDP=1 (virtio-net): 00:04.0 again, iptables rule gone, flood dropped by xdp-filter in
#       native XDP mode (the peer a user would deploy instead), same flood sources
# CPU 1 is attached for every phase so Linux has the same three CPUs in each.
. /tests/common.sh
. /tests/bench.env
check "iptables (legacy) modules" modprobe iptable_filter
two_nics 0000:00:05.0 0000:00:04.0 "$LINUX_DRIVER"
ip addr add 10.0.1.10/24 dev "$LINUX_IF" && ip link set "$LINUX_IF" up
ip addr add 10.0.0.10/24 dev osd0 && ip link set osd0 up
mkdir -p /run  # xtables lock file
check "iptables DROP rule" iptables-legacy -A INPUT -s 198.18.0.0/15 -j DROP
mkdir -p /var/www && echo "hello" > /var/www/index.html
check "httpd" httpd -p 80 -h /var/www
check "attach firewall to CPU 1" offschedctl attach --cpu 1 --service firewall --config /tests/fw.yaml

softirq_total() { awk '/NET_RX/ {s = 0; for (i = 2; i <= NF; i++) s += $i; print s}' /proc/softirqs; }
# Time all online CPUs spent in softirq (USER_HZ ticks from /proc/stat's cpu line).
softirq_ticks() { awk '$1 == "cpu" {print $8}' /proc/stat; }
phase_end() { # PHASE DROPPED RX_PACKETS
  echo "BENCH $1_dropped $2"
  echo "BENCH $1_net_rx_softirqs $(( $(softirq_total) - rx0 ))"
  echo "BENCH $1_softirq_ticks $(( $(softirq_ticks) - tick0 ))"
  echo "BENCH $1_nic_rx_packets $3"
}
echo "phase a: Linux $LINUX_DRIVER + iptables"
rx0=$(softirq_total) tick0=$(softirq_ticks)
nc -l -p 9000 > /dev/null 2>&1
phase_end a "$(iptables-legacy -L INPUT -v -x -n | awk '$3 == "DROP" {print $1}')" \
  "$(cat /sys/class/net/$LINUX_IF/statistics/rx_packets)"
echo "phase b: offsched firewall on dead CPU 1"
rx0=$(softirq_total) tick0=$(softirq_ticks)
nc -l -p 9001 > /dev/null 2>&1
phase_end b "$(counter 1 stats dropped_rule)" "$(counter 1 backend rx_frames)"
if [ "${XDP:-0}" = 1 ]; then
  check "iptables rule removed" iptables-legacy -D INPUT -s 198.18.0.0/15 -j DROP
  mount -t bpf bpf /sys/fs/bpf
  check "xdp-filter loaded in native mode" xdp-filter load "$LINUX_IF" --mode native --policy allow
  # xdp-filter matches whole addresses (no prefixes): one entry per flood source of /tests/flood_ips.
  n=0; while read -r ip; do xdp-filter ip --mode src "$ip" && n=$((n + 1)); done < /tests/flood_ips
  check "xdp-filter holds $n source addresses" [ "$n" = "$(wc -l < /tests/flood_ips)" ]
  echo "phase c: xdp-filter (native XDP) on Linux $LINUX_DRIVER"
  rx0=$(softirq_total) tick0=$(softirq_ticks)
  nc -l -p 9002 > /dev/null 2>&1
  xdp-filter status > /tmp/xdp_status.txt 2>&1
  grep -E "XDP_DROP|XDP_PASS" /tmp/xdp_status.txt || cat /tmp/xdp_status.txt
  phase_end c "$(awk '$1 == "XDP_DROP" {gsub(/[^0-9]/, "", $2); print $2}' /tmp/xdp_status.txt)" \
    "$(cat /sys/class/net/$LINUX_IF/statistics/rx_packets)"
  check "xdp-filter unloaded" xdp-filter unload "$LINUX_IF" --all
fi
offschedctl stats --cpu 1 | grep -v "malformed_\|rule[0-9]*_hits"
check "detach" offschedctl detach --cpu 1
check "rmmod" rmmod offsched
check "dmesg clean" dmesg_clean
finish
