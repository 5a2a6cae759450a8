#!/usr/bin/env bash
# The firewall on a dead CPU under a SYN flood, end to end in QEMU TCG (-smp 4):
# the guest attaches the firewall to CPU 1 (owning the e1000 at 00:05.0), serves HTTP on the
# host netdev; this script floods and connects with real frames, then checks both sides.
# The guest has a default route through the host tool, so any flood SYN that reached Linux
# would be answered towards its spoofed source and counted: replies_to_flood can fail
# (BREAK=no-rule attaches a firewall without the drop rule, and it does). At 5,000 SYN/s under
# TCG the flood does not starve Linux by itself; what the unprotected stock host suffers at a
# rate that does is measured in kernel.synproxy's linux phase (same harness, same kernel).
# MALFORMED=1 (kernel.firewall_malformed): the flood is malformed frames instead, every kind of
# tools/traffic/malformed.h in turn (runts, truncated and inconsistent IPv4/TCP headers, bad
# checksums, IP options, fragments, VLAN tags) at FLOOD_PPS (default 5000): the loop must keep
# running, every frame taken must have a verdict, the malformed ones counted as such. (QEMU pads
# the runt to 60 bytes, as a wire would: it arrives as a non-IP frame and is passed.)
# IPV6=1 (kernel.firewall_ipv6): the flood is IPv6 SYNs from 2001:2::/48 to the guest's
# 2001:db8::10, which has a default route through the tool (it answers neighbour solicitations
# for the gateway): the rule for 2001:2::/48 must drop them on the dead CPU, Linux's IPv6 layer
# must not see them (Ip6InReceives), and none may be answered. BREAK=no-rule fails all three.
# SET=1 (kernel.firewall_prefix_set): the drop rule names a prefix set instead of a prefix, a
# file of 1,000,000 entries (999,998 /24s, every other one from 1.0.0.0 up, the flood's
# 198.18.0.0/15 and 2001:2::/48) that
# offschedctl compiles in the guest and the module takes with the config; the reload carries it
# again. BREAK=no-set-entry leaves the flood's network out of the file: the flood must get through.
#   test_flood.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
require_environment

new_work flood
pick_ports
if [ "${BREAK:-}" = no-rule ]; then # the firewall passes everything: the flood reaches Linux
  printf 'rules: []\ndefault_action: allow\nsyn_limit: false\n' > "$work/fw-norule.yaml"
  GUEST_FILES+=(-f "$work/fw-norule.yaml:/tests/fw.yaml" -f "$work/fw-norule.yaml:/tests/fw_reload.yaml")
fi
if [ "${SET:-0}" = 1 ]; then
  # Every other /24 from 1.0.0.0 up (so no two merge: a 4 MB image, vmalloc memory on the
  # reload), skipping the private, loopback and test networks the harness uses.
  python3 - "$work/flood_sources.txt" "${BREAK:-}" <<'PY'
import sys
skip = lambda a: a >> 16 == 10 or a >> 16 == 127 or (a >> 12) == 0xac1 or a >> 8 == 0xc0a8 or (a >> 9) == 0x6309
with open(sys.argv[1], "w") as f:
    f.write("# kernel.firewall_prefix_set: 1,000,000 entries\n")
    n, a = 0, 0x010000
    while n < 999998:
        if not skip(a):
            f.write(f"{a >> 16}.{a >> 8 & 255}.{a & 255}.0/24\n")
            n += 1
        a += 2
    f.write("# the flood's networks\n")
    f.write("192.0.2.0/24\n" if sys.argv[2] == "no-set-entry" else "198.18.0.0/15\n")
    f.write("2001:2::/48\n")
PY
  printf 'rules:\n  - {src_set: flood_sources.txt, action: drop}\ndefault_action: allow\nsyn_limit: true\nsyn_limit_pps: 20000\nsyn_limit_burst: 2000\n' > "$work/fw-set.yaml"
  printf 'rules:\n  - {name: test-net-3, src: 203.0.113.0/24, action: drop}\n  - {src_set: flood_sources.txt, action: drop}\ndefault_action: allow\nsyn_limit: true\nsyn_limit_pps: 30000\nsyn_limit_burst: 3000\n' > "$work/fw-set-reload.yaml"
  GUEST_FILES+=(-f "$work/fw-set.yaml:/tests/fw.yaml" -f "$work/fw-set-reload.yaml:/tests/fw_reload.yaml"
                -f "$work/flood_sources.txt:/tests/flood_sources.txt")
fi
boot_guest "$REPO/tests/kernel/guest/firewall_flood.sh" &
qemu_pid=$!
"$BUILD_DIR/bin/offsched-traffic" --local "127.0.0.1:$PEER_PORT" --remote "127.0.0.1:$QEMU_PORT" \
  --flood-pps "${FLOOD_PPS:-5000}" $([ "${MALFORMED:-0}" = 1 ] && echo --flood-malformed) \
  $([ "${IPV6:-0}" = 1 ] && echo --flood-src6 2001:2::/48 --flood-dst6 2001:db8::10) --legit-rate 10 --duration-ms 4000 --finish-port 9000 --ready-timeout-ms 180000 \
  > "$work/traffic.json"
traffic_rc=$?
[ $traffic_rc = 0 ] || stop_guest
wait $qemu_pid
guest_rc=$?

sed -n '/Run \/init/,$p' "$work/console.log" | grep -v "malformed_\|rule[0-9]*_"
echo "--- traffic report"; cat "$work/traffic.json"

# Top-level integer of the report (dump(2) puts top-level keys at two spaces).
j() { local v; v=$(sed -n "s/^  \"$1\": \([0-9]*\).*/\1/p" "$work/traffic.json"); echo "${v:--1}"; }
expect "traffic tool ran" "[ $traffic_rc = 0 ]"
expect "guest checks passed" "[ $guest_rc = 0 ]"
expect "flood was sent" "[ $(j flood_sent) -ge 10000 ]"
expect "legitimate connections were made" "[ $(j legit_attempts) -ge 20 ]"
expect "at least 95% of legitimate connections completed under the flood" \
  "[ $(j legit_success_ppm) -ge 950000 ]"
expect "no reply ever reached a flood source" "[ $(j replies_to_flood) = 0 ]"
# From `offschedctl stats --cpu 1` on the guest console.
stat() { tr -d '\r' < "$work/console.log" | awk -v n="$1" '$1 == "service" && $2 == n {print $3; exit}'; }
if [ "${IPV6:-0}" = 1 ]; then
  ip6_in=$(tr -d '\r' < "$work/console.log" | awk '$1 == "ip6_in_receives" {print $2; exit}')
  expect "the flood was IPv6" "grep -q '\"flood_ipv6\": true' '$work/traffic.json'"
  expect "the firewall parsed the IPv6 flood (>= 90 % of it)" "[ '$(stat ipv6)' -ge $(( $(j flood_sent) * 9 / 10 )) ]"
  expect "and dropped it by the IPv6 rule" "[ '$(stat dropped_rule)' -ge $(( $(j flood_sent) * 9 / 10 )) ]"
  expect "Linux's IPv6 layer saw under 5 % of it (Ip6InReceives ${ip6_in:-?})" "[ '${ip6_in:-999999999}' -lt $(( $(j flood_sent) / 20 )) ]"
  expect "the tool answered the guest's neighbour solicitations" "[ $(j nd_advertisements) -ge 1 ]"
fi
if [ "${SET:-0}" = 1 ]; then
  expect "offschedctl reported the prefix set at attach" \
    "tr -d '\r' < '$work/console.log' | grep -q \"prefix set 'flood_sources.txt': 1,000,000 entries (999,999 IPv4, 1 IPv6)\""
  expect "the set's rule dropped the flood on the dead CPU (>= 90 % of it)" "[ '$(stat dropped_rule)' -ge $(( $(j flood_sent) * 9 / 10 )) ]"
fi
if [ "${MALFORMED:-0}" = 1 ]; then
  expect "the flood was the malformed kinds" "grep -q '\"flood_malformed\": true' '$work/traffic.json'"
  expect "the firewall counted malformed frames (>= half the flood)" "[ '$(stat dropped_malformed)' -ge $(( $(j flood_sent) / 2 )) ]"
fi
verdict "kernel flood test"
