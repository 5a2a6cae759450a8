# Guest payload: every command path of offschedctl/the module, including each refusal, a CPU
# onlined behind the module's back, rmmod while attached, and poweroff while attached
# (the reboot notifier must stop the loop; the host checks the console afterwards).
. /tests/common.sh
NIC=0000:00:05.0
fails_with "status without the module says it is not loaded" "not loaded" offschedctl status
check "insmod offsched" load_offsched
fails_with "no NIC bound yet" "no free NIC" offschedctl attach --cpu 1 --service firewall
# Services that never take a frame (ServiceNeeds::nic false) attach with no NIC bound at all.
for svc in timer rt; do
  check "$svc attaches with no NIC bound" offschedctl attach --cpu 1 --service $svc
  check "$svc: sysfs says it owns no NIC" [ "$(cat /sys/kernel/offsched/cpu1/nic)" = - ]
  check "$svc: no frame counters, the loop's are there" \
    sh -c '[ ! -e /sys/kernel/offsched/cpu1/backend/rx_frames ] && [ -e /sys/kernel/offsched/cpu1/backend/loop_gap_max_ns ]'
  check "$svc: loop counter rises" rises 1 backend loop_iterations
  check "$svc: stats says no NIC" sh -c "offschedctl stats --cpu 1 | grep -q 'cpu1 $svc (running, no NIC)'"
  # The real clock (APERF/MPERF) is measured only where the CPU has the counters; QEMU TCG has
  # none, so the files must be absent and offschedctl must say why, never show a stub 0.
  if grep -qw aperfmperf /proc/cpuinfo; then
    check "$svc: effective clock measured" sh -c 'sleep 0.3; [ "$(cat /sys/kernel/offsched/cpu1/backend/effective_khz)" -gt 0 ]'
  else
    check "$svc: no APERF/MPERF: no effective clock files" sh -c '[ ! -e /sys/kernel/offsched/cpu1/backend/effective_khz ]'
    check "$svc: stats says the real rate is not measurable" \
      sh -c "offschedctl stats --cpu 1 | grep -q 'loop: clock [0-9]* MHz (TSC); its real rate is not measurable here'"
  fi
  check "detach $svc" offschedctl detach --cpu 1
done
# A CPU list is all or nothing: CPU 2 attaches, CPU 0 is refused, CPU 2 is detached again.
fails_with "attach --cpu 2,0 refused whole" "cpu0: .*boot CPU.*cpu2 detached again" offschedctl attach --cpu 2,0 --service timer
check "CPU 2 online again, not attached, after the refused list" \
  sh -c 'grep -q 1 /sys/devices/system/cpu/cpu2/online && [ ! -e /sys/kernel/offsched/cpu2 ]'
fails_with "a CPU named twice is refused" "CPU 2 twice" offschedctl attach --cpu 2,2 --service timer
fails_with "rtop still needs a NIC" "no free NIC" offschedctl attach --cpu 1 --service rtop
check "NIC at $NIC bound to offsched" bind_offsched $NIC
fails_with "--nic on a service that uses none is refused" "uses no NIC" \
  offschedctl attach --cpu 1 --service timer --nic $NIC
check "status lists the firewall and the NIC" sh -c "offschedctl status | grep -q firewall && offschedctl status | grep -q '$NIC osd0'"
fails_with "CPU 0 refused" "boot CPU" offschedctl attach --cpu 0 --service firewall
fails_with "nonexistent CPU refused" "does not exist" offschedctl attach --cpu 9 --service firewall
fails_with "unknown service refused" "unknown service 'nosuch'" offschedctl attach --cpu 1 --service nosuch
printf 'syn_limit_pps: 999999999999\n' > /tmp/range.yaml
fails_with "out-of-range config names file, line and field" "range.yaml:1.*syn_limit_pps" \
  offschedctl attach --cpu 1 --service firewall --config /tmp/range.yaml
printf 'rules:\n  - src: 10.0.0.0/8\n    action: explode\n' > /tmp/enum.yaml
fails_with "bad enum names the rule field" "enum.yaml:3.*rules\[0\].action" \
  offschedctl attach --cpu 1 --service firewall --config /tmp/enum.yaml
# The module re-validates: raw configs bypass offschedctl's own checks.
size=$(awk '$1 == "firewall" {print $2}' /sys/kernel/offsched/services)
{ printf '\347\003\000\000'; dd if=/dev/zero bs=1 count=$((size - 4)) 2>/dev/null; } > /tmp/bad.bin
fails_with "module rejects an out-of-range raw config" "config rejected: field 'rules': item count outside the schema's range \[0, 16\]" \
  offschedctl attach --cpu 1 --service firewall --raw-config /tmp/bad.bin
head -c 10 /tmp/bad.bin > /tmp/short.bin
fails_with "module rejects a config of the wrong size" "expects $size" \
  offschedctl attach --cpu 1 --service firewall --raw-config /tmp/short.bin
# Prefix sets travel after the config (the config blob): the module checks the image too.
printf 'rules:\n  - {src_set: flood.txt, action: drop}\n' > /tmp/set.yaml
printf '# the flood\n198.18.0.0/15\n' > /tmp/flood.txt
check "a config naming a prefix set compiles to a blob" offschedctl compile --service firewall --config /tmp/set.yaml --out /tmp/set.bin
head -c $(( $(stat -c %s /tmp/set.bin) - 8 )) /tmp/set.bin > /tmp/cut.bin
fails_with "module rejects a blob whose prefix-set image is cut short" "field 'prefix_sets': the prefix set image's size does not match" \
  offschedctl attach --cpu 1 --service firewall --raw-config /tmp/cut.bin
head -c $size /tmp/set.bin > /tmp/noset.bin
fails_with "module rejects a config naming a set it does not carry" "field 'src_set'.*does not hold" \
  offschedctl attach --cpu 1 --service firewall --raw-config /tmp/noset.bin
echo 0 > /sys/devices/system/cpu/cpu3/online
fails_with "CPU offline for another reason refused" "offline for another reason" \
  offschedctl attach --cpu 3 --service firewall
check "unclaimed CPU 3 took the stock path and comes back" sh -c 'echo 1 > /sys/devices/system/cpu/cpu3/online'

check "attach firewall to CPU 1" offschedctl attach --cpu 1 --service firewall
check "CPU 1 offline" grep -q 0 /sys/devices/system/cpu/cpu1/online
check "status shows CPU 1 running" sh -c 'offschedctl status | grep -qE "^1 +firewall +running"'
check "loop counter rises" rises 1 backend loop_iterations
check "stats --json carries the loop counter" sh -c 'offschedctl stats --json | grep -q "\"loop_iterations\""'
check "stats --watch prints per-second rates" sh -c 'timeout 2 offschedctl stats --cpu 1 --watch --interval-ms 500 | grep -q "loop_iterations .*/s"'
# Soak with the stall detectors armed short (kernel args from test_lifecycle.sh) while Linux
# does the cross-CPU work it does all the time, none of which may involve dead CPU 1:
# - text patching: enabling the cpuhp trace events rewrites their static keys and static calls
#   (text_poke_bp, which syncs every online CPU by IPI); disabling them patches the text back;
# - CPU hotplug: CPU 3 goes down and up through those tracepoints;
# - expedited RCU grace periods (each IPIs every busy online CPU) for the synchronize_rcu calls
#   hotplug and tracepoint removal make;
# - memory compaction: lru_add_drain_all work on every online CPU, page migration, TLB flushes.
# record-cmd off: otherwise every event enable also hooks sched_switch/sched_wakeup, patching
# the kernel's hottest code, which QEMU 7.2's multi-threaded TCG can leave stale (the stock
# kernel hangs in int3 without offsched: docs/KERNEL.md, "QEMU and text patching").
T=/sys/kernel/tracing
# One /proc/interrupts row summed over the online CPUs (an offline CPU has no column).
irq_row() { awk -v r="$1:" '$1 == r { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i } END { print n + 0 }' /proc/interrupts; }
echo 0 > $T/options/record-cmd
echo > $T/trace
echo 1 > /sys/kernel/rcu_expedited
cal0=$(irq_row CAL) tlb0=$(irq_row TLB)
echo "soak: 8 s of tracepoint patching, CPU 3 offline/online, expedited RCU, compaction"
end=$(( $(date +%s) + 8 ))
cycles=0
while [ "$(date +%s)" -lt $end ]; do
  echo 1 > $T/events/cpuhp/enable
  echo 0 > /sys/devices/system/cpu/cpu3/online; echo 1 > /sys/devices/system/cpu/cpu3/online
  echo 0 > $T/events/cpuhp/enable
  echo 1 > /proc/sys/vm/compact_memory
  cycles=$((cycles + 1))
done
echo 0 > /sys/kernel/rcu_expedited
cal=$(( $(irq_row CAL) - cal0 )) tlb=$(( $(irq_row TLB) - tlb0 ))
echo "soak: $cycles cycles; the online CPUs took $cal function-call IPIs and $tlb TLB shootdowns"
check "soak did cycles" [ $cycles -gt 0 ]
check "Linux sent the online CPUs function-call IPIs during the soak" [ $cal -gt 0 ]
online=$(sed -n 's/^ *\([0-9]*\): online$/\1/p' /sys/devices/system/cpu/hotplug/states)
check "the patched-in tracepoints saw CPU 3 go down and come up" \
  sh -c "grep -Eq 'cpuhp_enter: cpu: 0003 target: +0 ' $T/trace && grep -Eq 'cpuhp_enter: cpu: 0003 target: +$online ' $T/trace"
check "dead CPU 1 recorded no trace event" [ "$(grep -vc '^#' $T/per_cpu/cpu1/trace)" = 0 ]
check "loop still running after the soak" rises 1 backend loop_iterations
check "no stall, lockup or warning after the soak" dmesg_clean
fails_with "second attach of CPU 1 refused" "already claimed" offschedctl attach --cpu 1 --service firewall
fails_with "second NIC-less attach refused" "no free NIC" offschedctl attach --cpu 2 --service firewall
fails_with "detach of a CPU not attached refused" "not attached" offschedctl detach --cpu 2

# Someone onlines the CPU directly: the CPUHP prepare callback stops the loop first.
check "direct online of CPU 1 succeeds" sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'
check "CPU 1 runs a task after direct online" taskset -c 1 true
check "module reports the service stopped" sh -c 'offschedctl status | grep -qE "^1 +firewall +stopped"'
check "detach reaps the stopped slot" offschedctl detach --cpu 1

# `offschedctl stats` names a service's counters exactly as its StatDesc table does, in that
# order (/tests/stat_names.txt comes from the service code on the host: stat_names_dump).
stat_names_match() { # CPU SERVICE
  want=$(awk -v s="$2" '$1 == s { $1 = ""; print substr($0, 2) }' /tests/stat_names.txt)
  got=$(offschedctl stats --cpu "$1" | awk '$1 == "service" { printf "%s%s", sep, $2; sep = " " }')
  [ -n "$want" ] && [ "$want" = "$got" ] && return 0
  echo "  want: $want"; echo "  got:  $got"; return 1
}
# Every service the module was built with runs on a dead CPU with its default config.
check "the module offers every registered service" \
  [ "$(awk '{print $1}' /sys/kernel/offsched/services | tr '\n' ' ')" = "$(awk '{print $1}' /tests/stat_names.txt | tr '\n' ' ')" ]
for svc in $(awk '{print $1}' /sys/kernel/offsched/services); do
  check "attach $svc to CPU 2" offschedctl attach --cpu 2 --service "$svc"
  check "$svc: loop counter rises" rises 2 backend loop_iterations
  check "$svc: stats readable" sh -c "offschedctl stats --cpu 2 | grep -q 'cpu2 $svc (running'"
  check "$svc: stats shows every counter by its StatDesc name, in order" stat_names_match 2 "$svc"
  first=$(awk -v s="$svc" '$1 == s { print $2 }' /tests/stat_names.txt)
  check "$svc: stats --json keys the service counters by name" \
    sh -c "offschedctl stats --cpu 2 --json | grep -q '\"$first\"'"
  check "detach $svc" offschedctl detach --cpu 2
done

# The timer's clients are online CPUs: requests through sysfs, completions drained by the
# module's online companion work.
REQ=/sys/kernel/offsched/cpu2/request
check "attach timer to CPU 2" offschedctl attach --cpu 2 --service timer
check "arm a 100 us periodic timer" sh -c "echo 'arm 0 1000000 100000' > $REQ"
sleep 2
check "timer fired on the dead CPU" [ "$(counter 2 stats fired)" -gt 1000 ]
check "completions reached an online CPU" [ "$(counter 2 backend client_completions)" -gt 1000 ]
check "malformed request refused" sh -c "! echo 'explode 1' > $REQ"
check "cancel the timer" sh -c "echo 'cancel 0' > $REQ"
sleep 0.2
fired=$(counter 2 stats fired); sleep 0.5
check "no expiry after cancel" [ "$(counter 2 stats fired)" = "$fired" ]
offschedctl stats --cpu 2 | grep -E "armed|fired |late |fire_err_max|client_completions"
check "detach timer" offschedctl detach --cpu 2

# echo: a service the module's C code has never heard of by name. Its registry row declares a
# request ring (text form "echo ID"), a completion ring and the OS statistics page; the generic
# sysfs request file, companion work and completion figures serve it.
post_echoes() { # N: post N requests, retrying a full ring (-EAGAIN) after a pause
  i=0; tries=0
  while [ $i -lt "$1" ] && [ $tries -lt 10000 ]; do
    if echo "echo $i" > $REQ 2>/dev/null; then i=$((i + 1)); else sleep 0.01; fi
    tries=$((tries + 1))
  done
  [ $i = "$1" ]
}
check "attach echo to CPU 2" offschedctl attach --cpu 2 --service echo
check "200 requests posted through sysfs" post_echoes 200
sleep 0.5
check "echo answered all 200 on the dead CPU" sh -c "[ $(counter 2 stats requests) = 200 ] && [ $(counter 2 stats replies) = 200 ]"
check "its replies reached an online CPU, none lost" \
  sh -c "[ $(counter 2 backend client_completions) = 200 ] && [ $(counter 2 backend completion_seq_gaps) = 0 ]"
check "their round trip is reported (completion_err_p50_ns > 0)" [ "$(counter 2 backend completion_err_p50_ns)" -gt 0 ]
check "a malformed echo request is refused" sh -c "! echo 'echo x' > $REQ"
check "echo read the OS statistics the companion publishes" \
  sh -c "[ $(counter 2 stats os_samples) -gt 0 ] && [ $(counter 2 stats os_cpus) -ge 2 ]"
offschedctl stats --cpu 2 | grep -E "requests|replies|os_|client_completions|completion_err_p50"
check "detach echo" offschedctl detach --cpu 2

for round in 1 2; do
  check "attach CPU 2 (round $round)" offschedctl attach --cpu 2 --service firewall
  check "loop counter rises on CPU 2 (round $round)" rises 2 backend loop_iterations
  check "detach CPU 2 (round $round)" offschedctl detach --cpu 2
  check "CPU 2 runs a task (round $round)" taskset -c 2 true
done

# The owned NIC taken away while a CPU polls it: the module detaches that CPU first (before the
# fix, the dead CPU wrote to the unmapped BAR and the host panicked).
check "attach CPU 2 before the NIC is unbound" offschedctl attach --cpu 2 --service firewall
check "unbind the owned NIC while attached" sh -c "echo $NIC > /sys/bus/pci/drivers/offsched/unbind"
check "unbind gave CPU 2 back" grep -q 1 /sys/devices/system/cpu/cpu2/online
check "no CPU attached after the unbind" sh -c '! offschedctl status | grep -qE "^2 +firewall"'
check "CPU 2 runs a task after the unbind" taskset -c 2 true
check "NIC rebinds after the unbind" bind_offsched $NIC
check "attach CPU 2 before the NIC is hot-removed" offschedctl attach --cpu 2 --service firewall
check "hot-remove the owned NIC while attached" sh -c "echo 1 > /sys/bus/pci/devices/$NIC/remove"
check "hot removal gave CPU 2 back" grep -q 1 /sys/devices/system/cpu/cpu2/online
check "rescan finds the NIC again" sh -c "echo 1 > /sys/bus/pci/rescan && [ -e /sys/bus/pci/devices/$NIC ]"
check "NIC rebinds after the rescan" bind_offsched $NIC
check "attach CPU 2 before rmmod" offschedctl attach --cpu 2 --service firewall
check "rmmod while attached" rmmod offsched
check "rmmod gave CPU 2 back" grep -q 1 /sys/devices/system/cpu/cpu2/online
fails_with "commands after rmmod say the module is not loaded" "not loaded" offschedctl detach --cpu 2

check "insmod again" load_offsched
check "NIC rebinds" bind_offsched $NIC
check "attach CPU 1 for the poweroff check" offschedctl attach --cpu 1 --service firewall
check "dmesg clean" dmesg_clean
echo "powering off with CPU 1 attached"
finish
