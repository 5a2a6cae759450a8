# Guest payload of kernel.synproxy (tests/kernel/test_synproxy.sh) and bench/kernel/synproxy.sh:
# one boot, two NICs on two taps of the host's test namespace, real TCP at both ends.
#   00:05.0 owned by offsched (Linux sees osd0 behind the module), 10.0.0.10/24, host 10.0.0.1;
#           the model of OFFSCHED_NIC_MODEL, with one queue pair per firewall CPU (FW_CPUS)
#   00:06.0 driven by Linux's e1000 (eth0),                         10.1.0.10/24, host 10.1.0.1
# busybox httpd serves /var/www (the host's files) on port 80. The phases of /tests/synproxy.conf
# run in order; each one: set up, route default via the host side of the NIC under test (so
# answers to spoofed flood sources really leave), print "@@PHASE <name> READY@@", wait for the
# host's end signal (one TCP connection to 10.1.0.10:9000; a phase whose set-up failed prints
# "@@PHASE <name> FAILED@@" instead and is not waited for), then print "BENCH <name> <key> <n>"
# lines (deltas over the phase) and undo the set-up.
#   idle      eth0, no flood (the host sends none): the reference
#   linux     eth0, the stock host: net.ipv4.tcp_syncookies=1, busybox httpd's own backlog
#   synproxy  eth0, netfilter SYNPROXY in front of the same listener
#   offsched  osd0, the firewall with its SYN proxy on each dead CPU of FW_CPUS (default 1), each
#             owning one queue pair of 00:05.0
#   offsched6 the same, its client and flood over IPv6 (osd0 fd00::10/64, host fd00::1)
# HOLD_CPU1=1: during the Linux phases the CPUs of FW_CPUS are held by the firewall (plain config,
# idle NIC), so Linux has the same online CPUs as in the offsched phase.
. /tests/common.sh
. /tests/synproxy.conf
FW_CPUS=${FW_CPUS:-1}
OWNED=0000:00:05.0
LNIC=0000:00:06.0

check "insmod offsched" load_offsched
check "$OWNED bound to offsched (before Linux's e1000 loads)" bind_offsched $OWNED
check "Linux e1000 driver" modprobe e1000
LIF=$(ls /sys/bus/pci/devices/$LNIC/net/ 2>/dev/null)
check "Linux NIC at 00:06.0 is eth0 (got '$LIF')" [ "$LIF" = eth0 ]
check "eth0 10.1.0.10/24 up" sh -c 'ip addr add 10.1.0.10/24 dev eth0 && ip link set eth0 up'
check "eth0 has carrier" sh -c 'for i in $(seq 100); do [ "$(cat /sys/class/net/eth0/carrier)" = 1 ] && exit 0; sleep 0.1; done; exit 1'
check "osd0 10.0.0.10/24 up" sh -c 'ip addr add 10.0.0.10/24 dev osd0 && ip link set osd0 up'
# No duplicate address detection (busybox ip has no nodad): the address works at once.
check "osd0 fd00::10/64" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/osd0/accept_dad && ip -6 addr add fd00::10/64 dev osd0'
check "stock SYN cookies on (net.ipv4.tcp_syncookies=1)" sysctl -w net.ipv4.tcp_syncookies=1
check "httpd listening on port 80" httpd -p 80 -h /var/www
echo "guest files:"; (cd /var/www && ls -l && sha256sum *)
mkdir -p /run # xtables lock file
if [ "$HOLD_CPU1" = 1 ]; then
  for c in $FW_CPUS; do
    check "CPU $c held by the firewall (idle NIC) for the Linux phases" \
      offschedctl attach --cpu $c --service firewall --config /tests/fw.yaml --nic $OWNED
  done
fi

# Per-CPU /proc/stat lines of the online CPUs (CPU 1 is absent while dead).
snap() { # snap NAME: /proc/stat, /proc/softirqs, /proc/net/netstat and NIC counters into /tmp/NAME.*
  grep '^cpu[0-9]' /proc/stat > /tmp/$1.stat
  awk '/NET_RX/ {s = 0; for (i = 2; i <= NF; i++) s += $i; print s}' /proc/softirqs > /tmp/$1.netrx
  cat /proc/net/netstat > /tmp/$1.netstat
  for c in rx_packets rx_dropped rx_missed_errors rx_fifo_errors tx_packets; do
    echo "$c $(cat /sys/class/net/$DEV/statistics/$c)"
  done > /tmp/$1.nic
}
# report PHASE: BENCH lines, deltas between the snapshots PHASE.0 and PHASE.1.
report() {
  p=$1
  # softirq and total time (USER_HZ ticks) over CPUs online at both ends of the phase:
  # columns user nice system idle iowait irq softirq steal.
  awk -v p="$p" 'NR == FNR { for (i = 2; i <= 9; i++) a[$1, i] = $i; seen[$1] = 1; next }
    seen[$1] { si = $8 - a[$1, 8]; t = 0; for (i = 2; i <= 9; i++) t += $i - a[$1, i];
               idle = ($5 - a[$1, 5]) + ($6 - a[$1, 6]);
               s += si; tot += t; busy += t - idle; if (si > m) m = si; n++ }
    END { print "BENCH " p " online_cpus " n; print "BENCH " p " softirq_ticks " s;
          print "BENCH " p " softirq_max_cpu_ticks " m; print "BENCH " p " busy_ticks " busy;
          print "BENCH " p " total_ticks " tot }' /tmp/$p.0.stat /tmp/$p.1.stat
  echo "BENCH $p net_rx_softirqs $(( $(cat /tmp/$p.1.netrx) - $(cat /tmp/$p.0.netrx) ))"
  paste /tmp/$p.0.nic /tmp/$p.1.nic | awk -v p="$p" '{ print "BENCH " p " nic_" $1 " " $4 - $2 }'
  # TcpExt counters that show who answered the flood (cookies, overflows).
  for f in 0 1; do
    awk '/^TcpExt:/ { if (!h) { split($0, k); h = 1 } else { for (i = 2; i <= NF; i++) print k[i], $i } }' \
      /tmp/$p.$f.netstat > /tmp/$p.$f.tcpext
  done
  for k in SyncookiesSent SyncookiesRecv SyncookiesFailed ListenOverflows ListenDrops TCPReqQFullDoCookies \
           TCPReqQFullDrop TCPTimeouts; do
    a=$(awk -v k=$k '$1 == k {print $2}' /tmp/$p.0.tcpext); b=$(awk -v k=$k '$1 == k {print $2}' /tmp/$p.1.tcpext)
    echo "BENCH $p tcpext_$k $(( ${b:-0} - ${a:-0} ))"
  done
}
# /proc/net/stat/synproxy: per-CPU hex columns; prints the sums as BENCH lines.
synproxy_stats() {
  [ -r /proc/net/stat/synproxy ] || { echo "BENCH $1 synproxy_stat_missing 1"; return; }
  cat /proc/net/stat/synproxy
  set -- "$1" $(head -1 /proc/net/stat/synproxy)
  p=$1; shift
  i=0
  for name in "$@"; do
    i=$((i + 1))
    sum=0
    for v in $(tail -n +2 /proc/net/stat/synproxy | awk -v i=$i '{print $i}'); do sum=$((sum + 0x$v)); done
    echo "BENCH $p synproxy_$name $sum"
  done
}

# route_via GW DEV: the default route of a phase, of GW's family (NO_ROUTE=1: none, to watch
# the host notice).
route_via() {
  local fam=-4; case $1 in *:*) fam=-6 ;; esac
  if [ "${NO_ROUTE:-0}" = 1 ]; then echo "no default route (NO_ROUTE=1)"; ip $fam route del default 2>/dev/null; return 0; fi
  ip $fam route replace default via $1 dev $2
}

# run_phase NAME: snapshot, READY marker, wait for the host's end signal, snapshot, report.
run_phase() {
  snap $1.0
  echo "@@PHASE $1 READY@@"
  nc -l -p 9000 > /dev/null 2>&1
  snap $1.1
  report $1
}

# offsched_phase GATEWAY: the phase $phase on osd0, its default route via GATEWAY (the family
# of the phase's client and flood).
offsched_phase() {
  DEV=osd0
  for c in $FW_CPUS; do # held for the Linux phases (HOLD_CPU1=1)
    [ -d /sys/kernel/offsched/cpu$c ] && check "$phase: release CPU $c" offschedctl detach --cpu $c
  done
  # One attach for every CPU: the same config and random secret on each, all or nothing.
  if ! offschedctl attach --cpu "$(echo $FW_CPUS | tr ' ' ,)" --service firewall --config /tests/synproxy_fw.yaml --nic $OWNED; then
    check "$phase: firewall with SYN proxy on CPUs $FW_CPUS owning $OWNED" false
    echo "@@PHASE $phase FAILED@@" # the host records the phase as failed and does not wait
    return
  fi
  echo "PASS: $phase: firewall with SYN proxy on CPUs $FW_CPUS owning $OWNED"
  offschedctl status
  check "$phase: default route via $1 (osd0)" route_via $1 osd0
  for c in $FW_CPUS; do eval loops0_$c=$(counter $c backend loop_iterations); done
  run_phase $phase
  echo "@@OFFSCHED-STATS-BEGIN $phase@@"
  for c in $FW_CPUS; do offschedctl stats --cpu $c --json; done
  echo "@@OFFSCHED-STATS-END $phase@@"
  for c in $FW_CPUS; do
    check "$phase: CPU $c's loop kept running" [ "$(counter $c backend loop_iterations)" -gt "$(eval echo \$loops0_$c)" ]
  done
  # Sums over the firewall CPUs, and each CPU's share (cpuN_...) with its queue pair.
  for c in rx passed ipv6 syn_received cookies_sent cookie_valid cookie_invalid proxy_established proxy_table_full proxy_host_unknown \
           cookie_tx_full host_ring_full; do
    sum=0
    for cpu in $FW_CPUS; do sum=$((sum + $(counter $cpu stats $c))); done
    echo "BENCH $phase fw_$c $sum" # 0 when the service has no such counter
  done
  for c in rx_frames tx_frames host_tx_sent; do
    sum=0
    for cpu in $FW_CPUS; do sum=$((sum + $(counter $cpu backend $c))); done
    echo "BENCH $phase backend_$c $sum"
  done
  for cpu in $FW_CPUS; do
    echo "BENCH $phase cpu${cpu}_queue $(cat /sys/kernel/offsched/cpu$cpu/queue)"
    echo "BENCH $phase cpu${cpu}_rx_frames $(counter $cpu backend rx_frames)"
    for c in syn_received cookie_valid proxy_established proxy_host_unknown; do echo "BENCH $phase cpu${cpu}_$c $(counter $cpu stats $c)"; done
  done
  for c in $FW_CPUS; do check "$phase: detach CPU $c" offschedctl detach --cpu $c; done
}

for phase in $PHASES; do
  echo "=== phase $phase"
  case $phase in
    idle|linux)
      DEV=eth0
      check "$phase: default route via 10.1.0.1 (eth0)" route_via 10.1.0.1 eth0
      check "$phase: syncookies still 1" [ "$(sysctl -n net.ipv4.tcp_syncookies)" = 1 ]
      run_phase $phase
      ;;
    synproxy)
      DEV=eth0
      check "synproxy: default route via 10.1.0.1 (eth0)" route_via 10.1.0.1 eth0
      # busybox modprobe ignores softdeps: libcrc32c (under nf_conntrack) needs a crc32c first.
      check "synproxy: netfilter modules" modprobe -a crc32c_generic nf_conntrack iptable_raw iptable_filter xt_CT xt_conntrack \
        xt_tcpudp ipt_SYNPROXY
      check "synproxy: nf_conntrack_tcp_loose=0" sysctl -w net.netfilter.nf_conntrack_tcp_loose=0
      check "synproxy: raw NOTRACK of SYNs to port 80" iptables-legacy -t raw -A PREROUTING -i eth0 -p tcp --syn \
        --dport 80 -j CT --notrack
      if [ "${SYNPROXY_RULE:-1}" = 1 ]; then
        check "synproxy: SYNPROXY rule" iptables-legacy -A INPUT -i eth0 -p tcp --dport 80 -m conntrack \
          --ctstate INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460
      else
        echo "SYNPROXY rule left out (SYNPROXY_RULE=0: checking that the host notices)"
      fi
      check "synproxy: INVALID dropped" iptables-legacy -A INPUT -i eth0 -m conntrack --ctstate INVALID -j DROP
      run_phase synproxy
      synproxy_stats synproxy
      iptables-legacy -t raw -L PREROUTING -v -x -n; iptables-legacy -L INPUT -v -x -n
      echo "BENCH synproxy ipt_synproxy_packets $(iptables-legacy -L INPUT -v -x -n | awk '$3 == "SYNPROXY" {print $1}')"
      echo "BENCH synproxy ipt_invalid_drops $(iptables-legacy -L INPUT -v -x -n | awk '$3 == "DROP" {print $1}')"
      check "synproxy: rules removed" sh -c 'iptables-legacy -F INPUT && iptables-legacy -t raw -F PREROUTING'
      ;;
    offsched) offsched_phase 10.0.0.1 ;;
    offsched6) offsched_phase fd00::1 ;;
    *) check "known phase '$phase'" false ;;
  esac
done

for c in $FW_CPUS; do
  if [ "$HOLD_CPU1" = 1 ] && [ -d /sys/kernel/offsched/cpu$c ]; then check "release CPU $c" offschedctl detach --cpu $c; fi
  check "CPU $c online again" grep -q 1 /sys/devices/system/cpu/cpu$c/online
done
check "rmmod offsched" rmmod offsched
check "dmesg clean" dmesg_clean
finish
