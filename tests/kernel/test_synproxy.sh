#!/usr/bin/env bash
# SYN proxies under a SYN flood with real TCP stacks at both ends, in one QEMU TCG boot (-smp 4).
# The host's test namespace holds two taps: tapo (10.0.0.1) for the e1000 offsched owns (guest
# osd0 = 10.0.0.10) and tapl (10.1.0.1) for the e1000 Linux drives (guest eth0 = 10.1.0.10).
# The client is the host kernel's TCP stack in that namespace (curl), downloading files of 1 KiB,
# 1 MiB and 16 MiB from busybox httpd in the guest and checking their sha256, then fetching the
# 1 KiB file repeatedly for a success rate and latency percentiles; offsched-traffic --flood-only
# floods the guest's port 80 through the same tap (AF_PACKET) and counts what the guest answers
# to flood sources (backscatter: SYN-ACKs the guest spent on spoofed addresses).
# tcpdump checks that every connection negotiated timestamps, window scaling and SACK.
# Phases, in order (guest/synproxy.sh does the guest side of each):
#   idle      eth0, no flood: the reference
#   linux     eth0, flood; the stock host answers with its own SYN cookies
#   synproxy  eth0, flood; netfilter SYNPROXY (iptables) in front of the same listener
#   offsched  osd0, flood; the firewall on dead CPU 1 with its SYN proxy, NO allow rule, flood
#             sources including the client's own /16. (OFFSCHED_PROXY_PHASE=0 leaves it out.)
#   offsched6 the same over IPv6: the client fd00::1 fetches from the guest's fd00::10 on osd0
#             while SYNs from random addresses of the client's own /48 (fd00:0:0:8000::/49,
#             off-link, so the guest's answers take its default route) flood it. Not a default
#             phase of kernel.synproxy (time): kernel.synproxy.ipv6 runs "idle offsched6".
# Reported per phase: downloads ok + sha256, small-fetch success and p50/p99 latency, flood frames
# sent, what the tap delivered to QEMU, backscatter SYN-ACKs per second, softirq time of the
# guest's online CPUs. TCG is slow and noisy: the test asserts function and ratios between phases
# of this one boot, never absolute speed. The downloads must succeed in the idle and offsched
# phases; in the peers' phases (linux, synproxy) a download the flood defeats is reported.
#   test_synproxy.sh BUILD_DIR [--flood-pps N] [--small N] [--small-rate R] [--results FILE]
#                    [--phases "idle linux synproxy offsched"] [--no-hold-cpu1] [--guest-timeout S]
#                    [--dl-budget S] [--fw-cpus "1 2"]
# The owned NIC is OFFSCHED_NIC_MODEL's (lib.sh; e1000 by default). --fw-cpus gives the offsched
# phase one firewall per CPU listed, each on its own queue pair of that NIC: more than one needs
# virtio-net-pci, which then gets as many queue pairs on a multi-queue tap; every CPU must then
# have proxied some of the client's connections itself (the tap's flow hash spreads them).
# Break switches (to watch checks fail): BREAK=corrupt (one served file differs from the host's),
# BREAK=no-synproxy-rule (the flood reaches the listener), BREAK=no-route (no default route in
# the guest), BREAK=no-sack (the client stops offering SACK), BREAK=no-offsched-proxy (the
# offsched phase's config has synproxy: false).
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd); shift
flood_pps=10000 small=60 small_rate=6 results="" phases="idle linux synproxy" hold_cpu1=1
small_max=12 warmup=2 guest_timeout=570 dl_budget=120 fw_cpus=1
declare -A dl_max=([1k]=10 [1m]=30 [16m]=60) # seconds per attempt
[ "${OFFSCHED_PROXY_PHASE:-1}" = 1 ] && phases="$phases offsched"
while [ $# -gt 0 ]; do
  case $1 in
    --flood-pps) flood_pps=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --small-rate) small_rate=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --phases) phases=$2; shift 2 ;;
    --no-hold-cpu1) hold_cpu1=0; shift ;;
    --guest-timeout) guest_timeout=$2; shift 2 ;;
    --dl-budget) dl_budget=$2; shift 2 ;;
    --fw-cpus) fw_cpus=$2; shift 2 ;;
    *) echo "test_synproxy.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
BREAK=${BREAK:-}
[ -n "${phases// /}" ] || { echo "FAIL: no phases to run" >&2; exit 1; }
. "$(dirname "$0")/lib.sh"
require_environment
read -ra fw_cpu_list <<< "$fw_cpus"
nq=${#fw_cpu_list[@]}
for c in "${fw_cpu_list[@]}"; do [[ $c =~ ^[123]$ ]] || fail "--fw-cpus '$fw_cpus': CPUs 1 to 3 (the guest has 4)"; done
[ "$nq" -ge 1 ] && [ "$nq" -le 3 ] || fail "--fw-cpus '$fw_cpus': one to three CPUs"
[ "$nq" = 1 ] || [ "$NIC_MODEL" = virtio-net-pci ] ||
  fail "--fw-cpus '$fw_cpus': several firewall CPUs need queue pairs: OFFSCHED_NIC_MODEL=virtio-net-pci"
require_netns_environment curl tcpdump sha256sum seq xtables-legacy-multi
xt=$(command -v xtables-legacy-multi)
xtlib=$(dirname "$(readlink -f "$(ldd "$xt" | awk '/libxtables/ {print $3}')")")/xtables
for ext in standard tcp CT conntrack SYNPROXY; do
  [ -f "$xtlib/libxt_$ext.so" ] || fail "$xtlib/libxt_$ext.so missing: install iptables (tools/setup.sh)"
done

new_work synproxy
mkdir -p "$work/www" "$work/dl" "$work/small"

# --- The files: deterministic, every 16-byte line distinct (a byte stream shifted or spliced by
# a sequence-number translation bug changes the hash), generated here, checked here.
gen() { seq -f "%015.0f" "$2" $(($2 + $1 / 16 - 1)) > "$work/www/$3"; }
gen 1024 0 1k; gen $((1 << 20)) 100000000 1m; gen $((16 << 20)) 200000000 16m
declare -A sha
for f in 1k 1m 16m; do sha[$f]=$(sha256sum < "$work/www/$f" | cut -d' ' -f1); done
served=$work/www
if [ "$BREAK" = corrupt ]; then # the guest serves a 1m with one byte changed
  mkdir -p "$work/www-bad" && cp "$work/www/"* "$work/www-bad/" && printf 'X' | dd of="$work/www-bad/1m" bs=1 seek=500000 conv=notrunc 2>/dev/null
  served=$work/www-bad
fi

# --- The namespace, its taps, the guest.
netns_create offsched-syn
tap_create tapo 10.0.0.1/24 $([ "$nq" -gt 1 ] && echo multi_queue)
tap_create tapl 10.1.0.1/24
[ "$BREAK" = no-sack ] && nsx sysctl -qw net.ipv4.tcp_sack=0
nsx ip -6 addr add fd00::1/64 dev tapo nodad || fail "cannot address tapo as fd00::1/64"
declare -A tap_of=([idle]=tapl [linux]=tapl [synproxy]=tapl [offsched]=tapo [offsched6]=tapo)
declare -A ip_of=([idle]=10.1.0.10 [linux]=10.1.0.10 [synproxy]=10.1.0.10 [offsched]=10.0.0.10 [offsched6]=fd00::10)
declare -A client_of=([idle]=10.1.0.1 [linux]=10.1.0.1 [synproxy]=10.1.0.1 [offsched]=10.0.0.1 [offsched6]=fd00::1)
flood6_src=fd00:0:0:8000::/49
declare -A mac_of=([tapo]=52:54:00:12:34:05 [tapl]=52:54:00:12:34:06)
declare -A net_of=([tapo]=10.0 [tapl]=10.1)

cat > "$work/synproxy.conf" <<EOF
PHASES="$phases"
HOLD_CPU1=$hold_cpu1
FW_CPUS="$fw_cpus"
SYNPROXY_RULE=$([ "$BREAK" = no-synproxy-rule ] && echo 0 || echo 1)
NO_ROUTE=$([ "$BREAK" = no-route ] && echo 1 || echo 0)
EOF
fw_yaml=$REPO/tests/kernel/synproxy_fw.yaml
if [ "$BREAK" = no-offsched-proxy ]; then # the firewall lets every SYN through to Linux
  sed 's/^synproxy: true/synproxy: false/' "$fw_yaml" > "$work/fw-noproxy.yaml"; fw_yaml=$work/fw-noproxy.yaml
fi
GUEST_FILES+=(-f "$work/synproxy.conf:/tests/synproxy.conf" -f "$fw_yaml:/tests/synproxy_fw.yaml"
  -f "$served/1k:/var/www/1k" -f "$served/1m:/var/www/1m" -f "$served/16m:/var/www/16m"
  -f "$xt:/sbin/iptables-legacy")
for ext in standard tcp CT conntrack SYNPROXY; do GUEST_FILES+=(-f "$xtlib/libxt_$ext.so:$xtlib/libxt_$ext.so"); done
for m in e1000 crc32c_generic nf_conntrack iptable_raw iptable_filter xt_CT xt_conntrack xt_tcpudp ipt_SYNPROXY; do GUEST_FILES+=(-m "$m"); done
make_initramfs "$work/initrd.gz" "$REPO/tests/kernel/guest/synproxy.sh" "${GUEST_FILES[@]}"
"$QEMU_DIR/run.sh" --initrd "$work/initrd.gz" --smp 4 --mem 768 --timeout $guest_timeout --quiet --append "$SHORT_DETECTORS" \
  --log "$work/console.log" --pidfile "$work/qemu.pid" --netns "$NETNS" \
  --nic "tap=tapo,addr=0x5,mac=${mac_of[tapo]},model=$NIC_MODEL$([ "$nq" -gt 1 ] && echo ",queues=$nq")" --nic "tap=tapl,addr=0x6,mac=${mac_of[tapl]}" &
qemu_pid=$!

# --- Results: "phase.key value" lines in $work/results.txt.
res() { echo "$1.$2 $3" >> "$work/results.txt"; }
get() { awk -v k="$1.$2" '$1 == k {print $2; exit}' "$work/results.txt"; }
: > "$work/results.txt"

# curl_fetch OUT URL SECONDS [curl args]: one fetch by the host's TCP stack; prints
# "rc http_code time_connect time_total".
curl_fetch() {
  local w rc out=$1 url=$2 max=$3; shift 3
  w=$(nsx curl -g -sS -o "$out" --max-time "$max" "$@" -w '%{http_code} %{time_connect} %{time_total}' "$url" 2>/dev/null); rc=$?
  echo "$rc ${w:-000 0 0}"
}
pct() { sort -n | awk -v p="$1" '{v[NR] = $1} END { if (NR == 0) { print 0; exit } r = int((NR * p + 99) / 100); if (r < 1) r = 1; print v[r] }'; }

# phase_host NAME: the host's side of one phase, between the guest's READY and the end signal.
phase_host() {
  local p=$1 tap=${tap_of[$1]} ip=${ip_of[$1]} client=${client_of[$1]} flood_pid="" dump_pid f
  local url_host=$ip; [[ $ip == *:* ]] && url_host="[$ip]"
  wait_console "@@PHASE $p (READY|FAILED)@@" 600 $qemu_pid || { echo "FAIL: guest never got to phase $p"; return 1; }
  if tr -d '\r' < "$work/console.log" | grep -q "@@PHASE $p FAILED@@"; then
    echo "--- phase $p: the guest could not set it up (see its FAIL line); nothing measured"
    res $p setup_failed 1
    return 0
  fi
  echo "--- phase $p ($ip via $tap)"
  local tx0 drop0
  tx0=$(tap_counter $tap tx_packets) drop0=$(tap_counter $tap tx_dropped)
  # Background jobs run `ip netns exec` directly (it execs the program: $! is its PID, and TERM
  # reaches it; a function would leave a subshell in between that ignores the signal).
  ip netns exec "$NETNS" tcpdump -i $tap -nn -s 200 -U -w "$work/$p.pcap" "tcp port 80 and host $client" 2> "$work/$p.tcpdump.err" &
  dump_pid=$!
  for _ in $(seq 50); do grep -q "listening on" "$work/$p.tcpdump.err" && break; sleep 0.1; done
  local t0=$SECONDS
  if [ "$p" != idle ]; then
    local n=${net_of[$tap]} v6=()
    [[ $ip == *:* ]] && v6=(--flood-src6 $flood6_src --flood-dst6 $ip)
    ip netns exec "$NETNS" "$BUILD_DIR/bin/offsched-traffic" --ifname $tap --flood-only --guest-mac "${mac_of[$tap]}" --guest-ip ${ip_of[offsched]} \
      --port 80 --flood-pps $flood_pps --flood-src "$n.0.0/16:1,198.18.0.0/15:1" --flood-exclude "$n.0.0/24" "${v6[@]}" \
      --duration-ms 0 --seed $RANDOM > "$work/$p.flood.json" 2> "$work/$p.flood.err" &
    flood_pid=$!
    sleep $warmup
  fi
  # Downloads, one after the other, within $dl_budget seconds for the three. An attempt that
  # stalls (under the flood a connection can: loss backs TCP's retransmission timer off, and
  # SYNPROXY's zero-window SYN-ACK whose ACK was lost never opens) ends after dl_max seconds and
  # the next one resumes where it stopped (curl -C -, an HTTP range); the sha256 is checked on
  # the whole file, and the wall time counts every attempt.
  local f deadline=$((SECONDS + dl_budget))
  for f in 1k 1m 16m; do
    local a=0 ok=0 got="" rc=99 code=000 tc tt ms0 ms1 cap
    rm -f "$work/dl/$p.$f"
    ms0=$(date +%s%3N)
    while [ $a -lt 8 ]; do
      cap=$((deadline - SECONDS)); [ $cap -le ${dl_max[$f]} ] || cap=${dl_max[$f]}
      [ $cap -ge 2 ] || { echo "  download $f: phase budget of ${dl_budget}s spent"; break; }
      a=$((a + 1))
      read -r rc code tc tt <<< "$(curl_fetch "$work/dl/$p.$f" "http://$url_host/$f" $cap -C -)"
      echo "  download $f, attempt $a: curl rc $rc, HTTP $code, ${tt}s, $(stat -c %s "$work/dl/$p.$f" 2>/dev/null || echo 0) bytes so far"
      [ "$rc" = 0 ] && break
      [ "$rc" = 33 ] && rm -f "$work/dl/$p.$f" # the range was refused: start again
    done
    ms1=$(date +%s%3N)
    got=$(sha256sum 2>/dev/null < "$work/dl/$p.$f" | cut -d' ' -f1)
    [ "$rc" = 0 ] && [ "$got" = "${sha[$f]}" ] && ok=1
    echo "  download $f: $([ $ok = 1 ] && echo "ok, sha256 matches" || echo "FAILED, sha256 ${got:-of nothing}") after $a attempt(s), $((ms1 - ms0)) ms"
    res $p dl_${f}_ok $ok; res $p dl_${f}_attempts $a; res $p dl_${f}_ms $((ms1 - ms0))
    rm -f "$work/dl/$p.$f"
  done
  # Small fetches: $small of the 1 KiB file, $small_rate started per second, each alone.
  rm -f "$work/small/"*
  local i pids=()
  for i in $(seq $small); do
    ( r=$(curl_fetch "$work/small/$i.body" "http://$url_host/1k" $small_max)
      s=$(sha256sum 2>/dev/null < "$work/small/$i.body" | cut -d' ' -f1)
      echo "$r $([ "$s" = "${sha[1k]}" ] && echo 1 || echo 0)" > "$work/small/$i.res"
      rm -f "$work/small/$i.body" ) &
    pids+=($!)
    sleep "$(awk -v r=$small_rate 'BEGIN {print 1 / r}')"
  done
  wait "${pids[@]}"
  local okc; okc=$(cat "$work/small/"*.res | awk '$1 == 0 && $2 == 200 && $5 == 1' | wc -l)
  res $p small_attempts $small; res $p small_ok "$okc"
  res $p small_p50_ms "$(cat "$work/small/"*.res | awk '$1 == 0 && $2 == 200 && $5 == 1 {printf "%d\n", $4 * 1000}' | pct 50)"
  res $p small_p99_ms "$(cat "$work/small/"*.res | awk '$1 == 0 && $2 == 200 && $5 == 1 {printf "%d\n", $4 * 1000}' | pct 99)"
  res $p small_connect_p99_ms "$(cat "$work/small/"*.res | awk '$1 == 0 && $2 == 200 && $5 == 1 {printf "%d\n", $3 * 1000}' | pct 99)"
  echo "  small fetches: $okc/$small ok, p50 $(get $p small_p50_ms) ms, p99 $(get $p small_p99_ms) ms"
  local secs=$((SECONDS - t0))
  res $p seconds $secs
  if [ -n "$flood_pid" ]; then
    kill -TERM $flood_pid; wait $flood_pid; res $p flood_rc $?
    local j=$work/$p.flood.json
    jn() { sed -n "s/^  \"$1\": \([0-9]*\).*/\1/p" "$j"; }
    res $p flood_sent "$(jn flood_sent)"; res $p flood_pps "$(jn flood_pps_achieved)"
    res $p flood_send_errors "$(jn send_errors)"
    local sa rst; sa=$(sed -n '/"flood_replies"/,/per_second/ s/^    "synack": \([0-9]*\).*/\1/p' "$j")
    rst=$(sed -n '/"flood_replies"/,/per_second/ s/^    "rst": \([0-9]*\).*/\1/p' "$j")
    res $p backscatter_synack "${sa:-0}"; res $p backscatter_rst "${rst:-0}"
    res $p backscatter_synack_per_s $(( ${sa:-0} * 1000000000 / ($(jn duration_ns) + 1) ))
    echo "  flood: $(jn flood_sent) sent at $(jn flood_pps_achieved)/s, guest answered ${sa:-0} SYN-ACKs ${rst:-0} RSTs"
  fi
  res $p tap_to_guest $(( $(tap_counter $tap tx_packets) - tx0 ))
  res $p tap_dropped $(( $(tap_counter $tap tx_dropped) - drop0 ))
  sleep 1; kill -TERM $dump_pid; wait $dump_pid
  # Every connection the client made: SYN and SYN-ACK both carry SACK-permitted, timestamps and
  # window scale; the server's data segments carry timestamps (they are in use).
  # The SYN bit: pcap's tcp[] reads IPv4 only; over IPv6 it is byte 40 + 13 (no extension headers).
  local syn_bit='tcp[tcpflags] & tcp-syn'; [[ $ip == *:* ]] && syn_bit='ip6[53] & 2'
  nsx tcpdump -r "$work/$p.pcap" -nn -v "$syn_bit != 0" 2>/dev/null | tr -d '\n' |
    sed 's/\(IP6\{0,1\} (\)/\n\1/g' > "$work/$p.syns.txt"
  local syn synack full_syn full_synack data data_ts
  syn=$(grep -c "$client\.[0-9]* > $ip\.80: Flags \[S\]" "$work/$p.syns.txt")
  synack=$(grep -c "$ip\.80 > $client\.[0-9]*: Flags \[S\.\]" "$work/$p.syns.txt")
  full_syn=$(grep "$client\.[0-9]* > $ip\.80: Flags \[S\]" "$work/$p.syns.txt" | grep "sackOK" | grep "TS val" | grep -c "wscale")
  full_synack=$(grep "$ip\.80 > $client\.[0-9]*: Flags \[S\.\]" "$work/$p.syns.txt" | grep "sackOK" | grep "TS val" | grep -c "wscale")
  data=$(nsx tcpdump -r "$work/$p.pcap" -nn "src host $ip and $syn_bit == 0 and greater 500" 2>/dev/null | wc -l)
  data_ts=$(nsx tcpdump -r "$work/$p.pcap" -nn "src host $ip and $syn_bit == 0 and greater 500" 2>/dev/null | grep -c "TS val")
  local conns; conns=$(grep -o "$client\.[0-9]* > $ip\.80: Flags \[S\]" "$work/$p.syns.txt" | sort -u | wc -l)
  res $p syn_retrans $((syn - conns))
  res $p syn $syn; res $p synack $synack; res $p syn_full $full_syn; res $p synack_full $full_synack
  res $p data_segments $data; res $p data_segments_ts $data_ts
  echo "  capture: $conns connections, $((syn - conns)) SYN retransmissions; $syn SYNs ($full_syn with SACK+TS+wscale), $synack SYN-ACKs ($full_synack with all three), $data_ts/$data data segments with TS"
  # The guest's phase is over once it gets a connection on port 9000 (eth0: never flooded then).
  local k
  for k in $(seq 30); do
    nsx timeout 5 bash -c 'exec 3<>/dev/tcp/10.1.0.10/9000' 2>/dev/null && return 0
    sleep 1
  done
  echo "FAIL: could not signal the end of phase $p to the guest"
  return 1
}

host_ok=1
for p in $phases; do
  phase_host $p || { host_ok=0; stop_guest; break; }
done
wait $qemu_pid
guest_rc=$?
sed -n '/Run \/init/,$p' "$work/console.log" | tr -d '\r' | grep -v "^BENCH "
# The guest's BENCH lines join the results.
tr -d '\r' < "$work/console.log" | awk '$1 == "BENCH" {print $2 "." $3, $4}' >> "$work/results.txt"
for p in $phases; do # shares of the online CPUs' time, per mille
  t=$(get $p total_ticks)
  [ -n "$t" ] && [ "$t" -gt 0 ] || continue
  res $p softirq_permille $(( $(get $p softirq_ticks) * 1000 / t ))
  res $p busy_permille $(( $(get $p busy_ticks) * 1000 / t ))
  res $p guest_rx_per_s $(( $(get $p nic_rx_packets) / ($(get $p seconds) + 1) ))
done
for p in $phases; do
  tr -d '\r' < "$work/console.log" | sed -n "/@@OFFSCHED-STATS-BEGIN $p@@/,/@@OFFSCHED-STATS-END $p@@/p" | sed '1d;$d' > "$work/$p.offsched-stats.json"
done
if [ -n "$results" ]; then # beside it: the offsched counters and each phase's flood report (per second)
  cp "$work/results.txt" "$results"
  [ -s "$work/offsched.offsched-stats.json" ] && cp "$work/offsched.offsched-stats.json" "${results%.*}.offsched-stats.json"
  for p in $phases; do [ -s "$work/$p.flood.json" ] && cp "$work/$p.flood.json" "${results%.*}.$p.flood.json"; done
fi

# --- The table: each phase side by side, ratios to idle/linux where they mean something.
echo
printf '%-34s' metric; for p in $phases; do printf '%14s' $p; done; echo
row() { # row LABEL KEY [KEY2]: KEY2's value after a slash
  printf '%-34s' "$1"
  for p in $phases; do printf '%14s' "$(get $p "$2")${3:+/$(get $p "$3")}"; done; echo
}
row "1 KiB download ok / attempts" dl_1k_ok dl_1k_attempts; row "1 MiB download ok / attempts" dl_1m_ok dl_1m_attempts
row "16 MiB download ok / attempts" dl_16m_ok dl_16m_attempts
row "1 KiB download ms" dl_1k_ms; row "1 MiB download ms" dl_1m_ms; row "16 MiB download ms" dl_16m_ms
row "client SYN retransmissions" syn_retrans; row "small fetches ok" small_ok; row "small fetch p50 ms" small_p50_ms; row "small fetch p99 ms" small_p99_ms
row "flood frames sent" flood_sent; row "flood pps achieved" flood_pps; row "tap -> QEMU frames" tap_to_guest
row "tap dropped (QEMU not reading)" tap_dropped; row "backscatter SYN-ACK /s" backscatter_synack_per_s
row "guest NIC rx packets" nic_rx_packets; row "guest rx packets /s (approx.)" guest_rx_per_s
row "guest softirq share of online CPUs ‰" softirq_permille; row "guest busy share of online CPUs ‰" busy_permille
row "guest softirq ticks (online CPUs)" softirq_ticks
row "guest softirq ticks, busiest CPU" softirq_max_cpu_ticks; row "guest busy ticks (online CPUs)" busy_ticks; row "guest total ticks (online CPUs)" total_ticks; row "guest NET_RX softirqs" net_rx_softirqs
row "TcpExt SyncookiesSent" tcpext_SyncookiesSent; row "TcpExt ListenOverflows" tcpext_ListenOverflows
row "synproxy syn_received" synproxy_syn_received; row "synproxy cookie_valid" synproxy_cookie_valid
row "synproxy cookie_invalid" synproxy_cookie_invalid
row "offsched proxy syn_received" fw_syn_received; row "offsched proxy cookie_valid" fw_cookie_valid
row "offsched proxy established" fw_proxy_established
if [ "$nq" -gt 1 ]; then
  for c in $fw_cpus; do row "offsched CPU $c: queue pair" cpu${c}_queue; row "offsched CPU $c: rx frames / established" cpu${c}_rx_frames cpu${c}_proxy_established
    row "offsched CPU $c: host segments not its own" cpu${c}_proxy_host_unknown; done
fi
echo "results: $work/results.txt${results:+ (copied to $results)}"

# --- Checks.
v() { local x; x=$(get "$1" "$2"); echo "${x:-0}"; }
expect "host side of every phase ran" "[ $host_ok = 1 ]"
expect "guest checks passed" "[ $guest_rc = 0 ]"
for p in $phases; do
  expect "$p: the guest set the phase up" "[ $(v $p setup_failed) = 0 ]"
  for f in 1k 1m 16m; do
    if [ $p = linux ] || [ $p = synproxy ]; then
      # A peer that loses the client's handshakes to the flood is a result (the table's rows),
      # not a defect: iptables SYNPROXY answered 22 % of small fetches in the bench, so a 16 MiB
      # download whose SYNs all die in its two 60 s attempts happens (CI, 2026-12-06).
      [ "$(v $p dl_${f}_ok)" = 1 ] || echo "NOTE: $p: the $f download failed under the flood (the peer's result, see the table)"
      continue
    fi
    expect "$p: $f downloaded, sha256 matches the host's" "[ $(v $p dl_${f}_ok) = 1 ]"
  done
  expect "$p: SYN-ACKs to the client captured" "[ $(v $p synack) -ge 3 ]"
  expect "$p: every client SYN offered SACK, timestamps, window scale" "[ $(v $p syn_full) = $(v $p syn) ]"
  expect "$p: every SYN-ACK to the client carried SACK, timestamps, window scale" \
    "[ $(v $p synack_full) = $(v $p synack) ] && [ $(v $p synack) -ge 1 ]"
  expect "$p: the server's data segments carry timestamps" "[ $(v $p data_segments) -ge 100 ] && [ $(v $p data_segments_ts) = $(v $p data_segments) ]"
  [ $p = idle ] && continue
  expect "$p: flood sent" "[ $(v $p flood_sent) -ge $((flood_pps * 5)) ] && [ $(v $p flood_rc) = 0 ]"
  expect "$p: the guest answered flood sources through its default route (backscatter SYN-ACKs seen on ${tap_of[$p]})" \
    "[ $(v $p backscatter_synack) -ge 100 ]"
done
for p in $phases; do
  case $p in
    idle) expect "idle: at least 95% of small fetches succeeded without a flood" "[ $(v idle small_ok) -ge $((small * 95 / 100)) ]" ;;
    linux)
      expect "linux: the stock host answered the flood with SYN cookies (TcpExt SyncookiesSent)" "[ $(v linux tcpext_SyncookiesSent) -ge 100 ]"
      # How much the stock host's client feels the flood depends on how much host CPU TCG gets:
      # fresh-clone CI runs on the 2-core machine at 10,000 SYN/s saw small-fetch p50 at 2.1x,
      # 2.2x and 0.9x idle's, p99 at 3.4x, 8x and 0.6x. So the client's figures are reported, and
      # the flood's cost is checked where it is robust: the guest's softirq share (and, above, its
      # SYN cookies and backscatter). If that fails, the guest absorbed the flood: raise --flood-pps.
      case " $phases " in *" idle "*)
        echo "NOTE: linux: under the flood the client saw small-fetch p50 $(v linux small_p50_ms) ms (idle $(v idle small_p50_ms)), p99 $(v linux small_p99_ms) ms (idle $(v idle small_p99_ms)), 16 MiB in $(v linux dl_16m_ms) ms (idle $(v idle dl_16m_ms)), $(v linux syn_retrans) SYNs retransmitted"
        expect "linux: the flood kept the guest's online CPUs in softirq: share >= 5x idle's" \
          "[ $(v linux softirq_permille) -ge $(( $(v idle softirq_permille) * 5 )) ] && [ $(v linux softirq_permille) -gt 0 ]" ;;
      esac ;;
    synproxy)
      expect "synproxy: SYNPROXY answered the flood (syn_received)" "[ $(v synproxy synproxy_syn_received) -ge 100 ]"
      expect "synproxy: SYNPROXY validated the client's cookies (cookie_valid >= small fetches ok)" \
        "[ $(v synproxy synproxy_cookie_valid) -ge $(v synproxy small_ok) ]"
      # The listener may still answer a few of SYNPROXY's own SYNs (validated clients) with cookies
      # while the linux phase's flood request socks (they live 63 s) fill its backlog; the flood's
      # half a million SYNs never reach it.
      expect "synproxy: the listener never saw the flood (its own SYN cookies <= clients SYNPROXY validated, no overflow)" \
        "[ $(v synproxy tcpext_SyncookiesSent) -le $(v synproxy synproxy_cookie_valid) ] && [ $(v synproxy tcpext_ListenOverflows) = 0 ]" ;;
    offsched|offsched6)
      expect "$p: the listener behind osd0 never saw the flood (no SYN cookies of its own, no overflow)" \
        "[ $(v $p tcpext_SyncookiesSent) = 0 ] && [ $(v $p tcpext_ListenOverflows) = 0 ]"
      expect "$p: the firewall passed the client's connections to Linux (fw passed >= small fetches ok)" \
        "[ $(v $p fw_passed) -ge $(v $p small_ok) ] && [ $(v $p fw_passed) -gt 0 ]"
      expect "$p: the proxy on the dead CPU answered the flood (syn_received, cookies_sent)" \
        "[ $(v $p fw_syn_received) -ge 100 ] && [ $(v $p fw_cookies_sent) -ge 100 ]"
      expect "$p: the proxy validated the client's cookies and set its connections up (>= small fetches ok)" \
        "[ $(v $p fw_cookie_valid) -ge $(v $p small_ok) ] && [ $(v $p fw_proxy_established) -ge $(v $p small_ok) ]"
      # Each CPU served its own queue pair and proxied its share of the client's connections:
      # without the flow steering (VQ_PAIRS_SET) one CPU would get every flow; with replies on the
      # wrong queue (the host netdev's queue choice) the other CPU's proxy could not translate them.
      if [ "$nq" -gt 1 ]; then
        queues=$(for c in $fw_cpus; do v $p cpu${c}_queue; done | sort -u | wc -l)
        expect "$p: each firewall CPU polls its own queue pair ($queues distinct of $nq)" "[ $queues = $nq ]"
        for c in $fw_cpus; do
          expect "$p: CPU $c received flood and client frames on its queue pair (rx_frames >= 100)" \
            "[ $(v $p cpu${c}_rx_frames) -ge 100 ] && [ $(v $p cpu${c}_syn_received) -ge 10 ]"
          expect "$p: CPU $c proxied some of the client's connections itself (cookie_valid, established >= 3)" \
            "[ $(v $p cpu${c}_cookie_valid) -ge 3 ] && [ $(v $p cpu${c}_proxy_established) -ge 3 ]"
          # Linux's TCP would recover from replies sent through the wrong CPU (a retransmission
          # timeout picks another TX hash), so the downloads alone would not notice.
          expect "$p: every host segment CPU $c sent was of a connection it proxies (proxy_host_unknown = 0)" \
            "[ $(v $p cpu${c}_proxy_host_unknown) = 0 ]"
        done
      fi
      expect "$p: firewall counters read after the phase (offschedctl stats --json)" \
        "grep -q '\"loop_iterations\"' '$work/$p.offsched-stats.json' && grep -q '\"service\": *\"firewall\"' '$work/$p.offsched-stats.json'"
      [ $p = offsched6 ] && expect "$p: the flood and the client were IPv6 (firewall ipv6 >= 90 % of flood frames sent)" \
        "[ $(v $p fw_ipv6) -ge $(( $(v $p flood_sent) * 9 / 10 )) ] && grep -q '\"flood_ipv6\": true' '$work/$p.flood.json'"
      case " $phases " in *" linux "*) # the same flood, this boot: the product's claim, as ratios
        expect "$p: the client fetched at least as often as on the stock host" \
          "[ $(v $p small_ok) -ge $(v linux small_ok) ]"
        echo "NOTE: offsched: small-fetch p50 $(v $p small_p50_ms) ms vs the stock host's $(v linux small_p50_ms) ms, p99 $(v $p small_p99_ms) vs $(v linux small_p99_ms)" ;;
      esac
      case " $phases " in *" idle "*) # protected, the flood must not reach the client at all
        # 5 ms of slack: TCG's timer granularity when idle's p50 is a few ms.
        expect "$p: the flood did not slow the client: small-fetch p50 < 2x idle's + 5 ms, < 3 SYNs retransmitted" \
          "[ $(v $p small_p50_ms) -lt $(( $(v idle small_p50_ms) * 2 + 5 )) ] && [ $(v $p syn_retrans) -lt 3 ]" ;;
      esac
      case " $phases " in *" linux "*)
        expect "$p: Linux's online CPUs spent less time in softirq than the stock host's" \
          "[ $(v $p softirq_permille) -lt $(v linux softirq_permille) ]" ;;
      esac ;;
  esac
done
verdict "kernel synproxy test"
