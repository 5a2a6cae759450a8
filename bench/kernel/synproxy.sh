#!/usr/bin/env bash
# SYN-flood peers side by side in ONE QEMU TCG boot, real TCP at both ends: the long version of
# kernel.synproxy (tests/kernel/test_synproxy.sh, which does the work and the checks) with more
# small fetches, printed as a markdown table for bench/RESULTS.md. Phases: idle (no flood), the
# stock host's SYN cookies, netfilter SYNPROXY, the offsched firewall's SYN proxy on dead CPU 1.
# TCG distorts absolute timing: read the ratios between phases of the same boot.
#   bench/kernel/synproxy.sh BUILD_DIR [--flood-pps 20000] [--small 200] [--small-rate 10]
#                            [--results FILE]
# Needs root (network namespace, taps). Exit status: the test's (its checks still apply).
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd); shift
flood=20000 small=200 rate=10 results=$BUILD_DIR/bench-synproxy.txt extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --flood-pps) flood=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --small-rate) rate=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../tests/kernel/test_synproxy.sh" "$BUILD_DIR" --flood-pps "$flood" --small "$small" --small-rate "$rate" \
  --results "$results" --guest-timeout 1500 --dl-budget 600 "${extra[@]}"
rc=$?
[ -s "$results" ] || { echo "no results in $results" >&2; exit 1; }

get() { awk -v k="$1.$2" '$1 == k {print $2; exit}' "$results"; }
phases=$(awk -F'[ .]' '{print $1}' "$results" | awk '!seen[$0]++' | grep -E '^(idle|linux|synproxy|offsched)$' | tr '\n' ' ')
declare -A title=([idle]="idle (no flood)" [linux]="stock SYN cookies" [synproxy]="netfilter SYNPROXY" [offsched]="offsched SYN proxy")
# cell KIND PHASE: one table cell
cell() {
  local p=$2 x y
  case $1 in
    dl) echo "$(get $p dl_1k_ok)/$(get $p dl_1m_ok)/$(get $p dl_16m_ok) ($(get $p dl_1k_attempts)+$(get $p dl_1m_attempts)+$(get $p dl_16m_attempts) tries)" ;;
    dl16) x=$(get $p dl_16m_ms); y=$(get idle dl_16m_ms)
      awk -v x="$x" -v y="$y" 'BEGIN { printf "%.2f s", x / 1000; if (y > 0) printf " (%.1fx)", x / y }' ;;
    succ) awk -v o="$(get $p small_ok)" -v n="$(get $p small_attempts)" 'BEGIN { printf "%.1f %% (%d/%d)", 100 * o / n, o, n }' ;;
    p50|p99) x=$(get $p small_${1}_ms); y=$(get idle small_${1}_ms)
      awk -v x="$x" -v y="$y" 'BEGIN { printf "%d ms", x; if (y > 0) printf " (%.0fx)", x / y }' ;;
    flood) [ $p = idle ] && { echo "-"; return; }; echo "$(get $p flood_sent) ($(get $p flood_pps)/s)" ;;
    tap) x=$(get $p tap_to_guest); y=$(get $p tap_dropped)
      awk -v x="$x" -v y="$y" -v s="$(get $p seconds)" 'BEGIN { printf "%d/s, %.0f %% dropped", x / (s + 1), (x + y) ? 100 * y / (x + y) : 0 }' ;;
    bs) [ $p = idle ] && { echo "-"; return; }; echo "$(get $p backscatter_synack_per_s)" ;;
    si) x=$(get $p softirq_permille); y=$(get idle softirq_permille)
      awk -v x="$x" -v y="$y" 'BEGIN { printf "%.1f %%", x / 10; if (y > 0) printf " (%.0fx)", x / y }' ;;
    cookies) echo "$(get $p tcpext_SyncookiesSent)" ;;
    sp) [ $p = synproxy ] || { echo "-"; return; }
      echo "$(get $p synproxy_syn_received) / $(get $p synproxy_cookie_valid) / $(get $p synproxy_cookie_invalid)" ;;
    fw) [ $p = offsched ] || { echo "-"; return; }
      echo "$(get $p fw_syn_received) / $(get $p fw_cookie_valid) / $(get $p fw_cookie_invalid)" ;;
  esac
}
echo
echo "flood $flood SYN/s offered (sources 1:1 from the client's own /16 minus its on-link /24, and 198.18.0.0/15),"
echo "$small fetches of 1 KiB at $rate/s per phase, one QEMU TCG boot (-smp 4, CPU 1 held by offsched); $(date -u +%F)"
echo
printf '| %s |' metric; for p in $phases; do printf ' %s |' "${title[$p]}"; done; echo
printf '|---|'; for p in $phases; do printf -- '---:|'; done; echo
line() { printf '| %s |' "$1"; for p in $phases; do printf ' %s |' "$(cell $2 $p)"; done; echo; }
line "1 KiB / 1 MiB / 16 MiB downloaded, sha256 ok" dl
line "16 MiB download (x idle)" dl16
line "1 KiB fetches succeeded" succ
line "1 KiB fetch p50 (x idle)" p50
line "1 KiB fetch p99 (x idle)" p99
line "flood frames sent" flood
line "frames QEMU took from the tap, tap drops" tap
line "backscatter SYN-ACKs /s on the tap" bs
line "softirq share of online CPUs (x idle)" si
line "TcpExt SyncookiesSent (listener)" cookies
line "SYNPROXY syn_received / cookie_valid / cookie_invalid" sp
[[ " $phases " == *" offsched "* ]] && line "offsched proxy syn_received / cookie_valid / cookie_invalid" fw
echo
echo "results: $results"
exit $rc
