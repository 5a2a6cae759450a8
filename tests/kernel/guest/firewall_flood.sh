# Guest payload: the firewall on dead CPU 1 owns the e1000 at 00:05.0; Linux serves HTTP on the
# host netdev behind it. The host tool floods and connects; the guest checks its own side.
. /tests/common.sh
NIC=0000:00:05.0
check "insmod offsched" load_offsched
check "NIC at $NIC bound to offsched" bind_offsched $NIC
mkdir -p /var/www && echo "hello from offsched guest" > /var/www/index.html
check "host netdev up" sh -c 'ip addr add 10.0.0.10/24 dev osd0 && ip link set osd0 up'
# Dual stack: kernel.firewall_ipv6 floods 2001:db8::10. No duplicate address detection (the
# address is usable at once); a default route through the tool, which answers neighbour
# solicitations for 2001:db8::1 as it answers ARP: a flood SYN that reached Linux would be
# answered towards its spoofed source and counted, as for IPv4.
check "IPv6 address and default route" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/osd0/accept_dad &&
  ip -6 addr add 2001:db8::10/64 dev osd0 && ip -6 route add default via 2001:db8::1 dev osd0'
# A default route through the host tool (it answers ARP for 10.0.0.0/24): a flood SYN that
# reached Linux would be answered towards its spoofed source and counted by the tool, so
# replies_to_flood = 0 means the firewall stopped them, not that Linux had no way to answer.
check "default route via 10.0.0.1" ip route add default via 10.0.0.1 dev osd0
check "httpd listening" httpd -p 80 -h /var/www
check "the reload's config compiles" offschedctl compile --service firewall --config /tests/fw_reload.yaml --out /tmp/reload.bin
check "attach firewall to CPU 1" offschedctl attach --cpu 1 --service firewall --config /tests/fw.yaml
check "CPU 1 offline" sh -c '! grep -q "^1$" /sys/devices/system/cpu/cpu1/online'
# Neighbour discovery both ways through the service core: the solicitation leaves by the host's
# transmit path, the tool's advertisement comes in by pass_neighbour_discovery (the ping itself
# gets no answer: the tool only speaks neighbour discovery).
check "IPv6 gateway resolved through the firewall" sh -c 'ping -c 1 -W 2 2001:db8::1 > /dev/null 2>&1;
  ip -6 neigh show 2001:db8::1 | grep -q lladdr'
loops0=$(counter 1 backend loop_iterations)
# Hitless reload under the flood, once it is well under way: the service keeps running, the
# legitimate connections the host counts must not suffer (>= 95 % complete, as without it). The
# new config was compiled before the attach (a million-entry prefix set takes seconds under TCG,
# and the host's traffic starts once the firewall answers), so the reload lands mid-flood.
( until [ "$(counter 1 backend rx_frames)" -gt 3000 ]; do sleep 0.1; done
  offschedctl reload --cpu 1 --raw-config /tmp/reload.bin > /tmp/reload.out 2>&1; echo $? > /tmp/reload.rc ) &
reload_job=$!
echo "waiting for the host's traffic run (finish signal on port 9000)"
nc -l -p 9000 > /dev/null 2>&1
offschedctl stats --cpu 1
offschedctl stats --cpu 1 --json > /tmp/stats.json
check "loop kept running" [ "$(counter 1 backend loop_iterations)" -gt "$loops0" ]
check "NIC received frames" [ "$(counter 1 backend rx_frames)" -gt 1000 ]
check "firewall saw frames" [ "$(counter 1 stats rx)" -gt 1000 ]
# Every frame the service took has the one verdict it reported (NicQueue::verdict). Counters move
# while a stray frame (ARP) comes in: equal in one of a few reads.
verdicts_add_up() {
  for _ in 1 2 3 4 5; do
    sum=$(( $(counter 1 backend rx_dropped) + $(counter 1 backend rx_answered) + $(counter 1 backend rx_passed) ))
    [ "$sum" = "$(counter 1 backend rx_frames)" ] && [ "$(counter 1 backend rx_dropped)" -gt 1000 ] && return 0
    sleep 0.2
  done
  echo "verdicts $sum, rx_frames $(counter 1 backend rx_frames)"
  return 1
}
check "verdicts account for every frame taken" verdicts_add_up
check "flood dropped on the dead CPU" [ "$(counter 1 stats dropped_rule)" -gt 1000 ]
wait $reload_job
check "reload mid-flood succeeded" sh -c 'cat /tmp/reload.out; [ "$(cat /tmp/reload.rc)" = 0 ]'
check "the service took one reload" [ "$(counter 1 stats reloads)" = 1 ]
# Per-rule counters after the reload: the flood's rule, now rules[1], kept its counters (same
# content) and is the only rule that drops (default allow), so its hits are all the rule drops
# before and after; its bytes are whole frames (60 to 1514 bytes each); its last hit is a moment
# that stays put once the flood is over; the new rules[0] never matched.
# The flood's rule: rules[1] (198.18.0.0/15), or for the IPv6 flood rules[2] (2001:2::/48).
r=1; [ "$(counter 1 stats rule2_hits)" -gt 0 ] && r=2
check "rules[$r] hits are all the rule drops" [ "$(counter 1 stats rule${r}_hits)" = "$(counter 1 stats dropped_rule)" ]
check "rules[$r] bytes are whole frames" sh -c "h=\$(cat /sys/kernel/offsched/cpu1/stats/rule${r}_hits) b=\$(cat /sys/kernel/offsched/cpu1/stats/rule${r}_bytes); [ \"\$b\" -ge \$((h * 60)) ] && [ \"\$b\" -le \$((h * 1514)) ]"
last1=$(counter 1 stats rule${r}_last_hit_ms)
sleep 0.5
check "rules[$r] last hit set and still after the flood" sh -c "[ $last1 -gt 0 ] && [ $last1 = \$(cat /sys/kernel/offsched/cpu1/stats/rule${r}_last_hit_ms) ]"
check "the new rules[0] never matched" [ "$(counter 1 stats rule0_last_hit_ms)" = 0 ]
fails_with "a reload that would switch the proxy on is refused whole" "field 'synproxy'.*running config stays" \
  sh -c "printf 'synproxy: true\nsynproxy_port_min: 80\nsynproxy_port_max: 80\n' > /tmp/proxy.yaml; offschedctl reload --cpu 1 --config /tmp/proxy.yaml"
check "the refused reload changed nothing" [ "$(counter 1 stats reloads)" = 1 ]
# What Linux's IPv6 layer received (kernel.firewall_ipv6 compares it with the flood sent).
awk '$1 == "Ip6InReceives" {print "ip6_in_receives", $2}' /proc/net/snmp6
check "neighbour discovery passed" [ "$(counter 1 stats nd_passed)" -gt 0 ]
check "legit traffic passed to Linux" [ "$(counter 1 stats passed)" -gt 10 ]
check "host path delivered to NAPI" [ "$(counter 1 backend host_delivered)" -gt 10 ]
check "replies went out on the wire" [ "$(counter 1 backend host_tx_sent)" -gt 10 ]
check "detach CPU 1" offschedctl detach --cpu 1
check "CPU 1 online again" grep -q 1 /sys/devices/system/cpu/cpu1/online
check "CPU 1 runs a task" sh -c 'taskset -c 1 sh -c "grep -q ^Cpus_allowed_list:.1$ /proc/self/status"'
check "rmmod offsched" rmmod offsched
check "dmesg clean" dmesg_clean
finish
