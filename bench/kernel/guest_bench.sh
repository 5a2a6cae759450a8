# Guest payload of the kernel benchmark: one boot, two NICs, the same flood on each in turn.
#   (a) 00:04.0 driven by Linux's own e1000 driver, flood dropped by iptables (INPUT DROP)
#   (b) 00:05.0 owned by offsched, flood dropped by the firewall on dead CPU 1
# CPU 1 is attached for both phases so Linux has the same three CPUs in each.
. /tests/common.sh
OWNED=0000:00:05.0
check "keep e1000 off the owned NIC" sh -c "echo offsched > /sys/bus/pci/devices/$OWNED/driver_override"
check "Linux e1000 driver" modprobe e1000
check "iptables (legacy) modules" modprobe iptable_filter
check "insmod offsched" load_offsched
check "owned NIC bound to offsched" sh -c "echo $OWNED > /sys/bus/pci/drivers_probe"
LINUX_IF=$(ls /sys/bus/pci/devices/0000:00:04.0/net/)
check "Linux NIC is $LINUX_IF" [ -n "$LINUX_IF" ]
ip addr add 10.0.1.10/24 dev "$LINUX_IF" && ip link set "$LINUX_IF" up
ip addr add 10.0.0.10/24 dev osd0 && ip link set osd0 up
mkdir -p /run  # xtables lock file
check "iptables DROP rule" iptables-legacy -A INPUT -s 198.18.0.0/15 -j DROP
mkdir -p /var/www && echo "hello" > /var/www/index.html
check "httpd" httpd -p 80 -h /var/www
check "attach firewall to CPU 1" offschedctl attach --cpu 1 --service firewall --config /tests/fw.yaml

softirq_total() { awk '/NET_RX/ {s = 0; for (i = 2; i <= NF; i++) s += $i; print s}' /proc/softirqs; }
echo "phase a: Linux e1000 + iptables"
rx0=$(softirq_total)
nc -l -p 9000 > /dev/null 2>&1
echo "BENCH a_dropped $(iptables-legacy -L INPUT -v -x -n | awk '$3 == "DROP" {print $1}')"
echo "BENCH a_net_rx_softirqs $(( $(softirq_total) - rx0 ))"
echo "BENCH a_nic_rx_packets $(cat /sys/class/net/$LINUX_IF/statistics/rx_packets)"
echo "phase b: offsched firewall on dead CPU 1"
rx0=$(softirq_total)
nc -l -p 9001 > /dev/null 2>&1
echo "BENCH b_dropped $(counter 1 stats dropped_rule)"
echo "BENCH b_net_rx_softirqs $(( $(softirq_total) - rx0 ))"
echo "BENCH b_nic_rx_packets $(counter 1 backend rx_frames)"
offschedctl stats --cpu 1 | grep -v "malformed_\|rule[0-9]*_hits"
check "detach" offschedctl detach --cpu 1
check "rmmod" rmmod offsched
check "dmesg clean" dmesg_clean
finish
