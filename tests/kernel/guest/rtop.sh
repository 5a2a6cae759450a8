# Guest payload: rtop on dead CPU 2 streams this machine's statistics out of the owned e1000
# while Linux keeps its CPUs busy; an online CPU publishes them (osstats.c). The host decodes.
. /tests/common.sh
check "insmod offsched" load_offsched
check "NIC bound to offsched" bind_offsched 0000:00:05.0
# /proc's own figures before rtop's first sample and after its last (the host takes 20 at
# 100 ms, within 2 s of the attach): every rtop figure must lie between the two (test_rtop.sh).
proc_snapshot() {
  grep '^cpu[0-9]' /proc/stat | sed "s/^/@@PROCSTAT $1 /"
  echo "@@MEMINFO $1 $(awk '/^MemTotal:/ {t=$2} /^MemAvailable:/ {a=$2} END {print t, a}' /proc/meminfo)"
}
proc_snapshot before
check "attach rtop to CPU 2" offschedctl attach --cpu 2 --service rtop --config /tests/rtop.yaml
# Some load so CPU time moves; rtop must keep streaming regardless.
# CPU 3 gets three busy tasks: its nr_running must show them (the host checks).
for c in 0 1 3 3 3; do taskset -c $c sh -c 'end=$(($(date +%s) + 8)); while [ $(date +%s) -lt $end ]; do :; done' & done
sleep 10
proc_snapshot after
offschedctl stats --cpu 2
check "datagrams were sent" [ "$(counter 2 backend tx_frames)" -gt 20 ]
check "detach rtop" offschedctl detach --cpu 2
check "rmmod" rmmod offsched
check "dmesg clean" dmesg_clean
finish
