# Guest payload of kernel.napi_bulk: one boot, one bulk TCP upload through each receive path.
#   00:05.0 owned by offsched, napi service on dead CPU 1 (osd0 = 10.0.0.10)
#   00:06.0 driven by Linux's own driver (eth0 = 10.1.0.10)
# CPU 1 stays attached in both phases, so Linux has the same three CPUs in each. Per phase the
# guest listens (busybox nc into tmpfs), says READY, and after the host closed the connection
# prints the file's sha256 and what the online CPUs spent in softirq meanwhile.
. /tests/common.sh
. /tests/napi.env
two_nics 0000:00:05.0 0000:00:06.0 "$LINUX_DRIVER"
ip addr add 10.1.0.10/24 dev "$LINUX_IF" && ip link set "$LINUX_IF" up
ip addr add 10.0.0.10/24 dev osd0 && ip link set osd0 up
check "attach napi to CPU 1" offschedctl attach --cpu 1 --service napi

softirq_ticks() { awk '$1 == "cpu" {print $8}' /proc/stat; }
net_rx() { awk '/NET_RX/ {s = 0; for (i = 2; i <= NF; i++) s += $i; print s}' /proc/softirqs; }
for phase in linux offsched; do
  rm -f /tmp/rx
  nc -l -p 5001 > /tmp/rx &
  nc_pid=$!
  sleep 0.5
  t0=$(softirq_ticks) n0=$(net_rx) f0=$(counter 1 stats frames) d0=$(counter 1 stats doorbells) p0=$(counter 1 stats passed)
  echo "@@NAPI $phase READY@@"
  wait $nc_pid
  echo "BENCH $phase softirq_ticks $(( $(softirq_ticks) - t0 ))"
  echo "BENCH $phase net_rx_softirqs $(( $(net_rx) - n0 ))"
  echo "BENCH $phase bytes $(wc -c < /tmp/rx)"
  echo "BENCH $phase sha256 $(sha256sum /tmp/rx | cut -d' ' -f1)"
  echo "BENCH $phase napi_frames $(( $(counter 1 stats frames) - f0 ))"
  echo "BENCH $phase napi_passed $(( $(counter 1 stats passed) - p0 ))"
  echo "BENCH $phase napi_doorbells $(( $(counter 1 stats doorbells) - d0 ))"
  echo "@@NAPI $phase DONE@@"
done
rm -f /tmp/rx
offschedctl stats --cpu 1
# The host ring (512 slots) can fill when the online NAPI poll falls behind (TCP retransmits
# what it drops); more than 1 % lost would mean the path is broken, not busy.
full=$(counter 1 stats host_ring_full) frames=$(counter 1 stats frames)
echo "BENCH offsched napi_host_ring_full $full"
check "napi: under 1 % of frames lost to a full host ring ($full of $frames)" [ $((full * 100)) -lt "$frames" ]
check "detach napi" offschedctl detach --cpu 1
check "rmmod offsched" rmmod offsched
check "dmesg clean" dmesg_clean
finish
